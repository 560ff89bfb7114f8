package labcmd

import (
	"context"
	"net"
	"net/url"
	"strconv"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
)

// target is where an HTTP check sends its request: the URL as the lab
// wrote it, or, on a swarm of several nodes where the port is published
// in host mode, that URL aimed at the node of a running task publishing
// it, since only that node answers on the port.
type target struct {
	URL string
	// Node is the node the request is aimed at, "" when the URL is the
	// lab's own (one node, another host, the routing mesh).
	Node string
	// NodeID is that node's ID, so that whoami compares the answer with
	// the tasks of that node only.
	NodeID string
}

// aim returns where to send a request for rawURL. service, when not empty,
// is the service the lab expects to answer (whoami's); otherwise the
// service publishing the URL's port is looked up. Only a URL whose host is
// the engine's ($ENGINE_HOST) is aimed: another host is the lab's choice.
func aim(ctx context.Context, c *Call, rawURL, service string) target {
	t := target{URL: rawURL}
	u, err := url.Parse(rawURL)
	if err != nil || c.Engine == nil || u.Hostname() != c.Engine.HTTPHost {
		return t
	}
	port := 80
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return t
		}
	} else if u.Scheme == "https" {
		port = 443
	}
	node, ok := AnsweringNode(ctx, c.Engine, service, port)
	if !ok {
		return t
	}
	u.Host = net.JoinHostPort(node.Addr, strconv.Itoa(port))
	return target{URL: u.String(), Node: node.Name(), NodeID: node.ID}
}

// AnsweringNode returns, on a swarm of several nodes, the node where port
// answers because a running task publishes it there in host mode: the
// task of service, or of whichever service publishes port when service
// is empty. ok is false on one node, with the routing mesh (every node
// answers), or when no task runs: the engine's own host is then as good
// as any. The guide shows it in the commands a student types.
func AnsweringNode(ctx context.Context, e *engine.Engine, service string, port int) (engine.Node, bool) {
	if e == nil || !e.Manager {
		return engine.Node{}, false // only a manager lists nodes and services
	}
	topo, err := e.Nodes(ctx)
	if err != nil || !topo.Multi() {
		return engine.Node{}, false // one node: the engine's host is the node of every task
	}
	svc, ok := publisher(ctx, e, service, port)
	if !ok {
		return engine.Node{}, false
	}
	tasks, err := e.Client.TaskList(ctx, client.TaskListOptions{Filters: make(client.Filters).Add("service", svc.ID)})
	if err != nil {
		return engine.Node{}, false
	}
	return hostNode(tasks.Items, topo) // no running task: the request fails, as it must
}

// publisher returns the service that publishes port in host mode: the
// named one when name is not empty. With the routing mesh (ingress mode)
// every node answers, the engine's host too, and the URL is left alone.
func publisher(ctx context.Context, e *engine.Engine, name string, port int) (swarm.Service, bool) {
	var services []swarm.Service
	if name != "" {
		res, err := e.Client.ServiceInspect(ctx, name, client.ServiceInspectOptions{})
		if err != nil {
			return swarm.Service{}, false
		}
		services = []swarm.Service{res.Service}
	} else {
		res, err := e.Client.ServiceList(ctx, client.ServiceListOptions{})
		if err != nil {
			return swarm.Service{}, false
		}
		services = res.Items
	}
	for _, s := range services {
		if publishesInHostMode(s, port) {
			return s, true
		}
	}
	return swarm.Service{}, false
}

// publishesInHostMode tells whether the service publishes port in host
// mode, by its spec (which the engine fills into the endpoint later).
func publishesInHostMode(s swarm.Service, port int) bool {
	var ports []swarm.PortConfig
	if s.Spec.EndpointSpec != nil {
		ports = append(ports, s.Spec.EndpointSpec.Ports...)
	}
	ports = append(ports, s.Endpoint.Ports...)
	for _, p := range ports {
		if int(p.PublishedPort) == port && p.PublishMode == swarm.PortConfigPublishModeHost {
			return true
		}
	}
	return false
}

// hostNode picks the node of the newest running task (its answer is the
// one a step that just replaced a task wants), among nodes with an
// address.
func hostNode(tasks []swarm.Task, topo engine.Topology) (engine.Node, bool) {
	var best *swarm.Task
	for i, t := range tasks {
		if t.Status.State != swarm.TaskStateRunning || t.DesiredState != swarm.TaskStateRunning || t.NodeID == "" {
			continue
		}
		if best == nil || t.Meta.CreatedAt.After(best.Meta.CreatedAt) {
			best = &tasks[i]
		}
	}
	if best == nil {
		return engine.Node{}, false
	}
	n, ok := topo.ByID(best.NodeID)
	// 0.0.0.0 is a node that did not say its address: not one to ask.
	if !ok || n.Addr == "" || n.Addr == "0.0.0.0" {
		return engine.Node{}, false
	}
	return n, true
}
