package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// screen drives a private tmux server: the guide in pane 0, the student's
// shell in pane 1, as a student would have them side by side.
type screen struct {
	t    *testing.T
	sock string
}

func (sc *screen) tmux(args ...string) string {
	sc.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", sc.sock}, args...)...).CombinedOutput()
	if err != nil {
		sc.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// typeIn types text and Enter in a pane; an empty text is Enter alone.
func (sc *screen) typeIn(pane, text string) {
	if text != "" {
		sc.tmux("send-keys", "-t", pane, "-l", text)
	}
	sc.tmux("send-keys", "-t", pane, "Enter")
}

// capture returns a pane's screen and history, wrapped lines joined.
func (sc *screen) capture(pane string) string {
	return sc.tmux("capture-pane", "-p", "-J", "-S", "-3000", "-t", pane)
}

// await waits until the pane shows pattern at least n times.
func (sc *screen) await(pane, pattern string, n int, within time.Duration) {
	sc.t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(within)
	for {
		text := sc.capture(pane)
		if len(re.FindAllStringIndex(text, -1)) >= n {
			return
		}
		if time.Now().After(deadline) {
			sc.t.Fatalf("pane %s never showed %q %d time(s) in %s:\n%s", pane, pattern, n, within, text)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// TestGuideInTmux follows the whole lab in a real terminal, in French as
// under a French locale: the student types the tutorial's commands in one
// pane and presses Enter in the guide's; a wrong image tag is caught and
// named, then fixed; the student quits and resumes; r runs a solution.
func TestGuideInTmux(t *testing.T) {
	enginetest.Require(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		enginetest.SkipOrFail(t, "tmux is not installed (scripts/engine-up.sh installs it)")
	}
	labrun, err := exec.LookPath("labrun")
	if err != nil {
		t.Fatal(err)
	}
	s := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: "labrun-st2-tmux1", image: "labrun-st2-tmux1", port: "18907"}
	defer s.labrun("reset", "whoami-rollback")
	sc := &screen{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	sc.tmux("-f", "/dev/null", "new-session", "-d", "-s", "lab", "-x", "220", "-y", "50", "-c", s.dir, "sh")
	defer exec.Command("tmux", "-S", sc.sock, "kill-server").Run()
	sc.tmux("split-window", "-t", "lab", "-c", s.dir, "sh")
	const guidePane, shellPane = "lab:0.0", "lab:0.1"
	guide := fmt.Sprintf("env XDG_STATE_HOME=%s LANG=fr_FR.UTF-8 LC_ALL= LC_MESSAGES= %s guide whoami-rollback --dir . %s",
		s.state, labrun, strings.Join(s.sets(), " "))
	done := 0
	student := func(command string) {
		done++
		sc.typeIn(shellPane, s.expand(command)+fmt.Sprintf("; echo; echo typed-%d", done))
		sc.await(shellPane, fmt.Sprintf("(?m)^typed-%d$", done), 1, time.Minute)
	}
	passed := 0
	enter := func(within time.Duration) {
		passed++
		sc.typeIn(guidePane, "")
		sc.await(guidePane, "✓ étape réussie", passed, within)
	}
	prompt := regexp.QuoteMeta("[Entrée] vérifier · h indice · s solution · r le faire pour moi · q quitter >")

	sc.typeIn(guidePane, guide)
	sc.await(guidePane, `\[1/10\] preflight`, 1, 30*time.Second)
	sc.await(guidePane, "Tapez, dans un autre terminal :", 1, 10*time.Second)
	enter(30 * time.Second)

	// build-images: r runs the solution, then checks.
	sc.await(guidePane, regexp.QuoteMeta("$ docker build -t "+s.image+":1.0 1.0"), 1, 10*time.Second)
	sc.typeIn(guidePane, "r")
	sc.await(guidePane, "labrun lance la solution", 1, 10*time.Second)
	passed++
	sc.await(guidePane, "✓ étape réussie", passed, time.Minute)

	// create-service, with the wrong tag first.
	sc.await(guidePane, regexp.QuoteMeta("$ docker service create --publish mode=host,target=8000,published="+s.port+" --name "+s.service+" "+s.image+":1.0"), 1, 30*time.Second)
	student("docker service create -d --publish mode=host,target=8000,published=$PORT --name $SERVICE $IMAGE:2.0")
	sc.typeIn(guidePane, "")
	sc.await(guidePane, regexp.QuoteMeta("✗ pas encore : * service-running "+s.service+" 1 "+s.image+":1.0 : le service "+s.service+" utilise l'image "+s.image+":2.0 ; cette étape attend "+s.image+":1.0"), 1, 30*time.Second)
	sc.await(guidePane, "indice : Vérifiez le tag de l'image", 1, 5*time.Second)
	student("docker service rm $SERVICE && until [ -z \"$(docker ps -aq -f label=com.docker.swarm.service.name=$SERVICE)\" ]; do sleep 0.2; done && docker service create -d --publish mode=host,target=8000,published=$PORT --name $SERVICE $IMAGE:1.0")
	enter(time.Minute)

	student("curl -s localhost:$PORT/whoami")
	enter(30 * time.Second)

	// Quit at inspect, and resume there.
	sc.await(guidePane, prompt, 5, 10*time.Second)
	sc.typeIn(guidePane, "q")
	sc.await(guidePane, "Progression enregistrée : labrun guide whoami-rollback reprendra à l'étape inspect", 1, 10*time.Second)
	sc.typeIn(guidePane, guide)
	sc.await(guidePane, regexp.QuoteMeta("Reprise à l'étape 5/10 (inspect)"), 1, 30*time.Second)
	enter(30 * time.Second)

	student("docker service update -d --image $IMAGE:2.0 $SERVICE")
	enter(30 * time.Second)
	enter(time.Minute) // observe-failure: the update pauses
	student("docker service rollback -d $SERVICE")
	enter(time.Minute)
	enter(30 * time.Second) // observe-rollback
	student("docker service rm $SERVICE && until [ -z \"$(docker ps -aq -f label=com.docker.swarm.service.name=$SERVICE)\" ]; do sleep 0.2; done && docker image rm $IMAGE:1.0 $IMAGE:2.0")
	enter(30 * time.Second)
	sc.await(guidePane, "Toutes les étapes de whoami-rollback sont réussies", 1, 10*time.Second)
}
