// Package enginetest gives labrun's tests the engine they run against:
// the real one, never a mock.
package enginetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine"
)

// Require connects to the engine labrun would use, closed when the test
// ends. Without a usable engine (one that answers, on a swarm manager)
// the test is skipped, except under CI=true, where it fails: CI must prove
// the labs run.
func Require(t testing.TB) *engine.Engine {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e, err := engine.Connect(ctx, "")
	if err == nil && !e.Manager {
		e.Close()
		err = errors.New("the engine's node is not a swarm manager (docker swarm init --advertise-addr 127.0.0.1)")
	}
	if err != nil {
		SkipOrFail(t, "no usable engine: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// SkipOrFail is the rule for every test that needs something of the
// machine (an engine, root, sshd, tmux): where it is missing the test is
// skipped, so that go test passes on a laptop; under CI=true it fails
// instead, since CI is where every such test must run, and a skip there
// would pass without proving anything.
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	why := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and %s", why)
	}
	t.Skip(why)
}
