// Package nodemap knows which engine serves each node of a swarm: read
// from a nodes file (--nodes FILE, one "NODE URL" a line) or discovered
// where a convention allows it (the manager's tcp:// scheme and port on
// every node's address), each engine proven to be its node's by the
// NodeID it reports. The runner uses the map to put images on every node
// that may run a task.
package nodemap

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
)

// Entry is one line of a nodes file: a node, named by its address
// (Status.Addr), its ID or its hostname, and the URL of its engine.
type Entry struct {
	Node, URL string
	// File and Line say where the entry was written, for messages.
	File string
	Line int
}

// Where is the entry's file:line.
func (e Entry) Where() string { return fmt.Sprintf("%s:%d", e.File, e.Line) }

// Read parses the nodes file at path.
func Read(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &exit.UsageError{Err: i18n.Errorf("--nodes: %v", err)}
	}
	defer f.Close()
	return Parse(path, f)
}

// Parse reads a nodes file: one node a line, "NODE URL" separated by white
// space; '#' starts a comment, blank lines are ignored. A mistake is a
// usage error (exit 2) at file:line.
func Parse(name string, r io.Reader) ([]Entry, error) {
	var out []Entry
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		bad := func(format string, args ...any) error {
			return &exit.UsageError{Err: i18n.Errorf("%s:%d: %v", name, n, i18n.Sprintf(format, args...))}
		}
		if len(fields) != 2 {
			return nil, bad("want a node and its engine's URL (NODE URL), got %d words", len(fields))
		}
		if err := checkURL(fields[1]); err != nil {
			return nil, bad("%s: %v", fields[1], err)
		}
		if first, dup := seen[fields[0]]; dup {
			return nil, bad("node %s is already listed on line %d", fields[0], first)
		}
		seen[fields[0]] = n
		out = append(out, Entry{Node: fields[0], URL: fields[1], File: name, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, &exit.UsageError{Err: i18n.Errorf("--nodes %s: %v", name, err)}
	}
	return out, nil
}

// checkURL accepts the engine URLs --host accepts: unix://, tcp:// (with
// a port) and ssh://.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return i18n.Errorf("not a URL")
	}
	switch u.Scheme {
	case "unix":
		if u.Path == "" {
			return i18n.Errorf("a unix:// URL needs a socket path")
		}
	case "tcp":
		if _, port, err := net.SplitHostPort(u.Host); err != nil || port == "" || u.Hostname() == "" {
			return i18n.Errorf("a tcp:// URL needs a host and a port, e.g. tcp://10.0.0.2:2375")
		}
	case "ssh":
		if u.Hostname() == "" {
			return i18n.Errorf("an ssh:// URL needs a host name, e.g. ssh://user@host")
		}
	default:
		return i18n.Errorf("want a unix://, tcp:// or ssh:// URL, as for --host")
	}
	return nil
}

// Engines are the engines of a swarm's nodes, by node ID: what labrun can
// reach beside the manager it talks to. The manager's own node is its
// engine.
type Engines struct {
	byNode  map[string]*engine.Engine
	manager string
}

// Of returns the engine of the node of that ID, if labrun can reach it.
func (m *Engines) Of(nodeID string) (*engine.Engine, bool) {
	if m == nil {
		return nil, false
	}
	e, ok := m.byNode[nodeID]
	return e, ok
}

// Others returns the engines of the nodes other than the manager's, in
// node ID order.
func (m *Engines) Others() []*engine.Engine {
	if m == nil {
		return nil
	}
	var out []*engine.Engine
	for id, e := range m.byNode {
		if id != m.manager {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NodeID < out[j].NodeID })
	return out
}

// Close closes the connections to the other nodes' engines; the
// manager's belongs to the run.
func (m *Engines) Close() {
	for _, e := range m.Others() {
		e.Close()
	}
}

// Connect reaches the engine of each entry and proves it the node's own:
// a node the swarm does not have, an engine that does not answer or one
// that is another node's is a usage error (exit 2) naming the entry's
// file:line and both nodes. The manager's own node is manager, its line
// (if any) proven like the others.
func Connect(ctx context.Context, manager *engine.Engine, topo engine.Topology, entries []Entry) (*Engines, error) {
	m := &Engines{byNode: map[string]*engine.Engine{manager.NodeID: manager}, manager: manager.NodeID}
	type want struct {
		entry Entry
		node  engine.Node
	}
	var todo []want
	listed := map[string]Entry{}
	for _, en := range entries {
		found := topo.Matches(en.Node)
		switch {
		case len(found) == 0:
			return nil, &exit.UsageError{Err: i18n.Errorf("%s: no node %s in this swarm (name a node by its address, ID or hostname, as docker node ls and docker node inspect show them)", en.Where(), en.Node)}
		case len(found) > 1:
			return nil, &exit.UsageError{Err: i18n.Errorf("%s: %s names %d nodes of this swarm: name it by its address or ID (docker node inspect shows them)", en.Where(), en.Node, len(found))}
		}
		n := found[0]
		if first, ok := listed[n.ID]; ok {
			return nil, &exit.UsageError{Err: i18n.Errorf("%s: node %s is already listed at %s", en.Where(), n.Name(), first.Where())}
		}
		listed[n.ID] = en
		// The manager's own line is proven too, though labrun keeps the
		// engine it talks to: a file that maps it wrong is wrong.
		todo = append(todo, want{en, n})
	}
	engines, err := connectAll(ctx, len(todo), func(i int) (engine.Endpoint, engine.Node) {
		ep, _ := engine.Resolve(todo[i].entry.URL, os.Getenv)
		return ep, todo[i].node
	}, func(i int) string { return todo[i].entry.Where() + ": " })
	if err != nil {
		return nil, err
	}
	for i, e := range engines {
		if todo[i].node.ID == manager.NodeID {
			e.Close()
			continue
		}
		m.byNode[todo[i].node.ID] = e
	}
	return m, nil
}

// Discover finds the engines of the other nodes where a convention
// allows: the manager reached over tcp:// (with or without TLS), each
// node's address with the manager's scheme, port and TLS material. A node
// whose engine does not answer there is left out (the run then says what
// it lacks); one that answers as another node is a usage error (exit 2).
func Discover(ctx context.Context, manager *engine.Engine, topo engine.Topology) (*Engines, error) {
	m := &Engines{byNode: map[string]*engine.Engine{manager.NodeID: manager}, manager: manager.NodeID}
	u, err := url.Parse(manager.Host)
	if err != nil || u.Scheme != "tcp" || u.Port() == "" {
		return m, nil
	}
	var todo []engine.Node
	for _, n := range topo.Nodes {
		if n.ID != manager.NodeID && n.Addr != "" && n.Addr != "0.0.0.0" {
			todo = append(todo, n)
		}
	}
	engines, err := connectAll(ctx, len(todo), func(i int) (engine.Endpoint, engine.Node) {
		ep := manager.Endpoint
		ep.Host = "tcp://" + net.JoinHostPort(todo[i].Addr, u.Port())
		return ep, todo[i]
	}, func(int) string { return "" })
	if err != nil {
		return nil, err
	}
	for i, e := range engines {
		if e != nil {
			m.byNode[todo[i].ID] = e
		}
	}
	return m, nil
}

// connectAll connects to n engines at once, each proven to be its node's.
// For a mapped entry (where(i) not empty) an unreachable engine is an
// error; for a discovered one it is left nil.
func connectAll(ctx context.Context, n int, at func(i int) (engine.Endpoint, engine.Node), where func(i int) string) ([]*engine.Engine, error) {
	engines := make([]*engine.Engine, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ep, node := at(i)
			e, err := engine.ConnectTo(ctx, ep)
			switch {
			case err != nil && where(i) == "":
				return // not discovered: the run says what the node lacks
			case err != nil:
				errs[i] = &exit.UsageError{Err: i18n.Errorf("%snode %s (%s): %v", where(i), node.Name(), node.ID, err)}
			case e.NodeID != node.ID:
				var other any = e.NodeID
				if e.NodeID == "" {
					other = i18n.Sprintf("no swarm node")
				}
				e.Close()
				errs[i] = &exit.UsageError{Err: i18n.Errorf("%sthe engine at %s is not node %s (%s): it is %s", where(i), ep.Host, node.Name(), node.ID, other)}
			default:
				engines[i] = e
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			for _, e := range engines {
				if e != nil {
					e.Close()
				}
			}
			return nil, err
		}
	}
	return engines, nil
}
