package main

import (
	"context"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/classroom"
	"github.com/labrun/labrun/runner/doctor"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/images"
)

// doctorOptions are the flags of labrun doctor.
type doctorOptions struct {
	lab       string
	json      bool
	format    string
	set       setValue
	flavour   string
	hosts     []string
	hostsFile string
	context   string
	nodes     string
	yes       bool
	lang      string
}

// defaultDoctorLab is the lab doctor checks when given none.
const defaultDoctorLab = "whoami-rollback"

// newDoctorCommand builds labrun doctor.
func newDoctorCommand() *cobra.Command {
	opts := &doctorOptions{lab: defaultDoctorLab, set: setValue{}}
	cmd := &cobra.Command{
		Use:   "doctor [LAB] [flags]",
		Short: "check that this engine can run a lab, item by item, with the fix of each failing item",
		Long: "Checks that this engine can run LAB (default " + defaultDoctorLab + "), item by item, with the fix of each item\n" +
			"that fails: the engine and its API version, the swarm, the node, the lab's ports and names, its images,\n" +
			"the routing mesh (probed with a short-lived service, removed afterwards) and free disk.\n" +
			"Exit status: 0 the lab can run (a dead routing mesh is a warning: the lab then publishes in host mode),\n" +
			"1 an item fails, 2 usage error or no engine, 130 interrupted (143 for SIGTERM, 129 for SIGHUP).\n" +
			"With --hosts FILE or several --host, checks a classroom's engines at once: one line per engine, its verdict\n" +
			"and its first failing item, then a summary; the exit status is the worst engine's.",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("want at most one LAB, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.lab = args[0]
			}
			return runDoctor(cmd.OutOrStdout(), opts)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&opts.json, "json", false, "print the checklist as JSON on standard output: short for --format json")
	addFormatFlag(fs, &opts.format)
	addSetFlag(fs, opts.set)
	fs.StringVar(&opts.flavour, "images", images.Offline, "image `flavour` to check: offline, hub or node")
	fs.Var((*hostsValue)(&opts.hosts), "host", hostUsage+"; repeat it to check a classroom's engines at once")
	fs.StringVar(&opts.hostsFile, "hosts", "", "check the engines listed in `FILE` at once, one URL a line (# comments)")
	addLangFlag(fs, &opts.lang)
	addContextFlag(fs, &opts.context)
	addNodesFlag(fs, &opts.nodes)
	addYesFlag(fs, &opts.yes)
	return cmd
}

// runDoctor runs labrun doctor.
func runDoctor(stdout io.Writer, o *doctorOptions) error {
	if o.format == formatJSON {
		o.json = true // --json, kept from before --format, says the same
	}
	if o.context != "" && (len(o.hosts) > 0 || o.hostsFile != "") {
		return usagef("--context names one engine: give --host or --hosts, or --context, not both")
	}
	hosts := o.hosts
	if o.hostsFile != "" {
		listed, err := classroom.ReadHosts(o.hostsFile)
		if err != nil {
			return &exitError{code: exit.Error, err: err, prefix: "labrun doctor"}
		}
		hosts = append(hosts, listed...)
	}
	if len(hosts) > 1 || o.hostsFile != "" {
		return runDoctorClassroom(stdout, o, hosts)
	}
	host := ""
	if len(hosts) == 1 {
		host = hosts[0]
	}
	return interruptible(func(ctx, abort context.Context) error {
		opts := doctor.Options{Lab: o.lab, Set: o.set, Flavour: o.flavour, Host: host, Context: o.context, Nodes: o.nodes, Abort: abort,
			Trust: trustLabFile(o.yes, o.json, o.lang, os.Stderr), Lang: o.lang}
		if !o.json {
			opts.Out = stdout
		}
		checklist, code, err := doctor.Run(ctx, opts)
		if o.json && len(checklist.Items) > 0 {
			if werr := checklist.WriteJSON(stdout); werr != nil {
				return &exitError{code: exit.Error, err: i18n.Errorf("writing JSON: %v", werr), prefix: "labrun doctor"}
			}
		}
		// The checklist shows an unreachable engine; other errors (a bad
		// flag, an unknown lab) come before it, and only here.
		if code == exit.Error && err != nil && (o.json || len(checklist.Items) == 0) {
			return &exitError{code: code, err: err, prefix: "labrun doctor"}
		}
		return exitWith(code, nil)
	})
}

// runDoctorClassroom runs labrun doctor on a classroom's engines.
func runDoctorClassroom(stdout io.Writer, o *doctorOptions, hosts []string) error {
	return interruptible(func(ctx, abort context.Context) error {
		opts := doctor.Options{Lab: o.lab, Set: o.set, Flavour: o.flavour, Abort: abort,
			Trust: trustLabFile(o.yes, o.json, o.lang, os.Stderr), Lang: o.lang}
		if !o.json {
			opts.Out = stdout
		}
		cr, code, err := doctor.RunClassroom(ctx, opts, hosts, o.lang)
		if o.json && len(cr.Engines) > 0 {
			if werr := cr.WriteJSON(stdout); werr != nil {
				return &exitError{code: exit.Error, err: i18n.Errorf("writing JSON: %v", werr), prefix: "labrun doctor"}
			}
		}
		// The table said each engine's verdict; only an error before it
		// (a bad flag, an unknown lab) is printed here.
		if len(cr.Engines) == 0 || o.json {
			return &exitError{code: code, err: err, prefix: "labrun doctor"}
		}
		return exitWith(code, nil)
	})
}
