package i18n

// reportSentences are the words of a run's reports (package report and
// --repeat): the live view's labels, the repeat table and the errors the
// JSON and JUnit files hold. Their keys, elements and attributes are
// never worded; the verdicts PASS, FAIL and ERROR stay as they are, as in
// the summary line ("summary"), for the scripts and CI logs that grep
// them.
var reportSentences = map[string]entry{
	// The summary line of a run: its verdict (PASS, FAIL, ERROR), the
	// lab, whether --fast, and the counts ("summary").
	"%s %s%s: %s": {"fr": "%s %s%s : %s"},

	// The summary of a run over a classroom's engines (--hosts).
	"ENGINE\tRESULT\tFAILED STEP\tDURATION":              {"fr": "MOTEUR\tRÉSULTAT\tÉTAPE EN ÉCHEC\tDURÉE"},
	"(before the steps)":                                 {"fr": "(avant les étapes)"},
	"%s %s on %d engines: %d passed, %d failed in %.1fs": {"fr": "%s %s sur %d moteurs : réussis %d, en échec %d, en %.1fs"},

	// A step's commands to type, in the live view.
	"tutorial:": {"fr": "tutoriel :"},

	// --repeat N: each run's heading, the table, and the run a report's
	// error is from. A French-speaking user says "un run", as labrun's
	// French does elsewhere ("comme avant le run").
	"── run %d/%d ──": {"fr": "── run %d/%d ──"},
	"run %d/%d: %s":   {"fr": "run %d/%d : %s"},
	"%s %s × %d: %s":  {"fr": "%s %s × %d : %s"},
	"%s, %d failed":   {"fr": "%s, %d en échec"},
	"0 passed":        {"fr": "0 réussi"},
	"1 passed":        {"fr": "1 réussi"},
	"%d passed":       {"fr": "%d réussis"},
	"step":            {"fr": "étape"},
	"passed":          {"fr": "réussie"},
	"median":          {"fr": "médiane"},
	"(skipped in %d)": {"fr": "(sautée %d fois)"},
}

// reportNamed are the report's messages known by an ID.
var reportNamed = map[string]entry{
	// Before a failed step's hint (Hinted), wherever its failure is
	// shown: the JSON and JUnit reports, the live view, standard error.
	"hint-label": {"en": "hint:", "fr": "indice :"},
}

// Hinted is an error of labrun's that ends with a hint after a label, a
// failed step's (event.StepError, whose package cannot ask the catalogue:
// the catalogue speaks of events): its message, note and hint are worded
// in the run's language when the error is built, and the label is worded
// here, "hint:" in English, "indice :" in French.
type Hinted interface {
	error
	Text(hintLabel string) string
}
