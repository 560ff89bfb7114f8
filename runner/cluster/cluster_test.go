package cluster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/classroom"
	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/exit"
)

// first is the first of the three namespaced engines these tests use
// (scripts/cluster.sh's numbering): 31, 32, 33, apart from the other
// tests' engines.
const first = 31

// testEngines starts engines first..first+2 with scripts/cluster.sh (each
// in its own network namespace, the FORWARD rule between them added) and
// makes every one leave any swarm, so that "as found" is out of swarm. It
// returns a client per engine, by URL. Without root and ip netns the test
// is skipped, except under CI=true, where it fails.
func testEngines(t *testing.T) (urls []string, clients map[string]*client.Client) {
	t.Helper()
	if os.Geteuid() != 0 {
		enginetest.SkipOrFail(t, "needs root for ip netns and dockerd")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		enginetest.SkipOrFail(t, "needs ip (iproute2)")
	}
	script := "../../scripts/cluster.sh"
	// From scratch: the script builds its swarm from fresh engines only.
	exec.Command(script, "down", fmt.Sprint(first)).Run()
	if out, err := exec.Command(script, "up", "3", fmt.Sprint(first)).CombinedOutput(); err != nil {
		t.Fatalf("%s up 3 %d: %v\n%s", script, first, err, out)
	}
	t.Cleanup(func() {
		if os.Getenv("LABRUN_KEEP_ENGINES") != "" {
			return
		}
		if out, err := exec.Command(script, "down", fmt.Sprint(first)).CombinedOutput(); err != nil {
			t.Errorf("%s down %d: %v\n%s", script, first, err, out)
		}
	})
	clients = map[string]*client.Client{}
	for n := first; n < first+3; n++ {
		u := fmt.Sprintf("tcp://10.77.%d.2:2375", n)
		cli, err := client.New(client.WithHost(u), client.WithAPIVersion("1.41"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cli.Close() })
		urls = append(urls, u)
		clients[u] = cli
	}
	for i := len(urls) - 1; i >= 0; i-- {
		forceOut(t, clients[urls[i]])
	}
	return urls, clients
}

// forceOut makes an engine leave its swarm, whatever it is.
func forceOut(t *testing.T, cli *client.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if swarmInfo(t, cli).LocalNodeState != swarm.LocalNodeStateInactive {
		if _, err := cli.SwarmLeave(ctx, client.SwarmLeaveOptions{Force: true}); err != nil {
			t.Fatalf("swarm leave: %v", err)
		}
	}
}

func swarmInfo(t *testing.T, cli *client.Client) swarm.Info {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := cli.Info(ctx, client.InfoOptions{})
	if err != nil {
		t.Fatalf("info of %s: %v", cli.DaemonHost(), err)
	}
	return info.Info.Swarm
}

// states are each engine's swarm membership: its state and node ID.
func states(t *testing.T, urls []string, clients map[string]*client.Client) map[string]string {
	t.Helper()
	s := map[string]string{}
	for _, u := range urls {
		sw := swarmInfo(t, clients[u])
		s[u] = fmt.Sprintf("%s %s", sw.LocalNodeState, sw.NodeID)
	}
	return s
}

func entries(urls ...string) []classroom.Entry {
	var es []classroom.Entry
	for _, u := range urls {
		es = append(es, classroom.Entry{URL: u})
	}
	return es
}

func noRecord(t *testing.T, stateDir string) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(stateDir, "clusters", "*"))
	if len(left) > 0 {
		t.Errorf("records left in the state directory: %v", left)
	}
}

// TestUpDown: up makes one swarm of the three engines (the first the
// manager, every node ready), down puts each back out of swarm with no
// node left, and the record is gone; then the ways up must refuse or undo.
func TestUpDown(t *testing.T) {
	urls, clients := testEngines(t)
	ctx := context.Background()
	asFound := states(t, urls, clients)
	for u, s := range asFound {
		if s != "inactive " {
			t.Fatalf("%s is %q before the test, want out of swarm", u, s)
		}
	}

	t.Run("up then down", func(t *testing.T) {
		state := t.TempDir()
		var out bytes.Buffer
		res, code, err := Up(ctx, Options{Members: entries(urls...), Lang: "en", Out: &out, StateDir: state})
		if code != exit.Pass || err != nil {
			t.Fatalf("up: exit %d, %v\n%s", code, err, out.String())
		}
		if !strings.Contains(out.String(), "waiting (at most 1m0s) for 3 nodes to be ready") {
			t.Errorf("up does not say what it waits for:\n%s", out.String())
		}
		mgr := swarmInfo(t, clients[urls[0]])
		if !mgr.ControlAvailable || mgr.Cluster == nil || mgr.Cluster.ID != res.ClusterID || mgr.Nodes != 3 {
			t.Fatalf("manager after up: %+v, want the manager of %s with 3 nodes", mgr, res.ClusterID)
		}
		nodes, err := clients[urls[0]].NodeList(ctx, client.NodeListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range nodes.Items {
			if n.Status.State != swarm.NodeStateReady {
				t.Errorf("node %s (%s) is %s after up, want ready", n.ID, n.Status.Addr, n.Status.State)
			}
		}
		for _, u := range urls[1:] {
			if sw := swarmInfo(t, clients[u]); sw.LocalNodeState != swarm.LocalNodeStateActive || sw.ControlAvailable {
				t.Errorf("%s after up: %s, manager %v; want an active worker", u, sw.LocalNodeState, sw.ControlAvailable)
			}
		}
		if _, code, err := Down(ctx, Options{Members: entries(urls...), Lang: "en", StateDir: state}); code != exit.Pass || err != nil {
			t.Fatalf("down: exit %d, %v", code, err)
		}
		if got := states(t, urls, clients); fmt.Sprint(got) != fmt.Sprint(asFound) {
			t.Errorf("after down: %v, want as found %v", got, asFound)
		}
		if n := swarmInfo(t, clients[urls[0]]).Nodes; n != 0 {
			t.Errorf("the manager still counts %d nodes after down", n)
		}
		noRecord(t, state)
	})

	t.Run("up died before recording node IDs: down proves them", func(t *testing.T) {
		state := t.TempDir()
		if _, code, err := Up(ctx, Options{Members: entries(urls...), Lang: "en", StateDir: state}); code != exit.Pass {
			t.Fatalf("up: exit %d, %v", code, err)
		}
		// What a kill -9 between the joins and their records leaves.
		st, _ := newStore(state)
		rec, ok, err := st.load(urls[0])
		if !ok || err != nil {
			t.Fatalf("no record after up: %v", err)
		}
		rec.ClusterID = ""
		for i := range rec.Members {
			rec.Members[i].NodeID = ""
		}
		if err := st.save(rec); err != nil {
			t.Fatal(err)
		}
		if _, code, err := Down(ctx, Options{Members: entries(urls...), Lang: "en", StateDir: state}); code != exit.Pass || err != nil {
			t.Fatalf("down: exit %d, %v", code, err)
		}
		if got := states(t, urls, clients); fmt.Sprint(got) != fmt.Sprint(asFound) {
			t.Errorf("after down: %v, want as found %v", got, asFound)
		}
	})

	t.Run("a swarm older than the record is not labrun's", func(t *testing.T) {
		state := t.TempDir()
		initCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if _, err := clients[urls[0]].SwarmInit(initCtx, client.SwarmInitOptions{ListenAddr: "10.77.31.2:2377", AdvertiseAddr: "10.77.31.2"}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { forceOut(t, clients[urls[0]]) })
		before := states(t, urls, clients)
		time.Sleep(3 * time.Second)
		st, _ := newStore(state)
		if err := st.save(&record{Members: []Node{{URL: urls[0], Role: "manager", Done: "init"}}, Started: time.Now().UTC()}); err != nil {
			t.Fatal(err)
		}
		if _, code, err := Down(ctx, Options{Members: entries(urls[0]), Lang: "en", StateDir: state}); code != exit.Pass || err != nil {
			t.Fatalf("down: exit %d, %v", code, err)
		}
		if got := states(t, urls, clients); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Errorf("down changed a swarm labrun did not make: %v, was %v", got, before)
		}
	})

	t.Run("a join fails: everything undone", func(t *testing.T) {
		state := t.TempDir()
		members := entries(urls...)
		// dockerd refuses an advertise address that is neither an IP
		// address nor one of its interfaces, after the manager inited the
		// swarm and the first worker joined: both must be undone.
		members[2].Advertise = "lrccnoif0"
		_, code, err := Up(ctx, Options{Members: members, Lang: "en", StateDir: state})
		if code != exit.Fail || err == nil || !strings.Contains(err.Error(), urls[2]+" could not join") {
			t.Fatalf("up with a bad advertise address: exit %d, %v; want 1 naming %s", code, err, urls[2])
		}
		if got := states(t, urls, clients); fmt.Sprint(got) != fmt.Sprint(asFound) {
			t.Errorf("after the failed up: %v, want as found %v", got, asFound)
		}
		noRecord(t, state)
	})

	t.Run("an unreachable engine: nothing changed", func(t *testing.T) {
		state := t.TempDir()
		members := append(entries(urls...), classroom.Entry{URL: "unix:///run/labrun-engines/99/docker.sock", Advertise: "10.77.99.2"})
		_, code, err := Up(ctx, Options{Members: members, Lang: "en", StateDir: state})
		if code != exit.Error || err == nil || !strings.Contains(err.Error(), "engine unix:///run/labrun-engines/99/docker.sock is unreachable") {
			t.Fatalf("up with an unreachable engine: exit %d, %v; want 2 naming it", code, err)
		}
		if got := states(t, urls, clients); fmt.Sprint(got) != fmt.Sprint(asFound) {
			t.Errorf("after the refused up: %v, want as found %v", got, asFound)
		}
		noRecord(t, state)
	})

	t.Run("an engine in a swarm: refused, then --leave", func(t *testing.T) {
		state := t.TempDir()
		initCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if _, err := clients[urls[1]].SwarmInit(initCtx, client.SwarmInitOptions{ListenAddr: "10.77.32.2:2377", AdvertiseAddr: "10.77.32.2"}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { forceOut(t, clients[urls[1]]) })
		before := states(t, urls, clients)
		_, code, err := Up(ctx, Options{Members: entries(urls...), Lang: "fr", StateDir: state})
		if code != exit.Error || err == nil || !strings.Contains(err.Error(), "le moteur "+urls[1]+" est déjà dans un swarm") ||
			strings.Contains(err.Error(), urls[0]) {
			t.Fatalf("up with an engine in a swarm: exit %d, %v; want 2 naming %s only, in French", code, err, urls[1])
		}
		if got := states(t, urls, clients); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Errorf("after the refused up: %v, want unchanged %v", got, before)
		}
		noRecord(t, state)

		res, code, err := Up(ctx, Options{Members: entries(urls...), Leave: true, Lang: "en", StateDir: state})
		if code != exit.Pass || err != nil {
			t.Fatalf("up --leave: exit %d, %v", code, err)
		}
		if sw := swarmInfo(t, clients[urls[1]]); sw.Cluster != nil || sw.NodeID == strings.Fields(before[urls[1]])[1] {
			t.Errorf("%s after up --leave: node %s, want a new node of %s", urls[1], sw.NodeID, res.ClusterID)
		}
		// down leaves alone an engine that is no longer the node up made:
		// engine 3 leaves and makes a swarm of its own.
		forceOut(t, clients[urls[2]])
		if _, err := clients[urls[2]].SwarmInit(initCtx, client.SwarmInitOptions{ListenAddr: "10.77.33.2:2377", AdvertiseAddr: "10.77.33.2"}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { forceOut(t, clients[urls[2]]) })
		own := states(t, urls, clients)[urls[2]]
		var out bytes.Buffer
		if _, code, err := Down(ctx, Options{Members: entries(urls...), Lang: "en", Out: &out, StateDir: state}); code != exit.Pass || err != nil {
			t.Fatalf("down: exit %d, %v", code, err)
		}
		if !strings.Contains(out.String(), urls[2]+" is node") || !strings.Contains(out.String(), "left alone") {
			t.Errorf("down does not say it left %s alone:\n%s", urls[2], out.String())
		}
		got := states(t, urls, clients)
		if got[urls[2]] != own || got[urls[0]] != "inactive " || got[urls[1]] != "inactive " {
			t.Errorf("after down: %v; want %s still %q, the others out of swarm", got, urls[2], own)
		}
	})
}
