package i18n

// checklistSentences are labrun doctor's checklist (packages runner/doctor
// and runner/report): its items' titles, what each saw and how to fix
// it, and its verdict. The titles and the verdict's marks, words short
// enough to be another table's too, are named ("doctor-..."); the other
// sentences are keyed by their English format. Names, ports, addresses,
// commands, flags and the engine's own words are arguments or stay as
// they are in every language.
var checklistSentences = map[string]entry{
	// The items' titles.
	"doctor-engine":       {"en": "engine", "fr": "moteur"},
	"doctor-engine-api":   {"en": "engine API", "fr": "API du moteur"},
	"doctor-swarm":        {"en": "swarm", "fr": "swarm"},
	"doctor-node":         {"en": "node", "fr": "nœud"},
	"doctor-node-named":   {"en": "node %s", "fr": "nœud %s"},
	"doctor-nodes":        {"en": "nodes", "fr": "nœuds"},
	"doctor-port":         {"en": "port %s", "fr": "port %s"},
	"doctor-images":       {"en": "images", "fr": "images"},
	"doctor-names":        {"en": "names", "fr": "noms"},
	"doctor-routing-mesh": {"en": "routing mesh", "fr": "routing mesh"},
	"doctor-disk":         {"en": "disk", "fr": "disque"},

	// The verdict's marks, the heads of a fix and of a note, punctuation.
	"doctor-ok":            {"en": "OK", "fr": "OK"},
	"doctor-not-ready":     {"en": "NOT READY", "fr": "PAS PRÊT"},
	"doctor-error":         {"en": "ERROR", "fr": "ERREUR"},
	"doctor-fix":           {"en": "fix:", "fr": "solution :"},
	"doctor-note":          {"en": "note:", "fr": "à savoir :"},
	"doctor-sep":           {"en": "; ", "fr": " ; "},
	"doctor-first-failure": {"en": "%s: %s", "fr": "%s : %s"},

	// The verdict.
	"doctor-engines-can-run-one":                      {"en": "%d of %d engines can run %s", "fr": "%d moteur sur %d peut lancer %s"},
	"doctor-engines-cannot-run-one":                   {"en": "%d of %d engines cannot run %s", "fr": "%d moteur sur %d ne peut pas lancer %s"},
	" (1 warning)":                                    {"fr": " (1 avertissement)"},
	" (%d warnings)":                                  {"fr": " (%d avertissements)"},
	"%s can run on this engine%s":                     {"fr": "%s peut tourner sur ce moteur%s"},
	"%s cannot run on this engine: 1 item to fix%s":   {"fr": "%s ne peut pas tourner sur ce moteur : 1 point à corriger%s"},
	"%s cannot run on this engine: %d items to fix%s": {"fr": "%s ne peut pas tourner sur ce moteur : %d points à corriger%s"},

	// The engine.
	"cannot reach the Docker engine at %s: %v": {"fr": "impossible de joindre le moteur Docker à %s : %v"},
	"start the Docker engine (sudo systemctl start docker), or point labrun at yours with --host or DOCKER_HOST": {
		"fr": "démarrez le moteur Docker (sudo systemctl start docker), ou indiquez le vôtre à labrun avec --host ou DOCKER_HOST"},
	"docker context ls lists the contexts: choose one with docker context use NAME or DOCKER_CONTEXT=NAME, or unset DOCKER_CONTEXT": {
		"fr": "docker context ls liste les contextes : choisissez-en un avec docker context use NOM ou DOCKER_CONTEXT=NOM, ou retirez DOCKER_CONTEXT (unset DOCKER_CONTEXT)"},
	"API %s (the lab asks for no minimum)":   {"fr": "API %s (le lab ne demande aucun minimum)"},
	"API %s, the lab needs %s or later (%s)": {"fr": "API %s, le lab demande %s ou plus récent (%s)"},
	"upgrade the Docker engine to one that speaks API %s or later": {
		"fr": "mettez à jour le moteur Docker vers une version qui parle l'API %s ou plus récente"},

	// The swarm and its nodes.
	"active, this node is a manager":                       {"fr": "actif, ce nœud est un manager"},
	"this node is not in an active swarm (state %q)":       {"fr": "ce nœud n'est pas dans un swarm actif (état %q)"},
	"this node is a swarm worker":                          {"fr": "ce nœud est un worker du swarm"},
	"needs a swarm manager":                                {"fr": "demande un manager du swarm"},
	"cannot inspect node %s: %v":                           {"fr": "impossible d'inspecter le nœud %s : %v"},
	"no node is ready and active: swarm schedules no task": {"fr": "aucun nœud n'est prêt et actif : le swarm ne planifie aucune tâche"},
	"docker node update --availability active NODE":        {"fr": "docker node update --availability active NŒUD"},
	"docker swarm init --advertise-addr 127.0.0.1, or run the lab with --init-swarm (labrun then leaves the swarm at the end)": {
		"fr": "docker swarm init --advertise-addr 127.0.0.1, ou lancez le lab avec --init-swarm (labrun quitte alors le swarm à la fin)"},
	"run labrun against a manager node (--host), or promote this one from a manager: docker node promote NODE": {
		"fr": "lancez labrun sur un nœud manager (--host), ou promouvez celui-ci depuis un manager : docker node promote NŒUD"},
	"%s: availability %s, status %s": {"fr": "%s : disponibilité %s, état %s"},
	"docker node update --availability active %s (it is %s: swarm schedules no task on it)": {
		"fr": "docker node update --availability active %s (il est %s : le swarm n'y planifie aucune tâche)"},
	"the node is not ready: see dockerd's log (journalctl -u docker) and docker node inspect %s": {
		"fr": "le nœud n'est pas prêt : voyez le journal de dockerd (journalctl -u docker) et docker node inspect %s"},
	"%s (leader)":           {"fr": "%s (leader)"},
	"%s has no line for it": {"fr": "%s n'a pas de ligne pour lui"},
	"no engine answers as this node at its address %s with the manager's scheme and port (%s)": {
		"fr": "aucun moteur ne répond comme ce nœud à son adresse %s avec le schéma et le port du manager (%s)"},
	"labrun's own engine":                        {"fr": "le moteur de labrun lui-même"},
	"labrun reaches its engine at %s":            {"fr": "labrun joint son moteur à %s"},
	"labrun cannot reach its engine: %v":         {"fr": "labrun ne peut pas joindre son moteur : %v"},
	"labrun cannot reach its engine at %s: %v":   {"fr": "labrun ne peut pas joindre son moteur à %s : %v"},
	"no task lands on it (not ready and active)": {"fr": "aucune tâche n'y est placée (il n'est pas prêt et actif)"},
	"it pulls the %s images itself":              {"fr": "il tire lui-même les images %s"},
	"a task placed there cannot run: the offline images are made by labrun on each engine it reaches, and it cannot reach this one": {
		"fr": "une tâche placée là ne peut pas tourner : labrun fabrique les images hors ligne sur chaque moteur qu'il joint, et il ne joint pas celui-ci"},
	"give labrun this node's engine (a nodes file, --nodes), or keep tasks off it (docker node update --availability drain %s), or use images from a registry every node reaches (--images hub)": {
		"fr": "donnez à labrun le moteur de ce nœud (un fichier de nœuds, --nodes), ou écartez-en les tâches (docker node update --availability drain %s), ou utilisez des images d'un registre que chaque nœud joint (--images hub)"},
	"drain it (docker node update --availability drain %s) or use --images hub": {
		"fr": "videz-le (docker node update --availability drain %s) ou utilisez --images hub"},
	"no offline image for it: %v":           {"fr": "pas d'image hors ligne pour lui : %v"},
	"labrun makes the offline images on it": {"fr": "labrun y fabrique les images hors ligne"},

	// Ports and names.
	"free on %s": {"fr": "libre sur %s"},
	"needs a swarm manager, to see the ports services publish": {"fr": "demande un manager du swarm, pour voir les ports que publient les services"},
	"needs a swarm manager, to see the services":               {"fr": "demande un manager du swarm, pour voir les services"},
	"stop what uses port %s, or choose another port with --set %s=N": {
		"fr": "arrêtez ce qui utilise le port %s, ou choisissez un autre port avec --set %s=N"},
	"stop what uses port %s": {"fr": "arrêtez ce qui utilise le port %s"},
	"%s: free":               {"fr": "%s : libres"},
	"labrun cleanup removes what an interrupted run left; anything else is not labrun's: choose other names with --set": {
		"fr": "labrun cleanup supprime ce qu'un run interrompu a laissé ; le reste n'appartient pas à labrun : choisissez d'autres noms avec --set"},

	// Images.
	"install labrun from a release archive or build it with make (both carry the whoami server for amd64 and arm64); engines of other architectures need --images hub or node": {
		"fr": "installez labrun depuis une archive de version ou compilez-le avec make (les deux embarquent le serveur whoami pour amd64 et arm64) ; les moteurs d'autres architectures demandent --images hub ou node"},
	"offline: assembled here from the whoami server for linux/%s inside labrun, no registry needed": {
		"fr": "offline : assemblées ici à partir du serveur whoami pour linux/%s embarqué dans labrun, sans registre"},
	"use --images offline: it builds the images here and needs no registry": {
		"fr": "utilisez --images offline : les images sont alors construites ici, sans registre"},
	"%s: the registry answers for the images the lab pulls": {"fr": "%s : le registre répond pour les images que le lab tire"},

	// The routing mesh.
	"not probed: this lab publishes no port, so the mesh does not matter to it": {
		"fr": "non sondé : ce lab ne publie aucun port, le routing mesh ne le concerne donc pas"},
	"the engine does not say its architecture": {"fr": "le moteur ne dit pas son architecture"},
	"no probe image: %v":                       {"fr": "pas d'image de sonde : %v"},
	"cannot write the ledger of the probe: %v": {"fr": "impossible d'écrire le journal de la sonde : %v"},
	"the probe failed: %v":                     {"fr": "la sonde a échoué : %v"},
	"labrun run probes again (--publish-mode auto) and falls back to host mode if the mesh does not answer": {
		"fr": "labrun run sonde de nouveau (--publish-mode auto) et se replie sur le mode host si le routing mesh ne répond pas"},
	"a probe service published through the mesh answered": {"fr": "un service de sonde publié via le routing mesh a répondu"},
	"nothing, for labs: labrun publishes in host mode instead (--publish mode=host,target=...,published=...) and the lab is the same. For the mesh itself: load IPVS (sudo modprobe ip_vs, or a kernel built with it), then restart dockerd": {
		"fr": "rien, pour les labs : labrun publie en mode host à la place (--publish mode=host,target=...,published=...) et le lab est identique. Pour le routing mesh lui-même : chargez IPVS (sudo modprobe ip_vs, ou un noyau compilé avec), puis redémarrez dockerd"},
	"a probe service published through the mesh did not answer: the mesh needs IPVS, and this kernel has none (/proc/net/ip_vs is missing; dockerd logs %q)": {
		"fr": "un service de sonde publié via le routing mesh n'a pas répondu : le routing mesh a besoin d'IPVS, et ce noyau n'en a pas (/proc/net/ip_vs est absent ; dockerd journalise %q)"},
	"a probe service published through the mesh did not answer, though this kernel has IPVS (/proc/net/ip_vs): a firewall may drop the ingress network's traffic (see dockerd's log)": {
		"fr": "un service de sonde publié via le routing mesh n'a pas répondu, bien que ce noyau ait IPVS (/proc/net/ip_vs) : un pare-feu rejette peut-être le trafic du réseau ingress (voyez le journal de dockerd)"},
	"a probe service published through the mesh did not answer: the mesh needs IPVS in the engine's kernel; on the engine's machine, look for /proc/net/ip_vs and for %q in dockerd's log": {
		"fr": "un service de sonde publié via le routing mesh n'a pas répondu : le routing mesh a besoin d'IPVS dans le noyau du moteur ; sur la machine du moteur, cherchez /proc/net/ip_vs et %q dans le journal de dockerd"},

	// Disk.
	"the engine does not say where it keeps its data": {"fr": "le moteur ne dit pas où il garde ses données"},
	"the engine is remote: its data root %s cannot be measured from here (docker system df shows what it uses)": {
		"fr": "le moteur est distant : son répertoire de données %s ne peut pas être mesuré d'ici (docker system df montre ce qu'il utilise)"},
	"cannot measure %s: %v":                             {"fr": "impossible de mesurer %s : %v"},
	"%s free in %s (the engine's data root; %s needed)": {"fr": "%s libres dans %s (le répertoire de données du moteur ; %s nécessaires)"},
	"free space on that file system: docker system df shows what the engine uses, docker image prune removes dangling images": {
		"fr": "libérez de la place sur ce système de fichiers : docker system df montre ce qu'utilise le moteur, docker image prune supprime les images orphelines (dangling)"},
}
