package owner

import (
	"context"
	"os"
	"os/user"
	"slices"
	"strings"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
)

// A guided lab's names live as long as its student works, any day, from
// any machine of the class: on a swarm that several students share, a
// ledger on one machine cannot tell the others. So a guide claims its
// swarm-wide names on the engine itself, with a small swarm config that
// names the student and the names; another student's guide sees the claim
// and picks other names, and each one's labrun reset removes only its own.
const (
	claimLabel      = "labrun.claim"         // the lab's name
	claimStudent    = "labrun.claim.student" // who claimed, user@host
	claimNamesLabel = "labrun.claim.names"   // kind:name,kind:name...
	claimPrefix     = "labrun-claim-"        // the config's name, then the ledger's ID
)

// swarmScoped are the kinds whose names a whole swarm shares; an image's
// name is each node's own.
var swarmScoped = []string{"service", "network", "secret", "config"}

// ClaimedError says a name of the lab is claimed by another student's
// guide on this swarm: the guide stops before it claims anything (exit 2).
type ClaimedError struct {
	Kind, Name, Student, Lab string
}

func (e *ClaimedError) Error() string { return e.In("en") }

// In words the error in lang.
func (e *ClaimedError) In(lang string) string {
	return i18n.Textf(lang, "%s %s is claimed by %s, who follows lab %s on this swarm: choose other names with --set (labrun show %s lists the variables)",
		e.Kind, e.Name, e.Student, e.Lab, e.Lab)
}

// Student names who runs labrun, for the claims others see:
// $LABRUN_STUDENT, else user@host.
func Student() string {
	if s := os.Getenv("LABRUN_STUDENT"); s != "" {
		return s
	}
	name := "someone"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return name + "@" + host
}

// CheckGuideClaims refuses the names another student's guide on e's
// swarm claimed.
// Outside a swarm, or on a worker, there are no claims to see.
func CheckGuideClaims(ctx context.Context, e *engine.Engine, resources []Resource) error {
	if !e.Manager {
		return nil
	}
	list, err := e.Client.ConfigList(ctx, client.ConfigListOptions{Filters: make(client.Filters).Add("label", claimLabel)})
	if err != nil {
		return err
	}
	me := Student()
	for _, c := range list.Items {
		if c.Spec.Labels[claimStudent] == me {
			continue // one's own claim, from another terminal or an earlier start
		}
		claimed := strings.Split(c.Spec.Labels[claimNamesLabel], ",")
		for _, res := range resources {
			if slices.Contains(swarmScoped, res.Kind) && slices.Contains(claimed, res.Kind+":"+res.Name) {
				return &ClaimedError{Kind: res.Kind, Name: res.Name, Student: c.Spec.Labels[claimStudent], Lab: c.Spec.Labels[claimLabel]}
			}
		}
	}
	return nil
}

// PlaceGuideClaim claims the swarm-wide names of a guided lab's ledger l
// on e, with a config recorded in l before it is created, so that labrun
// reset removes it with the rest.
func PlaceGuideClaim(ctx context.Context, e *engine.Engine, l *Ledger) error {
	if !e.Manager {
		return nil
	}
	var names []string
	for _, res := range l.Resources {
		if slices.Contains(swarmScoped, res.Kind) {
			names = append(names, res.Kind+":"+res.Name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	name := claimPrefix + l.ID
	if err := l.Add("config", name); err != nil {
		return err
	}
	res, err := e.Client.ConfigCreate(ctx, client.ConfigCreateOptions{Spec: swarm.ConfigSpec{
		Annotations: swarm.Annotations{Name: name, Labels: map[string]string{
			claimLabel: l.Lab, claimStudent: Student(), claimNamesLabel: strings.Join(names, ","), "labrun.run": l.ID,
		}},
		Data: []byte("claimed by labrun guide: " + strings.Join(names, " ") + "\n"),
	}})
	if err != nil {
		return i18n.Errorf("claim the lab's names on the swarm: %v", err)
	}
	return l.Prove("config", name, res.ID)
}
