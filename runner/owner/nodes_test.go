package owner

import (
	"maps"
	"testing"

	"github.com/moby/moby/api/types/swarm"
)

func TestRestoredSpec(t *testing.T) {
	was := NodeState{ID: "w1", Availability: "active", Labels: map[string]string{"keep": "me"}}
	tests := []struct {
		name        string
		now         swarm.NodeSpec
		wantChanged bool
	}{
		{"as found", swarm.NodeSpec{Availability: "active", Annotations: swarm.Annotations{Labels: map[string]string{"keep": "me"}}}, false},
		{"drained", swarm.NodeSpec{Availability: "drain", Annotations: swarm.Annotations{Labels: map[string]string{"keep": "me"}}}, true},
		{"a label added", swarm.NodeSpec{Availability: "active", Annotations: swarm.Annotations{Labels: map[string]string{"keep": "me", "zone": "blue"}}}, true},
		{"a label removed", swarm.NodeSpec{Availability: "active"}, true},
		{"a label changed", swarm.NodeSpec{Availability: "active", Annotations: swarm.Annotations{Labels: map[string]string{"keep": "you"}}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.now.Role = swarm.NodeRoleWorker
			spec, changed := restoredSpec(tc.now, was)
			if changed != tc.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tc.wantChanged)
			}
			if string(spec.Availability) != was.Availability || !maps.Equal(spec.Labels, was.Labels) {
				t.Errorf("restored %s %v, want %s %v", spec.Availability, spec.Labels, was.Availability, was.Labels)
			}
			if spec.Role != swarm.NodeRoleWorker {
				t.Errorf("the role changed: %s", spec.Role)
			}
		})
	}
	// A node that had no labels gets none back, and an empty map is no change.
	bare := NodeState{ID: "m1", Availability: "active"}
	if _, changed := restoredSpec(swarm.NodeSpec{Availability: "active", Annotations: swarm.Annotations{Labels: map[string]string{}}}, bare); changed {
		t.Error("an empty label map counts as a change")
	}
	spec, changed := restoredSpec(swarm.NodeSpec{Availability: "active", Annotations: swarm.Annotations{Labels: map[string]string{"zone": "blue"}}}, bare)
	if !changed || len(spec.Labels) != 0 || spec.Labels == nil {
		t.Errorf("labels %v (changed %v), want an empty map sent", spec.Labels, changed)
	}
}
