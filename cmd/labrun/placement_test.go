package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/moby/moby/client"
)

// The placement tests' clusters (scripts/cluster.sh up 3 FIRST): engines
// 11-13, and 41-43 for the registry's, the first of each the manager.
const (
	clusterFirst    = 11
	registryCluster = 41
	// registryAddr is on the host's side of engine 41's veth: every
	// namespaced engine reaches it, and trusts it over plain HTTP.
	registryHost = "10.77.41.1:5041"
)

// testCluster is a swarm of three namespaced engines, up for one test.
type testCluster struct {
	manager string
	// hosts are the engines' URLs, the manager's first; nodes their
	// node IDs, in the same order.
	hosts   []string
	nodes   []string
	clients []*client.Client
	// nodesFile lists every node and its engine (scripts/cluster.sh nodes).
	nodesFile string
}

// clusterUp builds the test cluster, brought down when the test ends.
// It needs root and ip netns: without them the test is skipped, except
// under CI=true, where it fails.
func clusterUp(t *testing.T, firstEngine int, env ...string) *testCluster {
	t.Helper()
	requireNetns(t)
	script := "../../scripts/cluster.sh"
	first := fmt.Sprint(firstEngine)
	down := func() {
		if out, err := exec.Command(script, "down", first).CombinedOutput(); err != nil {
			t.Errorf("%s down: %v\n%s", script, err, out)
		}
	}
	down() // what an earlier, killed run may have left
	t.Cleanup(down)
	up := exec.Command(script, "up", "3", first)
	up.Env = append(os.Environ(), env...)
	if out, err := up.CombinedOutput(); err != nil {
		t.Fatalf("%s up 3 %s: %v\n%s", script, first, err, out)
	}
	c := &testCluster{manager: fmt.Sprintf("tcp://10.77.%d.2:2375", firstEngine)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for n := firstEngine; n < firstEngine+3; n++ {
		h := fmt.Sprintf("tcp://10.77.%d.2:2375", n)
		cli, err := client.New(client.WithHost(h), client.WithAPIVersion("1.41"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cli.Close() })
		info, err := cli.Info(ctx, client.InfoOptions{})
		if err != nil {
			t.Fatalf("engine %s: %v", h, err)
		}
		c.hosts, c.clients, c.nodes = append(c.hosts, h), append(c.clients, cli), append(c.nodes, info.Info.Swarm.NodeID)
	}
	out, err := exec.Command(script, "nodes", first).Output()
	if err != nil {
		t.Fatalf("%s nodes %s: %v", script, first, err)
	}
	c.nodesFile = filepath.Join(t.TempDir(), "nodes")
	writeFile(t, c.nodesFile, string(out), 0o644)
	return c
}

// drain sets the availability of the nodes at the given indexes (0: the
// manager) to drain for the rest of the test, put back to active after.
// The lab's services are created after: no task of theirs is to move.
func (c *testCluster) drain(t *testing.T, which ...int) {
	t.Helper()
	for _, i := range which {
		id := c.nodes[i]
		if out, err := exec.Command("docker", "-H", c.manager, "node", "update", "--availability", "drain", id).CombinedOutput(); err != nil {
			t.Fatalf("drain node %s: %v\n%s", id, err, out)
		}
		t.Cleanup(func() {
			if out, err := exec.Command("docker", "-H", c.manager, "node", "update", "--availability", "active", id).CombinedOutput(); err != nil {
				t.Errorf("node %s back to active: %v\n%s", id, err, out)
			}
		})
	}
}

// assertNothingOnAnyNode checks that the cluster holds no service of a
// run named name (asked of the manager, as only it can answer) and that
// no engine holds an image or container of it.
func (c *testCluster) assertNothingOnAnyNode(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	assertNoObjects(t, ctx, c.clients[0], name)
	c.assertNoImages(t, name)
	for i, cli := range c.clients[1:] {
		list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", "com.docker.swarm.service.name="+name)})
		switch {
		case err != nil:
			t.Errorf("containers of %s on %s: %v", name, c.hosts[i+1], err)
		case len(list.Items) > 0:
			t.Errorf("%d containers of %s are left on %s", len(list.Items), name, c.hosts[i+1])
		}
	}
}

// assertNoImages checks that no engine of the cluster holds release 1.0
// or 2.0 of the image named image.
func (c *testCluster) assertNoImages(t *testing.T, image string) {
	t.Helper()
	for _, ref := range []string{image + ":1.0", image + ":2.0"} {
		if on := c.imageOnNodes(t, ref); len(on) > 0 {
			t.Errorf("image %s is left on %v", ref, on)
		}
	}
}

// imageOnNodes tells on which engines of the cluster the image ref is.
func (c *testCluster) imageOnNodes(t *testing.T, ref string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var on []string
	for i, cli := range c.clients {
		found, err := absentLookups["image"](ctx, cli, ref)
		if err != nil {
			t.Fatalf("image %s on %s: %v", ref, c.hosts[i], err)
		}
		if found != "" {
			on = append(on, c.hosts[i])
		}
	}
	return on
}

// placementArgs are the arguments of a fast run of the whoami lab on the
// cluster under names of the test's own.
func placementArgs(c *testCluster, name, port string, more ...string) []string {
	return append([]string{"run", "whoami-rollback", "--host", c.manager, "--fast", "--publish-mode", "host",
		"--set", "SERVICE=" + name, "--set", "IMAGE=" + name, "--set", "PORT=" + port}, more...)
}

// TestImagesOnEveryNode runs the whoami lab on a swarm of one manager and
// two workers (scripts/cluster.sh): labrun puts the lab's images on every
// node it can reach, through the engines a nodes file maps or discovered
// at the manager's scheme and port, refuses before creating anything when
// a node the scheduler may use has no engine it can reach or one that is
// another node's, and removes every image it made, from every node.
func TestImagesOnEveryNode(t *testing.T) {
	c := clusterUp(t, clusterFirst)
	const name, port = "lrpl-every", "18711"

	t.Run("refused", func(t *testing.T) {
		for _, tc := range []struct {
			name, file string
			want       []string
		}{
			{"a node missing", strings.Join(strings.Split(mustRead(t, c.nodesFile), "\n")[:2], "\n") + "\n",
				[]string{"node-13", c.nodes[2], "--nodes FILE", "No such image"}},
			{"another node's engine", fmt.Sprintf("# worker 12 given 13's engine\n10.77.12.2 tcp://10.77.13.2:2375\n10.77.13.2 tcp://10.77.13.2:2375\n"),
				[]string{":2: the engine at tcp://10.77.13.2:2375 is not node node-12 (" + c.nodes[1] + "): it is " + c.nodes[2]}},
			{"the manager given a worker's engine", "10.77.11.2 tcp://10.77.12.2:2375\n10.77.12.2 tcp://10.77.12.2:2375\n10.77.13.2 tcp://10.77.13.2:2375\n",
				[]string{":1: the engine at tcp://10.77.12.2:2375 is not node node-11 (" + c.nodes[0] + "): it is " + c.nodes[1]}},
			{"no node of that name", "node-99 tcp://10.77.13.2:2375\n", []string{":1: no node node-99 in this swarm"}},
			{"a line without URL", "node-12\n", []string{":1: want a node and its engine's URL"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				file := filepath.Join(t.TempDir(), "nodes")
				writeFile(t, file, tc.file, 0o644)
				out, code := runLabrun(t, t.TempDir(), placementArgs(c, name, port, "--nodes", file)...)
				if code != 2 {
					t.Fatalf("exit %d, want 2\n%s", code, out)
				}
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("output lacks %q:\n%s", w, out)
					}
				}
				c.assertNothingOnAnyNode(t, name)
			})
		}
	})

	// The manager alone takes the tasks: labrun's HTTP checks ask the
	// manager's address, so the whole lab passes. The images still go to
	// every node labrun reaches, and leave them all at the end.
	t.Run("passes", func(t *testing.T) {
		c.drain(t, 1, 2)
		for _, tc := range []struct {
			name string
			more []string
		}{
			{"nodes file", []string{"--nodes", c.nodesFile}},
			{"discovered", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				state := t.TempDir()
				out, code := runLabrun(t, state, placementArgs(c, name, port, tc.more...)...)
				if code != 0 {
					t.Fatalf("exit %d, want 0\n%s", code, out)
				}
				if strings.Contains(out, "No such image") {
					t.Errorf("a task lacked its image:\n%s", out)
				}
				assertNothingLeft(t, context.Background(), c.clients[0], name, state)
				c.assertNothingOnAnyNode(t, name)
			})
		}
	})

	// --only-image-nodes: node 13 is left out of the nodes file, so the
	// lab's service is kept off it by a constraint shown in the command;
	// worker 12 drained, the task runs on the manager and the lab passes.
	t.Run("only image nodes", func(t *testing.T) {
		c.drain(t, 1)
		file := filepath.Join(t.TempDir(), "nodes")
		writeFile(t, file, strings.Join(strings.Split(mustRead(t, c.nodesFile), "\n")[:2], "\n")+"\n", 0o644)
		state := t.TempDir()
		out, code := runLabrun(t, state, placementArgs(c, name, port, "--nodes", file, "--only-image-nodes")...)
		if code != 0 {
			t.Fatalf("exit %d, want 0\n%s", code, out)
		}
		for _, want := range []string{"--only-image-nodes: labrun cannot put the images on node(s) node-13", "docker service create --constraint node.id!=" + c.nodes[2]} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		assertNoLedger(t, state)
		c.assertNothingOnAnyNode(t, name)
	})

	// Ctrl-C once the images are on every node: they leave every node.
	t.Run("interrupted", func(t *testing.T) {
		c.drain(t, 1, 2)
		state := t.TempDir()
		r := startLabrun(t, state, placementArgs(c, name, port, "--nodes", c.nodesFile)...)
		r.await(t, "[3/10]")
		if on := c.imageOnNodes(t, name+":2.0"); len(on) != len(c.hosts) {
			t.Errorf("image %s:2.0 is on %v, want every node", name, on)
		}
		r.cmd.Process.Signal(syscall.SIGINT)
		if code := r.wait(t, 2*time.Minute); code != 130 {
			t.Errorf("exit %d, want 130\n%s", code, r)
		}
		assertNoLedger(t, state)
		c.assertNothingOnAnyNode(t, name)
	})

	// --keep-images keeps the images on every node: they were all made
	// there. The test removes them.
	t.Run("kept on every node", func(t *testing.T) {
		c.drain(t, 1, 2)
		out, code := runLabrun(t, t.TempDir(), placementArgs(c, name, port, "--nodes", c.nodesFile, "--keep-images")...)
		for _, ref := range []string{name + ":1.0", name + ":2.0"} {
			t.Cleanup(func() {
				for _, h := range c.hosts {
					exec.Command("docker", "-H", h, "image", "rm", ref).Run()
				}
			})
			if on := c.imageOnNodes(t, ref); len(on) != len(c.hosts) {
				t.Errorf("image %s is on %v, want every node %v (exit %d)\n%s", ref, on, c.hosts, code, out)
			}
		}
		if code != 0 {
			t.Errorf("exit %d, want 0\n%s", code, out)
		}
	})

	// The manager drained: every task lands on a worker, which has the
	// images. labrun's HTTP checks still ask the manager's address, which
	// answers nothing in host mode, so the run fails at its first request
	// (checks aimed at the task's node are another change), cut short by
	// --timeout; what counts
	// here is that the service's task ran on a worker, no task was
	// rejected for want of its image, and no image is left anywhere.
	t.Run("tasks on workers", func(t *testing.T) {
		c.drain(t, 0)
		state := t.TempDir()
		report := filepath.Join(t.TempDir(), "report.json")
		out, code := runLabrun(t, state, placementArgs(c, name, port, "--nodes", c.nodesFile, "--json", report, "--timeout", "30s")...)
		if strings.Contains(out, "No such image") {
			t.Errorf("a task lacked its image:\n%s", out)
		}
		var rep struct {
			Steps []struct{ ID, Result string }
		}
		if err := json.Unmarshal([]byte(mustRead(t, report)), &rep); err != nil {
			t.Fatalf("report: %v (exit %d)\n%s", err, code, out)
		}
		results := map[string]string{}
		for _, s := range rep.Steps {
			results[s.ID] = s.Result
		}
		for _, step := range []string{"build-images", "create-service"} {
			if results[step] != "pass" {
				t.Errorf("step %s: %q, want pass (exit %d)\n%s", step, results[step], code, out)
			}
		}
		assertNothingLeft(t, context.Background(), c.clients[0], name, state)
		c.assertNothingOnAnyNode(t, name)
	})
}

// TestRegistryWay runs the whoami lab on a 3-node cluster with
// --registry: labrun pushes the images it makes to a registry the test
// serves itself (go-containerregistry's, in process, on the host's side of
// the cluster's first veth; every engine trusts it over plain HTTP), the
// lab's image names name it, the workers pull the images when their tasks
// need them (the manager drained, every task lands on a worker), and at
// the end the pushed tags are deleted and no image is left on any node.
func TestRegistryWay(t *testing.T) {
	c := clusterUp(t, registryCluster, "LABRUN_CLUSTER_REGISTRY="+registryHost)
	lis, err := net.Listen("tcp", registryHost)
	if err != nil {
		t.Fatalf("the test's registry: %v", err)
	}
	srv := &http.Server{Handler: registry.New(registry.Logger(log.New(io.Discard, "", 0)))}
	go srv.Serve(lis)
	t.Cleanup(func() { srv.Close() })
	const name, port = "lrpl-reg", "18712"
	image := registryHost + "/" + name

	t.Run("no registry there", func(t *testing.T) {
		state := t.TempDir()
		out, code := runLabrun(t, state, placementArgs(c, name, port, "--registry", "10.77.41.1:5999")...)
		if code != 2 || !strings.Contains(out, "--registry 10.77.41.1:5999: the registry does not answer") {
			t.Errorf("exit %d, want 2 and the registry named\n%s", code, out)
		}
		c.assertNothingOnAnyNode(t, "10.77.41.1:5999/"+name)
	})

	t.Run("passes", func(t *testing.T) {
		c.drain(t, 1, 2)
		state := t.TempDir()
		report := filepath.Join(t.TempDir(), "report.json")
		out, code := runLabrun(t, state, placementArgs(c, name, port, "--registry", registryHost, "--json", report)...)
		if code != 0 {
			t.Fatalf("exit %d, want 0\n%s", code, out)
		}
		for _, want := range []string{"IMAGE=" + image, "pushed " + image + ":1.0@sha256:", "pushed " + image + ":2.0@sha256:"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		var rep struct {
			Vars      map[string]string
			Leftovers []string
		}
		if err := json.Unmarshal([]byte(mustRead(t, report)), &rep); err != nil {
			t.Fatalf("report: %v", err)
		}
		if rep.Vars["IMAGE"] != image || len(rep.Leftovers) > 0 {
			t.Errorf("report: IMAGE=%q, leftovers %q; want IMAGE=%s and none", rep.Vars["IMAGE"], rep.Leftovers, image)
		}
		assertNoLedger(t, state)
		c.assertNothingOnAnyNode(t, image)
		assertNoTags(t, name)
	})

	t.Run("pulled by workers", func(t *testing.T) {
		c.drain(t, 0)
		state := t.TempDir()
		report := filepath.Join(t.TempDir(), "report.json")
		out, code := runLabrun(t, state, placementArgs(c, name, port, "--registry", registryHost, "--json", report, "--timeout", "30s")...)
		if strings.Contains(out, "No such image") {
			t.Errorf("a task lacked its image:\n%s", out)
		}
		var rep struct {
			Steps []struct{ ID, Result string }
		}
		if err := json.Unmarshal([]byte(mustRead(t, report)), &rep); err != nil {
			t.Fatalf("report: %v (exit %d)\n%s", err, code, out)
		}
		for _, s := range rep.Steps {
			if (s.ID == "build-images" || s.ID == "create-service") && s.Result != "pass" {
				t.Errorf("step %s: %q, want pass (exit %d)\n%s", s.ID, s.Result, code, out)
			}
		}
		assertNoLedger(t, state)
		c.assertNothingOnAnyNode(t, image)
		assertNoTags(t, name)
	})
}

// assertNoTags checks that the test's registry has no tag of repo left.
func assertNoTags(t *testing.T, repo string) {
	t.Helper()
	res, err := http.Get("http://" + registryHost + "/v2/" + repo + "/tags/list")
	if err != nil {
		t.Fatalf("the registry's tags of %s: %v", repo, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var list struct{ Tags []string }
	if res.StatusCode == http.StatusNotFound {
		return
	}
	if err := json.Unmarshal(body, &list); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the registry's tags of %s: %s %s", repo, res.Status, body)
	}
	if len(list.Tags) > 0 {
		t.Errorf("tags of %s left in the registry: %v", repo, list.Tags)
	}
}

// mustRead returns the file's content.
func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
