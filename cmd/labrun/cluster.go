package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/classroom"
	"github.com/labrun/labrun/runner/cluster"
	"github.com/labrun/labrun/runner/exit"
)

// clusterOptions are the flags of labrun cluster up and down.
type clusterOptions struct {
	hosts     []string
	hostsFile string
	leave     bool
	json      bool
	lang      string
}

// newClusterCommand builds labrun cluster, up and down: a class's swarm
// made of several engines, and every engine put back out of swarm.
func newClusterCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cluster COMMAND [flags]",
		Short: "make one swarm of several engines for a class (up), and put every engine back out of swarm (down)",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("want a command: up or down")
			}
			return usagef("unknown command %q: want up or down", args[0])
		},
		RunE: func(*cobra.Command, []string) error { return nil },
	}
	up := &cobra.Command{
		Use:   "up --hosts FILE | --host URL... [flags]",
		Short: "make one swarm of the engines: the first inits it as manager, the others join as workers",
		Long: "Makes one swarm of the engines listed in FILE (one a line: URL [ADVERTISE-ADDR]) or given by --host:\n" +
			"the first inits it (docker swarm init) and is its manager, the others join it as workers, and up waits\n" +
			"until every node is ready. The advertise address is the one the node gives the swarm, required where the\n" +
			"URL names none (unix://, ssh://). An engine already in a swarm is refused unless --leave.\n" +
			"Exit status: 0 done, 1 a join failed (everything up did is undone), 2 usage error or an engine\n" +
			"unreachable or already in a swarm (nothing changed).",
		Args: noArgs,
	}
	down := &cobra.Command{
		Use:   "down --hosts FILE | --host URL... [flags]",
		Short: "make each engine leave the swarm labrun cluster up made of them, and only that swarm",
		Long: "Makes each engine leave the swarm that labrun cluster up made of them (workers first, the manager last),\n" +
			"as up recorded it in labrun's state directory: an engine in another swarm is left alone.\n" +
			"Exit status: 0 done, 1 an engine could not leave, 2 usage error, no such cluster or an engine unreachable\n" +
			"(nothing changed).",
		Args: noArgs,
	}
	for _, c := range []*cobra.Command{up, down} {
		o := &clusterOptions{}
		fs := c.Flags()
		fs.StringVar(&o.hostsFile, "hosts", "", "the engines, one a line in `FILE`: URL [ADVERTISE-ADDR], the first the manager (# comments)")
		fs.Var((*hostsValue)(&o.hosts), "host", "an engine's `URL`, tcp:// (its address is the one its node advertises); repeat it, the first the manager")
		fs.BoolVar(&o.json, "json", false, "print what was done as JSON on standard output")
		addLangFlag(fs, &o.lang)
		if c == up {
			fs.BoolVar(&o.leave, "leave", false, "make engines already in a swarm leave it first (docker swarm leave --force) instead of refusing them")
		}
		do := cluster.Up
		if c == down {
			do = cluster.Down
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error { return runCluster(cmd.OutOrStdout(), o, do) }
	}
	cmd.AddCommand(up, down)
	return cmd
}

// runCluster reads the engines from the flags and runs up or down.
func runCluster(stdout io.Writer, o *clusterOptions, do func(context.Context, cluster.Options) (*cluster.Result, int, error)) error {
	if len(o.hosts) > 0 && o.hostsFile != "" {
		return usagef("give --hosts FILE or --host URL, not both")
	}
	var members []classroom.Entry
	for _, h := range o.hosts {
		members = append(members, classroom.Entry{URL: h})
	}
	if o.hostsFile != "" {
		var err error
		if members, err = classroom.ReadEntries(o.hostsFile); err != nil {
			return exitWith(exit.Error, err)
		}
	}
	if len(members) == 0 {
		return usagef("want --hosts FILE or --host URL")
	}
	return interruptible(func(ctx, _ context.Context) error {
		opts := cluster.Options{Members: members, File: o.hostsFile, Leave: o.leave, Lang: o.lang}
		if !o.json {
			opts.Out = stdout
		}
		res, code, err := do(ctx, opts)
		if o.json {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if werr := enc.Encode(res); werr != nil {
				return exitWith(exit.Error, werr)
			}
		}
		return exitWith(code, err)
	})
}
