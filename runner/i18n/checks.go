package i18n

// checkSentences are the sentences of the lab commands (package labcmd),
// keyed by their English format, which is also their English wording:
// the checks build them with Errorf and Sprintf without knowing the run's
// language. Names, images, numbers and the engine's own words are
// arguments, passed through as they came.
var checkSentences = map[string]entry{
	// Parts of a task's or a tasks filter's description.
	" desired %s":                {"fr": " souhaité %s"},
	" in state %s":               {"fr": " dans l'état %s"},
	" of %s":                     {"fr": " de %s"},
	" with an error matching %q": {"fr": " avec une erreur correspondant à %q"},
	", desired %s":               {"fr": ", souhaité %s"},
	" on %s":                     {"fr": " sur %s"},
	", error %q":                 {"fr": ", erreur %q"},
	"%d tasks":                   {"fr": "%d tâches"},
	"at least %d":                {"fr": "au moins %d"},
	"exactly %d":                 {"fr": "exactement %d"},
	"no tasks":                   {"fr": "aucune tâche"},
	"none":                       {"fr": "aucune"},

	// A prober's counts.
	"%d containers":                                     {"fr": "%d conteneurs"},
	"1 container":                                       {"fr": "1 conteneur"},
	"%d requests, %d failed":                            {"fr": "%d requêtes, %d en échec"},
	"; answers from %v, of release %s":                  {"fr": " ; réponses de %v, de la version %s"},
	"; last error: %s":                                  {"fr": " ; dernière erreur : %s"},
	"%d containers answered, want %d":                   {"fr": "%d conteneurs ont répondu, attendu %d"},
	"%d failed, want %d":                                {"fr": "%d en échec, attendu %d"},
	"%d failed, want at least %d":                       {"fr": "%d en échec, attendu au moins %d"},
	"%d sent, want at least %d":                         {"fr": "%d envoyées, attendu au moins %d"},
	"releases %v answered, want %s":                     {"fr": "versions %v ont répondu, attendu %s"},
	"prober %s: %v":                                     {"fr": "sondeur %s : %v"},
	"prober %s: probing %s every %s":                    {"fr": "sondeur %s : sonde %s toutes les %s"},
	"prober %s: its counters are not JSON (%v): %.200s": {"fr": "sondeur %s : ses compteurs ne sont pas du JSON (%v) : %.200s"},
	"%v: the prober has stopped, or is not running yet (docker service ps %s)": {"fr": "%v : le sondeur s'est arrêté, ou ne tourne pas encore (docker service ps %s)"},
	"no running container":                      {"fr": "aucun conteneur en cours"},
	"no answer from %s yet":                     {"fr": "pas encore de réponse de %s"},
	"no answer from %s yet: %s":                 {"fr": "pas encore de réponse de %s : %s"},
	"create the prober service %s: %v":          {"fr": "création du service sondeur %s : %v"},
	"replace the prober %s started earlier: %v": {"fr": "remplacement du sondeur %s démarré plus tôt : %v"},
	"make the prober image %s: %v":              {"fr": "fabrication de l'image du sondeur %s : %v"},
	"there is no prober %s: %v":                 {"fr": "il n'y a pas de sondeur %s : %v"},
	"the prober %s did not get an answer within the step's %s timeout (last seen: %v)": {"fr": "le sondeur %s n'a pas obtenu de réponse dans le délai de l'étape (%s) (dernier état vu : %v)"},
	"labrun starts it when labrun guide shows this step, before the update; follow the step in labrun guide (r there starts the prober and does the step)": {
		"fr": "labrun le démarre quand labrun guide affiche cette étape, avant la mise à jour ; suivez l'étape dans labrun guide (r y démarre le sondeur et fait l'étape)"},
	"if the update is over, the prober started after it began and cannot count it: put the service back on the release it missed (docker service rollback), then redo the step: r in labrun guide starts a new prober and does the update again; or start over with labrun reset": {
		"fr": "si la mise à jour est finie, le sondeur a démarré après son début et ne peut pas la compter : remettez le service sur la version qu'il n'a pas vue (docker service rollback), puis refaites l'étape : r dans labrun guide démarre un nouveau sondeur et refait la mise à jour ; ou recommencez avec labrun reset"},

	// Services and their tasks.
	"%d/%d tasks running %s and healthy":          {"fr": "%d/%d tâches exécutant %s et saines"},
	"%d/%d tasks running %s and healthy with %s":  {"fr": "%d/%d tâches exécutant %s et saines avec %s"},
	"%v; no task is meant to run":                 {"fr": "%v ; aucune tâche n'est censée tourner"},
	"%s has %s, want %s":                          {"fr": "%s a %s, attendu %s"},
	"%s not looked at":                            {"fr": "%s non examiné"},
	"%s read in container %s":                     {"fr": "%s lu dans le conteneur %s"},
	"%s absent":                                   {"fr": "%s absent"},
	"%s is %s":                                    {"fr": "%s est %s"},
	"%s is %s, want %s":                           {"fr": "%s vaut %s, attendu %s"},
	"%s is %v, want %v":                           {"fr": "%s vaut %v, attendu %v"},
	"found %v, want %v (tasks, newest first: %v)": {"fr": "trouvé %v, attendu %v (tâches, des plus récentes aux plus anciennes : %v)"},
	"no container":                                {"fr": "aucun conteneur"},
	"no container to inspect":                     {"fr": "aucun conteneur à examiner"},
	"no published port":                           {"fr": "aucun port publié"},
	"does not exist":                              {"fr": "n'existe pas"},
	"exists (%s)":                                 {"fr": "existe (%s)"},
	"%d container(s) of service %s: %s":           {"fr": "%d conteneur(s) du service %s : %s"},
	"no container of service %s is left":          {"fr": "il ne reste aucun conteneur du service %s"},
	"container %.12s of %s: %s holds %q, want a match for %s": {"fr": "conteneur %.12s de %s : %s contient %q, attendu une correspondance avec %s"},
	"container %.12s of %s: %v":                               {"fr": "conteneur %.12s de %s : %v"},
	"look for %s in container %.12s: %v":                      {"fr": "recherche de %s dans le conteneur %.12s : %v"},
	"service %s has no running container to read %s in":       {"fr": "le service %s n'a aucun conteneur en cours où lire %s"},
	"the image has neither cat nor /whoami to read %s with":   {"fr": "l'image n'a ni cat ni /whoami pour lire %s"},
	"service %s exists (id %.12s, created %s)":                {"fr": "le service %s existe (id %.12s, créé le %s)"},
	"service %s has %s":                                       {"fr": "le service %s a %s"},
	"service %s: %v":                                          {"fr": "service %s : %v"},
	"service %s runs image %s; this step expects %s":          {"fr": "le service %s utilise l'image %s ; cette étape attend %s"},
	"services here: %s":                                       {"fr": "services présents : %s"},
	"there is no service %s":                                  {"fr": "il n'y a pas de service %s"},
	"there is no service at all":                              {"fr": "il n'y a aucun service"},
	"there is no service %s, but service %s runs %s: was it meant to be %s? (docker service rm %s, then create it with --name %s)": {
		"fr": "il n'y a pas de service %s, mais le service %s exécute %s : devait-il s'appeler %s ? (docker service rm %s, puis recréez-le avec --name %s)"},
	"there is no service %s (%v); check its name, or if it was removed, create it again or start over with labrun reset": {
		"fr": "il n'y a pas de service %s (%v) ; vérifiez son nom, ou s'il a été supprimé, recréez-le ou recommencez avec labrun reset"},
	"there is no service %s (any more): its update state cannot change; start again with labrun reset": {
		"fr": "il n'y a pas (ou plus) de service %s : son état de mise à jour ne peut plus changer ; recommencez avec labrun reset"},
	"update state %s":                  {"fr": "état de mise à jour %s"},
	"update state %s: %s":              {"fr": "état de mise à jour %s : %s"},
	"update state is %s (%s), want %s": {"fr": "l'état de mise à jour est %s (%s), attendu %s"},
	"update state is %s, want %s":      {"fr": "l'état de mise à jour est %s, attendu %s"},
	"the service was rolled back before its update paused, so the failed update can no longer be watched; do the update again (docker service update --image ...), or start over with labrun reset": {
		"fr": "le service a été ramené en arrière avant que sa mise à jour ne se mette en pause : l'échec ne peut plus être observé ; refaites la mise à jour (docker service update --image ...) ou recommencez avec labrun reset"},
	"the update completed: the new image passed its healthcheck, so nothing failed; check the image tag of the update": {
		"fr": "la mise à jour a abouti : la nouvelle image a passé son healthcheck, rien n'a échoué ; vérifiez le tag de l'image de la mise à jour"},
	"the service was never updated, so there is nothing to roll back; do the update step first": {
		"fr": "le service n'a jamais été mis à jour : il n'y a rien à annuler ; faites d'abord l'étape de mise à jour"},

	// HTTP.
	// The nodes checks.
	"there is no node %s: the swarm has %d workers (%s)": {"fr": "il n'y a pas de nœud %s : le swarm a %d workers (%s)"},
	"no node is %s (nodes: %s)":                          {"fr": "aucun nœud n'est %s (nœuds : %s)"},
	"this swarm has %d node(s) ready and active (%s), this lab needs %d: run it on a swarm of %d nodes or more": {"fr": "ce swarm a %d nœud(s) prêt(s) et actif(s) (%s), ce lab en demande %d : lancez-le sur un swarm d'au moins %d nœuds"},
	"%d nodes ready and active: %s": {"fr": "%d nœuds prêts et actifs : %s"},
	"%s (has %s)":                   {"fr": "%s (a %s)"},
	"node %s (%s) lacks %v":         {"fr": "le nœud %s (%s) n'a pas %v"},
	"node %s (%s) is %s, %s, %s":    {"fr": "le nœud %s (%s) est %s, %s, %s"},
	"node %s (%s) has %s":           {"fr": "le nœud %s (%s) a %s"},
	"%d running task(s) of %s on node %s, want %d (running tasks per node: %s)":                {"fr": "%d tâche(s) de %s en cours sur le nœud %s, attendu %d (tâches en cours par nœud : %s)"},
	"%d running task(s) of %s on node %s (running tasks per node: %s)":                         {"fr": "%d tâche(s) de %s en cours sur le nœud %s (tâches en cours par nœud : %s)"},
	"the running tasks of %s run on %d node(s), want at least %d (running tasks per node: %s)": {"fr": "les tâches en cours de %s tournent sur %d nœud(s), attendu au moins %d (tâches en cours par nœud : %s)"},
	"the running tasks of %s run on %d nodes (%s)":                                             {"fr": "les tâches en cours de %s tournent sur %d nœuds (%s)"},
	"placement constraint %q: want KEY==VALUE or KEY!=VALUE":                                   {"fr": "contrainte de placement %q : attendu CLÉ==VALEUR ou CLÉ!=VALEUR"},
	"placement constraint %s%s%s: labrun cannot judge the key %s":                              {"fr": "contrainte de placement %s%s%s : labrun ne sait pas juger la clé %s"},
	"service %s has no running task: there is no placement to judge":                           {"fr": "le service %s n'a aucune tâche en cours : il n'y a pas de placement à juger"},
	"task %s runs on node %s, which the swarm does not list":                                   {"fr": "la tâche %s tourne sur le nœud %s, que le swarm ne liste pas"},
	"%s on %s": {"fr": "%s sur %s"},
	"tasks of %s run on nodes its constraints (%s) exclude: %v":                                             {"fr": "des tâches de %s tournent sur des nœuds que ses contraintes (%s) excluent : %v"},
	"%d running task(s) of %s, all on nodes its constraints (%s) allow (%s)":                                {"fr": "%d tâche(s) de %s en cours, toutes sur des nœuds que ses contraintes (%s) permettent (%s)"},
	"service %s is not global (docker service create --mode global makes one)":                              {"fr": "le service %s n'est pas global (docker service create --mode global en crée un)"},
	"global service %s: running tasks per node differ from one per eligible node (node running/wanted: %s)": {"fr": "service global %s : les tâches en cours par nœud ne sont pas une par nœud éligible (nœud en cours/voulues : %s)"},
	"global service %s runs one task on each of its %d nodes (%s)":                                          {"fr": "le service global %s a une tâche sur chacun de ses %d nœuds (%s)"},

	// HTTP, aimed at a node.
	"GET %s (node %s) answered %d %q":           {"fr": "GET %s (nœud %s) a répondu %d %q"},
	"%v, on node %s":                            {"fr": "%v, sur le nœud %s"},
	"GET %s answered %d %q":                     {"fr": "GET %s a répondu %d %q"},
	"GET %s answered %d, want %d (body %q)":     {"fr": "GET %s a répondu %d, attendu %d (corps %q)"},
	"GET %s answered %d, want 200 (body %q)":    {"fr": "GET %s a répondu %d, attendu 200 (corps %q)"},
	"GET %s answered %q, want a match for %q":   {"fr": "GET %s a répondu %q, attendu une correspondance avec %q"},
	"GET %s: no answer within %s":               {"fr": "GET %s : pas de réponse en %s"},
	"GET %s: reading the body: %v":              {"fr": "GET %s : lecture du corps : %v"},
	"%q is the hostname of task %s's container": {"fr": "%q est le nom d'hôte du conteneur de la tâche %s"},
	"answered %q again: the same container as before serves it, it was not replaced": {
		"fr": "a répondu %q de nouveau : le même conteneur qu'avant répond, il n'a pas été remplacé"},
	"answered %q, but service %s has no running task": {"fr": "a répondu %q, mais le service %s n'a aucune tâche en cours"},
	"answered %q, which is not the hostname of a running task of %s (%v)": {
		"fr": "a répondu %q, qui n'est le nom d'hôte d'aucune tâche en cours de %s (%v)"},
	"the answer %q comes from no service: there is no service %s": {"fr": "la réponse %q ne vient d'aucun service : il n'y a pas de service %s"},

	// Images.
	"image %s exists (%.19s)":                {"fr": "l'image %s existe (%.19s)"},
	"image %s has no HEALTHCHECK":            {"fr": "l'image %s n'a pas de HEALTHCHECK"},
	"image %s: %s":                           {"fr": "image %s : %s"},
	"interval is %s, want %s":                {"fr": "interval vaut %s, attendu %s"},
	"timeout is %s, want %s":                 {"fr": "timeout vaut %s, attendu %s"},
	"retries is %d, want %d":                 {"fr": "retries vaut %d, attendu %d"},
	"test is %q, want a match for %q":        {"fr": "test vaut %q, attendu une correspondance avec %q"},
	"there is no image %s":                   {"fr": "il n'y a pas d'image %s"},
	"make %s: %v":                            {"fr": "fabrication de %s : %v"},
	"build %s from the tutorial's files: %v": {"fr": "construction de %s depuis les fichiers du tutoriel : %v"},
	"tag %s as %s: %v":                       {"fr": "tag de %s en %s : %v"},
	"this lab has no node/%s directory: the node flavour needs the tutorial's files there": {
		"fr": "ce lab n'a pas de dossier node/%s : la variante node a besoin des fichiers du tutoriel à cet endroit"},

	// Networks.
	"%d networks are named %s: the node may still know one that was removed": {
		"fr": "%d réseaux s'appellent %s : le nœud connaît peut-être encore un réseau supprimé"},
	"network %s exists, but the swarm manager has not finished creating it (no driver yet)": {
		"fr": "le réseau %s existe, mais le manager du swarm n'a pas fini de le créer (pas encore de driver)"},
	"network %s exists: driver %s, scope %s, attachable %t": {"fr": "le réseau %s existe : driver %s, portée %s, attachable %t"},
	"network %s is used by %s":                              {"fr": "le réseau %s est utilisé par %s"},
	"network %s: %v":                                        {"fr": "réseau %s : %v"},
	"nothing uses the network %s":                           {"fr": "rien n'utilise le réseau %s"},
	"there is no network %s":                                {"fr": "il n'y a pas de réseau %s"},
	"inspect network %s: %v":                                {"fr": "inspection du réseau %s : %v"},

	// The engine, the node, ports, the routing mesh.
	"engine API %s (Docker %s)":  {"fr": "API du moteur %s (Docker %s)"},
	"node %s is a swarm manager": {"fr": "le nœud %s est un manager du swarm"},
	"the engine at %s speaks API %s (Docker %s); this lab needs %s or later": {
		"fr": "le moteur à %s parle l'API %s (Docker %s) ; ce lab a besoin de %s ou plus récent"},
	"this node is not in a swarm (state %q): run docker swarm init --advertise-addr 127.0.0.1, or labrun with --init-swarm": {
		"fr": "ce nœud n'est pas dans un swarm (état %q) : lancez docker swarm init --advertise-addr 127.0.0.1, ou labrun avec --init-swarm"},
	"this node is a swarm worker, not a manager: run the lab on a manager node": {
		"fr": "ce nœud est un worker du swarm, pas un manager : lancez le lab sur un nœud manager"},
	"%q is not a port number":                                   {"fr": "%q n'est pas un numéro de port"},
	"port %d is free on %s":                                     {"fr": "le port %d est libre sur %s"},
	"service %s already publishes port %d":                      {"fr": "le service %s publie déjà le port %d"},
	"container %s already publishes port %d":                    {"fr": "le conteneur %s publie déjà le port %d"},
	"something already listens on %s":                           {"fr": "quelque chose écoute déjà sur %s"},
	"%v: remove it, or choose another port with --set PORT=...": {"fr": "%v : supprimez-le, ou choisissez un autre port avec --set PORT=..."},
	"%v: stop it, or choose another port with --set PORT=...":   {"fr": "%v : arrêtez-le, ou choisissez un autre port avec --set PORT=..."},
	"probe service %s starting":                                 {"fr": "service de sonde %s en cours de démarrage"},
	"probing the routing mesh: %v":                              {"fr": "sonde du routing mesh : %v"},
	"the probe service %s did not start: %v":                    {"fr": "le service de sonde %s n'a pas démarré : %v"},

	// Verdicts and waits.
	"holds, but the lab expects it not to: %s":       {"fr": "vrai, alors que le lab attend le contraire : %s"},
	"holds, but the lab expects it not to: it holds": {"fr": "vrai, alors que le lab attend le contraire"},
	"could not tell whether it holds: %v":            {"fr": "impossible de dire si c'est vrai : %v"},
	"succeeded, but the lab expects it to fail":      {"fr": "a réussi, alors que le lab attend un échec"},
	"cannot run %s: %v":                              {"fr": "impossible de lancer %s : %v"},
	"interrupted after %s (last seen: %v)":           {"fr": "interrompu après %s (dernier état vu : %v)"},
	"still not so after %s (last seen: %v)":          {"fr": "toujours pas après %s (dernier état vu : %v)"},
	"still not so when the step's %s timeout ran out, after waiting %s (last seen: %v)": {
		"fr": "toujours pas au bout du délai de l'étape (%s) : attendu %s (dernier état vu : %v)"},
}
