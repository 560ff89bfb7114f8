package i18n

// systemSentences are labrun's words around what the system answered:
// reaching an engine (runner/engine), making the images (runner/images),
// the run's ledger and what cleanup says (runner/owner), a registry
// (runner/registry), a cluster's record (runner/cluster), and the
// arguments of the lab commands (runner/labcmd, runner/lab). The error
// each wraps is an argument, quoted as it came.
var systemSentences = map[string]entry{
	// Reaching an engine.
	"no answer within %s":                                       {"fr": "pas de réponse en %s"},
	"%s: the engine at %s does not answer: %v":                  {"fr": "%s : le moteur à %s ne répond pas : %v"},
	"inspect service %s":                                        {"fr": "inspecter le service %s"},
	"list tasks of service %s":                                  {"fr": "lister les tâches du service %s"},
	"inspect container of task %s":                              {"fr": "inspecter le conteneur de la tâche %s"},
	"list the swarm's nodes: %v":                                {"fr": "lister les nœuds du swarm : %v"},
	"conflicting options: give --host or --context, not both":   {"fr": "options contradictoires : donnez --host ou --context, pas les deux"},
	"not valid JSON: %v":                                        {"fr": "JSON invalide : %v"},
	"%s: not valid JSON: %v":                                    {"fr": "%s : JSON invalide : %v"},
	"no such context (known: %s); docker context ls lists them": {"fr": "contexte inconnu (connus : %s) ; docker context ls les liste"},
	"%s: no docker endpoint with a Host":                        {"fr": "%s : aucun point d'accès docker avec un Host"},
	"an ssh:// host needs a host name, e.g. ssh://user@host":    {"fr": "un hôte ssh:// demande un nom d'hôte, par exemple ssh://user@host"},
	"%s: no certificate in it":                                  {"fr": "%s : aucun certificat dedans"},
	"context %q's client certificate: %v":                       {"fr": "certificat client du contexte %q : %v"},

	"%s (context %q, from DOCKER_CONTEXT)": {"fr": "%s (contexte %q, d'après DOCKER_CONTEXT)"},
	"%s (context %q, from --context)":      {"fr": "%s (contexte %q, d'après --context)"},
	"%s (context %q)":                      {"fr": "%s (contexte %q)"},
	"current context":                      {"fr": "contexte courant"},
	"currentContext in %s":                 {"fr": "currentContext de %s"},
	"docker context %q (from %s): %v":      {"fr": "contexte docker %q (d'après %s) : %v"},
	"%s exited with status %d: %s":         {"fr": "%s s'est terminé avec le code de sortie %d : %s"},

	// Making the images.
	"load %s: %v": {"fr": "chargement de %s : %v"},
	"load %s: the load ended but the image cannot be inspected: %v":      {"fr": "chargement de %s : le chargement a abouti mais l'image ne peut pas être inspectée : %v"},
	"load %s: the tag is on %s, want the loaded image %s":                {"fr": "chargement de %s : le tag est sur %s, attendu l'image chargée %s"},
	"invalid image reference %q: want a name and a tag, like whoami:1.0": {"fr": "référence d'image %q invalide : il faut un nom et un tag, comme whoami:1.0"},
	"read the whoami server's %s: %v":                                    {"fr": "lecture du fichier %s du serveur whoami : %v"},
	"%s is not a regular file: a build context from a directory holds only regular files": {
		"fr": "%s n'est pas un fichier ordinaire : un contexte de build tiré d'un répertoire ne contient que des fichiers ordinaires"},
	"build context of %s: %v": {"fr": "contexte de build de %s : %v"},
	"build %s: %v":            {"fr": "build de %s : %v"},
	"build %s: the build ended but the image cannot be inspected: %v": {"fr": "build de %s : le build a abouti mais l'image ne peut pas être inspectée : %v"},
	"cannot pull %s: %v": {"fr": "impossible de tirer %s : %v"},
	"cannot pull %s: %v; no registry is reachable from this engine: use --images offline": {
		"fr": "impossible de tirer %s : %v ; aucun registre n'est joignable depuis ce moteur : utilisez --images offline"},
	"invalid release %q: want letters, digits, '_', '.' or '-' (at most 128, not starting with '.' or '-'), like 1.0": {
		"fr": "version %q invalide : il faut des lettres, chiffres, '_', '.' ou '-' (128 au plus, sans '.' ni '-' en tête), comme 1.0"},
	"unsupported architecture %q: labrun's whoami server is built for amd64 (x86_64) and arm64 (aarch64)": {
		"fr": "architecture %q non prise en charge : le serveur whoami de labrun est compilé pour amd64 (x86_64) et arm64 (aarch64)"},
	"reading the engine's answer: %v":                  {"fr": "lecture de la réponse du moteur : %v"},
	"read the embedded whoami server for linux/%s: %v": {"fr": "lecture du serveur whoami embarqué pour linux/%s : %v"},
	"this labrun (%s) carries no whoami server for linux/%s: install labrun from a release archive, or build it with make (it cross-compiles the servers)": {
		"fr": "ce labrun (%s) n'embarque pas de serveur whoami pour linux/%s : installez labrun depuis une archive de version, ou compilez-le avec make (qui compile les serveurs pour chaque architecture)"},
	"find labrun's own executable, the whoami server of the offline images: %v": {
		"fr": "recherche de l'exécutable de labrun, le serveur whoami des images hors ligne : %v"},
	"read labrun's own executable, the whoami server of the offline images: %v": {
		"fr": "lecture de l'exécutable de labrun, le serveur whoami des images hors ligne : %v"},
	"labrun is dynamically linked (built with cgo) and cannot serve as the whoami server: %v; build it with CGO_ENABLED=0": {
		"fr": "labrun est lié dynamiquement (compilé avec cgo) et ne peut pas servir de serveur whoami : %v ; compilez-le avec CGO_ENABLED=0"},
	"read labrun's ELF interpreter: %v": {"fr": "lecture de l'interpréteur ELF de labrun : %v"},
	"shared library %s not found in %s": {"fr": "bibliothèque partagée %s introuvable dans %s"},

	// A registry.
	"want HOST:PORT, e.g. 10.0.0.1:5000": {"fr": "attendu HÔTE:PORT, par exemple 10.0.0.1:5000"},
	"read %s from the engine: %v":        {"fr": "lecture de %s depuis le moteur : %v"},
	"push %s: %v":                        {"fr": "push de %s : %v"},
	"pushed %s@%s":                       {"fr": "poussée : %s@%s"},
	"the tag names another image now":    {"fr": "le tag désigne maintenant une autre image"},

	// The run's ledger, the objects it names, what cleanup says.
	"service %s":                            {"fr": "service %s"},
	"network %s":                            {"fr": "réseau %s"},
	"volume %s":                             {"fr": "volume %s"},
	"secret %s":                             {"fr": "secret %s"},
	"config %s":                             {"fr": "config %s"},
	"container %s":                          {"fr": "conteneur %s"},
	"image %s":                              {"fr": "image %s"},
	"tag %s (registry)":                     {"fr": "tag %s (registre)"},
	"swarm membership (docker swarm leave)": {"fr": "appartenance au swarm (docker swarm leave)"},
	"%s: this run never saw it created, so it may not be its own: labrun leaves it (%s %s removes it)": {
		"fr": "%s : ce run ne l'a jamais vu créer, cet objet n'est peut-être pas le sien : labrun le laisse (%s %s le supprime)"},
	"%s: not the one this run created (another ID): labrun leaves it": {
		"fr": "%s : pas celui que ce run a créé (autre ID) : labrun le laisse"},
	"%s (%v): %s %s":                            {"fr": "%s (%v) : %s %s"},
	"not recorded":                              {"fr": "non enregistré"},
	"it is node %q now":                         {"fr": "c'est maintenant le nœud %q"},
	"still in use after waiting: %v":            {"fr": "toujours utilisé après attente : %v"},
	"labrun does not know resources of kind %q": {"fr": "labrun ne connaît pas les ressources de type %q"},
	"docker swarm init: %v":                     {"fr": "docker swarm init : %v"},
	"no place for labrun's state: %v":           {"fr": "aucun emplacement pour l'état de labrun : %v"},
	"lock the run's ledger: %v":                 {"fr": "verrouillage du journal du run : %v"},
	"write the run's ledger: %v":                {"fr": "écriture du journal du run : %v"},
	"record the nodes' labels and availability before changing them: %v": {
		"fr": "enregistrement des labels et de la disponibilité des nœuds avant de les changer : %v"},
	"record the nodes' labels and availability after changing them: %v": {
		"fr": "enregistrement des labels et de la disponibilité des nœuds après les avoir changés : %v"},
	"claim the lab's names on the swarm: %v": {"fr": "réservation des noms du lab sur le swarm : %v"},
	"%v; setting it aside failed: %v":        {"fr": "%v ; sa mise de côté a échoué : %v"},
	"ledger %s cannot be read (%v): set aside as %s.corrupt; labrun removes nothing it cannot prove its own": {
		"fr": "le journal %s est illisible (%v) : mis de côté sous %s.corrupt ; labrun ne supprime rien qu'il ne puisse prouver sien"},
	"run %s (lab %s, started %s):": {"fr": "run %s (lab %s, commencé le %s) :"},
	"removed %s":                   {"fr": "supprimé : %s"},
	"nothing of this run was left": {"fr": "rien de ce run ne restait"},
	"left: %s":                     {"fr": "restant : %s"},
	"nothing to clean up on %s":    {"fr": "rien à nettoyer sur %s"},
	"interrupted runs left things on another engine too: labrun cleanup --host %s": {
		"fr": "des runs interrompus ont aussi laissé des objets sur un autre moteur : labrun cleanup --host %s"},

	// A cluster's record.
	"record of the cluster: %v":               {"fr": "fiche du cluster : %v"},
	"record of the cluster %s is damaged: %v": {"fr": "la fiche du cluster %s est abîmée : %v"},

	// The lab commands' arguments.
	"%q: only the keys of lists (port, %s) take a leading !":               {"fr": "%q : seules les clés de listes (port, %s) acceptent un ! en tête"},
	"%q: the path must be absolute":                                        {"fr": "%q : le chemin doit être absolu"},
	"%q: unknown key %s; want %s or label.NAME":                            {"fr": "%q : clé %s inconnue ; attendu %s ou label.NOM"},
	"%q: want KEY=VALUE (image, state, desired, error, count, min)":        {"fr": "%q : attendu CLÉ=VALEUR (image, state, desired, error, count, min)"},
	"%q: want PUBLISHED:TARGET port numbers such as 8000:8000":             {"fr": "%q : attendu des numéros de port PUBLIÉ:CIBLE comme 8000:8000"},
	"%q: want [!]KEY=VALUE":                                                {"fr": "%q : attendu [!]CLÉ=VALEUR"},
	"%s %q: want a number, 1 or more":                                      {"fr": "%s %q : attendu un nombre, 1 ou plus"},
	"%s %s: only checks can be retried":                                    {"fr": "%s %s : seules les vérifications peuvent être réessayées"},
	"only checks can be retried":                                           {"fr": "seules les vérifications peuvent être réessayées"},
	"%s=%s: want a number":                                                 {"fr": "%s=%s : attendu un nombre"},
	"MIN %q is not a number":                                               {"fr": "MIN %q n'est pas un nombre"},
	"releases=: want a list of releases, such as releases=1.0,1.1":         {"fr": "releases= : attendu une liste de versions, comme releases=1.0,1.1"},
	"unknown condition %q":                                                 {"fr": "condition %q inconnue"},
	"unknown key %q in %q":                                                 {"fr": "clé %q inconnue dans %q"},
	"unknown key %q":                                                       {"fr": "clé %q inconnue"},
	"unknown key %q: use image, state, desired, error, count or min":       {"fr": "clé %q inconnue : utilisez image, state, desired, error, count ou min"},
	"unknown key %q: want failed, min-failed, min-sent, hosts or releases": {"fr": "clé %q inconnue : attendu failed, min-failed, min-sent, hosts ou releases"},
	"not a text file: a lab file is a txtar archive in UTF-8":              {"fr": "ce n'est pas un fichier texte : un fichier de lab est une archive txtar en UTF-8"},
	"\"-- --\" is a file marker without a file name: write \"-- NAME --\"": {"fr": "\"-- --\" est un marqueur de fichier sans nom de fichier : écrivez \"-- NOM --\""},
	"id %.19s":                     {"fr": "id %.19s"},
	"unterminated quoted argument": {"fr": "argument entre guillemets non terminé"},
}
