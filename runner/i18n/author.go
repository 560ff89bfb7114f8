package i18n

// authorSentences are the words of the lab author's commands: labrun
// lint's findings (package lab's linter) and notes, labrun new's and
// labrun show's own words, keyed by their English format. A finding's
// file:line and the lab's directives ("## var.fr") are arguments or
// stay as they are in every language: an author types them.
var authorSentences = map[string]entry{
	// A finding of labrun lint.
	"warning: %s": {"fr": "avertissement : %s"},
	"the lab":     {"fr": "le lab"},
	"step %q":     {"fr": "l'étape %q"},
	"%s and %s":   {"fr": "%s et %s"},
	"%s has \"## %s.%s\" but no \"## %s.%s\": write every text in %s":                          {"fr": "%s a \"## %s.%s\" mais pas de \"## %s.%s\" : écrivez chaque texte en chacune des langues %s"},
	"variable %s has no description in %s: add \"## var.%s %s TEXT\" after it":                 {"fr": "la variable %s n'a pas de description dans la langue %s : ajoutez \"## var.%s %s TEXTE\" après sa déclaration"},
	"step %q has actions but no checks: add \"## checks\" lines that prove the actions worked": {"fr": "l'étape %q a des actions mais aucune vérification : ajoutez des lignes \"## checks\" qui prouvent que les actions ont fonctionné"},
	"variable %s is declared but never used":                                                   {"fr": "la variable %s est déclarée mais jamais utilisée"},
	"embedded file %q appears twice (first at line %d): the last one wins":                     {"fr": "le fichier intégré %q apparaît deux fois (d'abord à la ligne %d) : le dernier l'emporte"},
	"embedded file %q is never used: no command or \"## type\" line names it or its directory": {"fr": "le fichier intégré %q n'est jamais utilisé : aucune commande ni ligne \"## type\" ne le nomme, ni lui ni son répertoire"},

	// labrun lint's notes.
	"labrun lint: %s, %s in %s": {"fr": "labrun lint : %s, %s dans %s"},
	"0 errors":                  {"fr": "aucune erreur"},
	"1 error":                   {"fr": "1 erreur"},
	"%d errors":                 {"fr": "%d erreurs"},
	"0 warnings":                {"fr": "aucun avertissement"},
	"1 warning":                 {"fr": "1 avertissement"},
	"%d warnings":               {"fr": "%d avertissements"},
	"%d of 1 lab":               {"fr": "%d lab sur 1"},
	"%d of %d labs":             {"fr": "%d des %d labs"},
	"labrun lint: skipping %s: not a %s lab file": {"fr": "labrun lint : %s ignoré : ce n'est pas un fichier de lab %s"},

	// labrun new.
	"wrote %s: edit it, then labrun lint %s": {"fr": "%s écrit : modifiez-le, puis labrun lint %s"},
	"writing %s: %v":                         {"fr": "écriture de %s : %v"},

	// labrun show's headings.
	"Variables (labrun run --set NAME=VALUE changes them):": {"fr": "Variables (labrun run --set NOM=VALEUR les change) :"},
	"labrun runs (lab file lines):":                         {"fr": "labrun exécute (lignes du fichier de lab) :"},
	"Files of the lab:":                                     {"fr": "Fichiers du lab :"},
}
