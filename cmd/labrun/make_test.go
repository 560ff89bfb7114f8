package main

import (
	"bufio"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"archive/tar"
	"compress/gzip"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// The README's two commands, make run and make test, on a machine whose
// Docker engine is out of swarm, as any fresh install is; and make dist.
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

// TestMakeDist builds the release archives and checks them: one per
// platform, each with a labrun for its OS and architecture and the README,
// listed in SHA256SUMS with their true checksums.
func TestMakeDist(t *testing.T) {
	dist := t.TempDir()
	out, err := runMake(t, nil, "dist", "DIST="+dist, "VERSION=v0.99.0")
	if err != nil {
		t.Fatalf("make dist: %v\n%s", err, out)
	}
	sums, err := os.Open(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer sums.Close()
	var listed []string
	sc := bufio.NewScanner(sums)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		listed = append(listed, name)
		data, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: SHA-256 %x, SHA256SUMS says %s", name, got, sum)
		}
	}
	var want []string
	for _, p := range []string{"darwin-amd64", "darwin-arm64", "linux-amd64", "linux-arm64"} {
		want = append(want, "labrun-v0.99.0-"+p+".tar.gz")
	}
	if !slices.Equal(listed, want) {
		t.Fatalf("SHA256SUMS lists %q, want %q", listed, want)
	}
	for _, name := range listed {
		platform := strings.TrimSuffix(strings.TrimPrefix(name, "labrun-v0.99.0-"), ".tar.gz")
		files := untarGz(t, filepath.Join(dist, name))
		dir := strings.TrimSuffix(name, ".tar.gz") + "/"
		if _, ok := files[dir+"README.md"]; !ok {
			t.Errorf("%s lacks README.md", name)
		}
		exe, ok := files[dir+"labrun"]
		if !ok {
			t.Errorf("%s lacks labrun", name)
			continue
		}
		if got := executablePlatform(t, exe); got != platform {
			t.Errorf("%s holds a labrun for %s", name, got)
		}
	}
}

// untarGz returns the regular files of a .tar.gz, by name.
func untarGz(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			files[hdr.Name] = string(data)
		}
	}
}

// executablePlatform reads an executable's OS and architecture from its
// headers, as GOOS-GOARCH.
func executablePlatform(t *testing.T, data string) string {
	t.Helper()
	if f, err := elf.NewFile(strings.NewReader(data)); err == nil {
		arch := map[elf.Machine]string{elf.EM_X86_64: "amd64", elf.EM_AARCH64: "arm64"}[f.Machine]
		return "linux-" + arch
	}
	if f, err := macho.NewFile(strings.NewReader(data)); err == nil {
		arch := map[macho.Cpu]string{macho.CpuAmd64: "amd64", macho.CpuArm64: "arm64"}[f.Cpu]
		return "darwin-" + arch
	}
	return fmt.Sprintf("unknown (%d bytes)", len(data))
}
