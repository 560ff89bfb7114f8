package labcmd

// This test runs against the real Docker engine, a swarm manager. It
// creates services named labrun-test-prober-RANDOM, which never run (their
// image does not exist), and removes them when it ends.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestReplaceProber checks that probe-start replaces only a prober of its
// own run: on a shared engine, another run or guide session of the same
// lab may be measuring with a prober of the same name.
func TestReplaceProber(t *testing.T) {
	e := enginetest.Require(t)
	const lab = "whoami-zero-downtime"
	tests := []struct {
		name     string
		existing map[string]string // the labels of the prober already there
		ours     map[string]string // the labels of the run that starts it again
		replaced bool
	}{
		{"the same run's", map[string]string{"labrun.run": "run-a", "labrun.lab": lab},
			map[string]string{"labrun.run": "run-a", "labrun.lab": lab}, true},
		{"another run's of the same lab", map[string]string{"labrun.run": "run-b", "labrun.lab": lab},
			map[string]string{"labrun.run": "run-a", "labrun.lab": lab}, false},
		{"the same run ID, another lab", map[string]string{"labrun.run": "run-a", "labrun.lab": "other"},
			map[string]string{"labrun.run": "run-a", "labrun.lab": lab}, false},
		{"not labrun's", nil, map[string]string{"labrun.run": "run-a", "labrun.lab": lab}, false},
		{"a run without an ID", map[string]string{"labrun.lab": lab}, map[string]string{"labrun.lab": lab}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("labrun-test-prober-%08x", rand.Uint32())
			replicas := uint64(0)
			spec := swarm.ServiceSpec{
				Annotations:  swarm.Annotations{Name: name, Labels: tc.existing},
				TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: name + ":none"}},
				Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}},
			}
			created, err := e.Client.ServiceCreate(t.Context(), client.ServiceCreateOptions{Spec: spec})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				// t.Context() is already cancelled when cleanups run.
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if _, err := e.Client.ServiceRemove(ctx, created.ID, client.ServiceRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
					t.Errorf("remove the test service %s: %v", name, err)
				}
			})
			c := &Call{Session: &Session{Engine: e, Labels: tc.ours}}
			if err := c.replaceProber(t.Context(), name); err != nil {
				t.Fatalf("replaceProber: %v", err)
			}
			_, err = e.Client.ServiceInspect(t.Context(), created.ID, client.ServiceInspectOptions{})
			switch {
			case err != nil && !cerrdefs.IsNotFound(err):
				t.Fatal(err)
			case tc.replaced && err == nil:
				t.Errorf("the prober %s is still there, want it removed", name)
			case !tc.replaced && err != nil:
				t.Errorf("the prober %s was removed, want it left alone", name)
			}
		})
	}
}
