package doctor

import (
	"context"
	"fmt"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/nodemap"
	"github.com/labrun/labrun/runner/report"
)

// nodeReach is whether labrun reaches a node's engine, and where.
type nodeReach struct {
	url string // the engine's URL; empty for labrun's own engine
	err error  // nil: it answered, as that node
}

// reachNodes finds the engine of each node as a run does (runner/nodemap):
// the nodes file's lines, each proven its node's (a wrong file is a usage
// error, exit 2), or else each node's address at the manager's tcp://
// scheme and port.
func reachNodes(ctx context.Context, e *engine.Engine, topo engine.Topology, nodesFile string) ([]nodeReach, error) {
	var m *nodemap.Engines
	var err error
	if nodesFile != "" {
		var entries []nodemap.Entry
		if entries, err = nodemap.Read(nodesFile); err == nil {
			m, err = nodemap.Connect(ctx, e, topo, entries)
		}
	} else {
		m, err = nodemap.Discover(ctx, e, topo)
	}
	if err != nil {
		return nil, err
	}
	defer m.Close()
	reach := make([]nodeReach, len(topo.Nodes))
	for i, n := range topo.Nodes {
		switch ne, ok := m.Of(n.ID); {
		case n.ID == e.NodeID:
		case ok:
			reach[i].url = ne.Host
		case nodesFile != "":
			reach[i].err = fmt.Errorf("%s has no line for it", nodesFile)
		default:
			reach[i].err = fmt.Errorf("no engine answers as this node at its address %s with the manager's scheme and port (%s)", n.Addr, e.Host)
		}
	}
	return reach, nil
}

// nodesItems lists every node of a multi-node swarm, one item each: its
// hostname, role, availability, state, address and architecture, and
// whether labrun can reach its engine. With the offline images, which
// labrun makes itself on each engine, a node that may take a task and
// whose engine labrun cannot reach is a task that cannot run there (no
// image): that item fails. With hub or node images each node pulls its
// own, so reaching it does not matter.
func nodesItems(ctx context.Context, e *engine.Engine, topo engine.Topology, flavour, nodesFile string) ([]*report.Item, error) {
	reach, err := reachNodes(ctx, e, topo, nodesFile)
	if err != nil {
		return nil, err
	}
	items := make([]*report.Item, len(topo.Nodes))
	for i, n := range topo.Nodes {
		items[i] = clusterNodeItem(n, reach[i], flavour)
	}
	return items, nil
}

// clusterNodeItem judges one node of a multi-node swarm.
func clusterNodeItem(n engine.Node, r nodeReach, flavour string) *report.Item {
	role := n.Role
	if n.Leader {
		role += " (leader)"
	}
	it := &report.Item{ID: "node", Title: "node " + n.Name(), Status: report.ItemOK,
		Detail: fmt.Sprintf("%s, %s, %s, %s, %s", role, n.Availability, n.State, n.Addr, n.Arch)}
	reached := "labrun reaches its engine"
	switch {
	case r.url == "" && r.err == nil:
		reached = "labrun's own engine"
	case r.err == nil:
		reached = "labrun reaches its engine at " + r.url
	case r.url == "":
		reached = "labrun cannot reach its engine: " + r.err.Error()
	default:
		reached = fmt.Sprintf("labrun cannot reach its engine at %s: %v", r.url, r.err)
	}
	it.Detail += "; " + reached
	switch {
	case !n.Schedulable():
		it.Detail += "; no task lands on it (not ready and active)"
	case flavour != images.Offline:
		it.Detail += fmt.Sprintf("; it pulls the %s images itself", flavour)
	case r.err != nil:
		it.Status = report.ItemFail
		it.Detail += "; a task placed there cannot run: the offline images are made by labrun on each engine it reaches, and it cannot reach this one"
		it.Fix = fmt.Sprintf("give labrun this node's engine (a nodes file, --nodes), or keep tasks off it (docker node update --availability drain %s), or use images from a registry every node reaches (--images hub)", n.Name())
	default:
		if _, err := images.OfflineServer(n.Arch); err != nil {
			it.Status, it.Fix = report.ItemFail, fmt.Sprintf("drain it (docker node update --availability drain %s) or use --images hub", n.Name())
			it.Detail += "; no offline image for it: " + err.Error()
		} else {
			it.Detail += "; labrun makes the offline images on it"
		}
	}
	return it
}
