package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestInterrupt stops real runs with a signal in the middle of a step and
// checks that each run cleans up within 10 s, exits 130 (SIGINT) or 143
// (SIGTERM), leaves nothing of its own and does not touch a foreign service.
func TestInterrupt(t *testing.T) {
	e := enginetest.Require(t)
	ctx := context.Background()
	foreign := "labrun-test-bystander"
	if out, err := exec.Command("docker", "service", "create", "--detach", "--replicas", "0", "--name", foreign, "labrun-test-none:1").CombinedOutput(); err != nil {
		t.Fatalf("creating the foreign service: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "service", "rm", foreign).Run() })
	before, err := e.Client.ServiceInspect(ctx, foreign, client.ServiceInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// Every step, with each signal: the signal lands as the step's heading
	// is printed, so within the step (for the instant steps, at its start).
	type interruption struct {
		name     string
		step     string
		signal   syscall.Signal
		wantExit int
	}
	var tests []interruption
	steps := []string{"preflight", "build-images", "create-service", "request", "inspect", "update", "observe-failure", "rollback", "observe-rollback", "cleanup"}
	for i, id := range steps {
		heading := fmt.Sprintf("[%d/%d] %s ", i+1, len(steps), id)
		tests = append(tests,
			interruption{"SIGINT/" + id, heading, syscall.SIGINT, 130},
			interruption{"SIGTERM/" + id, heading, syscall.SIGTERM, 143})
	}
	t.Run("runs", func(t *testing.T) {
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				interrupt(t, e.Client, tc.step, tc.signal, tc.wantExit, i)
			})
		}
	})
	after, err := e.Client.ServiceInspect(ctx, foreign, client.ServiceInspectOptions{})
	if err != nil {
		t.Fatalf("the foreign service is gone: %v", err)
	}
	if after.Service.Version.Index != before.Service.Version.Index {
		t.Errorf("the foreign service was changed: version %d, was %d", after.Service.Version.Index, before.Service.Version.Index)
	}
}

// startRun starts the whoami lab with names and a port of its own.
func startRun(t *testing.T, i int) *labRun {
	t.Helper()
	name := fmt.Sprintf("labrun-int%d", i)
	r := startLabrun(t, t.TempDir(), "run", "whoami-rollback", "--set", "SERVICE="+name, "--set", "IMAGE="+name, "--set", fmt.Sprintf("PORT=%d", 18100+i))
	r.name = name
	return r
}

// interrupt runs the lab, sends sig once the line of step is printed, and
// checks the run's end: the exit code, cleanup within 10 s, nothing left.
func interrupt(t *testing.T, cli *client.Client, step string, sig syscall.Signal, wantExit, i int) {
	r := startRun(t, i)
	r.await(t, step)
	signalled := time.Now()
	r.cmd.Process.Signal(sig)
	if code := r.wait(t, 15*time.Second); code != wantExit {
		t.Fatalf("exit status %d, want %d\n%s", code, wantExit, r)
	}
	if took := time.Since(signalled); took > 10*time.Second {
		t.Errorf("cleanup took %s, want at most 10 s", took)
	}
	assertNothingLeft(t, context.Background(), cli, r.name, r.state)
}

// TestSecondInterrupt: a second Ctrl-C during cleanup stops its waiting;
// the run says what it left and how to remove it, and labrun cleanup then
// removes it.
func TestSecondInterrupt(t *testing.T) {
	e := enginetest.Require(t)
	r := startRun(t, 30)
	r.await(t, "[7/10] observe-failure ")
	r.cmd.Process.Signal(syscall.SIGINT)
	// Cleanup waits at least a second for swarm to remove the service's
	// containers before it can remove the images: interrupt that wait.
	time.Sleep(300 * time.Millisecond)
	r.cmd.Process.Signal(syscall.SIGINT)
	if code := r.wait(t, 15*time.Second); code != 130 {
		t.Fatalf("exit status %d, want 130\n%s", code, r)
	}
	for _, want := range []string{"left behind: image " + r.name + ":1.0", "docker image rm " + r.name + ":1.0", "left behind: labrun cleanup retries all of the above"} {
		if !strings.Contains(r.String(), want) {
			t.Errorf("the run's output lacks %q:\n%s", want, r)
		}
	}
	cleanup := exec.Command("labrun", "cleanup")
	cleanup.Env = append(os.Environ(), "XDG_STATE_HOME="+r.state)
	out, err := cleanup.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "removed image "+r.name+":1.0") {
		t.Errorf("labrun cleanup: %v\n%s", err, out)
	}
	assertNothingLeft(t, context.Background(), e.Client, r.name, r.state)
}
