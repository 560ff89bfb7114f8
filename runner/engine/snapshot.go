package engine

import (
	"bytes"
	"errors"
	"io"
	"net"

	"context"
	"fmt"
	"sort"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/moby/moby/api/pkg/stdcopy"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"
)

// ServiceSnapshot is what the engine says of one service at one moment:
// the service (nil when there is none), its tasks, newest first, and the
// containers of its live tasks, by container ID. Checks are pure functions
// of snapshots, so they are tested on recorded ones without an engine.
type ServiceSnapshot struct {
	Name       string
	Service    *swarm.Service
	Tasks      []swarm.Task
	Containers map[string]container.InspectResponse
	// Nodes is the swarm's topology when the tasks were read, so that
	// reports name the node of each task on a swarm of several nodes.
	Nodes Topology
}

// NodeOf names the node a task runs on, "" on a one-node swarm (where it
// adds nothing) or when the task is not placed yet.
func (s ServiceSnapshot) NodeOf(t swarm.Task) string {
	if !s.Nodes.Multi() || t.NodeID == "" {
		return ""
	}
	if n, ok := s.Nodes.ByID(t.NodeID); ok {
		return n.Name()
	}
	return short(t.NodeID)
}

// liveStates are the task states whose container may be inspected for
// health: earlier ones have none, later ones are gone or going.
var liveStates = map[swarm.TaskState]bool{
	swarm.TaskStateStarting: true,
	swarm.TaskStateRunning:  true,
}

// Depth is how much of a service a snapshot reads: each level costs
// more API calls, and waits read snapshots several times a second.
type Depth int

const (
	// SpecOnly reads the service object: spec, previous spec, update status.
	SpecOnly Depth = iota
	// WithTasks adds the task history.
	WithTasks
	// WithContainers adds the live tasks' containers, for health and hostname.
	WithContainers
)

// Service reads the service called name and, as deep as asked, its tasks
// and its live containers.
func (e *Engine) Service(ctx context.Context, name string, depth Depth) (ServiceSnapshot, error) {
	snap := ServiceSnapshot{Name: name, Containers: map[string]container.InspectResponse{}}
	res, err := e.Client.ServiceInspect(ctx, name, client.ServiceInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return snap, nil
	}
	if err != nil {
		return snap, e.explain(i18n.Sprintf("inspect service %s", name), err)
	}
	// A name can also match a service ID prefix; only the name counts here.
	if res.Service.Spec.Name != name {
		return snap, nil
	}
	snap.Service = &res.Service
	if depth < WithTasks {
		return snap, nil
	}
	tasks, err := e.Client.TaskList(ctx, client.TaskListOptions{Filters: make(client.Filters).Add("service", res.Service.ID)})
	if err != nil {
		return snap, e.explain(i18n.Sprintf("list tasks of service %s", name), err)
	}
	snap.Tasks = tasks.Items
	// The nodes only name where tasks run: a swarm that cannot list them
	// now still has tasks to judge, so a failure leaves them unnamed.
	if topo, err := e.Nodes(ctx); err == nil {
		snap.Nodes = topo
	}
	sort.SliceStable(snap.Tasks, func(i, j int) bool {
		return snap.Tasks[i].Meta.CreatedAt.After(snap.Tasks[j].Meta.CreatedAt)
	})
	if depth < WithContainers {
		return snap, nil
	}
	for _, t := range snap.Tasks {
		cs := t.Status.ContainerStatus
		if cs == nil || cs.ContainerID == "" || !liveStates[t.Status.State] {
			continue
		}
		c, err := e.OnNode(t.NodeID).Client.ContainerInspect(ctx, cs.ContainerID, client.ContainerInspectOptions{})
		if cerrdefs.IsNotFound(err) {
			continue // removed since the task list was read, or on a node labrun does not reach
		}
		if err != nil {
			return snap, e.explain(i18n.Sprintf("inspect container of task %s", t.ID), err)
		}
		snap.Containers[cs.ContainerID] = c.Container
	}
	return snap, nil
}

// Changes returns a channel that receives a value soon after the engine
// reports an event about services, containers or nodes, so that waits wake
// up at once instead of on their next poll. It is closed when ctx ends or
// the event stream breaks; waits then fall back to polling alone.
func (e *Engine) Changes(ctx context.Context) <-chan struct{} {
	out := make(chan struct{}, 1)
	filters := make(client.Filters).Add("type", "service", "container", "node")
	ev := e.Client.Events(ctx, client.EventsListOptions{Filters: filters, Since: fmt.Sprint(e.Now().Unix())})
	go func() {
		defer close(out)
		for {
			select {
			case <-ev.Messages:
				select {
				case out <- struct{}{}:
				default: // a wake-up is already pending
				}
			case <-ev.Err:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// ContainerLogTail returns the last lines of a container's output.
func (e *Engine) ContainerLogTail(ctx context.Context, id string, lines int) (string, error) {
	res, err := e.Client.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Tail: fmt.Sprint(lines)})
	if err != nil {
		return "", err
	}
	defer res.Close()
	return demux(res)
}

// ContainerHealth returns a container's health, or nil when it has none or
// is gone.
func (e *Engine) ContainerHealth(ctx context.Context, id string) (*container.Health, error) {
	c, err := e.Client.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if c.Container.State == nil {
		return nil, nil
	}
	return c.Container.State.Health, nil
}

// demux reads a non-TTY log stream, whose stdout and stderr frames are
// multiplexed, into one text.
func demux(r io.Reader) (string, error) {
	var buf bytes.Buffer
	if _, err := stdcopy.StdCopy(&buf, &buf, r); err != nil {
		return buf.String(), err
	}
	return buf.String(), nil
}

// explain words an API error for a person: an engine that does not answer
// is named, without the client's URL-encoded socket path.
func (e *Engine) explain(what i18n.Sentence, err error) error {
	if client.IsErrConnectionFailed(err) {
		var op *net.OpError
		if errors.As(err, &op) {
			err = op
		}
		return i18n.Errorf("%s: the engine at %s does not answer: %v", what, e.Host, err)
	}
	return i18n.Errorf("%s: %v", what, err)
}
