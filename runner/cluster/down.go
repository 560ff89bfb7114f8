package cluster

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/exit"
)

// Down makes each engine leave the swarm that up made of them, workers
// first, the manager last, and forgets the cluster. An engine whose node
// is not the one up made (it left and joined another swarm since, or up
// never made it one) is left alone and named. It returns the exit code:
// 0 done, 1 an engine could not leave, 2 bad input, no cluster labrun
// made with these engines, or an engine unreachable (nothing changed).
func Down(ctx context.Context, opts Options) (*Result, int, error) {
	o := newOp(opts)
	res := &Result{Result: "error", Nodes: []Node{}}
	fail := res.failedIn(o.Lang)
	if len(o.Members) == 0 {
		return fail(exit.Error, exit.Flagf("%s", o.errorf("no engine given: --hosts FILE or --host URL")))
	}
	store, err := newStore(o.StateDir)
	if err != nil {
		return fail(exit.Error, err)
	}
	rec, ok, err := store.load(o.Members[0].URL)
	if err != nil {
		return fail(exit.Error, &exit.UsageError{Err: err})
	}
	if !ok {
		return fail(exit.Error, &exit.UsageError{Err: o.errorf("labrun cluster up made no swarm with %s as its manager: nothing to undo", o.Members[0].URL)})
	}
	recorded := map[string]Node{}
	for _, n := range rec.Members {
		recorded[n.URL] = n
	}
	for _, m := range o.Members {
		if _, ok := recorded[m.URL]; !ok {
			return fail(exit.Error, &exit.UsageError{Err: o.errorf("engine %s is not one of the cluster labrun made with %s (its engines: %s)", m.URL, o.Members[0].URL, urls(rec.Members))})
		}
	}
	engines, err := o.contact(ctx)
	if err != nil {
		return fail(exit.Error, err)
	}
	defer closeAll(engines)

	// Judged before anything leaves: a worker is proved through the
	// manager's node list, which the manager's leaving would empty.
	ours := make([]bool, len(engines))
	for i := range engines {
		ours[i] = made(ctx, engines, rec, recorded[o.Members[i].URL], i)
	}
	var failed []string
	for i := len(engines) - 1; i >= 0; i-- {
		e, m := engines[i], o.Members[i]
		n := recorded[m.URL]
		n.Done = "left-alone"
		switch {
		case e.Swarm == swarm.LocalNodeStateInactive:
			o.say("%s is not in a swarm: nothing to do", m.URL)
			n.Done = "out"
		case !ours[i]:
			o.say("%s is node %s of a swarm labrun did not make (it made node %s): left alone", m.URL, e.NodeID, n.NodeID)
		default:
			o.say("%s leaves the swarm labrun made (node %s)", m.URL, e.NodeID)
			if err := leave(ctx, e, o.t.Cleanup); err != nil {
				failed = append(failed, o.errorf("engine %s could not leave the swarm: %v", m.URL, err).Error())
				n.Done = "failed"
			} else {
				n.Done = "left"
			}
		}
		res.Nodes = append([]Node{n}, res.Nodes...)
	}
	res.ClusterID = rec.ClusterID
	if len(failed) > 0 {
		return fail(exit.Fail, errors.New(strings.Join(failed, "\n")))
	}
	if len(o.Members) == len(rec.Members) {
		if err := store.remove(rec); err != nil {
			return fail(exit.Fail, err)
		}
	}
	res.Result = "pass"
	return res, exit.Pass, nil
}

// made reports whether engine i is still the node up made of it. Up
// records each node ID once the engine is in; an up that died between a
// join (or the init) and that record left the ID out, and then the proof
// is the swarm's own: a manager whose swarm was created after up started,
// a worker that such a manager lists among its nodes.
func made(ctx context.Context, engines []*engine.Engine, rec *record, n Node, i int) bool {
	e := engines[i]
	switch {
	case n.NodeID != "":
		return e.NodeID == n.NodeID && (i != 0 || rec.ClusterID == "" || e.ClusterID == rec.ClusterID)
	case n.Done == "":
		return false // up never touched it
	case i == 0:
		if !e.Manager {
			return false
		}
		sw, err := e.Client.SwarmInspect(ctx, client.SwarmInspectOptions{})
		// The swarm's creation is on the engine's clock, the record's start
		// on ours: the skew measured at connection puts them on one.
		return err == nil && !sw.Swarm.CreatedAt.Before(rec.Started.Add(e.ClockSkew-2*time.Second))
	default:
		if !made(ctx, engines, rec, rec.Members[0], 0) {
			return false
		}
		topo, err := engines[0].Nodes(ctx)
		if err != nil {
			return false
		}
		_, ok := topo.ByID(e.NodeID)
		return ok
	}
}

func urls(nodes []Node) string {
	var u []string
	for _, n := range nodes {
		u = append(u, n.URL)
	}
	return strings.Join(u, ", ")
}
