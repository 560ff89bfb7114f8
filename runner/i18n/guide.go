package i18n

// guideSentences are the words of the guided mode (labrun guide, check
// and reset), known by an ID.
var guideSentences = map[string]entry{
	"guide-cluster-images": {
		"en": "This swarm has %d nodes. An image you build exists only on the node your docker command talks to (%s); a task the swarm places on another node would be rejected with \"No such image\". Put each image on every node that may run a task:",
		"fr": "Ce swarm a %d nœuds. Une image que vous construisez n'existe que sur le nœud auquel parle votre commande docker (%s) ; une tâche que le swarm place sur un autre nœud serait rejetée avec « No such image ». Mettez chaque image sur chaque nœud qui peut recevoir une tâche :",
	},
	"guide-cluster-node-unknown": {
		"en": "node %s (%s): labrun does not know its engine; copy the images there yourself (docker save, then docker load on that node), or give labrun a nodes file (--nodes FILE)",
		"fr": "nœud %s (%s) : labrun ne connaît pas son moteur ; copiez-y les images vous-même (docker save, puis docker load sur ce nœud), ou donnez à labrun un fichier de nœuds (--nodes FICHIER)",
	},
	"guide-cluster-r": {
		"en": "(r does it for you: labrun makes the images on every node whose engine it knows.)",
		"fr": "(r le fait pour vous : labrun fabrique les images sur chaque nœud dont il connaît le moteur.)",
	},
	"guide-cluster-answers": {
		"en": "The task runs on node %s: port %[3]d answers on its address, %[2]s, not on localhost.",
		"fr": "La tâche tourne sur le nœud %s : le port %[3]d répond à son adresse, %[2]s, pas sur localhost.",
	},
	"guide-prompt": {
		"en": "[Enter] check · h hint · s solution · r run it for me · q quit > ",
		"fr": "[Entrée] vérifier · h indice · s solution · r le faire pour moi · q quitter > ",
	},
	"guide-type-this": {
		"en": "Type, in another terminal:",
		"fr": "Tapez, dans un autre terminal :",
	},
	"guide-nothing-to-type": {
		"en": "Nothing to type: press Enter to check.",
		"fr": "Rien à taper : appuyez sur Entrée pour vérifier.",
	},
	"guide-solution": {
		"en": "The solution (what labrun runs with r):",
		"fr": "La solution (ce que labrun lance avec r) :",
	},
	"guide-running": {
		"en": "labrun runs the solution…",
		"fr": "labrun lance la solution…",
	},
	"guide-hint": {
		"en": "hint:",
		"fr": "indice :",
	},
	"guide-not-yet": {
		"en": "not yet:",
		"fr": "pas encore :",
	},
	"guide-step-done": {
		"en": "step done",
		"fr": "étape réussie",
	},
	"guide-keys": {
		"en": "Keys: Enter check, h hint, s solution, r run it for me, q quit.",
		"fr": "Touches : Entrée vérifier, h indice, s solution, r le faire pour moi, q quitter.",
	},
	"guide-saved": {
		"en": "Progress saved: labrun guide %s resumes at step %s.",
		"fr": "Progression enregistrée : labrun guide %s reprendra à l'étape %s.",
	},
	"guide-resuming": {
		"en": "Resuming at step %d/%d (%s).",
		"fr": "Reprise à l'étape %d/%d (%s).",
	},
	"guide-all-done": {
		"en": "Every step of %s is done. labrun reset removes what the lab created.",
		"fr": "Toutes les étapes de %s sont réussies. labrun reset supprime ce que le lab a créé.",
	},
	"guide-written": {
		"en": "Files written in %s: %s",
		"fr": "Fichiers écrits dans %s : %s",
	},
	"guide-reset": {
		"en": "%s: progress forgotten.",
		"fr": "%s : progression oubliée.",
	},
	"guide-nothing-to-reset": {
		"en": "%s: nothing to reset.",
		"fr": "%s : rien à réinitialiser.",
	},
	"guide-removed": {
		"en": "removed",
		"fr": "supprimé :",
	},
	"guide-left": {
		"en": "left:",
		"fr": "restant :",
	},
	"guide-untouched": {
		"en": "not removed:",
		"fr": "laissé :",
	},
	"guide-still-to-do": {
		"en": "Step %d/%d (%s) is still to do: this step counts once every step before it is done.",
		"fr": "L'étape %d/%d (%s) reste à faire : cette étape ne compte qu'une fois toutes les précédentes réussies.",
	},
	"guide-still-holds": {
		"en": "already done (checked again just now)",
		"fr": "déjà faite (vérifiée de nouveau à l'instant)",
	},
	"guide-corrupt": {
		"en": "%v: file removed.",
		"fr": "%v : fichier supprimé.",
	},
	"guide-not-progress": {
		"en": "%s: not a guided lab's progress (%v)",
		"fr": "%s : pas la progression d'un lab guidé (%v)",
	},
}
