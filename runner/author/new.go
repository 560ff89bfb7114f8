package author

import (
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/lab"
)

// NewLab writes to path the skeleton of a lab called name, commented in
// lang (SkeletonIn). It never overwrites a file: an existing path, like a
// bad name, is a UsageError.
func NewLab(name, path, lang string) error {
	data, err := SkeletonIn(name, lang)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return exit.Usagef("%s already exists: labrun new never overwrites a file; remove it or choose another path with -o", path)
	}
	if err != nil {
		return exit.Usagef("cannot create the lab file: %v", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return i18n.Errorf("writing %s: %v", path, err)
	}
	return f.Close()
}

// Skeleton returns a commented lab called name that lints cleanly and runs:
// both languages, a preflight step, a step whose actions deploy a service
// and whose checks prove it, and a cleanup step, with the variables and
// the resources it creates declared. A lab author replaces its texts and
// commands with the tutorial's.
func Skeleton(name string) ([]byte, error) { return SkeletonIn(name, "en") }

// SkeletonIn is Skeleton with its comments in lang (English when lang
// has none): a lab author reads them in the language labrun speaks.
func SkeletonIn(name, lang string) ([]byte, error) {
	name = strings.TrimSuffix(name, labs.Ext)
	if !lab.ValidID(name) {
		return nil, exit.Usagef("lab name %q: use lower-case letters, digits and dashes, starting with a letter (e.g. my-lab)", name)
	}
	return []byte(strings.ReplaceAll(skeletonIn(lang), "LABNAME", name)), nil
}

// skeletonIn is skeleton with the comments in lang, English when it has
// none there.
func skeletonIn(lang string) string {
	if !strings.Contains(skeleton, "\n#"+lang) {
		lang = "en"
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(skeleton, "\n") {
		if l, ok := strings.CutPrefix(line, "#"+lang); ok {
			line = "#" + l
		} else if strings.HasPrefix(line, "#en") || strings.HasPrefix(line, "#fr") {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// skeleton is the text of a new lab, LABNAME standing for its name: the
// same lab in every language, its comments for the lab's authors written
// once per language ("#en ...", "#fr ..."), of which skeletonIn keeps the
// ones of the author's (its texts are in every language already).
const skeleton = `#en LABNAME: a lab for labrun. labrun help format describes every line.
#en Lines starting with "## " are labrun directives; other lines that start
#en with "#", like this one, are comments for the lab's authors; the rest are
#en commands. Check your work with: labrun lint LABNAME.txtar
#en then prove it on an engine with: labrun verify LABNAME.txtar
#fr LABNAME : un lab pour labrun. labrun help format décrit chaque ligne.
#fr Les lignes qui commencent par "## " sont des directives de labrun ; les
#fr autres lignes qui commencent par "#", comme celle-ci, sont des
#fr commentaires pour les auteurs du lab ; le reste, ce sont des commandes.
#fr Vérifiez votre travail avec : labrun lint LABNAME.txtar
#fr puis prouvez-le sur un moteur avec : labrun verify LABNAME.txtar

#en The lab's title and introduction, in English and in French: every title,
#en text and hint exists in both.
#fr Le titre et l'introduction du lab, en anglais et en français : chaque
#fr titre, texte et indice existe dans les deux langues.
## title.en LABNAME: deploy a web service and ask it who it is
## title.fr LABNAME : déployer un service web et lui demander qui il est
## text.en Replace these texts with the tutorial's. This skeleton deploys a tiny web service, whoami,
## text.en which answers GET /whoami with the name of the container that serves it.
## text.fr Remplacez ces textes par ceux du tutoriel. Ce squelette déploie un petit service web, whoami,
## text.fr qui répond à GET /whoami par le nom du conteneur qui le sert.

#en Variables hold the tutorial's values; labrun run --set NAME=VALUE changes
#en them (on a shared engine, so that labs do not collide).
#en "## var" describes each in English, "## var.fr" in French.
#fr Les variables portent les valeurs du tutoriel ; labrun run --set NOM=VALEUR
#fr les change (sur un moteur partagé, pour que les labs ne se gênent pas).
#fr "## var" décrit chacune en anglais, "## var.fr" en français.
## var SERVICE=LABNAME the swarm service's name
## var.fr SERVICE le nom du service swarm
## var PORT=8000 the port the service is published on
## var.fr PORT le port sur lequel le service est publié
## var IMAGE=LABNAME the image's repository; the lab tags it 1.0
## var.fr IMAGE le dépôt de l'image ; le lab lui donne le tag 1.0
## var PUBLISH=$PORT:8000 the --publish value: ingress, or host mode where the routing mesh does not answer
## var.fr PUBLISH la valeur de --publish : ingress, ou mode host là où le routing mesh ne répond pas

#en What the lab creates: a run stops if one exists already (it is not the
#en lab's), and removes them at the end, whatever happens.
#fr Ce que le lab crée : un run s'arrête si l'un de ces objets existe déjà
#fr (il n'est pas au lab), et les supprime à la fin, quoi qu'il arrive.
## creates service $SERVICE
## creates image $IMAGE:1.0

#en A preflight step checks the environment: its failure is the machine's,
#en not the student's (exit 2).
#fr Une étape preflight vérifie l'environnement : son échec est celui de la
#fr machine, pas de l'élève (exit 2).
## step preflight
## title.en Check that this engine can run the exercise
## title.fr Vérifier que ce moteur peut faire l'exercice
## text.en The exercise runs on a swarm manager, and the port the service publishes must be free.
## text.fr L'exercice se fait sur un manager du swarm, et le port que le service publie doit être libre.
## hint.en Make this node a manager with docker swarm init; choose another port with --set PORT=8001.
## hint.fr Faites de ce nœud un manager avec docker swarm init ; choisissez un autre port avec --set PORT=8001.
## type docker info --format '{{.Swarm.ControlAvailable}}'
## preflight
## checks
swarm-manager
port-free $PORT

#en A step: what the student reads (text) and types (type), what labrun does
#en in the student's place (actions), and what must then hold (checks). "*"
#en retries a check until it holds or the step's timeout runs out.
#fr Une étape : ce que l'élève lit (text) et tape (type), ce que labrun fait
#fr à sa place (actions), et ce qui doit alors être vrai (checks). "*"
#fr répète une vérification jusqu'à ce qu'elle tienne ou que le délai de
#fr l'étape soit écoulé.
## step deploy
## title.en Deploy the service
## title.fr Déployer le service
## text.en Build the image, then create the service from it. Swarm starts one task; the service
## text.en answers once the task's healthcheck passes.
## text.fr Construisez l'image, puis créez le service à partir d'elle. Swarm lance une tâche ; le
## text.fr service répond dès que le healthcheck de la tâche réussit.
## hint.en docker service ps $SERVICE shows the task and its error.
## hint.fr docker service ps $SERVICE montre la tâche et son erreur.
## type docker service create --publish $PUBLISH --name $SERVICE $IMAGE:1.0
## actions
whoami-image $IMAGE:1.0 1.0
choose-publish PUBLISH $PORT:8000 $IMAGE:1.0
exec docker service create --detach --publish $PUBLISH --name $SERVICE $IMAGE:1.0
## checks
* service-running $SERVICE 1 $IMAGE:1.0
* whoami http://$ENGINE_HOST:$PORT/whoami $SERVICE

#en The last step removes what the lab created, and checks that it is gone.
#fr La dernière étape supprime ce que le lab a créé, et vérifie que tout a
#fr disparu.
## step cleanup
## title.en Remove the service and the image
## title.fr Supprimer le service et l'image
## text.en Remove the service; once its containers are gone, remove the image.
## text.fr Supprimez le service ; une fois ses conteneurs partis, supprimez l'image.
## hint.en docker service ls and docker image ls show what is left.
## hint.fr docker service ls et docker image ls montrent ce qui reste.
## type docker service rm $SERVICE
## type docker image rm $IMAGE:1.0
## actions
exec docker service rm $SERVICE
## checks
! * service-exists $SERVICE
! * service-containers $SERVICE
## actions
[!keep-images] exec docker image rm $IMAGE:1.0
## checks
[!keep-images] ! image-exists $IMAGE:1.0
`
