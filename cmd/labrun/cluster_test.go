package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
)

// checksCluster is the first of the namespaced engines of the node-aware
// checks' tests (21-23): apart from the placement tests' clusters.
const checksCluster = 21

// TestClusterChecks runs whoami-rollback --fast on a real swarm of three
// engines (a manager and two workers, scripts/cluster.sh) with the manager
// drained, so that every task runs on a worker: the lab's HTTP checks,
// which name $ENGINE_HOST (the manager), must reach the worker that runs
// the task, whose port is published in host mode (the routing mesh is
// dead here). Then nothing of the run may be left on any node, and the
// nodes' availability must be as the test set it.
// It needs root and ip netns; without them it is skipped, except under
// CI=true, where it fails.
func TestClusterChecks(t *testing.T) {
	c := upCluster(t)
	ctx := context.Background()
	const name, port = "lrck-rollback", "18461"
	clients, e, topo, manager := c.clients, c.engine, c.topo, c.manager

	// Drain the manager: every task lands on a worker.
	mgr := topo.Nodes[0]
	setAvailability(t, clients[0], mgr.ID, swarm.NodeAvailabilityDrain)
	t.Cleanup(func() { setAvailability(t, clients[0], mgr.ID, swarm.NodeAvailabilityActive) })
	before := availabilities(t, e)

	state, dir := t.TempDir(), t.TempDir()
	report := filepath.Join(dir, "r.json")
	out, code := runLabrun(t, state, "run", "whoami-rollback", "--fast", "--host", manager, "--publish-mode", "host",
		"--set", "SERVICE="+name, "--set", "IMAGE="+name, "--set", "PORT="+port, "--json", report)
	if code != 0 {
		t.Fatalf("exit status %d, want 0\n%s", code, out)
	}
	// The HTTP checks reached a worker's address, and said which node
	// answered: never the drained manager.
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	workers := []string{topo.Nodes[1].Name(), topo.Nodes[2].Name()}
	if !strings.Contains(string(data), "on node "+workers[0]) && !strings.Contains(string(data), "on node "+workers[1]) {
		t.Errorf("no whoami check says a worker (%v) answered; report:\n%s", workers, data)
	}
	if strings.Contains(string(data), "on node "+mgr.Name()) {
		t.Errorf("a check says the drained manager %s answered; report:\n%s", mgr.Name(), data)
	}
	assertNothingLeft(t, ctx, clients[0], name, state)
	// The manager removed the service; each worker removes its containers
	// a moment later, which the run does not wait for.
	for _, cli := range clients[1:] {
		waitNoContainers(t, cli, name, 30*time.Second)
	}
	if after := availabilities(t, e); after != before {
		t.Errorf("the nodes' availability changed: before %s, after %s", before, after)
	}

	// The guide on the same swarm, the manager still drained, a student
	// answering r at every prompt: the step that makes the images says they
	// must be on every node and how (one command per worker), r puts them
	// there, and the request step aims curl at the worker that runs the
	// task, naming it, instead of localhost.
	t.Run("guide", func(t *testing.T) {
		stu := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: "lrck-guide", image: "lrck-guide", port: "18462"}
		defer func() {
			if code, out := stu.labrun("reset", "whoami-rollback", "--host", manager); code != 0 {
				t.Errorf("labrun reset: exit %d\n%s", code, out)
			}
			// The images r put on the workers are the guide's too: reset
			// reaches each worker's engine again to remove them.
			c.assertNoImages(t, "lrck-guide")
		}()
		// Three steps, then q at request: the service runs on a worker.
		code, first := stu.labrunKeys("r\nr\nr\nq\n", "guide", "whoami-rollback", "--fast", "--dir", ".", "--host", manager)
		if code != 0 || !strings.Contains(first, "resumes at step request") {
			t.Fatalf("labrun guide answering r three times: exit %d\n%s", code, first)
		}
		// labrun check, and the guide resumed, read the task's container
		// on its worker: the lab was started, and they find the nodes'
		// engines all the same.
		if code, out := stu.labrun("check", "whoami-rollback", "create-service", "--host", manager); code != 0 {
			t.Errorf("labrun check create-service with the task on a worker: exit %d\n%s", code, out)
		}
		code, out := stu.labrunKeys(strings.Repeat("r\n", 40), "guide", "whoami-rollback", "--fast", "--dir", ".", "--host", manager)
		if code != 0 || !strings.Contains(out, "Every step of whoami-rollback is done") {
			t.Fatalf("labrun guide resumed, answering r: exit %d\n%s", code, out)
		}
		out = first + out
		for _, want := range []string{
			"This swarm has 3 nodes",
			"$ docker save lrck-guide:1.0 lrck-guide:2.0 | docker -H " + c.hosts[1] + " load",
			"$ docker save lrck-guide:1.0 lrck-guide:2.0 | docker -H " + c.hosts[2] + " load",
			"The task runs on node " + workers[0],
		} {
			if want == "The task runs on node "+workers[0] && strings.Contains(out, "The task runs on node "+workers[1]) {
				continue // either worker may run it
			}
			if !strings.Contains(out, want) {
				t.Errorf("the guide does not say %q\n%s", want, out)
			}
		}
		if !regexp.MustCompile(`\$ curl 10\.77\.2[23]\.2:18462/whoami`).MatchString(out) {
			t.Errorf("the request step does not aim curl at a worker's address\n%s", out)
		}
		for _, cli := range clients[1:] {
			waitNoContainers(t, cli, "lrck-guide", 30*time.Second)
		}
	})

	// A check that reads the task's container, which runs on a worker (the
	// manager is drained): labrun check and the guide resumed after q find
	// the worker's engine, although the lab was started by an earlier
	// labrun (testdata/cluster/containerlabel.txtar).
	t.Run("check and resumed guide read a worker's container", func(t *testing.T) {
		stu := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: "lrck-label", image: "lrck-label", port: "18463"}
		lab, err := filepath.Abs("testdata/cluster/containerlabel.txtar")
		if err != nil {
			t.Fatal(err)
		}
		run := func(keys string, args ...string) (int, string) {
			cmd := exec.Command("labrun", append(args, "--host", manager, "--yes")...)
			cmd.Dir, cmd.Env, cmd.Stdin = stu.dir, stu.env(), strings.NewReader(keys)
			out, _ := cmd.CombinedOutput()
			return cmd.ProcessState.ExitCode(), string(out)
		}
		defer func() {
			if code, out := run("", "reset", lab); code != 0 {
				t.Errorf("labrun reset: exit %d\n%s", code, out)
			}
			c.assertNoImages(t, "lrck-label")
			for _, cli := range clients[1:] {
				waitNoContainers(t, cli, "lrck-label", 30*time.Second)
			}
		}()
		if code, out := run("r\nq\n", "guide", lab, "--dir", "."); code != 0 || !strings.Contains(out, "resumes at step read") {
			t.Fatalf("labrun guide, r then q: exit %d\n%s", code, out)
		}
		if code, out := run("", "check", lab, "read"); code != 0 {
			t.Errorf("labrun check read, the container on a worker: exit %d\n%s", code, out)
		}
		if code, out := run("\n", "guide", lab, "--dir", "."); code != 0 || !strings.Contains(out, "Every step of containerlabel is done") {
			t.Errorf("labrun guide resumed: exit %d\n%s", code, out)
		}
	})

	// The node-aware checks on states where they must fail, negated in a
	// lab of the test's own (testdata/place.txtar), which passes only if
	// each fails there: and the worker's label is put back by the run.
	t.Run("node checks that must fail", func(t *testing.T) {
		state := t.TempDir()
		out, code := runLabrun(t, state, "run", "testdata/cluster/place.txtar", "--host", manager, "--set", "IMAGE="+name, "--set", "SVC=lrck-place")
		if code != 0 {
			t.Fatalf("exit status %d, want 0\n%s", code, out)
		}
		waitNoContainers(t, clients[1], "lrck-place", 30*time.Second)
		assertNoLedger(t, state)
		if after := availabilities(t, e); after != before {
			t.Errorf("the nodes' labels or availability changed: before %s, after %s", before, after)
		}
	})
}

// setAvailability sets a node's availability, as docker node update
// --availability does.
func setAvailability(t *testing.T, cli *client.Client, id string, a swarm.NodeAvailability) {
	t.Helper()
	updateNode(t, cli, id, func(spec *swarm.NodeSpec) { spec.Availability = a })
}

// updateNode changes a node's spec at its current version.
func updateNode(t *testing.T, cli *client.Client, id string, change func(*swarm.NodeSpec)) {
	t.Helper()
	ctx := context.Background()
	n, err := cli.NodeInspect(ctx, id, client.NodeInspectOptions{})
	if err != nil {
		t.Fatalf("inspect node %s: %v", id, err)
	}
	spec := n.Node.Spec
	change(&spec)
	if _, err := cli.NodeUpdate(ctx, id, client.NodeUpdateOptions{Version: n.Node.Version, Spec: spec}); err != nil {
		t.Fatalf("update node %s: %v", id, err)
	}
}

// availabilities sums up every node's availability and labels.
func availabilities(t *testing.T, e *engine.Engine) string {
	t.Helper()
	topo, err := e.Nodes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, n := range topo.Nodes {
		parts = append(parts, fmt.Sprintf("%s=%s%v", n.Name(), n.Availability, n.Labels))
	}
	return strings.Join(parts, " ")
}

// waitNoContainers waits, up to limit, until the engine of cli has no
// container of service name, and fails the test if it still has.
func waitNoContainers(t *testing.T, cli *client.Client, name string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		list, err := cli.ContainerList(context.Background(), client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", "com.docker.swarm.service.name="+name)})
		switch {
		case err != nil:
			t.Errorf("containers of %s: the engine did not list them: %v", name, err)
			return
		case len(list.Items) == 0:
			return
		case time.Now().After(deadline):
			t.Errorf("%d containers of %s are still there after %s", len(list.Items), name, limit)
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// nodeCluster is a test cluster (clusterUp) with its manager connected
// and its nodes as the manager lists them.
type nodeCluster struct {
	*testCluster
	engine *engine.Engine // the manager
	topo   engine.Topology
}

// upCluster makes the checks' swarm of three engines (engines 21-23),
// which t.Cleanup takes down. labrun finds each node's engine at the
// manager's scheme and port and puts the lab's images there itself.
func upCluster(t *testing.T) *nodeCluster {
	t.Helper()
	c := &nodeCluster{testCluster: clusterUp(t, checksCluster)}
	var err error
	if c.engine, err = engine.Connect(context.Background(), c.manager); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.engine.Close() })
	if c.topo, err = c.engine.Nodes(context.Background()); err != nil || len(c.topo.Nodes) != 3 {
		t.Fatalf("the cluster's nodes: %v, %v", c.topo.Nodes, err)
	}
	return c
}

// TestClusterLab runs the swarm-nodes lab on a real swarm of three nodes:
// run --fast and verify --fast (every check proved to fail before its
// step); make test-labs-cluster runs it at its own pace. After each,
// nothing of the run is left on any node and the nodes' labels and
// availability are as found.
func TestClusterLab(t *testing.T) {
	c := upCluster(t)
	ctx := context.Background()
	const service, global, image, port = "lrck-web", "lrck-agent", "lrck-whoami", "18462"
	before := availabilities(t, c.engine)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"run fast", []string{"run", "swarm-nodes", "--fast"}},
		{"verify fast", []string{"verify", "swarm-nodes", "--fast"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := t.TempDir()
			args := append(tc.args, "--host", c.manager,
				"--set", "SERVICE="+service, "--set", "GLOBAL="+global, "--set", "IMAGE="+image, "--set", "PORT="+port)
			out, code := runLabrun(t, state, args...)
			if code != 0 {
				t.Fatalf("exit status %d, want 0\n%s", code, out)
			}
			for _, name := range []string{service, global} {
				found, err := absentLookups["service"](ctx, c.clients[0], name)
				if err != nil || found != "" {
					t.Errorf("service %s is left (%q, %v)", name, found, err)
				}
				for _, cli := range c.clients {
					waitNoContainers(t, cli, name, 30*time.Second)
				}
			}
			if found, err := absentLookups["image"](ctx, c.clients[0], image+":1.0"); err != nil || found != "" {
				t.Errorf("image %s:1.0 is left on the manager (%q, %v)", image, found, err)
			}
			assertNoLedger(t, state)
			if after := availabilities(t, c.engine); after != before {
				t.Errorf("the nodes' labels or availability changed: before %s, after %s", before, after)
			}
		})
	}

	// A French student answering r at every prompt of the guide finishes
	// every step (issue 13: r finishes every built-in lab, this one
	// included, which needs three nodes), in French only, and leaves the
	// nodes as found.
	t.Run("guide answering r, in French", func(t *testing.T) {
		stu := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: service, image: image, port: port, lang: "fr", lab: "swarm-nodes"}
		defer func() {
			if code, out := stu.labrun("reset", "swarm-nodes", "--host", c.manager, "--set", "GLOBAL="+global); code != 0 {
				t.Errorf("labrun reset: exit %d\n%s", code, out)
			}
			c.assertNoImages(t, image)
			if after := availabilities(t, c.engine); after != before {
				t.Errorf("the nodes' labels or availability changed: before %s, after %s", before, after)
			}
		}()
		code, out := stu.labrunKeys(strings.Repeat("r\n", 40), "guide", "swarm-nodes", "--fast", "--dir", ".", "--host", c.manager, "--set", "GLOBAL="+global)
		if code != 0 || !strings.Contains(out, "Toutes les étapes de swarm-nodes sont réussies") {
			t.Fatalf("labrun guide answering r: exit %d\n%s", code, out)
		}
		if english := englishIn(out); len(english) > 0 {
			t.Errorf("English in a French guide: %q\n%s", english, out)
		}
	})

	// A run that labels and drains a worker, then fails: labrun puts the
	// worker back as it found it, a label of its own included.
	t.Run("a failing run puts the nodes back", func(t *testing.T) {
		worker := c.topo.Nodes[1]
		setLabels(t, c.clients[0], worker.ID, map[string]string{"lrck-keep": "me"})
		t.Cleanup(func() { setLabels(t, c.clients[0], worker.ID, nil) })
		before := availabilities(t, c.engine)
		dir, state := t.TempDir(), t.TempDir()
		writeFile(t, filepath.Join(dir, "fails.txtar"), failingNodeLab, 0o644)
		out, code := runLabrun(t, state, "run", filepath.Join(dir, "fails.txtar"), "--host", c.manager)
		if code != 1 || !strings.Contains(out, "label.never=there") {
			t.Fatalf("exit status %d, want 1 from the check that cannot hold\n%s", code, out)
		}
		if after := availabilities(t, c.engine); after != before {
			t.Errorf("the nodes' labels or availability changed: before %s, after %s\n%s", before, after, out)
		}
		assertNoLedger(t, state)
	})
}

// failingNodeLab labels and drains a worker, then fails.
const failingNodeLab = `# A lab that labels and drains a node, then fails: labrun must put the
# node back as it found it.

## title.en Change a node, then fail
## title.fr Changer un nœud, puis échouer
## text.en Labels and drains a worker, then checks what cannot hold.
## text.fr Étiquette et vide un worker, puis vérifie ce qui ne peut tenir.

## step change-node
## title.en Label and drain a worker
## title.fr Étiqueter et vider un worker
## text.en The worker gets a label and is drained; then a check that cannot hold fails the run.
## text.fr Le worker reçoit un label et est vidé ; puis une vérification qui ne peut tenir fait échouer le run.
## type docker node update --label-add lrck=yes WORKER
## actions
choose-node WORKER worker-1
exec docker node update --label-add lrck=yes --label-rm lrck-keep --availability drain $WORKER
## checks
node $WORKER label.lrck=yes availability=drain label.never=there
`

// setLabels sets a node's labels, as docker node update --label-add and
// --label-rm do.
func setLabels(t *testing.T, cli *client.Client, id string, labels map[string]string) {
	t.Helper()
	updateNode(t, cli, id, func(spec *swarm.NodeSpec) { spec.Labels = labels })
}
