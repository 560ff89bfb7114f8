package labcmd

import (
	"errors"
	"strings"
)

// The checks compose their messages in English, in pure functions shared
// by every mode; a French-speaking student reads them in French. Rather
// than thread a language through every function, the composed message is
// translated at the edge, phrase by phrase: the phrases below are the
// fixed parts of the checks' messages (names, images and numbers pass
// through unchanged). A phrase missing here stays in English.
var toFrench = strings.NewReplacer(
	"holds, but the lab expects it not to: ", "vrai, alors que le lab attend le contraire : ",
	"still not so when the step's ", "toujours pas au bout du délai de l'étape (",
	" timeout ran out, after waiting ", ") : attendu ",
	"still not so after ", "toujours pas après ",
	"(last seen: ", "(dernier état vu : ",
	"there is no service at all", "il n'y a aucun service",
	"services here: ", "services présents : ",
	"; check its name, or if it was removed, create it again or start over with labrun reset", " ; vérifiez son nom, ou s'il a été supprimé, recréez-le ou recommencez avec labrun reset",
	"(any more): its update state cannot change; start again with labrun reset", "(ou plus) : son état de mise à jour ne peut plus changer ; recommencez avec labrun reset",
	"there is no service ", "il n'y a pas de service ",
	"there is no image ", "il n'y a pas d'image ",
	"; this step expects ", " ; cette étape attend ",
	" runs image ", " utilise l'image ",
	"update state is ", "l'état de mise à jour est ",
	"the service was rolled back before its update paused, so the failed update can no longer be watched; do the update again (docker service update --image ...), or start over with labrun reset",
	"le service a été ramené en arrière avant que sa mise à jour ne se mette en pause : l'échec ne peut plus être observé ; refaites la mise à jour (docker service update --image ...) ou recommencez avec labrun reset",
	"the update completed: the new image passed its healthcheck, so nothing failed; check the image tag of the update",
	"la mise à jour a abouti : la nouvelle image a passé son healthcheck, rien n'a échoué ; vérifiez le tag de l'image de la mise à jour",
	"the service was never updated, so there is nothing to roll back; do the update step first",
	"le service n'a jamais été mis à jour : il n'y a rien à annuler ; faites d'abord l'étape de mise à jour",
	" tasks running ", " tâches exécutant ",
	" and healthy with ", " et saines avec ",
	" and healthy", " et saines",
	"no task is meant to run", "aucune tâche n'est censée tourner",
	"(tasks, newest first: ", "(tâches, des plus récentes aux plus anciennes : ",
	", desired ", ", souhaité ",
	"found ", "trouvé ",
	", want at least ", ", attendu au moins ",
	", want exactly ", ", attendu exactement ",
	", want a match for ", ", attendu une correspondance avec ",
	", want ", ", attendu ",
	" is ", " vaut ",
	": no answer within ", " : pas de réponse en ",
	" answered ", " a répondu ",
	"connection refused", "connexion refusée",
	"no published port", "aucun port publié",
	"which is not the hostname of a running task of ", "qui n'est le nom d'hôte d'aucune tâche en cours de ",
	"has no running task", "n'a aucune tâche en cours",
	"the engine at ", "le moteur à ",
	" does not answer", " ne répond pas",
	"interrupted after ", "interrompu après ",
	" again: the same container as before serves it, it was not replaced", " de nouveau : le même conteneur qu'avant répond, il n'a pas été remplacé",
	" does not exist", " n'existe pas",
	" not looked at", " non examiné",
	" has ", " a ",
	"if the update is over, the prober started after it began and cannot count it: put the service back on the release it missed (docker service rollback), then redo the step: r in labrun guide starts a new prober and does the update again; or start over with labrun reset",
	"si la mise à jour est finie, le sondeur a démarré après son début et ne peut pas la compter : remettez le service sur la version qu'il n'a pas vue (docker service rollback), puis refaites l'étape : r dans labrun guide démarre un nouveau sondeur et refait la mise à jour ; ou recommencez avec labrun reset",
	"labrun starts it when labrun guide shows this step, before the update; follow the step in labrun guide (r there starts the prober and does the step)",
	"labrun le démarre quand labrun guide affiche cette étape, avant la mise à jour ; suivez l'étape dans labrun guide (r y démarre le sondeur et fait l'étape)",
	"there is no prober ", "il n'y a pas de sondeur ",
)

// localize translates a check's message for the run's language.
func (s *Session) localize(err error) error {
	var worded *SaidError
	if err == nil || s.Options.Lang != "fr" || errors.As(err, &worded) {
		return err
	}
	return errors.New(toFrench.Replace(err.Error()))
}
