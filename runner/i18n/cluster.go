package i18n

// clusterSentences are the sentences of labrun cluster (package
// runner/cluster), keyed by their English format as the checks' are:
// URLs, node IDs, addresses and the engine's own errors are arguments.
var clusterSentences = map[string]entry{
	"%s is node %s of a swarm labrun did not make (it made node %s): left alone": {
		"fr": "%s est le nœud %s d'un swarm que labrun n'a pas créé (il avait créé le nœud %s) : laissé tel quel"},
	"%s is not in a swarm: nothing to do": {
		"fr": "%s n'est pas dans un swarm : rien à faire"},
	"%s leaves its swarm (node %s), as --leave asks": {
		"fr": "%s quitte son swarm (nœud %s), comme --leave le demande"},
	"%s leaves the swarm labrun made (node %s)": {
		"fr": "%s quitte le swarm que labrun a créé (nœud %s)"},
	"%s: docker swarm init --advertise-addr %s": {
		"fr": "%s : docker swarm init --advertise-addr %s"},
	"%s: docker swarm join --advertise-addr %s %s": {
		"fr": "%s : docker swarm join --advertise-addr %s %s"},
	"%s: engine %s names no address the other nodes can reach: give its advertise address after the URL (URL ADVERTISE-ADDR) in a --hosts file": {
		"fr": "%s : le moteur %s ne nomme aucune adresse que les autres nœuds peuvent joindre : donnez son adresse annoncée après l'URL (URL ADRESSE-ANNONCÉE) dans un fichier --hosts"},
	"engine %s could not join the swarm of %s: %v": {
		"fr": "le moteur %s n'a pas pu rejoindre le swarm de %s : %v"},
	"engine %s could not leave its swarm: %v": {
		"fr": "le moteur %s n'a pas pu quitter son swarm : %v"},
	"engine %s could not leave the swarm: %v": {
		"fr": "le moteur %s n'a pas pu quitter le swarm : %v"},
	"engine %s could not make a swarm: %v": {
		"fr": "le moteur %s n'a pas pu créer de swarm : %v"},
	"engine %s is already in a swarm (state %s, node %s): make it leave first (docker swarm leave), or pass --leave": {
		"fr": "le moteur %s est déjà dans un swarm (état %s, nœud %s) : faites-le d'abord quitter (docker swarm leave), ou passez --leave"},
	"engine %s is not one of the cluster labrun made with %s (its engines: %s)": {
		"fr": "le moteur %s ne fait pas partie du cluster que labrun a créé avec %s (ses moteurs : %s)"},
	"engine %s is unreachable: %v": {
		"fr": "le moteur %s est injoignable : %v"},
	"engine %s: %v": {
		"fr": "moteur %s : %v"},
	"engines %s and %s are the same engine (ID %s): a node cannot join its own swarm twice": {
		"fr": "les moteurs %s et %s sont le même moteur (ID %s) : un nœud ne peut pas rejoindre deux fois son propre swarm"},
	"labrun cluster up made no swarm with %s as its manager: nothing to undo": {
		"fr": "labrun cluster up n'a créé aucun swarm dont %s soit le manager : rien à défaire"},
	"no engine given: --hosts FILE or --host URL": {
		"fr": "aucun moteur donné : --hosts FICHIER ou --host URL"},
	"not every node is ready after %s (last: %s)": {
		"fr": "les nœuds ne sont pas tous prêts après %s (dernier état : %s)"},
	"swarm %s: %d nodes ready, manager %s": {
		"fr": "swarm %s : %d nœuds prêts, manager %s"},
	"the record of the cluster could not be removed: %v": {
		"fr": "la fiche du cluster n'a pas pu être supprimée : %v"},
	"undoing: every engine leaves the swarm labrun made": {
		"fr": "annulation : chaque moteur quitte le swarm que labrun a créé"},
	"waiting (at most %s) for %d nodes to be ready": {
		"fr": "attente (au plus %s) que %d nœuds soient prêts"},
}

// doctorSentences are labrun doctor's verdicts on a classroom's engines
// (package runner/doctor): one line per engine, then the summary.
var doctorSentences = map[string]entry{
	"can run":                        {"fr": "peut lancer le lab"},
	"cannot run":                     {"fr": "ne peut pas lancer le lab"},
	"not checked":                    {"fr": "non vérifié"},
	"%d of %d engines can run %s":    {"fr": "%d moteurs sur %d peuvent lancer %s"},
	"%d of %d engines cannot run %s": {"fr": "%d moteurs sur %d ne peuvent pas lancer %s"},
}
