package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// paneWidth is the guide's pane width in TestGuideInTmuxIssue13: narrower
// than the lab's paragraphs, wide enough for the commands to type.
const paneWidth = 120

// TestGuideInTmuxIssue13 replays, in French in a real terminal, what a
// student met in issue 13 ("Why", 1 to 5) and shows each handled: a step
// marked done out of order by labrun check is shown all the same, in
// order; the tutorial's --publish 8000:8000 through a dead routing mesh
// is named within 3 s; a near-miss tag is named; the screen holds no
// English sentence of labrun's; no word is cut at the pane's edge.
func TestGuideInTmuxIssue13(t *testing.T) {
	enginetest.Require(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		enginetest.SkipOrFail(t, "tmux is not installed (scripts/engine-up.sh installs it)")
	}
	labrun, err := exec.LookPath("labrun")
	if err != nil {
		t.Fatal(err)
	}
	s := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: "labrun-st2-tmux", image: "labrun-st2-tmux", port: "18906", lang: "fr"}
	defer s.labrun("reset", "whoami-rollback")
	defer s.sh(s.expand("docker service rm $SERVICE >/dev/null 2>&1; for i in $(seq 40); do docker image rm $IMAGE:1.0 $IMAGE:2.0 $IMAGE:2 >/dev/null 2>&1; " +
		"docker image inspect $IMAGE:1.0 >/dev/null 2>&1 || docker image inspect $IMAGE:2.0 >/dev/null 2>&1 || break; sleep 0.5; done; true"))
	sc := &screen{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	sc.tmux("-f", "/dev/null", "new-session", "-d", "-s", "lab", "-x", fmt.Sprint(paneWidth), "-y", "50", "-c", s.dir, "sh")
	defer exec.Command("tmux", "-S", sc.sock, "kill-server").Run()
	sc.tmux("split-window", "-h", "-t", "lab", "-c", s.dir, "sh")
	sc.tmux("resize-pane", "-t", "lab:0.0", "-x", fmt.Sprint(paneWidth))
	const guidePane, shellPane = "lab:0.0", "lab:0.1"
	// The guide's long command line is a script's: echoed by the shell, it
	// would fold at the pane's edge, and the cut-word check reads
	// labrun's lines only.
	script := filepath.Join(t.TempDir(), "guide.sh")
	if err := os.WriteFile(script, []byte(fmt.Sprintf("env XDG_STATE_HOME=%s LANG=fr_FR.UTF-8 LC_ALL= LC_MESSAGES= COLUMNS= %s guide whoami-rollback --dir . %s\n",
		s.state, labrun, strings.Join(s.sets(), " "))), 0o644); err != nil {
		t.Fatal(err)
	}
	guide := "sh " + script
	typed := 0
	student := func(command string) {
		typed++
		sc.typeIn(shellPane, s.expand(command)+fmt.Sprintf("; echo; echo typed-%d", typed))
		sc.await(shellPane, fmt.Sprintf("(?m)^typed-%d$", typed), 1, time.Minute)
	}
	// said waits until the pane says text, read across the lines labrun
	// wrapped it on.
	said := func(text string, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for !strings.Contains(strings.Join(strings.Fields(sc.capture(guidePane)), " "), text) {
			if time.Now().After(deadline) {
				t.Fatalf("the guide never said %q in %s:\n%s", text, within, sc.capture(guidePane))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	gone := "until [ -z \"$(docker ps -aq -f label=com.docker.swarm.service.name=$SERVICE)\" ]; do sleep 0.2; done"

	// The guide writes the build contexts; the student quits at once.
	sc.typeIn(guidePane, guide)
	sc.await(guidePane, `\[1/10\] preflight`, 1, 30*time.Second)
	sc.typeIn(guidePane, "q")
	sc.await(guidePane, "Progression enregistrée", 1, 10*time.Second)

	// Why 1: labrun check marks create-service done while a service
	// exists, before the steps ahead of it; the service is then removed.
	student("docker build -q -t $IMAGE:1.0 1.0 && docker build -q -t $IMAGE:2.0 2.0 && " +
		"docker service create -d --publish mode=host,target=8000,published=$PORT --name $SERVICE $IMAGE:1.0")
	s.eventually("create-service", time.Minute)
	student("docker service rm $SERVICE && " + gone)

	// Why 3: release 2.0 built under the tag 2.
	student("docker image rm $IMAGE:2.0 && docker build -q -t $IMAGE:2 2.0")
	sc.typeIn(guidePane, guide)
	sc.await(guidePane, `\[1/10\] preflight`, 2, 30*time.Second)
	sc.typeIn(guidePane, "")
	sc.await(guidePane, "✓ étape réussie", 1, 30*time.Second)
	sc.await(guidePane, `\[2/10\] build-images`, 1, 10*time.Second)
	sc.typeIn(guidePane, "")
	said("il n'y a pas d'image "+s.image+":2.0 ; "+s.image+":2 existe, construite depuis la version 2.0 : le tag du tutoriel est 2.0", 30*time.Second)
	student("docker tag $IMAGE:2 $IMAGE:2.0")
	sc.typeIn(guidePane, "")
	sc.await(guidePane, "✓ étape réussie", 2, 30*time.Second)

	// Why 1, handled: create-service is shown, not skipped.
	sc.await(guidePane, `\[3/10\] create-service`, 1, 10*time.Second)
	if strings.Contains(sc.capture(guidePane), "[4/10]") {
		t.Fatalf("the guide skipped create-service:\n%s", sc.capture(guidePane))
	}

	// Why 2: the tutorial's own --publish, through a dead routing mesh.
	if meshDead(t) {
		student("docker service create -d --publish $PORT:8000 --name $SERVICE $IMAGE:1.0")
		start := time.Now()
		sc.typeIn(guidePane, "")
		said("passe par le routing mesh du swarm, qui ne répond pas sur ce moteur", 3*time.Second)
		t.Logf("the dead mesh was named in %s", time.Since(start).Round(100*time.Millisecond))
		student("docker service rm $SERVICE && " + gone)
	}
	student("docker service create -d --publish mode=host,target=8000,published=$PORT --name $SERVICE $IMAGE:1.0")
	sc.typeIn(guidePane, "")
	sc.await(guidePane, "✓ étape réussie", 3, time.Minute)
	sc.await(guidePane, `\[4/10\] request`, 1, 10*time.Second)

	// The rest of the tutorial, as its commands are typed, to its end.
	passed := 3
	enter := func(within time.Duration) {
		t.Helper()
		passed++
		sc.typeIn(guidePane, "")
		sc.await(guidePane, "✓ étape réussie", passed, within)
	}
	student("curl -s localhost:$PORT/whoami")
	enter(30 * time.Second) // request
	student("docker inspect $SERVICE >/dev/null")
	enter(30 * time.Second) // inspect
	student("docker service update -d --image $IMAGE:2.0 $SERVICE")
	enter(30 * time.Second) // update
	enter(time.Minute)      // observe-failure: the update pauses
	student("docker service rollback -d $SERVICE")
	enter(time.Minute)      // rollback
	enter(30 * time.Second) // observe-rollback
	student("docker service rm $SERVICE && " + gone + " && docker image rm $IMAGE:1.0 $IMAGE:2.0")
	enter(30 * time.Second) // cleanup
	sc.await(guidePane, "Toutes les étapes de whoami-rollback sont réussies", 1, 10*time.Second)

	screenText := sc.capture(guidePane)
	// The steps in order, none skipped: each heading's last showing comes
	// after the one before it.
	last := -1
	for i, id := range []string{"preflight", "build-images", "create-service", "request", "inspect", "update",
		"observe-failure", "rollback", "observe-rollback", "cleanup"} {
		h := fmt.Sprintf("[%d/10] %s", i+1, id)
		at := strings.LastIndex(screenText, h)
		if at < last {
			t.Errorf("%q missing or out of order:\n%s", h, screenText)
		}
		last = at
	}
	// Why 4: one language.
	if english := englishIn(screenText); len(english) > 0 {
		t.Errorf("English on a French screen: %q\n%s", english, screenText)
	}
	// Why 5: no word cut at the pane's edge. The pane folds a line only
	// when it is full: a full line ending in a letter, followed by one
	// starting with a letter, is a word cut in two.
	width, err := strconv.Atoi(strings.TrimSpace(sc.tmux("display-message", "-p", "-t", guidePane, "#{pane_width}")))
	if err != nil || width < 80 {
		t.Fatalf("the guide's pane is %d columns wide (%v): too narrow to type in", width, err)
	}
	raw := strings.Split(sc.tmux("capture-pane", "-p", "-S", "-3000", "-t", guidePane), "\n")
	filled := 0
	for i := 0; i+1 < len(raw); i++ {
		r, next := []rune(strings.TrimRight(raw[i], " ")), []rune(raw[i+1])
		if len(r) > width-20 {
			filled++
		}
		if len(r) >= width && len(next) > 0 && unicode.IsLetter(r[len(r)-1]) && unicode.IsLetter(next[0]) {
			t.Errorf("a word cut at the edge: %q / %q", string(r[len(r)-10:]), raw[i+1])
		}
	}
	if filled == 0 {
		// The paragraphs were wrapped narrower than the pane (at 80, as
		// off a terminal): not at the terminal's width.
		t.Errorf("no line comes near the pane's %d columns: labrun did not wrap at its width", width)
	}
}
