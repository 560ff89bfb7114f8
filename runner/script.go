package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/owner"
)

// StepsOptions are how Steps runs the lines it is given.
type StepsOptions struct {
	// Dir is the directory the script runs in, kept between calls so that
	// a file one step keeps (cp stdout FILE) is there for the next; empty:
	// a fresh one with the lab's files, removed after.
	Dir string
	// Look runs each check once, without waiting, and reports nothing:
	// verify's look at the state before a step's actions.
	Look bool
}

// Steps runs the lab's lines that keep selects (lab.All, lab.InStep…)
// through testscript and returns nil when they all did what the lab
// expects, else a *event.StepError saying where and why. The step events
// flow to the run's sink as the lines run; the last step begun stays open
// for Finish or EndStep to close.
func (r *Run) Steps(ctx context.Context, keep lab.Selector, o StepsOptions) error {
	if r.session == nil {
		r.startSession(ctx)
	}
	if o.Look {
		r.silent, r.session.Options.NoWait = true, true
		defer func() { r.silent, r.session.Options.NoWait = false, r.opts.NoWait }()
	}
	work, err := os.MkdirTemp("", "labrun-"+r.lab.Name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	script := filepath.Join(work, r.lab.Name+".txtar")
	if err := os.WriteFile(script, r.lab.Script(keep, r.vars), 0o600); err != nil {
		return err
	}
	setup := r.setup
	if o.Dir != "" {
		setup = func(env *testscript.Env) error {
			env.Cd = o.Dir
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
	r.session.ClearFailure()
	testscript.RunT(t, params)
	// What commands set (choose-publish's --publish value) outlives the
	// script that set it: the next call, and the guide's texts, use it.
	for name, value := range r.session.Vars {
		r.vars[name] = value
	}
	if !t.failed {
		return nil
	}
	return r.stepError(t.log.String(), script)
}

// stepError makes the typed failure of a script that failed: where (the
// one parse of testscript's FAIL line), and, when the failing command is
// one of labrun's, what it ran, saw and found different.
func (r *Run) stepError(log, script string) *event.StepError {
	f := &event.StepError{Step: r.stepID()}
	if s := r.session.Step(); s != nil {
		f.Step = s.ID
	}
	at, ok := parseFailure(log)
	if !ok {
		f.Message = strings.TrimSpace(log)
		if f.Message == "" {
			f.Message = i18n.Text(r.opts.Lang, "script-failed")
		}
		return f
	}
	f.File, f.Line, f.Message = at.file, at.line, at.message
	if f.File == script {
		f.File = r.lab.File
	}
	if s := r.lab.Step(f.Step); s != nil && f.File == r.lab.File {
		for _, l := range s.Lines {
			if l.Num == f.Line {
				f.Expected = l.Text
			}
		}
	}
	if c := r.session.Failure(); c != nil {
		f.Command, f.Seen, f.Cause = c.Command, c.Seen, c.Err
	}
	return f
}

// failLine is testscript's report of the line a script failed at, as
// "FAIL: file:line: message" (testscript.go, TestScript.Fatalf's caller);
// TestFailureFormat pins it on a real testscript run.
var failLine = regexp.MustCompile(`(?m)^FAIL: (.*?):(\d+): (.*)$`)

type failureAt struct {
	file    string
	line    int
	message string
}

// parseFailure reads where a testscript run failed from its log: the
// last FAIL line. It is the one place that reads testscript's text.
func parseFailure(log string) (failureAt, bool) {
	m := failLine.FindAllStringSubmatch(log, -1)
	if len(m) == 0 {
		return failureAt{}, false
	}
	last := m[len(m)-1]
	line, _ := strconv.Atoi(last[2])
	return failureAt{file: last[1], line: line, message: last[3]}, true
}

// startSession starts the session of the lab's commands on the run's
// engine, which lives until Close.
func (r *Run) startSession(ctx context.Context) {
	ctx, r.endSession = context.WithCancel(ctx)
	id := "guide"
	if r.ledger != nil {
		id = r.ledger.ID
	}
	labels := map[string]string{"labrun.run": id, "labrun.lab": r.lab.Name}
	if r.opts.KeepImages {
		labels[owner.KeptLabel] = "true" // a later run of the lab may replace them
	}
	var rec labcmd.Recorder = noRecorder{}
	if r.ledger != nil {
		owner.Watch(ctx, r.engine, r.ledger)
		rec = &owner.Recorder{Ctx: ctx, Engine: r.engine, Ledger: r.ledger, Lab: r.lab, Vars: r.vars, KeepImages: r.opts.KeepImages}
	}
	r.session = labcmd.NewSession(ctx, r.engine, r.lab, labcmd.Options{
		Flavour: r.opts.Flavour, PublishMode: r.opts.PublishMode, KeepImages: r.opts.KeepImages,
		Registry: r.opts.Registry, StateDir: r.stateDir, Lang: r.opts.Lang, NoWait: r.opts.NoWait, Timeouts: r.opts.Timeouts,
	}, (*observer)(r), rec, labels)
	r.session.Nodes = r.NodeEngines()
	r.session.Constraints = r.constraints
}

// prove records at once the IDs of what the run's commands created: the
// run owns only what it saw created. It is bounded like a first contact
// with the engine: a few inspections.
func (r *Run) prove(ctx context.Context) {
	if r.ledger == nil || len(r.ledger.Unproven()) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeouts.Connect)
	defer cancel()
	owner.ProveCreated(ctx, r.engine, r.ledger)
}

// noRecorder is the recorder of a run that owns nothing (labrun check on
// a lab whose names are the student's): its checks create nothing.
type noRecorder struct{}

func (noRecorder) Creating(kind, name string) error { return nil }

// setup gives the script the lab's variables and the engine the run uses:
// the docker CLI the lab runs must talk to the same engine as labrun.
func (r *Run) setup(env *testscript.Env) error {
	for name, value := range r.vars {
		env.Setenv(name, value)
	}
	env.Setenv("ENGINE_HOST", r.engine.HTTPHost)
	env.Setenv("LAB", r.lab.Name)
	for name, value := range r.engine.CLIEnv() {
		env.Setenv(name, value)
	}
	env.Setenv("DOCKER_CLI_HINTS", "false")
	// SSH_AUTH_SOCK: the docker CLI reaches an ssh:// engine with the
	// keys of the user's agent, as labrun itself does.
	for _, name := range []string{"HOME", "DOCKER_CONFIG", "DOCKER_API_VERSION", "LANG", "LC_ALL", "SSH_AUTH_SOCK"} {
		if v, ok := os.LookupEnv(name); ok {
			env.Setenv(name, v)
		}
	}
	return nil
}

// observer turns the session's callbacks into the run's events.
type observer Run

func (o *observer) StepStarted(s *lab.Step) {
	r := (*Run)(o)
	if r.silent {
		return
	}
	r.EndStep(event.Pass, nil)
	r.current, r.currentSince = s, time.Now()
	typed := make([]string, len(s.Type))
	for i, t := range s.Type {
		typed[i] = lab.Expand(t, r.vars)
	}
	r.sink.Handle(event.StepStarted{Num: s.Num, Total: len(r.lab.Steps), ID: s.ID, Title: s.Title.In(r.opts.Lang), Typed: typed})
}

func (o *observer) CommandDone(s *lab.Step, cmd, output, seen string, err error, took time.Duration) {
	(*Run)(o).prove(o.session.Ctx)
	if o.silent {
		return
	}
	o.sink.Handle(event.CommandDone{Step: stepIDOf(s), Cmd: cmd, Output: output, Seen: seen, Err: err, Took: took})
}

func (o *observer) Waiting(s *lab.Step, cmd, last string, waited, timeout time.Duration) {
	if o.silent {
		return
	}
	o.sink.Handle(event.Waiting{Step: stepIDOf(s), Cmd: cmd, Last: last, Waited: waited, Timeout: timeout})
}

func (o *observer) Notice(msg string) {
	(*Run)(o).notice(event.Message{ID: "command", Text: msg})
}

func stepIDOf(s *lab.Step) string {
	if s == nil {
		return ""
	}
	return s.ID
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
