package labcmd

import (
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
)

// threeNodes is a swarm of a manager and two workers, as
// scripts/cluster.sh makes it.
var threeNodes = engine.Topology{Nodes: []engine.Node{
	{ID: "m1", Hostname: "node-21", Role: "manager", Addr: "10.77.21.2"},
	{ID: "w1", Hostname: "node-22", Role: "worker", Addr: "10.77.22.2"},
	{ID: "w2", Hostname: "node-23", Role: "worker", Addr: "10.77.23.2"},
}}

func task(node, container string, state swarm.TaskState, created time.Time) swarm.Task {
	t := swarm.Task{NodeID: node, DesiredState: swarm.TaskStateRunning, Slot: 1}
	t.Status.State = state
	t.Status.ContainerStatus = &swarm.ContainerStatus{ContainerID: container}
	t.Spec.ContainerSpec = &swarm.ContainerSpec{Image: "whoami:1.0"}
	t.Meta.CreatedAt = created
	return t
}

func TestDescribeTaskNamesNode(t *testing.T) {
	tk := task("w2", "c1", swarm.TaskStateRunning, time.Now())
	tests := []struct {
		name  string
		nodes engine.Topology
		lang  string
		want  string
		not   string
	}{
		{"several nodes", threeNodes, "en", "on node-23", ""},
		{"several nodes in French", threeNodes, "fr", "sur node-23", ""},
		{"one node: as before", engine.Topology{Nodes: threeNodes.Nodes[:1]}, "en", "", " on "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := engine.ServiceSnapshot{Name: "whoami", Nodes: tc.nodes}
			got := i18n.Textf(tc.lang, "%v", describeTask(snap, tk))
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("%q lacks %q", got, tc.want)
			}
			if tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("%q has %q", got, tc.not)
			}
		})
	}
}
