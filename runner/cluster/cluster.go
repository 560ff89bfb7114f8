// Package cluster is labrun cluster up and down: one swarm made of
// several engines for a class (the first a manager, the others workers),
// and every engine put back out of swarm afterwards. What up does is
// recorded in labrun's state directory before it is done, so that down
// makes an engine leave only the swarm labrun made, never another.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/classroom"
	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/timeouts"
)

// SwarmPort is the port of the swarm's control plane, on which a manager
// listens and workers join.
const SwarmPort = "2377"

// Options are the choices of labrun cluster up and down.
type Options struct {
	// Members are the engines, the first the manager: a hosts file's
	// entries, or --host flags (Line 0).
	Members []classroom.Entry
	// File is the hosts file the members come from, for file:line in
	// messages; empty for --host flags.
	File string
	// Leave makes up take engines already in a swarm out of it first
	// (docker swarm leave --force) instead of refusing them.
	Leave bool
	// Lang is the language of labrun's messages (en, fr).
	Lang string
	// Out receives what is done, a line at a time; nil prints nothing.
	Out io.Writer
	// StateDir is labrun's state directory; empty: the default one.
	StateDir string
	// Timeouts bound the waits; zero fields take their defaults.
	Timeouts timeouts.Timeouts
}

// Node is one engine of a cluster as up made it or down found it.
type Node struct {
	URL       string `json:"url"`
	Advertise string `json:"advertise"`
	Role      string `json:"role"`
	NodeID    string `json:"node_id,omitempty"`
	// Done says what labrun did to it: joined, left, left-alone.
	Done string `json:"done,omitempty"`
}

// Result is what up or down did, for --json.
type Result struct {
	Result    string `json:"result"` // pass, fail, error
	ClusterID string `json:"cluster_id,omitempty"`
	Nodes     []Node `json:"nodes"`
	Error     string `json:"error,omitempty"`
}

// failedIn returns how an up or a down ends with a code and an error,
// the error said in the result in lang.
func (r *Result) failedIn(lang string) func(code int, err error) (*Result, int, error) {
	return func(code int, err error) (*Result, int, error) {
		r.Error = i18n.In(lang, err)
		if code == exit.Fail {
			r.Result = "fail"
		}
		return r, code, err
	}
}

// op is one up or down: its options and how it words its messages.
type op struct {
	Options
	t timeouts.Timeouts
}

func newOp(o Options) *op {
	return &op{Options: o, t: o.Timeouts.WithDefaults()}
}

// errorf words an error in the command's language, the engine's own
// errors quoted as they came.
func (o *op) errorf(format string, args ...any) error {
	return errors.New(i18n.Sprintf(format, args...).In(o.Lang))
}

// say prints a line of progress in the command's language.
func (o *op) say(format string, args ...any) {
	if o.Out != nil {
		fmt.Fprintln(o.Out, i18n.Sprintf(format, args...).In(o.Lang))
	}
}

// CheckMembers checks the engines before anything is contacted: at least
// one, and an advertise address for each whose URL names none (unix://,
// ssh://: the swarm needs an address other nodes reach). It fills in the
// advertise address a tcp:// URL gives.
func CheckMembers(members []classroom.Entry, file, lang string) ([]classroom.Entry, error) {
	if len(members) == 0 {
		return nil, exit.Flagf("%s", i18n.Sprintf("no engine given: --hosts FILE or --host URL").In(lang))
	}
	out := make([]classroom.Entry, len(members))
	for i, m := range members {
		where := m.URL
		if m.Line > 0 {
			where = fmt.Sprintf("%s:%d", file, m.Line)
		}
		if err := classroom.CheckHost(m.URL); err != nil {
			return nil, exit.Flagf("--host: %v", err)
		}
		if m.Advertise == "" {
			if u, err := url.Parse(m.URL); err == nil && u.Scheme == "tcp" {
				m.Advertise = u.Hostname()
			} else {
				return nil, exit.Usagef("%s", i18n.Sprintf("%s: engine %s names no address the other nodes can reach: give its advertise address after the URL (URL ADVERTISE-ADDR) in a --hosts file", where, m.URL).In(lang))
			}
		}
		out[i] = m
	}
	return out, nil
}

// contact connects to every engine at once; an engine that does not
// answer is a usage error naming it, before anything is changed.
func (o *op) contact(ctx context.Context) ([]*engine.Engine, error) {
	engines := make([]*engine.Engine, len(o.Members))
	errs := make([]error, len(o.Members))
	var wg sync.WaitGroup
	for i, m := range o.Members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			engines[i], errs[i] = engine.Connect(ctx, m.URL)
		}()
	}
	wg.Wait()
	var bad []string
	for i, err := range errs {
		if err != nil {
			bad = append(bad, o.errorf("engine %s is unreachable: %v", o.Members[i].URL, firstLine(err.Error())).Error())
		}
	}
	if len(bad) > 0 {
		closeAll(engines)
		return nil, &exit.UsageError{Err: errors.New(strings.Join(bad, "\n"))}
	}
	// One engine given twice (its socket and its TCP port) cannot be two nodes.
	seen := map[string]string{}
	for i, e := range engines {
		id := e.ID + " " + e.Name
		if other, ok := seen[id]; ok && e.ID != "" {
			closeAll(engines)
			return nil, &exit.UsageError{Err: o.errorf("engines %s and %s are the same engine (ID %s): a node cannot join its own swarm twice", other, o.Members[i].URL, e.ID)}
		}
		seen[id] = o.Members[i].URL
	}
	return engines, nil
}

func closeAll(engines []*engine.Engine) {
	for _, e := range engines {
		if e != nil {
			e.Close()
		}
	}
}

// Up makes one swarm of the engines: the first inits it, the others join
// it as workers, and Up waits until every node is ready. It returns the
// exit code: 0 done, 1 the swarm could not be made (a join failed; what
// Up did is undone), 2 bad input or an engine unreachable or already in
// a swarm (nothing changed), 130 interrupted (what Up did is undone).
func Up(ctx context.Context, opts Options) (*Result, int, error) {
	o := newOp(opts)
	res := &Result{Result: "error", Nodes: []Node{}}
	fail := res.failedIn(o.Lang)
	members, err := CheckMembers(o.Members, o.File, o.Lang)
	if err != nil {
		return fail(exit.Error, err)
	}
	o.Members = members
	for i, m := range members {
		role := string(swarm.NodeRoleWorker)
		if i == 0 {
			role = string(swarm.NodeRoleManager)
		}
		res.Nodes = append(res.Nodes, Node{URL: m.URL, Advertise: m.Advertise, Role: role})
	}
	engines, err := o.contact(ctx)
	if err != nil {
		return fail(exit.Error, err)
	}
	defer closeAll(engines)
	var inSwarm []string
	for i, e := range engines {
		if e.Swarm != swarm.LocalNodeStateInactive {
			inSwarm = append(inSwarm, o.errorf("engine %s is already in a swarm (state %s, node %s): make it leave first (docker swarm leave), or pass --leave", members[i].URL, string(e.Swarm), e.NodeID).Error())
		}
	}
	if len(inSwarm) > 0 && !o.Leave {
		return fail(exit.Error, &exit.UsageError{Err: errors.New(strings.Join(inSwarm, "\n"))})
	}

	// Recorded before anything changes, so that a crash leaves a record
	// that down can follow.
	rec := &record{Members: res.Nodes, Started: time.Now().UTC()}
	store, err := newStore(o.StateDir)
	if err != nil {
		return fail(exit.Error, err)
	}
	if err := store.save(rec); err != nil {
		return fail(exit.Error, err)
	}
	undo := func(cause error) (*Result, int, error) {
		o.say("undoing: every engine leaves the swarm labrun made")
		o.undo(engines, rec)
		if err := store.remove(rec); err != nil {
			o.say("the record of the cluster could not be removed: %v", err)
		}
		for i := range res.Nodes {
			res.Nodes[i].NodeID, res.Nodes[i].Done = "", ""
		}
		res.ClusterID = ""
		if ctx.Err() != nil {
			return fail(exit.Interrupted, cause)
		}
		return fail(exit.Fail, cause)
	}

	if o.Leave {
		for i, e := range engines {
			if e.Swarm == swarm.LocalNodeStateInactive {
				continue
			}
			o.say("%s leaves its swarm (node %s), as --leave asks", members[i].URL, e.NodeID)
			if err := leave(ctx, e, o.t.Cleanup); err != nil {
				return undo(o.errorf("engine %s could not leave its swarm: %v", members[i].URL, err))
			}
		}
	}

	mgr, mgrAddr := engines[0], members[0].Advertise
	o.say("%s: docker swarm init --advertise-addr %s", members[0].URL, mgrAddr)
	rec.Members[0].Done = "init"
	if err := store.save(rec); err != nil {
		return undo(err)
	}
	initCtx, cancel := context.WithTimeout(ctx, o.t.SwarmJoin)
	inited, err := mgr.Client.SwarmInit(initCtx, client.SwarmInitOptions{
		ListenAddr: net.JoinHostPort(mgrAddr, SwarmPort), AdvertiseAddr: mgrAddr})
	cancel()
	if err != nil {
		return undo(o.errorf("engine %s could not make a swarm: %v", members[0].URL, err))
	}
	rec.Members[0].NodeID = inited.NodeID
	if err := mgr.Refresh(ctx); err != nil {
		return undo(o.errorf("engine %s: %v", members[0].URL, err))
	}
	rec.ClusterID = mgr.ClusterID
	if err := store.save(rec); err != nil {
		return undo(err)
	}
	sw, err := mgr.Client.SwarmInspect(ctx, client.SwarmInspectOptions{})
	if err != nil {
		return undo(o.errorf("engine %s: %v", members[0].URL, err))
	}
	token := sw.Swarm.JoinTokens.Worker
	for i := 1; i < len(engines); i++ {
		m := members[i]
		o.say("%s: docker swarm join --advertise-addr %s %s", m.URL, m.Advertise, net.JoinHostPort(mgrAddr, SwarmPort))
		rec.Members[i].Done = "join"
		if err := store.save(rec); err != nil {
			return undo(err)
		}
		joinCtx, cancel := context.WithTimeout(ctx, o.t.SwarmJoin)
		_, err := engines[i].Client.SwarmJoin(joinCtx, client.SwarmJoinOptions{
			ListenAddr: net.JoinHostPort(m.Advertise, SwarmPort), AdvertiseAddr: m.Advertise,
			RemoteAddrs: []string{net.JoinHostPort(mgrAddr, SwarmPort)}, JoinToken: token})
		cancel()
		if err != nil {
			return undo(o.errorf("engine %s could not join the swarm of %s: %v", m.URL, members[0].URL, err))
		}
		if err := engines[i].Refresh(ctx); err == nil {
			rec.Members[i].NodeID = engines[i].NodeID
		}
		if err := store.save(rec); err != nil {
			return undo(err)
		}
	}
	if err := o.waitReady(ctx, mgr, len(engines)); err != nil {
		return undo(err)
	}
	res.ClusterID = rec.ClusterID
	for i := range res.Nodes {
		res.Nodes[i].NodeID, res.Nodes[i].Done = rec.Members[i].NodeID, "joined"
	}
	res.Nodes[0].Done = "init"
	res.Result = "pass"
	o.say("swarm %s: %d nodes ready, manager %s", rec.ClusterID, len(engines), members[0].URL)
	return res, exit.Pass, nil
}

// waitReady polls the manager's node list until want nodes are ready,
// within the SwarmReady timeout, saying what it waits for.
func (o *op) waitReady(ctx context.Context, mgr *engine.Engine, want int) error {
	o.say("waiting (at most %s) for %d nodes to be ready", o.t.SwarmReady, want)
	ctx, cancel := context.WithTimeout(ctx, o.t.SwarmReady)
	defer cancel()
	last := ""
	for {
		topo, err := mgr.Nodes(ctx)
		if err == nil {
			ready := 0
			var states []string
			for _, n := range topo.Nodes {
				states = append(states, n.Name()+" "+n.State)
				if n.State == string(swarm.NodeStateReady) {
					ready++
				}
			}
			last = strings.Join(states, ", ")
			if ready >= want {
				return nil
			}
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return o.errorf("not every node is ready after %s (last: %s)", o.t.SwarmReady, last)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// undo makes every engine that up changed leave the swarm, workers first,
// the manager last (which ends the swarm it inited). It goes on whatever
// fails, with a context of its own: an interrupted up is undone too.
func (o *op) undo(engines []*engine.Engine, rec *record) {
	for i := len(engines) - 1; i >= 0; i-- {
		if rec.Members[i].Done == "" {
			continue
		}
		if err := leave(context.Background(), engines[i], o.t.Cleanup); err != nil {
			o.say("engine %s could not leave the swarm: %v", rec.Members[i].URL, err)
		}
	}
}

// leave makes the engine leave its swarm, forced (a manager's last node,
// a worker whose manager is gone), within timeout. An engine already out
// of swarm has nothing to do.
func leave(ctx context.Context, e *engine.Engine, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := e.Refresh(ctx); err == nil && e.Swarm == swarm.LocalNodeStateInactive {
		return nil
	}
	_, err := e.Client.SwarmLeave(ctx, client.SwarmLeaveOptions{Force: true})
	return err
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
