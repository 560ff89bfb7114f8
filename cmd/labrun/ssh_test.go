package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestSSHEngine runs the whoami lab on an ssh:// engine through a real
// sshd and the real ssh client, as an instructor reaches a classroom's
// machines: labrun runs "ssh HOST docker system dial-stdio" and speaks the
// Engine API over it, the lab's docker commands go the same way, and the
// HTTP checks aim at the machine the ssh alias stands for (ssh -G). The
// sshd is the test's own, on a free port of 127.0.0.1, with keys made for
// the test; the only stand-in is an ssh on PATH that adds -F with the
// test's client configuration (ssh reads ~/.ssh from the passwd entry,
// which a test must not touch). It runs twice: with the key in a file the
// configuration names, and with the key held only by an ssh-agent, as
// students with a passphrase keep it: labrun and the lab's docker
// commands must both reach the agent (SSH_AUTH_SOCK).
func TestSSHEngine(t *testing.T) {
	for _, tc := range []struct {
		name  string
		agent bool
		port  string
	}{{"key file", false, "18077"}, {"key in an agent only", true, "18078"}} {
		t.Run(tc.name, func(t *testing.T) { testSSHEngine(t, tc.agent, tc.port) })
	}
}

func testSSHEngine(t *testing.T, agent bool, labPort string) {
	e := enginetest.Require(t)
	sshd := requireSSHD(t)
	dir := t.TempDir()
	for _, key := range []string{"host_key", "client_key"} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, key)).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	pub, err := os.ReadFile(filepath.Join(dir, "client_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	// Privilege separation needs its directory, which a host without a
	// running sshd may lack.
	os.MkdirAll("/run/sshd", 0o755)
	config := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
AuthorizedKeysFile %s
PidFile %s
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
`, port, filepath.Join(dir, "host_key"), filepath.Join(dir, "authorized_keys"), filepath.Join(dir, "sshd.pid"))
	writeFile(t, filepath.Join(dir, "sshd_config"), config, 0o600)
	daemon := exec.Command(sshd, "-D", "-e", "-f", filepath.Join(dir, "sshd_config"))
	var daemonLog strings.Builder
	daemon.Stderr = &daemonLog
	if err := daemon.Start(); err != nil {
		t.Fatalf("sshd: %v", err)
	}
	t.Cleanup(func() {
		daemon.Process.Kill()
		daemon.Wait()
		if t.Failed() {
			t.Logf("sshd's log:\n%s", daemonLog.String())
		}
	})
	waitListening(t, fmt.Sprintf("127.0.0.1:%d", port), 10*time.Second)

	// "classroom-pc" is an alias only this configuration knows.
	identity := fmt.Sprintf("  IdentityFile %s\n  IdentitiesOnly yes\n", filepath.Join(dir, "client_key"))
	var agentEnv []string
	if agent {
		// The key goes into an agent of the test's own, and its file
		// away: only the agent can sign.
		sock := filepath.Join(dir, "agent.sock")
		agentCmd := exec.Command("ssh-agent", "-D", "-a", sock)
		if err := agentCmd.Start(); err != nil {
			t.Fatalf("ssh-agent: %v", err)
		}
		t.Cleanup(func() { agentCmd.Process.Kill(); agentCmd.Wait() })
		waitSocket(t, sock, 10*time.Second)
		agentEnv = []string{"SSH_AUTH_SOCK=" + sock}
		add := exec.Command("ssh-add", filepath.Join(dir, "client_key"))
		add.Env = append(os.Environ(), agentEnv...)
		if out, err := add.CombinedOutput(); err != nil {
			t.Fatalf("ssh-add: %v\n%s", err, out)
		}
		os.Remove(filepath.Join(dir, "client_key"))
		identity = "  IdentitiesOnly no\n"
	}
	writeFile(t, filepath.Join(dir, "ssh_config"), fmt.Sprintf(`Host classroom-pc
  HostName 127.0.0.1
  Port %d
  User root
%s  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
`, port, identity), 0o600)
	realSSH, err := exec.LookPath("ssh")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	writeFile(t, filepath.Join(bin, "ssh"), fmt.Sprintf("#!/bin/sh\nexec %s -F %s \"$@\"\n", realSSH, filepath.Join(dir, "ssh_config")), 0o755)
	env := append([]string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "DOCKER_HOST=", "DOCKER_CONTEXT=", "SSH_AUTH_SOCK="}, agentEnv...)

	state := t.TempDir()
	out, code := runLabrunEnv(t, state, env, "run", "whoami-rollback", "--fast", "--host", "ssh://classroom-pc",
		"--set", "SERVICE=labrun-ssh", "--set", "IMAGE=labrun-ssh", "--set", "PORT="+labPort)
	if code != 0 {
		t.Fatalf("labrun over ssh exited %d:\n%s", code, out)
	}
	for _, want := range []string{
		"engine ssh://classroom-pc",
		// The checks asked the machine behind the alias.
		"whoami http://127.0.0.1:" + labPort + "/whoami labrun-ssh",
		"PASS whoami-rollback (--fast: shortened timings, not the tutorial's): 10 passed, 0 failed, 0 skipped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	// Asked of the engine directly: docker failing for any reason is no
	// proof that the service is gone.
	assertNothingLeft(t, context.Background(), e.Client, "labrun-ssh", state)
}

// waitSocket waits until a unix socket exists at path.
func waitSocket(t *testing.T, path string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no socket at %s after %s", path, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
