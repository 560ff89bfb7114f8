package doctor

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"sync"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/report"
)

// nodeReach is whether labrun can reach a node's engine, and where.
type nodeReach struct {
	url string // the engine URL tried; empty when there was none to try
	err error  // nil: it answered, as that node
}

// nodesItems lists every node of a multi-node swarm, one item each: its
// hostname, role, availability, state, address and architecture, and
// whether labrun can reach its engine. With the offline images, which
// labrun makes itself on each engine, a node that may take a task and
// whose engine labrun cannot reach is a task that cannot run there (no
// image): that item fails. With hub or node images each node pulls its
// own, so reaching it does not matter.
func nodesItems(ctx context.Context, e *engine.Engine, topo engine.Topology, flavour string) []*report.Item {
	reach := make([]nodeReach, len(topo.Nodes))
	var wg sync.WaitGroup
	for i, n := range topo.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reach[i] = reachNode(ctx, e, n)
		}()
	}
	wg.Wait()
	items := make([]*report.Item, len(topo.Nodes))
	for i, n := range topo.Nodes {
		items[i] = clusterNodeItem(n, reach[i], flavour)
	}
	return items
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

// reachNode tries to reach a node's engine: the manager's own is the
// engine labrun talks to; another is tried at the node's address with the
// manager's scheme and port (tcp://ADDR:PORT), and must say it is that
// node.
//
// This discovery is a stopgap: at merge time the node → engine mapping
// of the nodes-file package (--nodes FILE, the images engineer's work)
// replaces it, and this function with it.
func reachNode(ctx context.Context, e *engine.Engine, n engine.Node) nodeReach {
	if n.ID == e.NodeID {
		return nodeReach{}
	}
	u, err := url.Parse(e.Host)
	if err != nil || u.Scheme != "tcp" || u.Port() == "" {
		return nodeReach{err: fmt.Errorf("no URL to try: labrun reaches the manager at %s, which gives no scheme and port to try on the node's address %s", e.Host, n.Addr)}
	}
	try := "tcp://" + net.JoinHostPort(n.Addr, u.Port())
	// The manager's TLS settings, as a class's engines share their CA.
	ep := e.Endpoint
	ep.Host = try
	ne, err := engine.ConnectTo(ctx, ep)
	if err != nil {
		return nodeReach{url: try, err: fmt.Errorf("%s", firstLine(err.Error()))}
	}
	defer ne.Close()
	if ne.NodeID != n.ID {
		return nodeReach{url: try, err: fmt.Errorf("the engine there is node %q, not %s", ne.NodeID, n.ID)}
	}
	return nodeReach{url: try}
}
