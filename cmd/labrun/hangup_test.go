package main

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestHangup closes labrun's terminal, as it were: a SIGHUP in the middle
// of a run, as closing a terminal or an ssh session sends, stops the run
// as Ctrl-C does. The run cleans up within 10 s, exits 129 (128+SIGHUP)
// and leaves nothing of its own.
func TestHangup(t *testing.T) {
	e := enginetest.Require(t)
	for i, step := range []string{"[3/10] create-service ", "[7/10] observe-failure "} {
		t.Run(step[7:len(step)-1], func(t *testing.T) {
			name := fmt.Sprintf("labrun-hup-%d", i)
			r := startLabrun(t, t.TempDir(), "run", "whoami-rollback",
				"--set", "SERVICE="+name, "--set", "IMAGE="+name, "--set", fmt.Sprintf("PORT=%d", 18580+i))
			r.name = name
			r.await(t, step)
			hungUp := time.Now()
			r.cmd.Process.Signal(syscall.SIGHUP)
			if code := r.wait(t, 15*time.Second); code != 129 {
				t.Fatalf("exit status %d, want 129\n%s", code, r)
			}
			if took := time.Since(hungUp); took > 10*time.Second {
				t.Errorf("cleanup took %s, want at most 10 s", took)
			}
			assertNothingLeft(t, context.Background(), e.Client, r.name, r.state)
		})
	}
}
