package labcmd

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/i18n"
)

// networkCommands are the commands that look at networks.
func networkCommands() []*Command {
	return []*Command{
		{
			Name: "network-exists", Kind: Check, Spec: negatable(1, 3), Observe: networkExists, Validate: networkExistsArgs,
			Usage: Usage{Args: "NAME [driver=DRIVER] [attachable=true|false]", Summary: "a network named NAME exists, with this driver and attachability",
				Detail: "An attachable overlay network (docker network create -d overlay --attachable) lets plain " +
					"containers join the services on it."},
		},
		{
			Name: "network-in-use", Kind: Check, Spec: negatable(1, 1), Observe: networkInUse,
			Usage: Usage{Args: "NAME", Summary: "the network NAME exists and a service, a task or a container still uses it",
				Detail: "Swarm refuses to remove a network while a service or a running task refers to it, and the " +
					"node drops its own copy only once no endpoint is left on it; a removed service's tasks stay a few " +
					"seconds after its containers are gone. Wait with ! * network-in-use NAME before docker network rm " +
					"NAME. Fails when there is no network NAME."},
		},
	}
}

// networkExistsArgs wants driver=DRIVER or attachable=true|false.
func networkExistsArgs(args []string) error {
	for _, pair := range resolvedPairs(args[1:]) {
		key, value, _ := strings.Cut(pair, "=")
		switch {
		case key == "driver" && value != "":
		case key == "attachable" && (value == "true" || value == "false"):
		default:
			return i18n.Errorf("%q: want driver=DRIVER or attachable=true|false", pair)
		}
	}
	return nil
}

// inspectNetwork returns the network of that exact name, or says there is
// none: inspect matches ID prefixes too, which are not the lab's network.
//
// A network that is not settled yet is looked at again, every 100 ms,
// until it is or Timeouts.NetworkSettle runs out, and then the check could
// not tell (Blind): what is not there yet must not be compared, as a
// check that runs once right after docker network create would.
func inspectNetwork(ctx context.Context, c *Call, name string) (network.Inspect, error) {
	deadline := time.Now().Add(c.Timeouts().NetworkSettle)
	for {
		n, err := lookupNetwork(ctx, c, name)
		var u *unsettledError
		if !errors.As(err, &u) {
			return n, err
		}
		if time.Now().After(deadline) {
			return network.Inspect{}, Blind(err)
		}
		select {
		case <-ctx.Done():
			return network.Inspect{}, Blind(err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// unsettledError says the engine answers for a network in a state that
// lasts only a moment.
type unsettledError struct{ i18n.Sentence }

func (e *unsettledError) Error() string { return e.String() }

// lookupNetwork looks once at the network of that exact name.
func lookupNetwork(ctx context.Context, c *Call, name string) (network.Inspect, error) {
	res, err := c.Engine.Client.NetworkInspect(ctx, name, client.NetworkInspectOptions{})
	switch {
	case cerrdefs.IsNotFound(err) || err == nil && res.Network.Name != name:
		return network.Inspect{}, i18n.Errorf("there is no network %s", name)
	case err != nil:
		// The engine refuses a name that answers for several networks.
		if n := networksNamed(ctx, c, name); n > 1 {
			return network.Inspect{}, &unsettledError{i18n.Sprintf("%d networks are named %s: the node may still know one that was removed", n, name)}
		}
		return network.Inspect{}, err
	}
	return res.Network, settled(res.Network)
}

// settled says whether a network is shown in full. The manager stores a
// swarm network as soon as it is created, and its allocator gives it its
// driver and addresses a moment later: docker network create returns in
// between, and the engine then shows the network with no driver. The
// moment is milliseconds on an idle manager, longer on one still undoing
// a previous run's cleanup, long enough either way for a check that runs
// once right after the creation to see "driver is , want overlay".
func settled(n network.Inspect) error {
	if n.Scope == "swarm" && n.Driver == "" {
		return &unsettledError{i18n.Sprintf("network %s exists, but the swarm manager has not finished creating it (no driver yet)", n.Name)}
	}
	return nil
}

// networksNamed counts the networks of exactly that name, 0 if the engine
// does not say.
func networksNamed(ctx context.Context, c *Call, name string) int {
	list, err := c.Engine.Client.NetworkList(ctx, client.NetworkListOptions{Filters: make(client.Filters).Add("name", name)})
	if err != nil {
		return 0
	}
	n := 0
	for _, nw := range list.Items {
		if nw.Name == name {
			n++
		}
	}
	return n
}

func networkExists(ctx context.Context, c *Call) error {
	name := c.Args[0]
	n, err := inspectNetwork(ctx, c, name)
	if err != nil {
		return err
	}
	var diffs []i18n.Sentence
	for _, pair := range c.Args[1:] {
		key, want, ok := strings.Cut(pair, "=")
		var got string
		switch key {
		case "driver":
			got = n.Driver
		case "attachable":
			if _, err := strconv.ParseBool(want); err != nil {
				return i18n.Errorf("%q: want attachable=true or attachable=false", pair)
			}
			got = strconv.FormatBool(n.Attachable)
		default:
			ok = false
		}
		if !ok {
			return i18n.Errorf("%q: want driver=DRIVER or attachable=true|false", pair)
		}
		if key == "attachable" {
			w, _ := strconv.ParseBool(want)
			want = strconv.FormatBool(w)
		}
		if got != want {
			diffs = append(diffs, i18n.Sprintf("%s is %s, want %s", key, got, want))
		}
	}
	if len(diffs) > 0 {
		return i18n.Errorf("network %s: %v", name, i18n.Join(diffs, "; "))
	}
	c.Saw("network %s exists: driver %s, scope %s, attachable %t", name, n.Driver, n.Scope, n.Attachable)
	return nil
}

func networkInUse(ctx context.Context, c *Call) error {
	name := c.Args[0]
	n, err := inspectNetwork(ctx, c, name)
	if err != nil {
		return err
	}
	id := n.ID
	refers := func(target string) bool { return target == id || target == name }
	var users []string
	// The manager's own refusals: a service or a task that refers to it.
	services, err := c.Engine.Client.ServiceList(ctx, client.ServiceListOptions{})
	if err != nil {
		return err
	}
	for _, s := range services.Items {
		for _, n := range s.Spec.TaskTemplate.Networks {
			if refers(n.Target) {
				users = append(users, "service "+s.Spec.Name)
			}
		}
	}
	tasks, err := c.Engine.Client.TaskList(ctx, client.TaskListOptions{})
	if err != nil {
		return err
	}
	for _, t := range tasks.Items {
		uses := false
		for _, a := range t.NetworksAttachments {
			uses = uses || refers(a.Network.ID)
		}
		for _, n := range t.Spec.Networks {
			uses = uses || refers(n.Target)
		}
		if uses {
			users = append(users, "task "+shortID(t.ID))
		}
	}
	// The engine's: a container attached to it. The node's load-balancer
	// endpoint (lb-NAME) goes with the network itself.
	for key, ep := range n.Containers {
		if !strings.HasPrefix(key, "lb-") {
			users = append(users, "container "+strings.TrimPrefix(ep.Name, "/"))
		}
	}
	if len(users) == 0 {
		return i18n.Errorf("nothing uses the network %s", name)
	}
	sort.Strings(users)
	c.Saw("network %s is used by %s", name, strings.Join(users, ", "))
	return nil
}

// shortID is the 12-character form of an ID, as docker prints it.
func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
