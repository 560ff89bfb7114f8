package labcmd

import (
	"testing"
	"time"

	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/engine"
)

func TestHostNode(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name   string
		tasks  []swarm.Task
		want   string
		wantOK bool
	}{
		{"none", nil, "", false},
		{"only a starting task", []swarm.Task{task("w1", "c1", swarm.TaskStateStarting, now)}, "", false},
		{"a running task on a worker", []swarm.Task{task("w2", "c1", swarm.TaskStateRunning, now)}, "10.77.23.2", true},
		{"the newest running task wins", []swarm.Task{
			task("w1", "c1", swarm.TaskStateRunning, now.Add(-time.Minute)),
			task("w2", "c2", swarm.TaskStateRunning, now),
		}, "10.77.23.2", true},
		{"a node the topology does not know", []swarm.Task{task("gone", "c1", swarm.TaskStateRunning, now)}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, ok := hostNode(tc.tasks, threeNodes)
			if ok != tc.wantOK || n.Addr != tc.want {
				t.Errorf("hostNode = %q, %v; want %q, %v", n.Addr, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestPublishesInHostMode(t *testing.T) {
	host := swarm.PortConfig{PublishedPort: 8000, TargetPort: 8000, PublishMode: swarm.PortConfigPublishModeHost}
	ingress := swarm.PortConfig{PublishedPort: 8000, TargetPort: 8000, PublishMode: swarm.PortConfigPublishModeIngress}
	tests := []struct {
		name  string
		ports []swarm.PortConfig
		port  int
		want  bool
	}{
		{"host mode", []swarm.PortConfig{host}, 8000, true},
		{"another port", []swarm.PortConfig{host}, 8001, false},
		{"the routing mesh", []swarm.PortConfig{ingress}, 8000, false},
		{"nothing published", nil, 8000, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s swarm.Service
			s.Spec.EndpointSpec = &swarm.EndpointSpec{Ports: tc.ports}
			if got := publishesInHostMode(s, tc.port); got != tc.want {
				t.Errorf("publishesInHostMode = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAnsweredByTaskOnAnotherNode(t *testing.T) {
	id := "0123456789abcdef0123"
	snap := engine.ServiceSnapshot{Name: "whoami", Service: &swarm.Service{}, Nodes: threeNodes,
		Tasks: []swarm.Task{task("w1", id, swarm.TaskStateRunning, time.Now())}}
	tests := []struct {
		name     string
		snap     func() engine.ServiceSnapshot
		hostname string
		wantHold bool
		want     string
	}{
		{"the container ID's first characters", func() engine.ServiceSnapshot { return snap }, "0123456789ab", true, "whoami.1"},
		{"another hostname", func() engine.ServiceSnapshot { return snap }, "ffffffffffff", false, "whoami.1 is 0123456789ab"},
		{"the spec's hostname", func() engine.ServiceSnapshot {
			s := snap
			s.Tasks = []swarm.Task{task("w1", id, swarm.TaskStateRunning, time.Now())}
			s.Tasks[0].Spec.ContainerSpec.Hostname = "web"
			return s
		}, "web", true, ""},
		{"one node: only inspected containers count", func() engine.ServiceSnapshot {
			s := snap
			s.Nodes = engine.Topology{Nodes: threeNodes.Nodes[:1]}
			return s
		}, "0123456789ab", false, "has no running task"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen, err := answeredByTask(tc.snap(), tc.hostname)
			checkResult(t, seen, err, tc.wantHold, tc.want)
		})
	}
}
