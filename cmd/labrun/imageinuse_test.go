package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// inUseLab removes an image as a lab's action, as r does at the cleanup
// step of the built-in labs.
const inUseLab = `## title.en Image in use
## title.fr Image utilisée
## var name IMAGE=labrun-st2-inuse the image
## var.fr IMAGE l'image
## var SERVICE=labrun-st2-inuse unused: the student's --set gives it
## var.fr SERVICE inutilisée
## var PORT=18904 unused: the student's --set gives it
## var.fr PORT inutilisé
## step rm
## title.en Remove the image
## title.fr Supprimer l'image
## actions
exec docker image rm $IMAGE:1.0
## checks
! image-exists $IMAGE:1.0
`

// TestImageInUseNamed: docker image rm right after docker service rm
// fails while the removed service's containers still stop (issue 13, 9);
// labrun names that cause, with the engine's own refusal quoted, and the
// way out, in the run's language.
func TestImageInUseNamed(t *testing.T) {
	enginetest.Require(t)
	s := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: "labrun-st2-inuse", image: "labrun-st2-inuse", port: "18904"}
	defer s.labrun("reset", "whoami-rollback")
	defer s.sh(s.expand("docker service rm $SERVICE-old >/dev/null 2>&1; for i in $(seq 40); do docker image rm $IMAGE:1.0 >/dev/null 2>&1 && break; sleep 0.5; done; true"))
	if code, out := s.guide("q\n"); code != 0 {
		t.Fatalf("labrun guide: exit %d\n%s", code, out)
	}
	// SIGUSR1 as the stop signal keeps the container for its grace
	// period (whoami ignores it), so the removal below meets it. The label
	// makes the image this test's alone: with a second tag, docker image
	// rm would only untag it.
	s.sh(s.expand("docker build -q --label labrun-test=$IMAGE -t $IMAGE:1.0 1.0 >/dev/null && " +
		"docker service create -d -q --name $SERVICE-old --stop-signal SIGUSR1 --stop-grace-period 8s $IMAGE:1.0 >/dev/null && " +
		"until docker ps -q -f label=com.docker.swarm.service.name=$SERVICE-old | grep -q .; do sleep 0.2; done"))
	lab := filepath.Join(s.dir, "inuse.txtar")
	if err := os.WriteFile(lab, []byte(inUseLab), 0o644); err != nil {
		t.Fatal(err)
	}
	s.sh(s.expand("docker service rm $SERVICE-old >/dev/null"))
	for _, tc := range []struct{ lang, want string }{
		{"en", "containers of the removed service " + s.service + "-old are still stopping"},
		{"fr", "des conteneurs du service supprimé " + s.service + "-old sont encore en train de s'arrêter"},
	} {
		s.lang = tc.lang
		code, out := s.labrun("run", lab, "--yes")
		if code != 1 || !strings.Contains(out, tc.want) || !strings.Contains(out, "is using its referenced image") {
			t.Errorf("%s: labrun run right after docker service rm: exit %d, want 1 naming the cause and quoting the engine\n%s", tc.lang, code, out)
		}
	}
}
