package enginetest

import "testing"

// TestRequire is the smallest engine test: it runs when the engine answers
// on a swarm manager, and is skipped (fails under CI=true) otherwise.
// TestMakeTest runs it through make test on a node out of swarm to prove
// that make test prepares the engine rather than skipping.
func TestRequire(t *testing.T) {
	e := Require(t)
	if e.Swarm != "active" || !e.Manager {
		t.Errorf("Require returned an engine whose swarm is %q, manager %v", e.Swarm, e.Manager)
	}
}
