package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// stopSignals end a subcommand that talks to an engine: Ctrl-C, a kill or
// a service manager's stop, and the hangup of a closed terminal or ssh
// session. Each lets the runner clean up what it created, rather than
// killing labrun with services and images left on the engine.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// interruptible runs run, the runner call of a subcommand that talks to an
// engine, with two contexts: ctx, cancelled by the first stop signal, and
// abort, cancelled by the second, which cuts the cleanup's waits short.
// Signals are handled here only: the runner just sees its contexts end.
//
// When a signal came, the exit status is 128+N for signal N, as a shell
// reports a command a signal ended: 130 for SIGINT, 143 for SIGTERM, 129
// for SIGHUP; that labrun cleaned up first is what the runner's output
// says.
func interruptible(run func(ctx, abort context.Context) error) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	abort, abortNow := context.WithCancel(context.Background())
	defer abortNow()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	var first atomic.Value
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case sig := <-sigs:
			first.Store(sig)
			cancel()
		case <-done:
			return
		}
		select {
		case <-sigs:
			abortNow()
		case <-done:
		}
	}()
	err := run(ctx, abort)
	signal.Stop(sigs)
	close(done)
	<-stopped
	if sig, ok := first.Load().(syscall.Signal); ok {
		return withStatus(err, 128+int(sig))
	}
	return err
}

// withStatus returns err with the exit status code.
func withStatus(err error, code int) error {
	var e *exitError
	if errors.As(err, &e) {
		return &exitError{code: code, err: e.err, prefix: e.prefix}
	}
	return &exitError{code: code, err: err}
}
