package owner

import (
	"context"
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
)

// Release removes what a ledger lists and the run created, in an order the
// engine accepts: services, then (once their containers are gone) the
// secrets, configs, networks and volumes they used, then images, then the
// swarm the run initialised. It returns what it removed, and what
// it could not, each with the command that would; the ledger is deleted
// when nothing is left. abort, when cancelled, stops the waiting early.
func Release(abort context.Context, e *engine.Engine, l *Ledger, timeout time.Duration) (removed, leftovers []string) {
	if abort == nil {
		abort = context.Background()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(abort), timeout)
	defer cancel()
	stop := context.AfterFunc(abort, cancel)
	defer stop()

	byKind := map[string][]string{}
	for _, res := range l.Resources {
		byKind[res.Kind] = append(byKind[res.Kind], res.Name)
	}
	// Outside a swarm no service can exist, and asking for one is an error.
	if e.Refresh(ctx) == nil && !e.Manager {
		byKind["service"], byKind["secret"], byKind["config"] = nil, nil, nil
	}
	var services []string
	for _, name := range byKind["service"] {
		snap, err := e.Service(ctx, name, engine.SpecOnly)
		switch {
		case err != nil:
			leftovers = append(leftovers, fmt.Sprintf("service %s (%v): docker service rm %s", name, err, name))
		case snap.Service == nil:
		case snap.Service.CreatedAt.Before(l.Started.Add(-time.Second)):
			// Created before the run: someone else's, whatever its name.
		default:
			if _, err := e.Client.ServiceRemove(ctx, snap.Service.ID, client.ServiceRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
				leftovers = append(leftovers, fmt.Sprintf("service %s (%v): docker service rm %s", name, err, name))
				continue
			}
			services = append(services, name)
			removed = append(removed, "service "+name)
		}
	}
	if err := waitContainersGone(ctx, e, services, l.ID); err != nil {
		leftovers = append(leftovers, err.Error())
	}
	gone, left := removeObjects(ctx, e, byKind, l.Started)
	removed, leftovers = append(removed, gone...), append(leftovers, left...)
	for _, name := range byKind["image"] {
		img, err := e.Client.ImageInspect(ctx, name)
		if cerrdefs.IsNotFound(err) {
			continue
		}
		if err == nil && img.Config != nil {
			if owner := img.Config.Labels["labrun.run"]; owner != "" && owner != l.ID {
				continue // another run's image
			}
		}
		if err == nil {
			_, err = e.Client.ImageRemove(ctx, name, client.ImageRemoveOptions{PruneChildren: true})
		}
		switch {
		case err == nil:
			removed = append(removed, "image "+name)
		case !cerrdefs.IsNotFound(err):
			leftovers = append(leftovers, fmt.Sprintf("image %s (%v): docker image rm %s", name, err, name))
		}
	}
	if len(byKind["swarm"]) > 0 {
		if err := leaveSwarm(ctx, e); err != nil {
			leftovers = append(leftovers, err.Error())
		} else {
			removed = append(removed, SwarmLeft)
		}
	}
	if len(leftovers) == 0 {
		l.Close()
	} else {
		leftovers = append(leftovers, CleanupCommand(e)+" retries all of the above")
	}
	return removed, leftovers
}

// SwarmLeft is what Release says it removed when it left the swarm the run
// had made the node join (--init-swarm).
const SwarmLeft = "swarm membership (docker swarm leave)"

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
			return fmt.Errorf("containers still being removed by swarm: %s (docker rm -f %s)", strings.Join(last, ", "), strings.Join(last, " "))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// leaveSwarm leaves the swarm the run initialised, unless services that
// are not the run's now live in it.
func leaveSwarm(ctx context.Context, e *engine.Engine) error {
	list, err := e.Client.ServiceList(ctx, client.ServiceListOptions{})
	if err != nil {
		return fmt.Errorf("swarm left active (%v): docker swarm leave --force", err)
	}
	if n := len(list.Items); n > 0 {
		return fmt.Errorf("swarm left active: %d service(s) that labrun did not create live in it now (docker swarm leave --force removes them all)", n)
	}
	if _, err := e.Client.SwarmLeave(ctx, client.SwarmLeaveOptions{Force: true}); err != nil {
		return fmt.Errorf("swarm left active (%v): docker swarm leave --force", err)
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
// the engine at host ("" as labrun chooses), and only that, and says on
// out what it removed and what it could not. Runs that left things on
// other engines are named, with the command for each. It returns the exit
// code: 0 nothing is left, 1 something could not be removed.
func Cleanup(ctx, abort context.Context, host, stateDir string, timeout time.Duration, out io.Writer) (int, error) {
	e, err := engine.Connect(ctx, host)
	if err != nil {
		return exit.Error, err
	}
	defer e.Close()
	dir, err := StateDir(stateDir)
	if err != nil {
		return exit.Error, err
	}
	all, err := Leftovers(LedgerDir(dir), "")
	if err != nil {
		return exit.Error, err
	}
	code, elsewhere, here := exit.Pass, map[string]bool{}, 0
	for _, l := range all {
		if l.Engine != e.Host {
			elsewhere[l.Engine] = true
			continue
		}
		here++
		fmt.Fprintf(out, "run %s (lab %s, started %s):\n", l.ID, l.Lab, l.Started.Format("2006-01-02 15:04:05"))
		removed, left := Release(abort, e, l, timeout)
		for _, s := range removed {
			fmt.Fprintf(out, "  removed %s\n", s)
		}
		if len(removed) == 0 && len(left) == 0 {
			fmt.Fprintf(out, "  nothing of this run was left\n")
		}
		for _, s := range left {
			fmt.Fprintf(out, "  left: %s\n", s)
			code = exit.Fail
		}
	}
	if here == 0 {
		fmt.Fprintf(out, "nothing to clean up on %s\n", e.Host)
	}
	for _, other := range slices.Sorted(maps.Keys(elsewhere)) {
		fmt.Fprintf(out, "interrupted runs left things on another engine too: labrun cleanup --host %s\n", other)
	}
	return code, nil
}
