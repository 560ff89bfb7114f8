package i18n

// classSentences are the sentences of the class board (runner/class,
// labrun class serve, check, export, delete, and a student's --join) and
// of a classroom's runs (runner/classroom), keyed by their English
// format: what the server prints, its answers to students and browsers
// (worded in the request's Accept-Language, else the class's --lang),
// a student's notices, and the errors that reach the command line.
var classSentences = map[string]entry{
	// labrun class serve's output.
	"Class %s: students join with\n  labrun guide LAB --join %s --name \"Your Name\"\nBoard: %s\nCSV export: %s\nDatabase: %s (Ctrl-C stops the server)\n": {
		"fr": "Classe %s : les élèves rejoignent avec\n  labrun guide LAB --join %s --name \"Prénom Nom\"\nTableau : %s\nExport CSV : %s\nBase : %s (Ctrl-C arrête le serveur)\n"},
	"Note: the server listens on every address; give --public-url so that the URLs above can be reached.": {
		"fr": "Attention : le serveur écoute sur toutes les adresses ; donnez --public-url pour que les URL ci-dessus soient joignables."},
	"Server stopped, database closed.": {"fr": "Serveur arrêté, base fermée."},
	"labrun · class board":             {"fr": "labrun · tableau de la classe"},
	// labrun class serve's errors before it accepts connections.
	"--tls-cert and --tls-key go together":           {"fr": "--tls-cert et --tls-key vont ensemble"},
	"--listen %s: %v":                                {"fr": "--listen %s : %v"},
	"--tls-cert, --tls-key: %v":                      {"fr": "--tls-cert, --tls-key : %v"},
	"--info: %v":                                     {"fr": "--info : %v"},
	"%s: a class server is running on this database": {"fr": "%s : un serveur de classe tourne sur cette base"},
	"%s does not hold this class's instructor token": {"fr": "%s ne contient pas le jeton du formateur de cette classe"},
	"the instructor's token: %v (it is made with the class; labrun class delete and serve again make a new class)": {
		"fr": "le jeton du formateur : %v (il est créé avec la classe ; labrun class delete puis serve à nouveau créent une nouvelle classe)"},
	"event of student %d: %v": {"fr": "événement de l'élève %d : %v"},
	// The server's answers to a browser or a student's labrun.
	"labrun class board: open the board's URL with its token (labrun class serve prints it)": {
		"fr": "tableau de classe labrun : ouvrez l'URL du tableau avec son jeton (labrun class serve l'affiche)"},
	"the board and the exports need the instructor's token (token=…, as labrun class serve prints it)": {
		"fr": "le tableau et les exports demandent le jeton du formateur (token=…, tel que labrun class serve l'affiche)"},
	"no class has this join code": {"fr": "aucune classe n'a ce code d'inscription"},
	"no class has this join code: check the URL the instructor gave": {
		"fr": "aucune classe n'a ce code d'inscription : vérifiez l'URL donnée par le formateur"},
	"labrun guide LAB --join %s --name \"Your Name\"": {"fr": "labrun guide LAB --join %s --name \"Prénom Nom\""},
	"format version %d: this server reads version %d": {"fr": "version de format %d : ce serveur lit la version %d"},
	"the name %q is taken in this class: choose another with --name": {
		"fr": "le nom %q est déjà pris dans cette classe : choisissez-en un autre avec --name"},
	"no student token: join the class first":         {"fr": "aucun jeton d'élève : rejoignez d'abord la classe"},
	"this token belongs to no student of this class": {"fr": "ce jeton n'appartient à aucun élève de cette classe"},
	"the body is over %d bytes":                      {"fr": "le corps dépasse %d octets"},
	"the body is not this format's JSON: %v":         {"fr": "le corps n'est pas le JSON de ce format : %v"},
	"streaming unsupported":                          {"fr": "diffusion en continu non prise en charge"},
	// What a student's name or a batch of events may not be.
	"the name is empty":                         {"fr": "le nom est vide"},
	"the name is not UTF-8":                     {"fr": "le nom n'est pas en UTF-8"},
	"the name has more than %d characters":      {"fr": "le nom a plus de %d caractères"},
	"the name has a control character":          {"fr": "le nom contient un caractère de contrôle"},
	"%d events in one batch: at most %d":        {"fr": "%d événements dans un lot : au plus %d"},
	"event %d: %v":                              {"fr": "événement %d : %v"},
	"an id of 1 to 64 bytes is needed":          {"fr": "il faut un id de 1 à 64 octets"},
	"unknown kind %q":                           {"fr": "type %q inconnu"},
	"lab %q: want 1 to %d printable characters": {"fr": "lab %q : il faut de 1 à %d caractères imprimables"},
	"step %q: want 1 to %d printable characters": {
		"fr": "étape %q : il faut de 1 à %d caractères imprimables"},
	"text: at most %d characters of UTF-8":     {"fr": "texte : au plus %d caractères d'UTF-8"},
	"a lab of 1 to %d steps is needed":         {"fr": "il faut un lab de 1 à %d étapes"},
	"titles in %d languages: at most 4":        {"fr": "titres en %d langues : au plus 4"},
	"title %q: at most %d characters of UTF-8": {"fr": "titre %q : au plus %d caractères d'UTF-8"},
	// A student's side (--join): their notices.
	"the class board cannot be reached (%v): your progress is kept and sent when it answers": {
		"fr": "tableau de la classe injoignable (%v) : votre progression est gardée et sera envoyée quand il répondra"},
	"%d events kept for the class board: they are sent the next time you run with --join": {
		"fr": "%d événements gardés pour le tableau de la classe : ils partiront à la prochaine commande avec --join"},
	"You joined the class as %s.": {"fr": "Vous avez rejoint la classe sous le nom %s."},
	"Class: you are %s.":          {"fr": "Classe : vous êtes %s."},
	"you joined this class as %s already: --name %s is ignored": {
		"fr": "vous avez déjà rejoint cette classe sous le nom %s : --name %s est ignoré"},
	"the server speaks format version %d, labrun %d": {"fr": "le serveur parle la version de format %d, labrun la %d"},
	// labrun class check, export and delete.
	"all done":           {"fr": "tout est fait"},
	"no class at %s":     {"fr": "aucune classe à %s"},
	"no class at %s: %v": {"fr": "aucune classe à %s : %v"},
	"%s: a class server is running on it: stop it first": {"fr": "%s : un serveur de classe tourne dessus : arrêtez-le d'abord"},
	// A classroom's runs (labrun run --hosts): engines that cannot be used.
	"%q is not an engine URL: want unix:///path, tcp://host:port or ssh://[user@]host": {
		"fr": "%q n'est pas une URL de moteur : il faut unix:///chemin, tcp://hôte:port ou ssh://[utilisateur@]hôte"},
	"%q: a unix:// URL needs a socket path, e.g. unix:///var/run/docker.sock": {
		"fr": "%q : une URL unix:// demande le chemin d'un socket, par exemple unix:///var/run/docker.sock"},
	"%q: no host name":                     {"fr": "%q : aucun nom d'hôte"},
	"%q: scheme %s: want unix, tcp or ssh": {"fr": "%q : schéma %s : il faut unix, tcp ou ssh"},
	"%q is not an advertise address: want an IP address or an interface name, without a port": {
		"fr": "%q n'est pas une adresse annoncée : il faut une adresse IP ou un nom d'interface, sans port"},
	"engine %s cannot run beside another: %v": {"fr": "le moteur %s ne peut pas tourner à côté d'un autre : %v"},
	"engine %s is not ready: %v":              {"fr": "le moteur %s n'est pas prêt : %v"},
	"it shares %s with the engine at %s, and runs there would fight over the lab's names (--isolate gives each run its own)": {
		"fr": "il partage %s avec le moteur à %s, et des runs sur ces deux moteurs se disputeraient les noms du lab (--isolate donne à chaque run les siens)"},
	"swarm %s":        {"fr": "le swarm %s"},
	"swarm node %s":   {"fr": "le nœud de swarm %s"},
	"engine %s on %s": {"fr": "le moteur %s sur %s"},
	"not run: another engine is unreachable, and a classroom starts on every engine or none": {
		"fr": "non lancé : un autre moteur est injoignable, et un run sur plusieurs moteurs démarre sur tous ou sur aucun"},
	"not run: another engine cannot run beside another, and a classroom starts on every engine or none": {
		"fr": "non lancé : un autre moteur ne peut pas tourner à côté d'un autre, et un run sur plusieurs moteurs démarre sur tous ou sur aucun"},
	"not run: another engine is not ready, and a classroom starts on every engine or none": {
		"fr": "non lancé : un autre moteur n'est pas prêt, et un run sur plusieurs moteurs démarre sur tous ou sur aucun"},
}
