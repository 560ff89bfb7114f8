package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/report"
)

// TestClusterNodeItem: a node fails only when a task may land on it and
// it could get no image there.
func TestClusterNodeItem(t *testing.T) {
	ready := engine.Node{ID: "n2", Hostname: "node-2", Role: "worker", Availability: "active", State: "ready", Addr: "10.0.0.2", Arch: "x86_64"}
	drained := ready
	drained.Availability = "drain"
	exotic := ready
	exotic.Arch = "riscv64"
	far := nodeReach{url: "tcp://10.0.0.2:2375", err: errors.New("no answer within 5s")}
	near := nodeReach{url: "tcp://10.0.0.2:2375"}
	for _, tc := range []struct {
		name    string
		node    engine.Node
		reach   nodeReach
		flavour string
		status  string
		detail  string
	}{
		{"reachable", ready, near, "offline", report.ItemOK, "labrun makes the offline images on it"},
		{"unreachable, offline", ready, far, "offline", report.ItemFail, "a task placed there cannot run"},
		{"unreachable, drained", drained, far, "offline", report.ItemOK, "no task lands on it"},
		{"unreachable, hub", ready, far, "hub", report.ItemOK, "it pulls the hub images itself"},
		{"no offline image for its arch", exotic, near, "offline", report.ItemFail, "no offline image for it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := clusterNodeItem("en", tc.node, tc.reach, tc.flavour)
			if it.Status != tc.status || !strings.Contains(it.Detail, tc.detail) || it.Title != "node node-2" {
				t.Errorf("got %s %q: %s; want %s with %q", it.Status, it.Title, it.Detail, tc.status, tc.detail)
			}
		})
	}
}

// TestDoctorCluster: on a swarm of three nodes (scripts/cluster.sh up 3
// 31), doctor lists every node; through the manager's TCP URL it reaches
// each node's engine and the lab can run; through the manager's unix
// socket it has no URL to try for the workers, whose items fail, naming
// them: a task placed there would have no image. Exit 1.
func TestDoctorCluster(t *testing.T) {
	if os.Geteuid() != 0 {
		enginetest.SkipOrFail(t, "needs root for ip netns and dockerd")
	}
	script := "../../scripts/cluster.sh"
	exec.Command(script, "down", fmt.Sprint(firstEngine)).Run() // from fresh engines
	if out, err := exec.Command(script, "up", "3", fmt.Sprint(firstEngine)).CombinedOutput(); err != nil {
		t.Fatalf("%s up 3 %d: %v\n%s", script, firstEngine, err, out)
	}
	t.Cleanup(func() {
		if os.Getenv("LABRUN_KEEP_ENGINES") == "" {
			exec.Command(script, "down", fmt.Sprint(firstEngine)).Run()
		}
	})
	// A port nothing on this machine uses: the unix socket's engine is
	// local, so its free ports are this machine's.
	set := map[string]string{"PORT": "18731"}
	for _, tc := range []struct {
		name, host string
		code       int
		failing    []string
	}{
		{"tcp: every node reached", "tcp://10.77.31.2:2375", exit.Pass, nil},
		{"unix: workers unreachable", "unix:///run/labrun-engines/31/docker.sock", exit.Fail, []string{"node node-32", "node node-33"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, code, err := Run(context.Background(), Options{Lab: "whoami-rollback", Set: set, Flavour: "offline", Host: tc.host, StateDir: t.TempDir()})
			if code != tc.code || err != nil {
				t.Fatalf("exit %d, %v; want %d", code, err, tc.code)
			}
			var nodes, failing []string
			for _, it := range c.Items {
				if strings.HasPrefix(it.Title, "node ") {
					nodes = append(nodes, it.Title)
				}
				if it.Status == report.ItemFail {
					failing = append(failing, it.Title)
					if !strings.Contains(it.Detail, "cannot reach its engine") || !strings.Contains(it.Detail, "a task placed there cannot run") {
						t.Errorf("%s: %s", it.Title, it.Detail)
					}
				}
			}
			if fmt.Sprint(nodes) != "[node node-31 node node-32 node node-33]" {
				t.Errorf("nodes listed: %v", nodes)
			}
			if fmt.Sprint(failing) != fmt.Sprint(tc.failing) {
				t.Errorf("failing items %v, want %v", failing, tc.failing)
			}
		})
	}
}
