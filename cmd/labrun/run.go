package main

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/classroom"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/repeat"
	"github.com/labrun/labrun/runner/report"
	"github.com/labrun/labrun/runner/timeouts"
	"github.com/labrun/labrun/runner/verify"
)

// runOptions are the flags of labrun run, and of labrun verify, which
// takes the same.
type runOptions struct {
	lab         string
	verify      bool
	json        string
	junit       string
	set         setValue
	flavour     string
	publishMode string
	keepImages  bool
	initSwarm   bool
	timeout     time.Duration
	hosts       []string
	context     string
	hostsFile   string
	nodes       string
	registry    string
	onlyImages  bool
	lang        string
	verbose     bool
	quiet       bool
	yes         bool
	repeat      int
	// fast, isolate and isolatePorts: see fast.go.
	fast         bool
	isolate      bool
	isolatePorts string
}

// addFlags registers the flags of run and verify.
func (o *runOptions) addFlags(fs *pflag.FlagSet) {
	o.set = setValue{}
	fs.StringVar(&o.json, "json", "", "write the report as JSON to `FILE` (- for standard output)")
	fs.StringVar(&o.junit, "junit", "", "write the report as JUnit XML to `FILE` (- for standard output), one test case per step, for CI systems")
	addSetFlag(fs, o.set)
	fs.StringVar(&o.flavour, "images", images.Offline, "image `flavour`: offline (built here, no registry), hub (the tutorial's lucj/whoami) or node (the tutorial's Dockerfile)")
	fs.StringVar(&o.publishMode, "publish-mode", labcmd.PublishAuto, "`mode` of publishing: auto (probe the routing mesh), ingress or host")
	fs.BoolVar(&o.keepImages, "keep-images", false, "keep the images the lab built")
	fs.BoolVar(&o.initSwarm, "init-swarm", false, "make this node a swarm manager if it is not one, and leave the swarm at the end")
	fs.DurationVar(&o.timeout, "timeout", 0, "bound the whole run, e.g. 5m (each step has its own timeout too)")
	addHostsFlag(fs, &o.hosts)
	addContextFlag(fs, &o.context)
	addNodesFlag(fs, &o.nodes)
	addRegistryFlag(fs, &o.registry)
	addOnlyImageNodesFlag(fs, &o.onlyImages)
	fs.StringVar(&o.hostsFile, "hosts", "", "run the lab on the engines listed in `FILE` at once, one URL a line (# comments)")
	addLangFlag(fs, &o.lang)
	addShortBool(fs, &o.verbose, "v", "show what each check saw")
	addShortBool(fs, &o.quiet, "q", "print nothing but errors (use with --json)")
	addYesFlag(fs, &o.yes)
	fs.IntVar(&o.repeat, "repeat", 1, "run the lab `N` times in a row, each run clean, then show per step how many runs passed and its min/median/max duration")
	o.addFastIsolateFlags(fs)
}

// newRunCommand builds labrun run.
func newRunCommand() *cobra.Command {
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run LAB [flags]",
		Short: "run a lab step by step against the engine, checking every step",
		Long: "Runs LAB (a built-in lab's name or a lab file's path) against the engine, step by step.\n" +
			"Exit status: 0 all steps pass, 1 a step fails, 2 usage, lab-file or environment error, 130 interrupted (143 for SIGTERM, 129 for SIGHUP).",
		Args: exactlyOne("LAB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.lab = args[0]
			return runLab(cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
		},
	}
	opts.addFlags(cmd.Flags())
	return cmd
}

// runLab runs labrun run or labrun verify: the same flags, one more proof.
func runLab(stdout, stderr io.Writer, o *runOptions) error {
	if o.timeout < 0 {
		return usagef("--timeout %s: want a positive duration", o.timeout)
	}
	if o.repeat < 1 {
		return usagef("--repeat %d: want 1 or more runs", o.repeat)
	}
	if o.json == "-" && o.junit == "-" {
		return usagef("--json - and --junit -: one report at most goes to standard output")
	}
	if o.context != "" && (len(o.hosts) > 0 || o.hostsFile != "") {
		return usagef("--context names one engine: give --host or --hosts, or --context, not both")
	}
	if o.nodes != "" && (len(o.hosts) > 1 || o.hostsFile != "") {
		return usagef("--nodes maps the nodes of one swarm: give one --host with it")
	}
	if o.repeat > 1 && (len(o.hosts) > 1 || o.hostsFile != "") {
		return usagef("--repeat runs on one engine: repeat on each engine of a classroom in turn, with --host")
	}
	hosts := o.hosts
	if o.hostsFile != "" {
		listed, err := classroom.ReadHosts(o.hostsFile)
		if err != nil {
			return exitWith(exit.Error, err)
		}
		hosts = append(hosts, listed...)
	}
	opts := runner.Options{
		Lab: o.lab, Set: o.set, Flavour: o.flavour, PublishMode: o.publishMode,
		KeepImages: o.keepImages, InitSwarm: o.initSwarm, Timeouts: timeouts.Timeouts{Run: o.timeout},
		Lang: o.lang, Verbose: o.verbose,
		Fast: o.fast, Isolate: o.isolate, IsolatePorts: o.isolatePorts,
		Trust:   trustLabFile(o.yes, o.quiet, o.lang, stderr),
		Context: o.context, Nodes: o.nodes, Registry: o.registry, OnlyImageNodes: o.onlyImages,
	}
	switch {
	case o.quiet:
	case o.json == "-" || o.junit == "-":
		// The report has standard output: the live view goes beside it.
		opts.Out = stderr
	default:
		opts.Out = stdout
	}
	return interruptible(func(ctx, abort context.Context) error {
		opts.Abort = abort
		// verify runs the same lab with one more proof before each step's actions.
		body := runner.AllSteps
		if o.verify {
			body = verify.Steps
		}
		var rep labReport
		var code int
		var err error
		if len(hosts) > 1 || o.hostsFile != "" {
			rep, code, err = classroom.Run(ctx, opts, hosts, body)
		} else {
			if len(hosts) == 1 {
				opts.Host = hosts[0]
			}
			rep, code, err = repeat.Run(ctx, opts, o.repeat, func(ctx context.Context, opts runner.Options) (*report.Run, int, error) {
				return runner.Execute(ctx, opts, body)
			})
		}
		var errs []error
		for _, w := range []struct {
			path, kind string
			write      func(string) error
		}{{o.json, "JSON", rep.WriteJSON}, {o.junit, "JUnit", rep.WriteJUnit}} {
			if w.path == "" {
				continue
			}
			if werr := w.write(w.path); werr != nil {
				errs = append(errs, i18n.Errorf("writing the %s report: %v", w.kind, werr))
				if code == 0 {
					code = 2
				}
			}
		}
		// The live view shows the run's error, unless there is none or the
		// error stopped the run before it (exit 2): then it goes to
		// standard error, with the reports' errors.
		if err != nil && (code == exit.Error || opts.Out == nil) {
			errs = append(errs, err)
		}
		return exitWith(code, errors.Join(errs...))
	})
}

// labReport is what run and verify write: one run's report, or a
// classroom's.
type labReport interface {
	WriteJSON(path string) error
	WriteJUnit(path string) error
}
