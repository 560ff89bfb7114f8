package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/exit"
	"github.com/spf13/cobra"
)

// TestInterruptibleExitStatus sends each stop signal to this process while
// a fake runner waits: the first cancels ctx, the runner returns as an
// interrupted run does, and the exit status is 128+N. A second signal
// cancels abort, which the fake runner waits for during its "cleanup".
func TestInterruptibleExitStatus(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			err := interruptible(func(ctx, abort context.Context) error {
				send(t, tc.sig)
				await(t, ctx, "ctx after the first signal")
				if abort.Err() != nil {
					t.Errorf("abort is cancelled by the first signal")
				}
				send(t, tc.sig)
				await(t, abort, "abort after the second signal")
				return exitWith(exit.Interrupted, errors.New("interrupted"))
			})
			var stderr strings.Builder
			if code := exitStatus(&cobra.Command{Use: "run"}, err, &stderr); code != tc.want {
				t.Errorf("exit status %d, want %d", code, tc.want)
			}
			if stderr.String() != "labrun: interrupted\n" {
				t.Errorf("stderr %q, want the runner's error", stderr.String())
			}
		})
	}
}

// TestInterruptibleNoSignal: without a signal, the runner's status stands.
func TestInterruptibleNoSignal(t *testing.T) {
	for _, code := range []int{0, 1, 2} {
		err := interruptible(func(ctx, abort context.Context) error { return exitWith(code, nil) })
		if got := exitStatus(&cobra.Command{Use: "run"}, err, io.Discard); got != code {
			t.Errorf("exit status %d, want %d", got, code)
		}
	}
}

// TestInterruptibleSignalAfterSuccess: a signal during a command that ends
// well all the same still says the command was stopped.
func TestInterruptibleSignalAfterSuccess(t *testing.T) {
	err := interruptible(func(ctx, abort context.Context) error {
		send(t, syscall.SIGHUP)
		await(t, ctx, "ctx")
		return nil
	})
	if got := exitStatus(&cobra.Command{Use: "cleanup"}, err, io.Discard); got != 129 {
		t.Errorf("exit status %d, want 129", got)
	}
}

func send(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
}

func await(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: not cancelled within 5 s", what)
	}
}
