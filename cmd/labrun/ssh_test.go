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
// which a test must not touch).
func TestSSHEngine(t *testing.T) {
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
	writeFile(t, filepath.Join(dir, "ssh_config"), fmt.Sprintf(`Host classroom-pc
  HostName 127.0.0.1
  Port %d
  User root
  IdentityFile %s
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
`, port, filepath.Join(dir, "client_key")), 0o600)
	realSSH, err := exec.LookPath("ssh")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	writeFile(t, filepath.Join(bin, "ssh"), fmt.Sprintf("#!/bin/sh\nexec %s -F %s \"$@\"\n", realSSH, filepath.Join(dir, "ssh_config")), 0o755)
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "DOCKER_HOST=", "DOCKER_CONTEXT="}

	state := t.TempDir()
	out, code := runLabrunEnv(t, state, env, "run", "whoami-rollback", "--fast", "--host", "ssh://classroom-pc",
		"--set", "SERVICE=labrun-ssh", "--set", "IMAGE=labrun-ssh", "--set", "PORT=18077")
	if code != 0 {
		t.Fatalf("labrun over ssh exited %d:\n%s", code, out)
	}
	for _, want := range []string{
		"engine ssh://classroom-pc",
		// The checks asked the machine behind the alias.
		"whoami http://127.0.0.1:18077/whoami labrun-ssh",
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
