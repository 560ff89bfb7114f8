package cluster

import (
	"context"
	"errors"
	"strings"

	"github.com/moby/moby/api/types/swarm"

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
	fail := func(code int, err error) (*Result, int, error) {
		res.Error = err.Error()
		if code == exit.Fail {
			res.Result = "fail"
		}
		return res, code, err
	}
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

	var failed []string
	for i := len(engines) - 1; i >= 0; i-- {
		e, m := engines[i], o.Members[i]
		n := recorded[m.URL]
		n.Done = "left-alone"
		switch {
		case e.Swarm == swarm.LocalNodeStateInactive:
			o.say("%s is not in a swarm: nothing to do", m.URL)
			n.Done = "out"
		case n.NodeID == "" || e.NodeID != n.NodeID || i == 0 && rec.ClusterID != "" && e.ClusterID != rec.ClusterID:
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

func urls(nodes []Node) string {
	var u []string
	for _, n := range nodes {
		u = append(u, n.URL)
	}
	return strings.Join(u, ", ")
}
