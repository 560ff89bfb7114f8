// Package i18n is labrun's catalogue of sentences in every language it
// speaks: a message is worded in the run's language when it is built,
// from its ID and arguments, never translated afterwards. What the engine
// or a program says is an argument, quoted as it came.
package i18n

import (
	"fmt"

	"github.com/labrun/labrun/runner/event"
)

// Languages are the languages of the catalogue, the default first.
var Languages = []string{"en", "fr"}

// entry is one sentence, a fmt format per language.
type entry map[string]string

// catalogue holds every sentence, by message ID, or by English format for
// the sentences of the checks (checkSentences), whose key is their English
// wording. Each has every language of Languages, with the same verbs in the
// same order (TestCatalogue).
var catalogue = merge(namedSentences, checkSentences, clusterSentences, doctorSentences, guideSentences, usageSentences, labSentences, nodeSentences, authorSentences, reportSentences, reportNamed, systemSentences, checklistSentences, helpSentences, formatSentences, classSentences)

// merge returns the union of the tables, whose keys do not overlap.
func merge(tables ...map[string]entry) map[string]entry {
	all := map[string]entry{}
	for _, t := range tables {
		for id, e := range t {
			if _, dup := all[id]; dup {
				panic("i18n: two messages " + id) // TestCatalogue loads the package
			}
			if _, ok := e["en"]; !ok {
				e["en"] = id // a check's sentence: its key is its English
			}
			all[id] = e
		}
	}
	return all
}

// namedSentences are the messages known by an ID.
var namedSentences = map[string]entry{
	"swarm-init": {
		"en": "this node was not in a swarm: labrun made it a manager (docker swarm init) and will leave the swarm at the end",
		"fr": "ce nœud n'était pas dans un swarm : labrun en a fait un manager (docker swarm init) et quittera le swarm à la fin",
	},
	"left-swarm": {
		"en": "this node left the swarm that labrun made it join (docker swarm leave): it is out of swarm again, as before the run",
		"fr": "ce nœud a quitté le swarm que labrun lui avait fait rejoindre (docker swarm leave) : il est de nouveau hors swarm, comme avant le run",
	},
	"registry-values": {
		"en": "images go through the registry %s, which every node pulls from: %s; labrun deletes the tags it pushed at the end",
		"fr": "les images passent par le registre %s, d'où chaque nœud les tire : %s ; labrun supprime à la fin les tags qu'il y a poussés",
	},
	"only-image-nodes": {
		"en": "--only-image-nodes: labrun cannot put the images on node(s) %s, so the lab's services stay off them: labrun adds %s to each docker service create",
		"fr": "--only-image-nodes : labrun ne peut pas mettre les images sur le(s) nœud(s) %s, les services du lab en restent donc écartés : labrun ajoute %s à chaque docker service create",
	},
	"not-removed": {
		"en": "not removed: %s",
		"fr": "non supprimé : %s",
	},
	"fast-values": {
		"en": "--fast: shortened timings, NOT the tutorial's, for the same states: %s",
		"fr": "--fast : délais raccourcis, PAS ceux du tutoriel, pour les mêmes états : %s",
	},
	"fast-value": {
		"en": "%s=%q (tutorial: %q)",
		"fr": "%s=%q (tutoriel : %q)",
	},
	"isolated-values": {
		"en": "--isolate: this run's own names and port (run %s): %s",
		"fr": "--isolate : noms et port propres à ce run (run %s) : %s",
	},
	"script-failed": {
		"en": "the lab's script failed",
		"fr": "le script du lab a échoué",
	},
	"lab-defect": {
		"en": "lab defect: %s",
		"fr": "défaut du lab : %s",
	},
	"verify-proved": {
		"en": "verify: before the actions of %s, the %d checks of that step and of the observation steps after it all fail, as they must",
		"fr": "verify : avant les actions de %s, les %d vérifications de cette étape et des étapes d'observation qui la suivent échouent toutes, comme il se doit",
	},
	"engine-shows": {
		"en": "What the engine shows:",
		"fr": "Ce que montre le moteur :",
	},
	"left-behind": {
		"en": "left behind:",
		"fr": "resté sur le moteur :",
	},
	"summary-fast": {
		"en": "(--fast: shortened timings, not the tutorial's)",
		"fr": "(--fast : délais raccourcis, pas ceux du tutoriel)",
	},
	"summary": {
		"en": "%d passed, %d failed, %d skipped in %.1fs",
		"fr": "étapes réussies : %d, en échec : %d, sautées : %d, en %.1fs",
	},
	"mesh-dead": {
		"en": "The swarm routing mesh does not work on this engine (%s; it needs IPVS in the kernel): the service is published in host mode instead, --publish %s. The rest of the lab is the same. --publish-mode ingress or host chooses.",
		"fr": "Le routing mesh du swarm ne fonctionne pas sur ce moteur (%s ; il a besoin d'IPVS dans le noyau) : le service est publié en mode host à la place, --publish %s. Le reste du lab est identique. --publish-mode ingress ou host permet de choisir.",
	},
	"mesh-dead-now": {
		"en": "it did not answer a probe just now",
		"fr": "il n'a pas répondu à une sonde à l'instant",
	},
	"mesh-dead-since": {
		"en": "it did not answer a probe at %s, which labrun remembers for %d hours",
		"fr": "il n'a pas répondu à une sonde à %s, ce que labrun retient pendant %d heures",
	},
	"near-miss-tag": {
		"en": "there is no image %s; %s exists, built from release %s: the tutorial's tag is %s (docker tag %s %s)",
		"fr": "il n'y a pas d'image %s ; %s existe, construite depuis la version %s : le tag du tutoriel est %s (docker tag %s %s)",
	},
	"near-miss-untagged": {
		"en": "there is no image %s; an image without a tag (%.19s), built from release %s, exists: it was built without -t (docker tag %.19s %s)",
		"fr": "il n'y a pas d'image %s ; une image sans tag (%.19s), construite depuis la version %s, existe : elle a été construite sans -t (docker tag %.19s %s)",
	},
	"mistake": {
		"en": "%s (the engine shows: %s)",
		"fr": "%s (le moteur montre : %s)",
	},
	"mistake-unsaid": {
		"en": "the lab names this a mistake at this step: %s (the engine shows: %s)",
		"fr": "le lab désigne ceci comme une erreur à cette étape : %s (le moteur montre : %s)",
	},
	"mesh-publish": {
		"en": "service %s publishes %s through the routing mesh (ingress), which did not answer on this engine at %s",
		"fr": "le service %s publie %s via le routing mesh (ingress), qui n'a pas répondu sur ce moteur à %s",
	},
	"mesh-publish-no": {
		"en": "service %s publishes no port through a routing mesh known dead here",
		"fr": "le service %s ne publie aucun port via un routing mesh connu pour ne pas répondre ici",
	},
	"port-held-by-removed": {
		"en": "port %s is held by container %s of service %s, which was removed: waiting (at most %s) for the engine to stop it",
		"fr": "le port %s est tenu par le conteneur %s du service %s, qui a été supprimé : attente (au plus %s) que le moteur l'arrête",
	},
	"image-in-use": {
		"en": "%s: containers of the removed service %s are still stopping (%s); wait until docker ps -a no longer lists them, then remove the images",
		"fr": "%s : des conteneurs du service supprimé %s sont encore en train de s'arrêter (%s) ; attendez que docker ps -a ne les liste plus, puis supprimez les images",
	},
	"kept-images": {
		"en": "step %s: the images %s were kept by an earlier run (--keep-images), so their absence before the step cannot be proved; not a lab defect",
		"fr": "étape %s : les images %s ont été gardées par un run précédent (--keep-images), donc leur absence avant l'étape ne peut pas être prouvée ; ce n'est pas un défaut du lab",
	},
}

// Say builds message id in lang (English when lang has no wording), its
// text made from args.
func Say(lang, id string, args ...any) event.Message {
	return event.Message{ID: id, Args: args, Text: Text(lang, id, args...)}
}

// Text is the sentence id in lang, made from args; an argument of
// labrun's (a Sentence, an error of Sentences, a Worded) is worded in lang
// too.
func Text(lang, id string, args ...any) string {
	e, ok := catalogue[id]
	if !ok {
		panic("i18n: no message " + id) // a programming error: TestCatalogue lists the IDs
	}
	format, ok := e[lang]
	if !ok {
		format = e["en"]
	}
	worded := make([]any, len(args))
	for i, a := range args {
		worded[i] = word(lang, a)
	}
	return fmt.Sprintf(format, worded...)
}
