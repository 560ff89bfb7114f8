package labcmd

import (
	"context"
	"errors"
	"testing"

	"github.com/moby/moby/api/types/network"
)

// TestSettled proves that a swarm network shown with no driver, as the
// engine shows it between its creation and the manager's allocation, is
// not taken for a network with an empty driver, and that a negated check
// cannot pass on it once the wait for it runs out.
func TestSettled(t *testing.T) {
	cases := []struct {
		n       network.Inspect
		settled bool
	}{
		{network.Inspect{Network: network.Network{Name: "net", Scope: "swarm", Driver: "overlay"}}, true},
		{network.Inspect{Network: network.Network{Name: "net", Scope: "local", Driver: "bridge"}}, true},
		{network.Inspect{Network: network.Network{Name: "net", Scope: "swarm"}}, false},
	}
	for _, tc := range cases {
		err := settled(tc.n)
		var u *unsettledError
		if got := !errors.As(err, &u); got != tc.settled {
			t.Errorf("scope %s, driver %q: settled %t, want %t (%v)", tc.n.Scope, tc.n.Driver, got, tc.settled, err)
		}
		if err != nil && verdict(context.Background(), true, Blind(err), "") == nil {
			t.Errorf("scope %s, driver %q: ! network-exists passed on a network not shown in full", tc.n.Scope, tc.n.Driver)
		}
	}
}
