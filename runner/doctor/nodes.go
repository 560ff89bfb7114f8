package doctor

import (
	"context"
	"fmt"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
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
			reach[i].err = i18n.Errorf("%s has no line for it", nodesFile)
		default:
			reach[i].err = i18n.Errorf("no engine answers as this node at its address %s with the manager's scheme and port (%s)", n.Addr, e.Host)
		}
	}
	return reach, nil
}

// nodesItems lists every node of a multi-node swarm, one item each, in
// lang: its hostname, role, availability, state, address and
// architecture, and whether labrun can reach its engine. With the offline
// images, which labrun makes itself on each engine, a node that may take
// a task and whose engine labrun cannot reach is a task that cannot run
// there (no image): that item fails. With hub or node images each node
// pulls its own, so reaching it does not matter.
func nodesItems(ctx context.Context, lang string, e *engine.Engine, topo engine.Topology, flavour, nodesFile string) ([]*report.Item, error) {
	reach, err := reachNodes(ctx, e, topo, nodesFile)
	if err != nil {
		return nil, err
	}
	items := make([]*report.Item, len(topo.Nodes))
	for i, n := range topo.Nodes {
		items[i] = clusterNodeItem(lang, n, reach[i], flavour)
	}
	return items, nil
}

// clusterNodeItem judges one node of a multi-node swarm, in lang; the
// swarm's words for the node (role, availability, state) are quoted.
func clusterNodeItem(lang string, n engine.Node, r nodeReach, flavour string) *report.Item {
	role := n.Role
	if n.Leader {
		role = i18n.Textf(lang, "%s (leader)", role)
	}
	it := &report.Item{ID: "node", Title: i18n.Text(lang, "doctor-node-named", n.Name()), Status: report.ItemOK}
	// The detail is the node's description, then what labrun found,
	// then the verdict, each a sentence of the catalogue.
	parts := []any{fmt.Sprintf("%s, %s, %s, %s, %s", role, n.Availability, n.State, n.Addr, n.Arch)}
	switch {
	case r.url == "" && r.err == nil:
		parts = append(parts, i18n.Sprintf("labrun's own engine"))
	case r.err == nil:
		parts = append(parts, i18n.Sprintf("labrun reaches its engine at %s", r.url))
	case r.url == "":
		parts = append(parts, i18n.Sprintf("labrun cannot reach its engine: %v", r.err))
	default:
		parts = append(parts, i18n.Sprintf("labrun cannot reach its engine at %s: %v", r.url, r.err))
	}
	switch {
	case !n.Schedulable():
		parts = append(parts, i18n.Sprintf("no task lands on it (not ready and active)"))
	case flavour != images.Offline:
		parts = append(parts, i18n.Sprintf("it pulls the %s images itself", flavour))
	case r.err != nil:
		it.Status = report.ItemFail
		parts = append(parts, i18n.Sprintf("a task placed there cannot run: the offline images are made by labrun on each engine it reaches, and it cannot reach this one"))
		it.Fix = i18n.Textf(lang, "give labrun this node's engine (a nodes file, --nodes), or keep tasks off it (docker node update --availability drain %s), or use images from a registry every node reaches (--images hub)", n.Name())
	default:
		if _, err := images.OfflineServer(n.Arch); err != nil {
			it.Status, it.Fix = report.ItemFail, i18n.Textf(lang, "drain it (docker node update --availability drain %s) or use --images hub", n.Name())
			parts = append(parts, i18n.Sprintf("no offline image for it: %v", err))
		} else {
			parts = append(parts, i18n.Sprintf("labrun makes the offline images on it"))
		}
	}
	it.Detail = i18n.Textf(lang, "%s", i18n.Join(parts, i18n.Text(lang, "doctor-sep")))
	return it
}
