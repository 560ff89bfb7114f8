package labcmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// networkCommands are the commands that look at networks.
func networkCommands() []*Command {
	return []*Command{
		{
			Name: "network-exists", Spec: check(1, 3), Observe: networkExists,
			Usage: Usage{Args: "NAME [driver=DRIVER] [attachable=true|false]", Summary: "a network named NAME exists, with this driver and attachability",
				Detail: "An attachable overlay network (docker network create -d overlay --attachable) lets plain " +
					"containers join the services on it."},
		},
	}
}

func networkExists(ctx context.Context, c *Call) error {
	name := c.Args[0]
	res, err := c.Engine.Client.NetworkInspect(ctx, name, client.NetworkInspectOptions{})
	// Inspect matches ID prefixes too: only the exact name is the network.
	if cerrdefs.IsNotFound(err) || err == nil && res.Network.Name != name {
		return fmt.Errorf("there is no network %s", name)
	}
	if err != nil {
		return err
	}
	n := res.Network
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
