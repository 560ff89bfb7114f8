package owner

import (
	"context"
	"maps"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
)

// NodeState is what a run may change of a node it did not create, as it
// was before the run changed it: docker node update's --label-add,
// --label-rm and --availability.
type NodeState struct {
	ID           string            `json:"id"`
	Hostname     string            `json:"hostname,omitempty"`
	Availability string            `json:"availability"`
	Labels       map[string]string `json:"labels,omitempty"`
	// After is the node as the run's last docker node update left it:
	// Release puts back only what still holds the run's value, never a
	// change someone else made since. Nil when the run ended before
	// seeing it (a crash mid-command): everything that differs is then
	// put back.
	After *NodeState `json:"after,omitempty"`
}

// ChangingNodes records every node's labels and availability in the
// ledger before the run's first docker node update (labcmd calls it the
// moment before), once: Release puts back what differs. Recording every
// node, not the one the command names, spares parsing the command's
// arguments, and costs one API call.
func (r *Recorder) ChangingNodes() error {
	if len(r.Ledger.Nodes) > 0 {
		return nil
	}
	topo, err := r.Engine.Nodes(r.Ctx)
	if err != nil {
		return i18n.Errorf("record the nodes' labels and availability before changing them: %v", err)
	}
	return r.Ledger.SetNodes(statesOf(topo))
}

// ChangedNodes records every node's labels and availability as the run's
// docker node update just left them (labcmd calls it after each).
func (r *Recorder) ChangedNodes() error {
	topo, err := r.Engine.Nodes(r.Ctx)
	if err != nil {
		return i18n.Errorf("record the nodes' labels and availability after changing them: %v", err)
	}
	now := statesOf(topo)
	return r.Ledger.update(func() bool {
		for i := range r.Ledger.Nodes {
			for _, n := range now {
				if n.ID == r.Ledger.Nodes[i].ID {
					r.Ledger.Nodes[i].After = &n
				}
			}
		}
		return true
	})
}

func statesOf(topo engine.Topology) []NodeState {
	var out []NodeState
	for _, n := range topo.Nodes {
		out = append(out, NodeState{ID: n.ID, Hostname: n.Hostname, Availability: n.Availability, Labels: maps.Clone(n.Labels)})
	}
	return out
}

// SetNodes records the nodes' states as they were before the run changed
// them; a state already recorded stays, since it is the older.
func (l *Ledger) SetNodes(nodes []NodeState) error {
	return l.update(func() bool {
		if len(l.Nodes) > 0 {
			return false
		}
		l.Nodes = nodes
		return true
	})
}

// restoreNodes puts back the labels and availability of every recorded
// node that differ now: each label the run added, removed or changed, and
// the availability, leaving the rest of the node's spec as it is. It
// returns what it put back and what it could not.
func restoreNodes(ctx context.Context, e *engine.Engine, l *Ledger, lang string) (restored, left []string) {
	for _, was := range l.Nodes {
		res, err := e.Client.NodeInspect(ctx, was.ID, client.NodeInspectOptions{})
		if cerrdefs.IsNotFound(err) {
			continue // the node left the swarm: nothing of it to put back
		}
		if err != nil {
			left = append(left, i18n.Textf(lang, "node %s (%v): docker node update --availability %s %s", name(was), err, was.Availability, name(was)))
			continue
		}
		spec, changed := restoredSpec(res.Node.Spec, was)
		if !changed {
			continue
		}
		if _, err := e.Client.NodeUpdate(ctx, was.ID, client.NodeUpdateOptions{Version: res.Node.Version, Spec: spec}); err != nil {
			left = append(left, i18n.Textf(lang, "node %s (%v): docker node update --availability %s %s, and its labels as they were: %v", name(was), err, was.Availability, name(was), was.Labels))
			continue
		}
		restored = append(restored, i18n.Textf(lang, "node %s (labels and availability as before the run)", name(was)))
	}
	return restored, left
}

// restoredSpec is spec with the labels and availability the run changed
// put back as they were, and whether that changes it. A value someone
// else changed since the run set it is theirs, and stays.
func restoredSpec(spec swarm.NodeSpec, was NodeState) (swarm.NodeSpec, bool) {
	after := was.After
	if after == nil {
		after = &NodeState{Availability: string(spec.Availability), Labels: spec.Labels}
	}
	changed := false
	if was.Availability != "" && string(spec.Availability) == after.Availability && after.Availability != was.Availability {
		spec.Availability = swarm.NodeAvailability(was.Availability)
		changed = true
	}
	labels := maps.Clone(spec.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	keys := maps.Clone(was.Labels)
	if keys == nil {
		keys = map[string]string{}
	}
	maps.Copy(keys, after.Labels)
	for k := range keys {
		before, hadBefore := was.Labels[k]
		set, hadAfter := after.Labels[k]
		now, hasNow := labels[k]
		if hadAfter == hadBefore && set == before {
			continue // the run left it as it was
		}
		if hasNow != hadAfter || now != set {
			continue // changed since by someone else: theirs
		}
		if hadBefore {
			labels[k] = before
		} else {
			delete(labels, k)
		}
		changed = true
	}
	spec.Labels = labels
	return spec, changed
}

func name(n NodeState) string {
	if n.Hostname != "" {
		return n.Hostname
	}
	return n.ID
}
