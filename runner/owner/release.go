package owner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/registry"
)

// Released is what Release did.
type Released struct {
	// Removed are the objects removed.
	Removed []string
	// Left are the run's objects it could not remove, each with the
	// command that would; the ledger stays for labrun cleanup.
	Left []string
	// Untouched are objects of the ledger's names that the run cannot
	// prove its own (it never saw them created, or their ID or label is
	// another's): labrun leaves them, and says so.
	Untouched []string
	// LeftSwarm tells that the node left the swarm the run had made it
	// join (--init-swarm).
	LeftSwarm bool
}

// Release removes what a ledger lists and the run created, in an order the
// engine accepts: services, then (once their containers are gone) the
// secrets, configs, networks and volumes they used, then images, then the
// swarm the run initialised. An object is the run's only while it still
// has the ID the run recorded when it saw it created; an image only while
// it carries the run's label; a swarm only while it is the cluster the
// run initialised. The ledger is deleted when nothing of the run's is
// left. abort, when cancelled, stops the waiting early. nodes are the
// engines of the swarm's other nodes, where the run may have put images:
// an image is removed from its node's engine, on the same proof. What it
// says is in English: ReleaseIn says it in a run's language.
func Release(abort context.Context, e *engine.Engine, l *Ledger, timeout time.Duration, nodes ...*engine.Engine) Released {
	return ReleaseIn(abort, e, l, timeout, "en", nodes...)
}

// ReleaseIn is Release, its Left and Untouched worded in lang, the
// engine's errors quoted in them.
func ReleaseIn(abort context.Context, e *engine.Engine, l *Ledger, timeout time.Duration, lang string, nodes ...*engine.Engine) Released {
	if abort == nil {
		abort = context.Background()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(abort), timeout)
	defer cancel()
	stop := context.AfterFunc(abort, cancel)
	defer stop()

	var r Released
	swarmOnly := map[string]bool{"service": true, "secret": true, "config": true}
	// Outside a swarm no service can exist, and asking for one is an error.
	inSwarm := !(e.Refresh(ctx) == nil && !e.Manager)
	// ours returns the object of a resource if it is provably the run's.
	ours := func(res Resource) (bool, error) {
		f, err := find(ctx, e, res.Kind, res.Name)
		switch {
		case err != nil:
			return false, err
		case f == nil:
			return false, nil
		case f.runLabel == l.ID:
			return true, nil // labrun made it itself, labelled with the run
		case res.Kind == "image":
			// Unlabelled (the student's own build) or another run's.
			return false, nil
		case res.ID == "":
			r.Untouched = append(r.Untouched, i18n.Textf(lang, "%s: this run never saw it created, so it may not be its own: labrun leaves it (%s %s removes it)", Named(res.Kind, res.Name), removeCommand(res.Kind), res.Name))
			return false, nil
		case f.id != res.ID:
			r.Untouched = append(r.Untouched, i18n.Textf(lang, "%s: not the one this run created (another ID): labrun leaves it", Named(res.Kind, res.Name)))
			return false, nil
		}
		return true, nil
	}
	var services []string
	for _, res := range l.Resources {
		if res.Kind != "service" || !inSwarm {
			continue
		}
		mine, err := ours(res)
		switch {
		case err != nil:
			r.Left = append(r.Left, i18n.Textf(lang, "service %s (%v): docker service rm %s", res.Name, err, res.Name))
		case mine:
			if _, err := e.Client.ServiceRemove(ctx, res.ID, client.ServiceRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
				r.Left = append(r.Left, i18n.Textf(lang, "service %s (%v): docker service rm %s", res.Name, err, res.Name))
				continue
			}
			services = append(services, res.Name)
			r.Removed = append(r.Removed, Named("service", res.Name).In(lang))
		}
	}
	if err := waitContainersGone(ctx, e, services, l.ID); err != nil {
		r.Left = append(r.Left, i18n.In(lang, err))
	}
	for _, o := range objects {
		for _, res := range l.Resources {
			if res.Kind != o.kind || swarmOnly[res.Kind] && !inSwarm {
				continue
			}
			mine, err := ours(res)
			if err == nil && mine {
				err = removeObject(ctx, e, o.object, res.Name)
				if err == nil {
					r.Removed = append(r.Removed, Named(o.kind, res.Name).In(lang))
				}
			}
			if err != nil {
				r.Left = append(r.Left, i18n.Textf(lang, "%s (%v): %s %s", Named(o.kind, res.Name), err, o.removeCommand, res.Name))
			}
		}
	}
	for _, res := range l.Resources {
		if res.Kind != "image" || res.Node != "" {
			continue
		}
		mine, err := ours(res)
		if err == nil && mine {
			_, err = e.Client.ImageRemove(ctx, res.Name, client.ImageRemoveOptions{PruneChildren: true})
			if err == nil {
				r.Removed = append(r.Removed, Named("image", res.Name).In(lang))
			}
		}
		if err != nil && !cerrdefs.IsNotFound(err) {
			r.Left = append(r.Left, i18n.Textf(lang, "image %s (%v): docker image rm %s", res.Name, err, res.Name))
		}
	}
	// Nodes first: putting a drained node back must not wait on an image
	// another node is slow to give up.
	if len(l.Nodes) > 0 && inSwarm {
		restored, left := restoreNodes(ctx, e, l, lang)
		r.Removed = append(r.Removed, restored...)
		r.Left = append(r.Left, left...)
	}
	r.Removed, r.Left = releaseOnNodes(ctx, e, l, nodes, lang, r.Removed, r.Left)
	for _, res := range l.Resources {
		if res.Kind != "pushed" || res.ID == "" {
			continue // never pushed: nothing of the run's in the registry
		}
		switch err := registry.Delete(ctx, res.Name, res.ID); {
		case errors.Is(err, registry.ErrMoved):
			r.Untouched = append(r.Untouched, i18n.Textf(lang, "tag %s in the registry: %v, labrun leaves it", res.Name, err))
		case err != nil:
			r.Left = append(r.Left, i18n.Textf(lang, "tag %s in the registry (%v): the registry may not allow deletes; delete %s@%s through its API", res.Name, err, res.Name, res.ID))
		default:
			r.Removed = append(r.Removed, i18n.Textf(lang, "tag %s (registry)", res.Name))
		}
	}
	if l.Swarm != "" {
		switch err := leaveSwarm(ctx, e, l.Swarm); {
		case errors.Is(err, errOtherSwarm):
			r.Untouched = append(r.Untouched, i18n.In(lang, err))
		case err != nil:
			r.Left = append(r.Left, i18n.In(lang, err))
		default:
			r.Removed = append(r.Removed, i18n.Textf(lang, SwarmLeft))
			r.LeftSwarm = true
		}
	}
	if len(r.Left) == 0 {
		l.Close()
	} else {
		r.Left = append(r.Left, i18n.Textf(lang, "%s retries all of the above", CleanupCommand(e)))
	}
	return r
}

// SwarmLeft is what Release says it removed when it left the swarm the run
// had made the node join (--init-swarm), in English.
const SwarmLeft = "swarm membership (docker swarm leave)"

// Named is an object of a kind (service, network, ...) and its name, as
// a sentence, so that the kind is worded in the sentence's language.
func Named(kind, name string) i18n.Sentence {
	switch kind {
	case "service":
		return i18n.Sprintf("service %s", name)
	case "network":
		return i18n.Sprintf("network %s", name)
	case "volume":
		return i18n.Sprintf("volume %s", name)
	case "secret":
		return i18n.Sprintf("secret %s", name)
	case "config":
		return i18n.Sprintf("config %s", name)
	case "container":
		return i18n.Sprintf("container %s", name)
	case "image":
		return i18n.Sprintf("image %s", name)
	}
	return i18n.Sprintf("%s %s", kind, name)
}

// removeCommand is how a user removes an object of a kind by hand.
func removeCommand(kind string) string {
	if o, ok := objectOf(kind); ok {
		return o.removeCommand
	}
	return "docker " + kind + " rm"
}

// waitContainersGone waits until swarm has removed the containers of the
// removed services and of the run's own probes: an image in use by a
// container, even a stopped one, cannot be removed.
func waitContainersGone(ctx context.Context, e *engine.Engine, services []string, runID string) error {
	filters := []client.Filters{make(client.Filters).Add("label", "labrun.run="+runID)}
	for _, s := range services {
		filters = append(filters, make(client.Filters).Add("label", "com.docker.swarm.service.name="+s))
	}
	var last []string
	for {
		last = last[:0]
		for _, f := range filters {
			list, err := e.Client.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
			if err != nil {
				break
			}
			for _, c := range list.Items {
				last = append(last, fmt.Sprintf("%.12s", c.ID))
			}
		}
		if len(last) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return i18n.Errorf("containers still being removed by swarm: %s (docker rm -f %s)", strings.Join(last, ", "), strings.Join(last, " "))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// errOtherSwarm says the node is no longer in the swarm the run made.
var errOtherSwarm = i18n.Errorf("not the swarm this run initialised")

// leaveSwarm leaves the swarm the run initialised, cluster, unless the
// node is in another one now, or services that are not the run's live
// in it.
func leaveSwarm(ctx context.Context, e *engine.Engine, cluster string) error {
	if e.Swarm != "active" {
		return nil // left already
	}
	if e.ClusterID != cluster {
		return i18n.Errorf("swarm %s: %v (the run made %s): labrun leaves it", e.ClusterID, errOtherSwarm, cluster)
	}
	list, err := e.Client.ServiceList(ctx, client.ServiceListOptions{})
	if err != nil {
		return i18n.Errorf("swarm left active (%v): docker swarm leave --force", err)
	}
	if n := len(list.Items); n > 0 {
		return i18n.Errorf("swarm left active: %d service(s) that labrun did not create live in it now (docker swarm leave --force removes them all)", n)
	}
	if _, err := e.Client.SwarmLeave(ctx, client.SwarmLeaveOptions{Force: true}); err != nil {
		return i18n.Errorf("swarm left active (%v): docker swarm leave --force", err)
	}
	return nil
}

// CleanupCommand is the command that removes what interrupted runs left on
// e: it names the engine unless labrun finds it by itself.
func CleanupCommand(e *engine.Engine) string {
	if e.Endpoint.Source == engine.FromFlag {
		return "labrun cleanup --host " + e.Host
	}
	return "labrun cleanup"
}

// Cleanup removes what the interrupted runs recorded in ledgers left on
// the engine choice names (as labrun chooses when empty), and only that, and says on
// out what it removed and what it could not. Runs that left things on
// other engines are named, with the command for each. It returns the exit
// code: 0 nothing is left, 1 something could not be removed. It speaks
// lang.
func Cleanup(ctx, abort context.Context, choice engine.Choice, stateDir string, timeout time.Duration, lang string, out io.Writer) (int, error) {
	e, err := engine.ConnectChoice(ctx, choice)
	if err != nil {
		return exit.Error, err
	}
	defer e.Close()
	dir, err := StateDir(stateDir)
	if err != nil {
		return exit.Error, err
	}
	all, corrupt, err := Leftovers(LedgerDir(dir), nil)
	if err != nil {
		return exit.Error, err
	}
	code, elsewhere, here := exit.Pass, map[string]bool{}, 0
	for _, c := range corrupt {
		// Recover: what it recorded cannot be read, so nothing of it can
		// be proven the run's; out of the way, it stops every later read.
		if err := SetAside(c); err != nil {
			fmt.Fprintln(out, i18n.Textf(lang, "%v; setting it aside failed: %v", c, err))
			code = exit.Fail
			continue
		}
		fmt.Fprintln(out, i18n.Textf(lang, "ledger %s cannot be read (%v): set aside as %s.corrupt; labrun removes nothing it cannot prove its own", c.Path, c.Err, c.Path))
	}
	mine := On(e)
	for _, l := range all {
		if !mine(l) {
			elsewhere[l.Engine] = true
			continue
		}
		if !l.Lock() {
			continue // another cleanup is at it
		}
		here++
		fmt.Fprintln(out, i18n.Textf(lang, "run %s (lab %s, started %s):", l.ID, l.Lab, l.Started.Format("2006-01-02 15:04:05")))
		r := ReleaseIn(abort, e, l, timeout, lang)
		for _, s := range r.Removed {
			fmt.Fprintln(out, "  "+i18n.Textf(lang, "removed %s", s))
		}
		for _, s := range r.Untouched {
			fmt.Fprintln(out, "  "+i18n.Text(lang, "not-removed", s))
		}
		if len(r.Removed) == 0 && len(r.Left) == 0 && len(r.Untouched) == 0 {
			fmt.Fprintln(out, "  "+i18n.Textf(lang, "nothing of this run was left"))
		}
		for _, s := range r.Left {
			fmt.Fprintln(out, "  "+i18n.Textf(lang, "left: %s", s))
			code = exit.Fail
		}
		l.Unlock()
	}
	if here == 0 {
		fmt.Fprintln(out, i18n.Textf(lang, "nothing to clean up on %s", e.Host))
	}
	for _, other := range slices.Sorted(maps.Keys(elsewhere)) {
		fmt.Fprintln(out, i18n.Textf(lang, "interrupted runs left things on another engine too: labrun cleanup --host %s", other))
	}
	return code, nil
}

// releaseOnNodes removes the images the run put on other nodes' engines,
// each only while it carries the run's label, and adds to removed and
// left what it did and could not do. A node's engine that nodes does not
// hold (labrun cleanup, a guide's reset: no run found the nodes) is
// reached at the URL the ledger recorded, with the manager's TLS
// settings, and must still be that node.
func releaseOnNodes(ctx context.Context, manager *engine.Engine, l *Ledger, nodes []*engine.Engine, lang string, removed, left []string) ([]string, []string) {
	byNode := map[string]*engine.Engine{}
	for _, n := range nodes {
		byNode[n.NodeID] = n
	}
	// A node whose engine did not answer is not asked again for each image.
	failed := map[string]error{}
	defer func() {
		for _, e := range byNode {
			if !slices.Contains(nodes, e) {
				e.Close()
			}
		}
	}()
	for _, res := range l.Resources {
		if res.Kind != "image" || res.Node == "" {
			continue
		}
		by := fmt.Sprintf("docker -H %s image rm %s", res.Engine, res.Name)
		var e *engine.Engine
		err := failed[res.Node]
		if err == nil {
			e, err = nodeEngine(ctx, manager, byNode, res)
		}
		if err != nil {
			failed[res.Node] = err
			left = append(left, i18n.Textf(lang, "image %s on node %s (its engine %s: %v): %s", res.Name, res.Node, res.Engine, err, by))
			continue
		}
		f, err := find(ctx, e, "image", res.Name)
		if err == nil && f != nil && f.runLabel == l.ID {
			err = removeImage(ctx, e, res.Name)
			if err == nil {
				removed = append(removed, i18n.Textf(lang, "image %s (node %s)", res.Name, short(res.Node)))
			}
		}
		if err != nil && !cerrdefs.IsNotFound(err) {
			left = append(left, i18n.Textf(lang, "image %s on node %s (%v): %s", res.Name, res.Node, err, by))
		}
	}
	return removed, left
}

// nodeEngine returns the engine of the node res lives on: one of known,
// or reached at the URL recorded in the ledger (then kept in known, for
// the caller to close).
func nodeEngine(ctx context.Context, manager *engine.Engine, known map[string]*engine.Engine, res Resource) (*engine.Engine, error) {
	if e, ok := known[res.Node]; ok {
		return e, nil
	}
	if res.Engine == "" || manager == nil {
		return nil, i18n.Errorf("not recorded")
	}
	ep := manager.Endpoint
	ep.Host = res.Engine
	e, err := engine.ConnectTo(ctx, ep)
	if err != nil {
		return nil, err
	}
	if e.NodeID != res.Node {
		e.Close()
		return nil, i18n.Errorf("it is node %q now", e.NodeID)
	}
	known[res.Node] = e
	return e, nil
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// removeImage removes an image from another node, retrying while a
// container there still uses it: the manager removed the services, and
// each node removes its tasks' containers in its own time.
func removeImage(ctx context.Context, e *engine.Engine, name string) error {
	for {
		_, err := e.Client.ImageRemove(ctx, name, client.ImageRemoveOptions{PruneChildren: true})
		if err == nil || cerrdefs.IsNotFound(err) || !cerrdefs.IsConflict(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return i18n.Errorf("still in use after waiting: %v", err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
