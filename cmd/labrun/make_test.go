package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// The README's two commands, make run and make test, on a machine whose
// Docker engine is out of swarm, as any fresh install is.
// The fresh engine is one of scripts/engines.sh's, in its own network
// namespace (number freshEngine, far from the 1-3 the classroom tests use),
// so that the main engine stays the swarm manager the other tests share.

const (
	freshEngine     = "7"
	freshEngineHost = "tcp://10.77.7.2:2375"
)

// startFreshEngine starts the namespaced engine, out of swarm, and stops
// it when the test ends.
func startFreshEngine(t *testing.T) {
	t.Helper()
	enginetest.Require(t) // the main engine: this test builds and runs on the machine's Docker
	if os.Getuid() != 0 {
		t.Fatal("a namespaced engine needs root (ip netns, dockerd)")
	}
	up := exec.Command("../../scripts/engines.sh", "up", "1", freshEngine)
	if out, err := up.CombinedOutput(); err != nil {
		t.Fatalf("scripts/engines.sh up 1 %s: %v\n%s", freshEngine, err, out)
	}
	t.Cleanup(func() { exec.Command("../../scripts/engines.sh", "down", freshEngine).Run() })
	if out, err := docker(freshEngineHost, "swarm", "leave", "--force"); err != nil {
		t.Fatalf("docker swarm leave: %v\n%s", err, out)
	}
	if state := swarmState(t); state != "inactive" {
		t.Fatalf("the fresh engine's swarm is %q, want inactive", state)
	}
}

func docker(host string, args ...string) ([]byte, error) {
	return exec.Command("docker", append([]string{"-H", host}, args...)...).CombinedOutput()
}

// swarmState is the fresh engine's swarm membership.
func swarmState(t *testing.T) string {
	t.Helper()
	out, err := docker(freshEngineHost, "info", "--format", "{{.Swarm.LocalNodeState}}")
	if err != nil {
		t.Fatalf("docker info: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// runMake runs make in the module's root with env added, and returns its
// output and error.
func runMake(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("make", args...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestMakeOnFreshEngine runs make run and make test against an engine out
// of swarm. make run must pass, saying that it made the node a manager,
// and leave it out of swarm; make test must prepare the engine and run an
// engine test (TestRequire, so as not to run the whole suite again), not
// skip it; and with no engine at all make test must fail, saying why.
func TestMakeOnFreshEngine(t *testing.T) {
	startFreshEngine(t)
	env := []string{"DOCKER_HOST=" + freshEngineHost, "XDG_STATE_HOME=" + t.TempDir(), "CI="}

	t.Run("make run", func(t *testing.T) {
		out, err := runMake(t, env, "run", "RUNFLAGS=--fast")
		if err != nil {
			t.Fatalf("make run: %v\n%s", err, out)
		}
		for _, want := range []string{"labrun made it a manager", "PASS whoami-rollback", "this node left the swarm that labrun made it join"} {
			if !strings.Contains(out, want) {
				t.Errorf("make run does not say %q:\n%s", want, out)
			}
		}
		if state := swarmState(t); state != "inactive" {
			t.Errorf("after make run the engine's swarm is %q, want inactive (left as it was)", state)
		}
	})

	t.Run("make test", func(t *testing.T) {
		out, err := runMake(t, env, "test", "PKGS=./runner/engine/enginetest", "TESTFLAGS=-v -run ^TestRequire$")
		if err != nil {
			t.Fatalf("make test: %v\n%s", err, out)
		}
		if !strings.Contains(out, "--- PASS: TestRequire") || strings.Contains(out, "--- SKIP") {
			t.Errorf("make test did not run the engine test, or skipped it:\n%s", out)
		}
		if state := swarmState(t); state != "active" {
			t.Errorf("after make test the engine's swarm is %q, want active (prepared as CI does)", state)
		}
	})

	t.Run("make test without an engine", func(t *testing.T) {
		out, err := runMake(t, []string{"DOCKER_HOST=unix:///nonexistent/docker.sock", "CI="}, "test",
			"PKGS=./runner/engine/enginetest", "TESTFLAGS=-run ^TestRequire$")
		if err == nil {
			t.Fatalf("make test passed with no engine:\n%s", out)
		}
		if !strings.Contains(out, "no Docker engine answers at unix:///nonexistent/docker.sock") {
			t.Errorf("make test does not say which engine does not answer:\n%s", out)
		}
	})
}

