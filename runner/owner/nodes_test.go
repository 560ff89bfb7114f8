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

	// With what the run left recorded, only the run's own change goes
	// back: one someone else made since (or on top) stays theirs.
	labels := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	ran := NodeState{ID: "w1", Availability: "active", Labels: labels("keep", "me"),
		After: &NodeState{Availability: "drain", Labels: labels("keep", "me", "zone", "blue")}}
	for _, tc := range []struct {
		name       string
		now        swarm.NodeSpec
		wantAvail  string
		wantLabels map[string]string
	}{
		{"as the run left it", swarm.NodeSpec{Availability: "drain", Annotations: swarm.Annotations{Labels: labels("keep", "me", "zone", "blue")}}, "active", labels("keep", "me")},
		{"availability changed since by someone", swarm.NodeSpec{Availability: "pause", Annotations: swarm.Annotations{Labels: labels("keep", "me", "zone", "blue")}}, "pause", labels("keep", "me")},
		{"the run's label changed since", swarm.NodeSpec{Availability: "drain", Annotations: swarm.Annotations{Labels: labels("keep", "me", "zone", "red")}}, "active", labels("keep", "me", "zone", "red")},
		{"a label added since by someone", swarm.NodeSpec{Availability: "drain", Annotations: swarm.Annotations{Labels: labels("keep", "me", "zone", "blue", "gpu", "yes")}}, "active", labels("keep", "me", "gpu", "yes")},
		{"a label the run left alone changed since", swarm.NodeSpec{Availability: "drain", Annotations: swarm.Annotations{Labels: labels("keep", "other", "zone", "blue")}}, "active", labels("keep", "other")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, _ := restoredSpec(tc.now, ran)
			if string(spec.Availability) != tc.wantAvail || !maps.Equal(spec.Labels, tc.wantLabels) {
				t.Errorf("restored %s %v, want %s %v", spec.Availability, spec.Labels, tc.wantAvail, tc.wantLabels)
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
