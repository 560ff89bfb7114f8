package engine

import (
	"context"
	"sort"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"
)

// Node is one machine of the swarm as its manager describes it: what
// labrun needs to place images, aim checks and name where a task runs.
type Node struct {
	ID       string
	Hostname string
	// Role is "manager" or "worker"; Leader marks the managers' leader.
	Role   string
	Leader bool
	// Availability is active, pause or drain; State ready, down, unknown
	// or disconnected.
	Availability string
	State        string
	// Addr is the node's address as the swarm knows it (Status.Addr): where
	// its host-mode published ports answer.
	Addr string
	// Arch and OS are the engine's platform (x86_64, aarch64; linux).
	Arch, OS string
	Labels   map[string]string
	// EngineVersion is the node's dockerd version.
	EngineVersion string
}

// Schedulable reports whether the scheduler may place a new task on the
// node: ready and active.
func (n Node) Schedulable() bool {
	return n.State == string(swarm.NodeStateReady) && n.Availability == string(swarm.NodeAvailabilityActive)
}

// Name is the node's hostname, with its ID's first characters where
// several nodes share one hostname (engines in network namespaces on one
// machine do, unless each has its own UTS namespace).
func (n Node) Name() string {
	if n.Hostname == "" {
		return short(n.ID)
	}
	return n.Hostname
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// Topology is the swarm's nodes, ordered managers first then by hostname
// and ID, so that every report lists them alike.
type Topology struct {
	Nodes []Node
}

// Nodes reads the swarm's nodes from a manager.
func (e *Engine) Nodes(ctx context.Context) (Topology, error) {
	res, err := e.Client.NodeList(ctx, client.NodeListOptions{})
	if err != nil {
		return Topology{}, i18n.Errorf("list the swarm's nodes: %v", err)
	}
	t := Topology{Nodes: make([]Node, 0, len(res.Items))}
	for _, sn := range res.Items {
		t.Nodes = append(t.Nodes, nodeOf(sn))
	}
	sort.SliceStable(t.Nodes, func(i, j int) bool {
		a, b := t.Nodes[i], t.Nodes[j]
		if a.Role != b.Role {
			return a.Role == string(swarm.NodeRoleManager)
		}
		if a.Hostname != b.Hostname {
			return a.Hostname < b.Hostname
		}
		return a.ID < b.ID
	})
	return t, nil
}

func nodeOf(sn swarm.Node) Node {
	n := Node{
		ID:            sn.ID,
		Hostname:      sn.Description.Hostname,
		Role:          string(sn.Spec.Role),
		Availability:  string(sn.Spec.Availability),
		State:         string(sn.Status.State),
		Addr:          sn.Status.Addr,
		Arch:          sn.Description.Platform.Architecture,
		OS:            sn.Description.Platform.OS,
		Labels:        sn.Spec.Labels,
		EngineVersion: sn.Description.Engine.EngineVersion,
	}
	if sn.ManagerStatus != nil {
		n.Leader = sn.ManagerStatus.Leader
	}
	return n
}

// Multi reports whether the swarm has more than one node.
func (t Topology) Multi() bool { return len(t.Nodes) > 1 }

// Find returns the node that ref names: its ID (or a unique prefix of it),
// its address (Status.Addr) or its hostname, when exactly one node
// matches. ok is false when none or several do.
func (t Topology) Find(ref string) (n Node, ok bool) {
	found := t.Matches(ref)
	if len(found) != 1 {
		return Node{}, false
	}
	return found[0], true
}

// Matches returns the nodes that ref may name: the one of that ID, else
// those whose address or hostname it is or whose ID it begins (6
// characters at least). Nodes on one machine share its hostname.
func (t Topology) Matches(ref string) []Node {
	for _, c := range t.Nodes {
		if c.ID == ref {
			return []Node{c}
		}
	}
	var found []Node
	for _, c := range t.Nodes {
		if c.Addr == ref || c.Hostname == ref || len(ref) >= 6 && len(c.ID) > len(ref) && c.ID[:len(ref)] == ref {
			found = append(found, c)
		}
	}
	return found
}

// ByID returns the node of the given ID.
func (t Topology) ByID(id string) (Node, bool) {
	for _, n := range t.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return Node{}, false
}

// Schedulable returns the nodes the scheduler may place new tasks on.
func (t Topology) Schedulable() []Node {
	var out []Node
	for _, n := range t.Nodes {
		if n.Schedulable() {
			out = append(out, n)
		}
	}
	return out
}
