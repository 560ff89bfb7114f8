package i18n

// nodeSentences are the messages about a swarm's nodes and their engines
// (packages nodemap and runner), keyed by their English wording.
var nodeSentences = map[string]entry{
	"--registry %s: cannot tell whether %s exists there: %v": {"fr": "--registry %s : impossible de savoir si %s y existe : %v"},
	"%s already exists in the registry and this run did not push it; labrun never replaces what is not its own: choose another image name with --set IMAGE=...": {"fr": "%s existe déjà dans le registre et ce run ne l'y a pas poussé ; labrun ne remplace jamais ce qui n'est pas à lui : choisissez un autre nom d'image avec --set IMAGE=..."},
	"%s: %s names %d nodes of this swarm: name it by its address or ID (docker node inspect shows them)":                                                        {"fr": "%s : %s désigne %d nœuds de ce swarm : nommez-le par son adresse ou son ID (docker node inspect les montre)"},
	"%s: node %s is already listed at %s": {"fr": "%s : le nœud %s est déjà listé en %s"},
	"--nodes: %v":                         {"fr": "--nodes : %v"},
	"--nodes %s: %v":                      {"fr": "--nodes %s : %v"},
	"%s:%d: %v":                           {"fr": "%s:%d : %v"},
	"want a node and its engine's URL (NODE URL), got %d words":      {"fr": "attendu un nœud et l'URL de son moteur (NŒUD URL), reçu %d mots"},
	"node %s is already listed on line %d":                           {"fr": "le nœud %s est déjà listé ligne %d"},
	"not a URL":                                                      {"fr": "pas une URL"},
	"a unix:// URL needs a socket path":                              {"fr": "une URL unix:// demande le chemin d'un socket"},
	"a tcp:// URL needs a host and a port, e.g. tcp://10.0.0.2:2375": {"fr": "une URL tcp:// demande un hôte et un port, par exemple tcp://10.0.0.2:2375"},
	"an ssh:// URL needs a host name, e.g. ssh://user@host":          {"fr": "une URL ssh:// demande un nom d'hôte, par exemple ssh://user@host"},
	"want a unix://, tcp:// or ssh:// URL, as for --host":            {"fr": "attendu une URL unix://, tcp:// ou ssh://, comme pour --host"},
	"node %s (%s): %v":                                               {"fr": "nœud %s (%s) : %v"},
	"--registry %s: the registry does not answer: %v":                {"fr": "--registry %s : le registre ne répond pas : %v"},
	"--registry: %v":                                                 {"fr": "--registry : %v"},
	"no swarm node":                                                  {"fr": "aucun nœud de swarm"},
	"%snode %s (%s): %v":                                             {"fr": "%snœud %s (%s) : %v"},
	"%sthe engine at %s is not node %s (%s): it is %s":               {"fr": "%sle moteur à %s n'est pas le nœud %s (%s) : c'est %s"},
	"%s: no node %s in this swarm (name a node by its address, ID or hostname, as docker node ls and docker node inspect show them)": {
		"fr": "%s : pas de nœud %s dans ce swarm (nommez un nœud par son adresse, son ID ou son nom d'hôte, comme docker node ls et docker node inspect les montrent)"},

	"no engine labrun can reach was found at the manager's scheme and port on its address": {"fr": "aucun moteur que labrun puisse joindre n'a été trouvé à son adresse avec le schéma et le port du manager"},
	"%s does not list it": {"fr": "%s ne le liste pas"},
	"the swarm may place the lab's tasks on node(s) %s, and labrun cannot put the lab's images there (%v): such a task would fail with \"No such image\".\n" +
		"Give the engine of every node: --nodes FILE, one \"NODE URL\" a line (NODE: its address, ID or hostname; URL as for --host); " +
		"or push the images to a registry every node can pull from: --registry HOST:PORT; " +
		"or keep the lab off them: --only-image-nodes; " +
		"or keep the nodes out of the scheduler's way (docker node update --availability drain NODE) for the run": {"fr": "le swarm peut placer les tâches du lab sur le(s) nœud(s) %s, et labrun ne peut pas y mettre les images du lab (%v) : une telle tâche échouerait avec \"No such image\".\n" +
		"Donnez le moteur de chaque nœud : --nodes FICHIER, un \"NŒUD URL\" par ligne (NŒUD : son adresse, son ID ou son nom d'hôte ; URL comme pour --host) ; " +
		"ou poussez les images vers un registre d'où chaque nœud peut les tirer : --registry HÔTE:PORT ; " +
		"ou tenez le lab à l'écart de ces nœuds : --only-image-nodes ; " +
		"ou écartez ces nœuds du chemin de l'ordonnanceur (docker node update --availability drain NŒUD) pendant l'exécution"},
}
