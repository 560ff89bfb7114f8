package labcmd

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
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
			return fmt.Errorf("%q: want driver=DRIVER or attachable=true|false", pair)
		}
	}
	return nil
}

// inspectNetwork returns the network of that exact name, or says there is
// none: inspect matches ID prefixes too, which are not the lab's network.
func inspectNetwork(ctx context.Context, c *Call, name string) (network.Inspect, error) {
	res, err := c.Engine.Client.NetworkInspect(ctx, name, client.NetworkInspectOptions{})
	if cerrdefs.IsNotFound(err) || err == nil && res.Network.Name != name {
		return network.Inspect{}, fmt.Errorf("there is no network %s", name)
	}
	return res.Network, err
}

func networkExists(ctx context.Context, c *Call) error {
	name := c.Args[0]
	n, err := inspectNetwork(ctx, c, name)
	if err != nil {
		return err
	}
	var diffs []string
	for _, pair := range c.Args[1:] {
		key, want, ok := strings.Cut(pair, "=")
		var got string
		switch key {
		case "driver":
			got = n.Driver
		case "attachable":
			if _, err := strconv.ParseBool(want); err != nil {
				return fmt.Errorf("%q: want attachable=true or attachable=false", pair)
			}
			got = strconv.FormatBool(n.Attachable)
		default:
			ok = false
		}
		if !ok {
			return fmt.Errorf("%q: want driver=DRIVER or attachable=true|false", pair)
		}
		if key == "attachable" {
			w, _ := strconv.ParseBool(want)
			want = strconv.FormatBool(w)
		}
		if got != want {
			diffs = append(diffs, fmt.Sprintf("%s is %s, want %s", key, got, want))
		}
	}
	if len(diffs) > 0 {
		return fmt.Errorf("network %s: %s", name, strings.Join(diffs, "; "))
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
		return fmt.Errorf("nothing uses the network %s", name)
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
