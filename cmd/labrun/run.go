package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/classroom"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/repeat"
	"github.com/labrun/labrun/runner/report"
	"github.com/labrun/labrun/runner/verify"
)

// runOptions are the flags of labrun run.
type runOptions struct {
	json        string
	junit       string
	set         setFlag
	flavour     string
	publishMode string
	keepImages  bool
	initSwarm   bool
	timeout     time.Duration
	hosts       hostsFlag
	hostsFile   string
	lang        string
	verbose     bool
	quiet       bool
	repeat      int
	// fast, isolate and isolatePorts: see fast.go.
	fast         bool
	isolate      bool
	isolatePorts string
}

func (o *runOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.json, "json", "", "write the report as JSON to `FILE` (- for standard output)")
	fs.StringVar(&o.junit, "junit", "", "write the report as JUnit XML to `FILE`, one test case per step, for CI systems")
	fs.Var(o.set, "set", "set a lab variable, `NAME=VALUE` (repeatable), e.g. --set PORT=8001")
	fs.StringVar(&o.flavour, "images", images.Offline, "image `flavour`: offline (built here, no registry), hub (the tutorial's lucj/whoami) or node (the tutorial's Dockerfile)")
	fs.StringVar(&o.publishMode, "publish-mode", labcmd.PublishAuto, "`mode` of publishing: auto (probe the routing mesh), ingress or host")
	fs.BoolVar(&o.keepImages, "keep-images", false, "keep the images the lab built")
	fs.BoolVar(&o.initSwarm, "init-swarm", false, "make this node a swarm manager if it is not one, and leave the swarm at the end")
	fs.DurationVar(&o.timeout, "timeout", 0, "bound the whole run, e.g. 5m (each step has its own timeout too)")
	fs.Var(&o.hosts, "host", "engine `URL` (default: DOCKER_HOST, DOCKER_CONTEXT, the docker CLI's current context, or the local socket); repeat it to run the lab on several engines at once")
	fs.StringVar(&o.hostsFile, "hosts", "", "run the lab on the engines listed in `FILE` at once, one URL a line (# comments)")
	fs.StringVar(&o.lang, "lang", defaultLang(), "language of the lab's texts: en or fr (default from LC_ALL, LC_MESSAGES, LANG)")
	fs.BoolVar(&o.verbose, "v", false, "show what each check saw")
	fs.BoolVar(&o.quiet, "q", false, "print nothing but errors (use with --json)")
	fs.IntVar(&o.repeat, "repeat", 1, "run the lab `N` times in a row, each run clean, then show per step how many runs passed and its min/median/max duration")
	o.registerFastIsolate(fs)
}

func runRun(args []string, stdout, stderr io.Writer) int {
	return runLab("run", args, stdout, stderr)
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	return runLab("verify", args, stdout, stderr)
}

// usages of run and verify, for -h.
var labUsage = map[string]string{
	"run": "Usage: labrun run LAB [flags]\n\nRuns LAB (a built-in lab's name or a lab file's path) against the engine, step by step.\n" +
		"Exit status: 0 all steps pass, 1 a step fails, 2 usage, lab-file or environment error, 130 interrupted (143 for SIGTERM).",
	"verify": "Usage: labrun verify LAB [flags]\n\nRuns LAB as labrun run does, and first proves, before the actions of each step, that the\n" +
		"checks of that step and of the observation steps after it fail: a check that already holds is a lab defect.\n" +
		"Exit status: 0 every check behaves, 1 a defect or a failing step, 2 usage or environment error.",
}

// runLab runs labrun run or labrun verify: the same flags, one more proof.
func runLab(name string, args []string, stdout, stderr io.Writer) int {
	o := &runOptions{set: setFlag{}}
	fs := newFlagSet(name, stdout, labUsage[name])
	o.register(fs)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(name, err, stderr)
	}
	if len(positional) != 1 {
		return flagError(name, fmt.Errorf("want one LAB, got %d arguments", len(positional)), stderr)
	}
	if o.lang != "en" && o.lang != "fr" {
		return flagError(name, fmt.Errorf("--lang %q: want en or fr", o.lang), stderr)
	}
	if o.timeout < 0 {
		return flagError(name, fmt.Errorf("--timeout %s: want a positive duration", o.timeout), stderr)
	}
	if o.repeat < 1 {
		return flagError(name, fmt.Errorf("--repeat %d: want 1 or more runs", o.repeat), stderr)
	}
	if o.repeat > 1 && (len(o.hosts) > 1 || o.hostsFile != "") {
		return flagError(name, fmt.Errorf("--repeat runs on one engine: repeat on each engine of a classroom in turn, with --host"), stderr)
	}

	hosts := []string(o.hosts)
	if o.hostsFile != "" {
		listed, err := classroom.ReadHosts(o.hostsFile)
		if err != nil {
			fmt.Fprintf(stderr, "labrun: %v\n", err)
			return exit.Error
		}
		hosts = append(hosts, listed...)
	}

	ctx, abort, signalled, stop := interruptible()
	defer stop()
	opts := runner.Options{
		Lab: positional[0], Set: o.set, Flavour: o.flavour, PublishMode: o.publishMode,
		KeepImages: o.keepImages, InitSwarm: o.initSwarm, Timeout: o.timeout,
		Lang: o.lang, Verbose: o.verbose, Abort: abort,
		Fast: o.fast, Isolate: o.isolate, IsolatePorts: o.isolatePorts,
	}
	switch {
	case o.quiet:
	case o.json == "-":
		opts.Out = stderr
	default:
		opts.Out = stdout
	}
	// verify is run with one more proof before each step's actions.
	body := runner.AllSteps
	if name == "verify" {
		body = verify.Steps
	}
	var rep labReport
	var code int
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
	for _, w := range []struct {
		path, kind string
		write      func(string) error
	}{{o.json, "JSON", rep.WriteJSON}, {o.junit, "JUnit", rep.WriteJUnit}} {
		if w.path == "" {
			continue
		}
		if err := w.write(w.path); err != nil {
			fmt.Fprintf(stderr, "labrun: writing the %s report: %v\n", w.kind, err)
			if code == 0 {
				code = 2
			}
		}
	}
	if err != nil && (code == exit.Error || opts.Out == nil) {
		// Errors go to standard error, whatever the live view does.
		fmt.Fprintf(stderr, "labrun: %v\n", err)
		if errors.As(err, new(*exit.FlagError)) {
			fmt.Fprintf(stderr, "Run \"labrun %s -h\" for its flags.\n", name)
		}
	}
	if code == exit.Interrupted && signalled() == syscall.SIGTERM {
		code = 143
	}
	return code
}

// labReport is what run and verify write: one run's report, or a
// classroom's.
type labReport interface {
	WriteJSON(path string) error
	WriteJUnit(path string) error
}

// hostsFlag collects repeated --host flags.
type hostsFlag []string

func (h *hostsFlag) String() string { return strings.Join(*h, ",") }

func (h *hostsFlag) Set(v string) error {
	*h = append(*h, v)
	return nil
}

// interruptible returns a context cancelled by the first SIGINT or SIGTERM
// and an abort context cancelled by the second, which cuts cleanup short.
// Signals are handled here only: the runner just sees its contexts end.
func interruptible() (ctx, abort context.Context, signalled func() os.Signal, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	abort, abortNow := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var first os.Signal
	done := make(chan struct{})
	go func() {
		select {
		case first = <-sigs:
			cancel()
		case <-done:
			return
		}
		select {
		case <-sigs:
			abortNow()
		case <-done:
		}
	}()
	return ctx, abort, func() os.Signal { return first }, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
		abortNow()
	}
}
