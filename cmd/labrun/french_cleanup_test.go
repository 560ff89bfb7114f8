package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestFrenchCleanup: labrun cleanup says what an interrupted run left,
// and what it removed, in the run's language, the objects' kinds worded
// too (réseau, conteneur, ...); in English the scan sees its English.
func TestFrenchCleanup(t *testing.T) {
	enginetest.Require(t)
	dir, state := t.TempDir(), t.TempDir()
	lab := filepath.Join(dir, "fails.txtar")
	if err := os.WriteFile(lab, []byte(failingLab), 0o600); err != nil {
		t.Fatal(err)
	}
	const name = "labrun-lead-fc"
	// A run killed outright (SIGKILL: no cleanup of its own) once its
	// service exists leaves its ledger for labrun cleanup.
	run := exec.Command("labrun", "run", lab, "--yes", "--fast", "--set", "SERVICE="+name, "--set", "IMAGE="+name, "--set", "PORT=18931")
	run.Dir = dir
	run.Env = append(os.Environ(), "XDG_STATE_HOME="+state)
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	defer exec.Command("docker", "image", "rm", name+":2.0").Run()
	defer exec.Command("docker", "service", "rm", name).Run()
	deadline := time.Now().Add(2 * time.Minute)
	for exec.Command("docker", "service", "inspect", name).Run() != nil {
		if time.Now().After(deadline) {
			run.Process.Kill()
			t.Fatalf("no service %s after 2 minutes", name)
		}
		time.Sleep(100 * time.Millisecond)
	}
	run.Process.Kill()
	run.Wait()

	code, out := frenchRun(t, dir, state, "fr_FR.UTF-8", "cleanup")
	if code != 0 {
		t.Fatalf("labrun cleanup: exit %d\n%s", code, out)
	}
	for _, w := range []string{"(lab fails, commencé le ", "supprimé : service " + name, "supprimé : image " + name + ":2.0"} {
		if !strings.Contains(out, w) {
			t.Errorf("labrun cleanup does not say %q:\n%s", w, out)
		}
	}
	if english := englishIn(out); len(english) > 0 {
		t.Errorf("English in a French cleanup: %q\n%s", english, out)
	}
	if exec.Command("docker", "service", "inspect", name).Run() == nil {
		t.Errorf("service %s is still there after labrun cleanup", name)
	}

	code, out = frenchRun(t, dir, state, "fr_FR.UTF-8", "cleanup", "--lang", "en")
	if code != 0 || !strings.Contains(out, "nothing to clean up on ") || len(englishIn(out)) == 0 {
		t.Errorf("labrun cleanup --lang en: exit %d, and the scan finds no English sentence of labrun's:\n%s", code, out)
	}
	code, out = frenchRun(t, dir, state, "fr_FR.UTF-8", "cleanup")
	if code != 0 || !strings.Contains(out, "rien à nettoyer sur ") {
		t.Errorf("labrun cleanup, nothing left: exit %d\n%s", code, out)
	}
}
