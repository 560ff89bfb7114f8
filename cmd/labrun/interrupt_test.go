package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
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

// labRun is a labrun run in a child process, watched line by line.
type labRun struct {
	cmd        *exec.Cmd
	name       string // the run's service and image names
	state      string // its XDG_STATE_HOME
	transcript strings.Builder
	mu         sync.Mutex
	lines      chan string
}

// startRun starts the whoami lab with names and a port of its own.
func startRun(t *testing.T, i int) *labRun {
	t.Helper()
	name := fmt.Sprintf("labrun-int%d", i)
	r := startLabrun(t, t.TempDir(), "run", "whoami-rollback", "--set", "SERVICE="+name, "--set", "IMAGE="+name, "--set", fmt.Sprintf("PORT=%d", 18100+i))
	r.name = name
	return r
}

func (r *labRun) record(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.transcript.WriteString(s)
}

func (r *labRun) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.transcript.String()
}

// await waits for a line starting with prefix.
func (r *labRun) await(t *testing.T, prefix string) {
	t.Helper()
	timeout := time.After(3 * time.Minute)
	for {
		select {
		case line, ok := <-r.lines:
			if !ok {
				t.Fatalf("the run ended before %q:\n%s", prefix, r)
			}
			if strings.HasPrefix(line, prefix) {
				return
			}
		case <-timeout:
			r.cmd.Process.Kill()
			t.Fatalf("the run never reached %q:\n%s", prefix, r)
		}
	}
}

// wait waits for the run's end, at most limit, and returns its exit code.
func (r *labRun) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case err := <-done:
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return exitErr.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(limit):
		r.cmd.Process.Kill()
		t.Fatalf("still running %s later:\n%s", limit, r)
	}
	return -1
}

// writerFunc adapts a function to io.Writer.
type writerFunc func([]byte)

func (f writerFunc) Write(b []byte) (int, error) { f(b); return len(b), nil }

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

// assertNothingLeft checks that a run named name left no service, image,
// container or ledger behind.
func assertNothingLeft(t *testing.T, ctx context.Context, cli *client.Client, name, state string) {
	t.Helper()
	if _, err := cli.ServiceInspect(ctx, name, client.ServiceInspectOptions{}); !cerrdefs.IsNotFound(err) {
		t.Errorf("service %s is left (err %v)", name, err)
	}
	for _, tag := range []string{"1.0", "2.0"} {
		if _, err := cli.ImageInspect(ctx, name+":"+tag); !cerrdefs.IsNotFound(err) {
			t.Errorf("image %s:%s is left (err %v)", name, tag, err)
		}
	}
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", "com.docker.swarm.service.name="+name)})
	if err != nil || len(list.Items) > 0 {
		t.Errorf("containers of %s are left: %d (err %v)", name, len(list.Items), err)
	}
	entries, _ := os.ReadDir(state + "/labrun/runs")
	if len(entries) > 0 {
		t.Errorf("the run's ledger is left: %v", entries)
	}
}
