//go:build unix

package whoami

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestMain lets TestSIGTERM run this test binary as the whoami command.
func TestMain(m *testing.M) {
	if os.Getenv("WHOAMI_TEST_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestSIGTERM checks the whole command, signal handling included: swarm
// stops a task with SIGTERM, and ignoring it would cost 10 s per update.
// Release 2.0 must stop as fast but exit non-zero, for swarm to record its
// unhealthy task as failed.
func TestSIGTERM(t *testing.T) {
	const buggyLine = "whoami 2.0: shutting down with errors (deliberate bug)\n"
	tests := []struct {
		name       string
		release    string
		sig        syscall.Signal
		wantStatus int
		wantStderr string
	}{
		{"1.0 SIGTERM", "1.0", syscall.SIGTERM, 0, ""},
		{"1.0 SIGINT", "1.0", syscall.SIGINT, 0, ""},
		{"2.0 SIGTERM", "2.0", syscall.SIGTERM, 2, buggyLine},
		{"2.0 SIGINT", "2.0", syscall.SIGINT, 2, buggyLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, port, _ := net.SplitHostPort(closedAddr(t))
			cmd := exec.Command(os.Args[0], "serve", "--port", port, "--release", tt.release)
			// Under -race a process sleeps 1 s before exiting; that is not whoami's time.
			cmd.Env = append(os.Environ(), "WHOAMI_TEST_MAIN=1", "GORACE=atexit_sleep_ms=0")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill() })

			line, err := bufio.NewReader(stdout).ReadString('\n')
			if want := "listening on port " + port + "\n"; line != want {
				t.Fatalf("first line = %q (%v), want %q", line, err, want)
			}

			start := time.Now()
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				status := 0
				var exitErr *exec.ExitError
				if errors.As(err, &exitErr) {
					status = exitErr.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if status != tt.wantStatus {
					t.Errorf("whoami %s exited with status %d after %v, want %d", tt.release, status, tt.sig, tt.wantStatus)
				}
				if stderr.String() != tt.wantStderr {
					t.Errorf("stderr = %q, want %q", stderr.String(), tt.wantStderr)
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("whoami took %v to stop, want under 2s", d)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("whoami still running 5s after %v", tt.sig)
			}
		})
	}
}
