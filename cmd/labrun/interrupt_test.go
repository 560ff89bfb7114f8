package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// TestInterrupt stops real runs with a signal in the middle of a step and
// checks that each run cleans up within 10 s, exits 130 (SIGINT) or 143
// (SIGTERM), leaves nothing of its own and does not touch a foreign service.
func TestInterrupt(t *testing.T) {
	e := requireEngine(t)
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

	tests := []struct {
		name     string
		step     string // interrupt once this step's heading is printed
		signal   syscall.Signal
		wantExit int
	}{
		{"SIGINT during the update", "[7/10] observe-failure", syscall.SIGINT, 130},
		{"SIGTERM while the service converges", "[3/10] create-service", syscall.SIGTERM, 143},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("labrun-int%d", i)
			state := t.TempDir()
			cmd := exec.Command("labrun", "run", "whoami-rollback", "--set", "SERVICE="+name, "--set", "IMAGE="+name, "--set", fmt.Sprintf("PORT=%d", 18090+i))
			cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var transcript strings.Builder
			cmd.Stderr = &transcript
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			reached := make(chan struct{})
			go func() {
				sc := bufio.NewScanner(out)
				seen := false
				for sc.Scan() {
					transcript.WriteString(sc.Text() + "\n")
					if !seen && strings.HasPrefix(sc.Text(), tc.step) {
						seen = true
						close(reached)
					}
				}
				io.Copy(io.Discard, out)
			}()
			select {
			case <-reached:
			case <-time.After(90 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("the run never reached %q:\n%s", tc.step, transcript.String())
			}
			// Let the step's wait begin, then interrupt it.
			time.Sleep(time.Second)
			signalled := time.Now()
			cmd.Process.Signal(tc.signal)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 15 s after the signal:\n%s", transcript.String())
			}
			took := time.Since(signalled)
			var exitErr *exec.ExitError
			if !errors.As(err, &exitErr) || exitErr.ExitCode() != tc.wantExit {
				t.Fatalf("exit: %v, want status %d\n%s", err, tc.wantExit, transcript.String())
			}
			if took > 10*time.Second {
				t.Errorf("cleanup took %s, want at most 10 s", took)
			}
			assertNothingLeft(t, ctx, e.Client, name, state)
		})
	}
	after, err := e.Client.ServiceInspect(ctx, foreign, client.ServiceInspectOptions{})
	if err != nil {
		t.Fatalf("the foreign service is gone: %v", err)
	}
	if after.Service.Version.Index != before.Service.Version.Index {
		t.Errorf("the foreign service was changed: version %d, was %d", after.Service.Version.Index, before.Service.Version.Index)
	}
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
