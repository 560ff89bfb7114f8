package owner

import (
	"context"
	"fmt"
	"time"

	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
)

// ProveCreated records the ID of every object of the ledger's names that
// exists and was created since the run started, and has no ID yet. The
// run calls it the moment a command ends, and before it releases: with
// Watch, what a command creates is proven the run's while the run is
// alive to see it, so that a later cleanup never goes by name and time.
func ProveCreated(ctx context.Context, e *engine.Engine, l *Ledger) error {
	for _, res := range l.Unproven() {
		if res.Kind == "service" || res.Kind == "secret" || res.Kind == "config" {
			if !e.Manager {
				continue
			}
		}
		f, err := find(ctx, e, res.Kind, res.Name)
		if err != nil {
			return err
		}
		// A second of slack: the ledger's start and the object's creation
		// are both on the engine's clock, read by different calls.
		if f == nil || f.created.Before(l.Started.Add(-time.Second)) {
			continue
		}
		if err := l.Prove(res.Kind, res.Name, f.id); err != nil {
			return err
		}
	}
	return nil
}

// Watch follows the engine's events until ctx ends and records the ID of
// each object of the ledger's names as the engine creates it: a run
// killed right after a command created something still has the proof
// that it is its own. It returns at once; the events stream in the
// background. Events since the ledger started count, so none is missed
// between the ledger's writing and the subscription.
func Watch(ctx context.Context, e *engine.Engine, l *Ledger) {
	filters := make(client.Filters).Add("type", "service", "network", "secret", "config", "volume").Add("event", "create")
	ev := e.Client.Events(ctx, client.EventsListOptions{Filters: filters, Since: fmt.Sprint(l.Started.Add(-time.Second).Unix())})
	go func() {
		for {
			select {
			case m := <-ev.Messages:
				name := m.Actor.Attributes["name"]
				if m.Type == "volume" {
					name = m.Actor.ID
				}
				// Every create counts, not only the first: a lab that
				// removes and creates an object again owns the new one.
				switch {
				case !l.Has(string(m.Type), name):
				case m.Type == "volume":
					ProveCreated(ctx, e, l) // a volume's identity is its name and creation time
				default:
					l.Prove(string(m.Type), name, m.Actor.ID)
				}
			case <-ev.Err:
				return // the run's ProveCreated after each command still proves
			case <-ctx.Done():
				return
			}
		}
	}()
}
