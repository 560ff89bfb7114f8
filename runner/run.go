package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/client"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/ledger"
	"github.com/labrun/labrun/runner/report"
)

// cleanupTimeout bounds the removal of what a run created.
const cleanupTimeout = 60 * time.Second

// Run runs a lab and returns its report and the process exit code, and
// for exit code 2 the error (a *UsageError, a *FlagError or an engine's).
// The report is complete whatever happens, so that --json always has one.
func Run(ctx context.Context, opts Options) (*report.Run, int, error) {
	rep := newReport(opts.Lab)
	term := newTerminal(opts)
	l, err := loadRun(&opts, rep, term)
	if err != nil {
		return endRun(rep, term, ExitError, err)
	}
	e, err := engine.Connect(ctx, opts.Host)
	if err != nil {
		return endRun(rep, term, ExitError, err)
	}
	defer e.Close()
	r := newRun(opts, l, e, rep, term)
	if err := r.prepare(ctx); err != nil {
		r.cleanup(opts.Abort)
		return endRun(rep, term, ExitError, err)
	}
	code := r.execute(ctx)
	r.cleanup(opts.Abort)
	return endRun(rep, term, code, nil)
}

// newReport is the report of a run that has not started: an error until
// it ends otherwise.
func newReport(labName string) *report.Run {
	return &report.Run{Lab: labName, Result: report.Error, Started: time.Now(), Steps: []*report.Step{}}
}

// newTerminal is the live view of a run, nil when it runs quietly.
func newTerminal(opts Options) *report.Terminal {
	if opts.Out == nil {
		return nil
	}
	term := report.NewTerminal(opts.Out)
	term.Verbose = opts.Verbose
	return term
}

// loadRun loads the lab and checks the options against it, before any
// engine is touched; it fills the report's steps.
func loadRun(opts *Options, rep *report.Run, term *report.Terminal) (*lab.Lab, error) {
	l, builtIn, err := LoadLab(opts.Lab)
	if err != nil {
		return nil, err
	}
	rep.Lab = l.Name
	for _, s := range l.Steps {
		rep.Steps = append(rep.Steps, &report.Step{ID: s.ID, Title: s.Title.In(opts.Lang), Result: report.Skipped})
	}
	if err := opts.validate(l); err != nil {
		return nil, err
	}
	rep.Flavour = opts.Flavour
	if !builtIn && term != nil {
		term.Notice(fmt.Sprintf("running the lab file %s: a lab runs commands on this machine, run only labs you trust", l.File))
	}
	return l, nil
}

// newRun starts a run on a connected engine and says which engine it is.
func newRun(opts Options, l *lab.Lab, e *engine.Engine, rep *report.Run, term *report.Terminal) *run {
	rep.Engine = e.Host
	if term != nil {
		term.RunStarted(l.Name, l.Title.In(opts.Lang), fmt.Sprintf("engine %s · Docker %s · API %s · images %s", e.Endpoint, e.Version, e.APIVersion, opts.Flavour))
	}
	r := &run{opts: opts, lab: l, engine: e, report: rep, term: term, id: ledger.NewID()}
	r.vars = l.Defaults(opts.Set)
	return r
}

// endRun closes a run's report with its exit code; err, for exit code 2,
// is the cause.
func endRun(rep *report.Run, term *report.Terminal, code int, err error) (*report.Run, int, error) {
	if err != nil {
		rep.Result, rep.Error = report.Error, err.Error()
	}
	if err == nil && code != ExitPass {
		err = errors.New(rep.Error)
	}
	rep.Duration = report.Seconds(time.Since(rep.Started))
	if term != nil {
		term.RunEnded(rep)
	}
	return rep, code, err
}

// run is one run in progress.
type run struct {
	opts   Options
	lab    *lab.Lab
	engine *engine.Engine
	report *report.Run
	term   *report.Terminal
	vars   map[string]string
	// id is the run's: its ledger's name, and the suffix of its names
	// under --isolate.
	id     string
	ledger *ledger.Ledger
	// stateDir is labrun's state directory, the ledgers' parent.
	stateDir string
	// isolation holds the port an --isolate run reserved, until cleanup.
	isolation *isolator
	session   *labcmd.Session
	current   *report.Step
	// guided runs check a student's work: the tutor prints the steps.
	guided bool
	// quiet silences the observer: verify's looks before the actions are
	// not steps of the run.
	quiet bool
}

// prepare does what must hold before anything of the lab's is created:
// the lab's resources are not someone else's, and the ledger is written.
func (r *run) prepare(ctx context.Context) error {
	var err error
	if r.stateDir, err = r.opts.stateDirectory(); err != nil {
		return err
	}
	// The variables' values for this run: --set, --fast, and under
	// --isolate names and a port of its own, reserved until cleanup.
	if r.isolation, err = r.values(ctx); err != nil {
		return err
	}
	dir := filepath.Join(r.stateDir, "runs")
	leftovers, err := ledger.Leftovers(dir, r.engine.Host)
	if err != nil {
		return err
	}
	if err := r.checkRegistry(ctx); err != nil {
		return err
	}
	if r.engine.Swarm != "active" && r.opts.InitSwarm {
		r.ledger, err = ledger.Create(dir, r.id, r.lab.Name, r.engine.Host, r.engine.Now())
		if err != nil {
			return err
		}
		if err := r.ledger.Add("swarm", r.engine.Host); err != nil {
			return err
		}
		if err := initSwarm(ctx, r.engine); err != nil {
			return err
		}
		r.notice("this node was not in a swarm: labrun made it a manager (docker swarm init) and will leave the swarm at the end")
	}
	if r.engine.Manager {
		if err := r.checkFree(ctx, leftovers); err != nil {
			return err
		}
	}
	if r.ledger == nil {
		if r.ledger, err = ledger.Create(dir, r.id, r.lab.Name, r.engine.Host, r.engine.Now()); err != nil {
			return err
		}
	}
	for _, res := range r.lab.Creates {
		if res.Kind == "image" && r.opts.KeepImages {
			continue // kept: cleanup must not remove them, even after a crash
		}
		if err := r.ledger.Add(res.Kind, lab.Expand(res.Name, r.vars)); err != nil {
			return err
		}
	}
	return nil
}

// checkFree proves that nothing the lab creates exists yet: what exists
// belongs to someone else, and labrun never touches it.
func (r *run) checkFree(ctx context.Context, leftovers []*ledger.Ledger) error {
	for _, res := range r.lab.Creates {
		name := lab.Expand(res.Name, r.vars)
		exists, detail, err := resourceExists(ctx, r.engine, res.Kind, name)
		if err != nil {
			return err
		}
		if !exists {
			continue
		}
		if res.Kind == "image" && r.keptImage(ctx, name) {
			continue // kept by an earlier run of this lab (--keep-images): the run replaces it
		}
		for _, old := range leftovers {
			for _, o := range old.Resources {
				if o.Kind == res.Kind && o.Name == name {
					return usagef("%s %s is left over from an interrupted labrun run (%s, lab %s, %s): run \"%s\" to remove it",
						res.Kind, name, old.ID, old.Lab, old.Started.Format(time.RFC3339), CleanupCommand(r.engine))
				}
			}
		}
		rename := "choose another name"
		if refs := lab.VarRefs(res.Name); len(refs) > 0 {
			rename = fmt.Sprintf("choose another name with --set %s=...", refs[0])
		}
		return usagef("%s:%d: %s %s already exists (%s) and this run did not create it; labrun never touches what is not its own: remove it yourself, or %s",
			r.lab.File, res.Line, res.Kind, name, detail, rename)
	}
	return nil
}

// registryTimeout bounds the check that a flavour's images can be pulled.
const registryTimeout = 10 * time.Second

// checkRegistry proves, before anything is created, that the engine can
// reach the images the hub and node flavours pull. It asks the registry
// for their manifests (docker manifest inspect's question), which
// downloads nothing.
func (r *run) checkRegistry(ctx context.Context) error {
	var refs []string
	for _, release := range whoamiReleases(r.lab) {
		switch r.opts.Flavour {
		case images.Hub:
			refs = append(refs, images.HubImage(release))
		case images.Node:
			dockerfile, ok := r.lab.Files["node/"+release+"/Dockerfile"]
			if !ok {
				return usagef("--images node: lab %s has no node/%s/Dockerfile, so release %s can only be built offline (--images offline)", r.lab.Name, release, release)
			}
			if base := images.BaseImage(dockerfile); base != "" && !slices.Contains(refs, base) {
				refs = append(refs, base)
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, registryTimeout)
	defer cancel()
	for _, ref := range refs {
		if _, err := r.engine.Client.DistributionInspect(ctx, ref, client.DistributionInspectOptions{}); err != nil {
			return usagef("--images %s needs %s from a registry, and the engine cannot get it: %v\n"+
				"Use --images offline: it builds the images here and needs no registry.", r.opts.Flavour, ref, err)
		}
	}
	return nil
}

// whoamiReleases returns the releases the lab's whoami-image lines build,
// in order: the images a flavour must be able to provide, and the build
// contexts the guide writes.
func whoamiReleases(l *lab.Lab) []string {
	var releases []string
	for _, s := range l.Steps {
		for _, line := range s.Lines {
			if line.Command() != "whoami-image" || len(line.Words) < line.Cmd+3 {
				continue
			}
			release := line.Words[line.Cmd+2]
			if !slices.Contains(releases, release) && images.ValidRelease(release) == nil {
				releases = append(releases, release)
			}
		}
	}
	return releases
}

// keptImage reports whether an image was built by an earlier run of the
// same lab, kept with --keep-images: such an image is labrun's, not the
// user's, and a new run may replace it.
func (r *run) keptImage(ctx context.Context, name string) bool {
	img, err := r.engine.Client.ImageInspect(ctx, name)
	return err == nil && img.Config != nil && img.Config.Labels["labrun.lab"] == r.lab.Name && img.Config.Labels[keptLabel] == "true"
}

// keptLabel marks the images a run kept with --keep-images: only those may
// a later run replace; a guided lab's images, for one, are the student's.
const keptLabel = "labrun.kept"

// execute runs the lab's script and fills the report.
func (r *run) execute(ctx context.Context) int {
	// The run's context ends with the run, so that what it started (the
	// engine event stream) ends too.
	runCtx, cancel := context.WithCancel(ctx)
	if r.opts.Timeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, r.opts.Timeout)
	}
	defer cancel()
	r.session = r.newSession(runCtx)

	var defects []string
	failed, failure := false, error(nil)
	if r.opts.Verify {
		defects, failed, failure = r.verifySteps(runCtx)
	} else {
		failed, failure = r.runScript(runCtx, lab.All, "")
	}
	switch {
	case !failed && len(defects) > 0:
		r.endStep(report.Pass, nil)
		r.report.Result, r.report.Error = report.Fail, strings.Join(defects, "\n")
		return ExitFail
	case !failed:
		r.endStep(report.Pass, nil)
		r.report.Result = report.Pass
		return ExitPass
	case ctx.Err() != nil:
		r.endStep(report.Error, errors.New("interrupted"))
		r.report.Result, r.report.Error = report.Error, "interrupted"
		return ExitInterrupted
	}
	if len(defects) > 0 {
		failure = fmt.Errorf("%s\n%w", strings.Join(defects, "\n"), failure)
	}
	timedOut := errors.Is(runCtx.Err(), context.DeadlineExceeded)
	if timedOut {
		failure = fmt.Errorf("%v (the run's --timeout of %s ran out)", failure, r.opts.Timeout)
	}
	step := r.session.Step()
	result, code := report.Fail, ExitFail
	if step == nil || step.Preflight {
		result, code = report.Error, ExitError
	}
	if step != nil && !timedOut {
		if hint := step.Hint.In(r.opts.Lang); hint != "" {
			failure = fmt.Errorf("%v\nhint: %s", failure, lab.Expand(hint, r.vars))
		}
		if code == ExitFail {
			r.current.Diagnostics = r.diagnostics()
		}
	}
	r.endStep(result, failure)
	r.report.Result, r.report.Error = result, failure.Error()
	return code
}

// newSession is the session of the lab's commands on the run's engine,
// which lives as long as ctx.
func (r *run) newSession(ctx context.Context) *labcmd.Session {
	labels := map[string]string{"labrun.run": r.ledger.ID, "labrun.lab": r.lab.Name}
	if r.opts.KeepImages {
		labels[keptLabel] = "true" // a later run of the lab may replace them
	}
	return labcmd.NewSession(ctx, r.engine, r.lab, labcmd.Options{
		Flavour: r.opts.Flavour, PublishMode: r.opts.PublishMode, KeepImages: r.opts.KeepImages,
		StateDir: r.stateDir, Lang: r.opts.Lang,
	}, (*observer)(r), (*recorder)(r), labels)
}

// runScript runs the lab's lines that keep selects through testscript, in
// the directory cwd (a fresh one when empty, which then goes with the run),
// and says whether they failed and where: "labfile:line: message".
func (r *run) runScript(ctx context.Context, keep lab.Selector, cwd string) (failed bool, failure error) {
	work, err := os.MkdirTemp("", "labrun-"+r.lab.Name+"-")
	if err != nil {
		return true, err
	}
	defer os.RemoveAll(work)
	script := filepath.Join(work, r.lab.Name+".txtar")
	if err := os.WriteFile(script, r.lab.Script(keep, r.vars), 0o600); err != nil {
		return true, err
	}
	setup := r.setup
	if cwd != "" {
		setup = func(env *testscript.Env) error {
			env.Cd = cwd
			return r.setup(env)
		}
	}
	t := &scriptT{}
	params := testscript.Params{
		Files:       []string{script},
		WorkdirRoot: work,
		Setup:       setup,
		Cmds:        r.session.Cmds(),
		Condition:   r.session.Condition,
	}
	if dl, ok := ctx.Deadline(); ok {
		// testscript ends exec'd programs two grace periods (a tenth of the
		// time left, at least 200 ms) before its deadline; set it so that
		// they end just after the run's own, which then names the cause.
		params.Deadline = dl.Add(time.Until(dl)/9 + 200*time.Millisecond)
	}
	testscript.RunT(t, params)
	if !t.failed {
		return false, nil
	}
	return true, t.failure(script, r.lab.File)
}

// setup gives the script the lab's variables and the engine the run uses:
// the docker CLI the lab runs must talk to the same engine as labrun.
func (r *run) setup(env *testscript.Env) error {
	for name, value := range r.vars {
		env.Setenv(name, value)
	}
	// What commands set (choose-publish's --publish value) outlives the
	// script that set it: verify runs each step as a script of its own.
	if r.session != nil {
		for name, value := range r.session.Vars {
			env.Setenv(name, value)
		}
	}
	env.Setenv("ENGINE_HOST", r.engine.HTTPHost)
	env.Setenv("LAB", r.lab.Name)
	for name, value := range r.engine.CLIEnv() {
		env.Setenv(name, value)
	}
	env.Setenv("DOCKER_CLI_HINTS", "false")
	for _, name := range []string{"HOME", "DOCKER_CONFIG", "DOCKER_API_VERSION", "LANG", "LC_ALL"} {
		if v, ok := os.LookupEnv(name); ok {
			env.Setenv(name, v)
		}
	}
	return nil
}

func (r *run) notice(msg string) {
	r.report.Notices = append(r.report.Notices, msg)
	if r.term != nil {
		r.term.Notice(msg)
	}
}

// endStep closes the current step of the report.
func (r *run) endStep(result string, err error) {
	if r.current == nil {
		return
	}
	r.current.End(result, err)
	if r.term != nil && !r.guided {
		r.term.StepEnded(r.current)
	}
	r.current = nil
}

// observer turns the session's events into the report and the live view.
type observer run

func (o *observer) StepStarted(s *lab.Step) {
	r := (*run)(o)
	if r.quiet {
		return
	}
	r.endStep(report.Pass, nil)
	r.current = r.report.Steps[s.Num-1]
	r.current.Begin()
	if r.term != nil && !r.guided {
		typed := make([]string, len(s.Type))
		for i, t := range s.Type {
			typed[i] = lab.Expand(t, r.vars)
		}
		r.term.StepStarted(s.Num, len(r.lab.Steps), s.ID, s.Title.In(r.opts.Lang), typed)
	}
}

func (o *observer) CommandDone(s *lab.Step, cmd, output, seen string, err error, took time.Duration) {
	r := (*run)(o)
	if r.quiet {
		return
	}
	c := &report.Command{Cmd: cmd, Result: report.Pass, Duration: report.Seconds(took), Output: output, Seen: seen}
	if err != nil {
		c.Result, c.Error = report.Fail, err.Error()
	}
	if r.current != nil {
		r.current.Commands = append(r.current.Commands, c)
	}
	if r.term != nil {
		r.term.CommandDone(c)
	}
}

func (o *observer) Waiting(s *lab.Step, cmd, last string, waited, timeout time.Duration) {
	if o.term != nil {
		o.term.Waiting(cmd, last, waited, timeout)
	}
}

func (o *observer) Notice(msg string) { (*run)(o).notice(msg) }

// recorder writes to the ledger what commands are about to create.
type recorder run

// Creating records a resource unless it already exists: an image a
// command would pull or tag that was there before the run is not the
// run's, and cleanup must leave it.
func (rec *recorder) Creating(kind, name string) error {
	r := (*run)(rec)
	if kind == "image" && r.opts.KeepImages {
		return nil
	}
	for _, res := range r.lab.Creates {
		if res.Kind == kind && lab.Expand(res.Name, r.vars) == name {
			return r.ledger.Add(kind, name) // proven absent before the run
		}
	}
	if kind == "image" {
		exists, _, err := resourceExists(r.session.Ctx, r.engine, kind, name)
		if err != nil || exists {
			return err
		}
	}
	return r.ledger.Add(kind, name)
}

// scriptT is the testscript.T of a lab run: it runs the one script, notes
// whether it failed and keeps its log, whose FAIL line says where.
type scriptT struct {
	failed bool
	log    strings.Builder
}

func (t *scriptT) Skip(args ...any)  { t.Log(args...); runtimeGoexit() }
func (t *scriptT) Fatal(args ...any) { t.Log(args...); t.failed = true; runtimeGoexit() }
func (t *scriptT) FailNow()          { t.failed = true; runtimeGoexit() }
func (t *scriptT) Parallel()         {}
func (t *scriptT) Verbose() bool     { return false }
func (t *scriptT) Log(args ...any)   { fmt.Fprintln(&t.log, args...) }

// Run runs f in its own goroutine, as testing does, so that FailNow can
// end it with runtime.Goexit.
func (t *scriptT) Run(name string, f func(testscript.T)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(t)
	}()
	<-done
}

var failLine = regexp.MustCompile(`(?m)^FAIL: (.*?):(\d+): (.*)$`)

// failure returns the script's failure as "labfile:line: message".
func (t *scriptT) failure(script, labFile string) error {
	m := failLine.FindAllStringSubmatch(t.log.String(), -1)
	if len(m) == 0 {
		msg := strings.TrimSpace(t.log.String())
		if msg == "" {
			msg = "the lab's script failed"
		}
		return errors.New(msg)
	}
	last := m[len(m)-1]
	file := last[1]
	if file == script {
		file = labFile
	}
	return fmt.Errorf("%s:%s: %s", file, last[2], last[3])
}
