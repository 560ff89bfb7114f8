package labcmd

// This test runs against the real Docker engine, a swarm manager. It
// creates overlay networks named labrun-test-net-RANDOM and removes them.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestNetworkExistsRightAfterCreate proves that network-exists, run once
// right after the network's creation as a lab's checks run after its
// actions, sees the driver it was created with. The manager stores a swarm
// network at once but its allocator gives it its driver a moment later:
// inspected in between, it has none. On an idle engine that moment is a
// few milliseconds, and about one creation in four hits it.
func TestNetworkExistsRightAfterCreate(t *testing.T) {
	e := enginetest.Require(t)
	c := &Call{Session: &Session{Ctx: t.Context(), Engine: e}}
	for i := range 20 {
		name := fmt.Sprintf("labrun-test-net-%08x", rand.Uint32())
		created, err := e.Client.NetworkCreate(t.Context(), name, client.NetworkCreateOptions{Driver: "overlay"})
		if err != nil {
			t.Fatal(err)
		}
		c.Args = []string{name, "driver=overlay", "attachable=false"}
		err = networkExists(t.Context(), c)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if _, rmErr := e.Client.NetworkRemove(ctx, created.ID, client.NetworkRemoveOptions{}); rmErr != nil {
			t.Errorf("remove the test network %s: %v", name, rmErr)
		}
		cancel()
		if err != nil {
			t.Fatalf("creation %d: network-exists right after docker network create: %v", i+1, err)
		}
	}
}
