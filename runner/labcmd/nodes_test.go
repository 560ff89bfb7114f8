package labcmd

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
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

// labelled is threeNodes with node-22 labelled zone=a and node-23 drained.
func labelled() engine.Topology {
	topo := engine.Topology{Nodes: append([]engine.Node{}, threeNodes.Nodes...)}
	for i := range topo.Nodes {
		topo.Nodes[i].State, topo.Nodes[i].Availability = "ready", "active"
	}
	topo.Nodes[0].Leader = true
	topo.Nodes[1].Labels = map[string]string{"zone": "a"}
	topo.Nodes[2].Availability = "drain"
	return topo
}

func TestFindNode(t *testing.T) {
	tests := []struct{ ref, want string }{
		{"manager", "m1"}, {"worker-1", "w1"}, {"worker-2", "w2"}, {"worker-3", ""},
		{"node-23", "w2"}, {"10.77.22.2", "w1"}, {"w1", "w1"}, {"nowhere", ""},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			n, err := findNode(labelled(), tc.ref)
			if tc.want == "" {
				var final *FinalError
				if err == nil || !errors.As(err, &final) {
					t.Errorf("findNode(%s) = %s, %v; want a final error", tc.ref, n.ID, err)
				}
				return
			}
			if err != nil || n.ID != tc.want {
				t.Errorf("findNode(%s) = %s, %v; want %s", tc.ref, n.ID, err, tc.want)
			}
		})
	}
}

func TestNodeHas(t *testing.T) {
	tests := []struct {
		name     string
		ref      string
		props    []string
		wantHold bool
		want     string
	}{
		{"a drained worker", "worker-2", []string{"availability=drain", "role=worker"}, true, "availability=drain"},
		{"not drained", "worker-1", []string{"availability=drain"}, false, "availability=drain (has active)"},
		{"a label", "worker-1", []string{"label.zone=a"}, true, ""},
		{"a missing label", "worker-2", []string{"label.zone=a"}, false, "(has -)"},
		{"a label it must not have", "worker-1", []string{"!label.zone=a"}, false, "!label.zone=a"},
		{"no label it must not have", "manager", []string{"!label.zone=a", "state=ready"}, true, ""},
		{"no such node", "worker-9", nil, false, "has 2 workers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var props []nodeProperty
			for _, p := range tc.props {
				np, err := parseNodeProperty(p)
				if err != nil {
					t.Fatal(err)
				}
				props = append(props, np)
			}
			seen, err := nodeHas(labelled(), tc.ref, props)
			checkResult(t, seen, err, tc.wantHold, tc.want)
		})
	}
}

func TestNodeArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"manager", "availability=drain", "label.zone=a", "!role=worker"}, true},
		{[]string{"manager", "colour=red"}, false},
		{[]string{"manager", "label.=x"}, false},
		{[]string{"manager", "availability"}, false},
		{[]string{"manager", "${X}"}, true},
	} {
		if err := nodeArgs(tc.args); (err == nil) != tc.ok {
			t.Errorf("nodeArgs(%q) = %v, want ok=%v", tc.args, err, tc.ok)
		}
	}
}

// placedSnap is a service whose running tasks are on the given nodes.
func placedSnap(global bool, constraints []string, nodes ...string) engine.ServiceSnapshot {
	svc := &swarm.Service{}
	svc.Spec.TaskTemplate.Placement = &swarm.Placement{Constraints: constraints}
	if global {
		svc.Spec.Mode.Global = &swarm.GlobalService{}
	}
	snap := engine.ServiceSnapshot{Name: "web", Service: svc, Nodes: labelled()}
	for i, n := range nodes {
		tk := task(n, fmt.Sprint("c", i), swarm.TaskStateRunning, time.Now())
		tk.Slot = i + 1
		snap.Tasks = append(snap.Tasks, tk)
	}
	// A task shut down elsewhere counts for nothing.
	old := task("m1", "old", swarm.TaskStateShutdown, time.Now())
	old.DesiredState = swarm.TaskStateShutdown
	snap.Tasks = append(snap.Tasks, old)
	return snap
}

func TestTaskPlacementChecks(t *testing.T) {
	zoneA := []string{"node.labels.zone==a"}
	tests := []struct {
		name     string
		check    func() (i18n.Sentence, error)
		wantHold bool
		want     string
	}{
		{"count on a node", func() (i18n.Sentence, error) {
			return countOnNode(placedSnap(false, nil, "w1", "w1", "m1"), "worker-1", 2)
		}, true, "node-21: 1, node-22: 2"},
		{"a drained node keeps none", func() (i18n.Sentence, error) { return countOnNode(placedSnap(false, nil, "w2"), "node-23", 0) }, false, "1 running task(s) of web on node node-23, want 0"},
		{"spread over three", func() (i18n.Sentence, error) { return spread(placedSnap(false, nil, "m1", "w1", "w2"), 3) }, true, "3 nodes"},
		{"two on one node", func() (i18n.Sentence, error) { return spread(placedSnap(false, nil, "m1", "m1", "w2"), 3) }, false, "on 2 node(s), want at least 3"},
		{"constraint honoured", func() (i18n.Sentence, error) { return placed(placedSnap(false, zoneA, "w1", "w1")) }, true, "node.labels.zone==a"},
		{"constraint broken", func() (i18n.Sentence, error) { return placed(placedSnap(false, zoneA, "w1", "m1")) }, false, "web.2 on node-21"},
		{"not equal", func() (i18n.Sentence, error) {
			return placed(placedSnap(false, []string{"node.role!=manager"}, "w1", "w2"))
		}, true, ""},
		{"nothing runs", func() (i18n.Sentence, error) { return placed(placedSnap(false, zoneA)) }, false, "no running task"},
		{"global: one per active node", func() (i18n.Sentence, error) { return onePerNode(placedSnap(true, nil, "m1", "w1")) }, true, "each of its 2 nodes"},
		{"global: one missing", func() (i18n.Sentence, error) { return onePerNode(placedSnap(true, nil, "m1")) }, false, "node-22 0/1"},
		{"global: one on a drained node", func() (i18n.Sentence, error) { return onePerNode(placedSnap(true, nil, "m1", "w1", "w2")) }, false, "node-23 1/0"},
		{"global with a constraint", func() (i18n.Sentence, error) { return onePerNode(placedSnap(true, zoneA, "w1")) }, true, "each of its 1 nodes"},
		{"replicated is not global", func() (i18n.Sentence, error) { return onePerNode(placedSnap(false, nil, "m1", "w1")) }, false, "not global"},
		{"enough nodes", func() (i18n.Sentence, error) { return enoughNodes(labelled(), 2) }, true, "2 nodes ready and active"},
		{"too few nodes", func() (i18n.Sentence, error) {
			return enoughNodes(engine.Topology{Nodes: labelled().Nodes[:1]}, 3)
		}, false, "1 node(s) ready and active"},
		{"a drained node does not count", func() (i18n.Sentence, error) { return enoughNodes(labelled(), 3) }, false, "2 node(s) ready and active"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen, err := tc.check()
			checkResult(t, seen, err, tc.wantHold, tc.want)
		})
	}
}

func TestMinNodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		want int
	}{
		{"swarm-nodes", 3},
		{"whoami-rollback", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, ok := labs.Read(tc.name)
			if !ok {
				t.Fatalf("no built-in lab %s", tc.name)
			}
			l, err := lab.Load(tc.name+labs.Ext, data, NewVocabulary())
			if err != nil {
				t.Fatal(err)
			}
			if got := MinNodes(l); got != tc.want {
				t.Errorf("MinNodes = %d, want %d", got, tc.want)
			}
		})
	}
}
