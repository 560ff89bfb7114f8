package labcmd

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/timeouts"
)

// Observer receives what happens as a lab runs, as it happens.
type Observer interface {
	StepStarted(step *lab.Step)
	// CommandDone reports a finished command: its words after expansion,
	// its output, what a check saw, and its error (nil when it did what the
	// lab expects).
	CommandDone(step *lab.Step, cmd, output, seen string, err error, took time.Duration)
	// Waiting reports a retried check that does not hold yet and what it saw.
	Waiting(step *lab.Step, cmd string, last string, waited, timeout time.Duration)
	// Notice reports something the user should know, such as a change of
	// publishing mode.
	Notice(msg string)
}

// Options are the run's choices that commands depend on.
type Options struct {
	Flavour     string // image flavour: offline, hub or node
	PublishMode string // auto, ingress or host
	KeepImages  bool
	// Registry is where whoami-image pushes the images it makes
	// (--registry HOST:PORT); empty: none, the images go to every node.
	Registry string
	// StateDir holds what labrun remembers between runs (the routing mesh
	// verdicts); empty: nothing is remembered.
	StateDir string
	// NoWait makes "*" look once instead of waiting: labrun check answers
	// about the engine as it is.
	NoWait bool
	// Lang is the language of the checks' messages: en or fr.
	Lang string
	// Timeouts bound the commands' waits; a zero field is its default.
	Timeouts timeouts.Timeouts
}

// FinalError is an observation that no wait can change, such as waiting
// for an update to pause on a service that was rolled back: a retried
// check stops at once with it, and its message gives the way out.
type FinalError struct{ Err error }

func (e *FinalError) Error() string { return e.Err.Error() }
func (e *FinalError) Unwrap() error { return e.Err }

// Final marks err as final.
func Final(err error) error { return &FinalError{Err: err} }

// BlindError says a check could not look at what it checks (the engine
// did not answer, the thing it reads through is gone), as opposed to
// having looked and found it differs: "!" must not turn it into a pass.
type BlindError struct{ Err error }

func (e *BlindError) Error() string { return e.Err.Error() }
func (e *BlindError) Unwrap() error { return e.Err }

// Blind marks err as an observation that could not be made.
func Blind(err error) error { return &BlindError{Err: err} }

// blind tells whether a check's error means it could not look: marked so,
// or the engine unreachable or failing (5xx), or the step's time over.
func blind(ctx context.Context, err error) bool {
	var b *BlindError
	return errors.As(err, &b) || ctx.Err() != nil || client.IsErrConnectionFailed(err) ||
		cerrdefs.IsInternal(err) || cerrdefs.IsUnavailable(err) || cerrdefs.IsDeadlineExceeded(err)
}

// Recorder is told of everything a command creates on the engine, the
// moment before it is created, so that cleanup knows it even after a crash.
type Recorder interface {
	Creating(kind, name string) error
}

// NodeRecorder is a Recorder that also records what a command creates on
// another node's engine. made is false when that engine has an object of
// the name already: not the run's, so the command leaves it as it is.
type NodeRecorder interface {
	CreatingOn(e *engine.Engine, kind, name string) (made bool, err error)
	// Pushed records the digest of what was pushed to a registry as ref:
	// only that manifest is the run's to delete.
	Pushed(ref, digest string) error
}

// NodeChangeRecorder is a Recorder that also records the swarm's nodes before a
// command changes them (docker node update), so that cleanup puts back
// their labels and availability: labrun did not create the nodes.
type NodeChangeRecorder interface {
	ChangingNodes() error
	ChangedNodes() error
}

// changesNodes tells whether a program's arguments are a docker node
// update, which changes a node labrun did not create.
func changesNodes(args []string) bool {
	if len(args) < 3 || filepath.Base(args[0]) != "docker" {
		return false
	}
	for i := 1; i+1 < len(args); i++ {
		if args[i] == "node" && args[i+1] == "update" {
			return true
		}
	}
	return false
}

// Session is the state a run's commands share.
type Session struct {
	Ctx      context.Context // the run's: cancelled on interrupt or --timeout
	Engine   *engine.Engine
	Lab      *lab.Lab
	Options  Options
	Observer Observer
	Recorder Recorder
	// Labels go on every object labrun itself creates (images, probes).
	Labels map[string]string
	// Nodes are the engines of the swarm's other nodes that the run
	// reached: whoami-image makes the image on each too, so that a task
	// placed there finds it.
	Nodes []*engine.Engine
	// Constraints are placement constraints (node.id!=ID) that exec adds
	// to the lab's docker service create commands, shown in the command
	// as run: they keep the services off the nodes without the images
	// (--only-image-nodes).
	Constraints []string

	// Vars are the variables commands set (choose-publish's), for callers
	// that keep them from one script to the next.
	Vars map[string]string

	vocab    Vocabulary
	failure  *Failure
	changes  <-chan struct{}
	step     *lab.Step
	deadline time.Time
}

// NewSession prepares the commands of one run.
func NewSession(ctx context.Context, e *engine.Engine, l *lab.Lab, opts Options, obs Observer, rec Recorder, labels map[string]string) *Session {
	s := &Session{Ctx: ctx, Engine: e, Lab: l, Options: opts, Observer: obs, Recorder: rec, Labels: labels, Vars: map[string]string{}, vocab: NewVocabulary()}
	if e != nil {
		s.changes = e.Changes(ctx)
	}
	return s
}

// Failure is a command of labrun's that failed: the typed cause behind
// the script's FAIL line.
type Failure struct {
	Command string // as run, its variables expanded, with its "!" or "*"
	Seen    string // what the command saw, when it said
	Err     error  // what differs
}

// Failure returns the last command of labrun's that failed since
// ClearFailure, nil when none did (a testscript builtin failed, or none).
func (s *Session) Failure() *Failure { return s.failure }

// ClearFailure forgets the last failure, before a script runs.
func (s *Session) ClearFailure() { s.failure = nil }

// Timeouts returns the run's timeouts, each zero one at its default: a
// Session built without NewSession, as doctor builds one to run a single
// check, bounds its waits too.
func (s *Session) Timeouts() timeouts.Timeouts { return s.Options.Timeouts.WithDefaults() }

// Step returns the step being run, nil before the first.
func (s *Session) Step() *lab.Step { return s.step }

// Env is what commands use of the script's environment.
type Env interface {
	Getenv(name string) string
	Setenv(name, value string)
	MkAbs(file string) string
}

// Call is one run of a command.
type Call struct {
	*Session
	Env  Env
	Args []string
	// Out becomes the command's standard output, for stdout and cp.
	Out  strings.Builder
	seen string
}

// Setvar sets a script variable and records it in the session.
func (c *Call) Setvar(name, value string) {
	c.Env.Setenv(name, value)
	c.Vars[name] = value
}

// Saw records what a check saw when it held, worded in the run's
// language: format is an English sentence of the catalogue (package i18n).
func (c *Call) Saw(format string, args ...any) { c.seen = i18n.Textf(c.Options.Lang, format, args...) }

// Cmds returns the testscript commands of the session: the table's own
// commands, the retry prefix, and the markers the generated script calls.
func (s *Session) Cmds() map[string]func(*testscript.TestScript, bool, []string) {
	cmds := map[string]func(*testscript.TestScript, bool, []string){
		lab.Retry:       s.retry,
		lab.StepMarker:  s.markStep,
		lab.ExecCommand: s.exec,
	}
	for _, c := range s.vocab {
		if c.Kind == Builtin {
			continue
		}
		c := c
		cmds[c.Name] = func(ts *testscript.TestScript, neg bool, args []string) { s.runOnce(ts, neg, c, args) }
	}
	return cmds
}

// Condition answers the lab's own [conditions].
func (s *Session) Condition(cond string) (bool, error) {
	switch {
	case cond == "keep-images":
		return s.Options.KeepImages, nil
	case strings.HasPrefix(cond, "images:"):
		return s.Options.Flavour == strings.TrimPrefix(cond, "images:"), nil
	}
	return false, i18n.Errorf("unknown condition %q", cond)
}

func (s *Session) markStep(ts *testscript.TestScript, _ bool, args []string) {
	s.step = s.Lab.Step(args[0])
	s.deadline = time.Now().Add(s.stepTimeout())
	s.Observer.StepStarted(s.step)
}

// stepContext bounds a command by the step's deadline and the run's context.
func (s *Session) stepContext() (context.Context, context.CancelFunc) {
	if s.deadline.IsZero() {
		return context.WithCancel(s.Ctx)
	}
	return context.WithDeadline(s.Ctx, s.deadline)
}

func (s *Session) stepTimeout() time.Duration {
	if s.step == nil {
		return s.Timeouts().Step
	}
	return s.Lab.StepTimeout(s.step, s.Timeouts().Step)
}

// fail ends the script at the current line with err, worded in the
// run's language, which becomes "file:line: err" in the runner's report.
func (s *Session) fail(ts *testscript.TestScript, err error) {
	ts.Fatalf("%s", i18n.In(s.Options.Lang, err))
}

func commandText(name string, args []string) string {
	return strings.TrimSpace(name + " " + strings.Join(args, " "))
}

// runOnce runs a command once, handling "!" for every check alike.
func (s *Session) runOnce(ts *testscript.TestScript, neg bool, c *Command, args []string) {
	ctx, cancel := s.stepContext()
	defer cancel()
	start := time.Now()
	call := &Call{Session: s, Env: ts, Args: args}
	var err error
	switch {
	case c.Act != nil:
		err = c.Act(ctx, call)
	default:
		if err = s.mistake(ctx, ts); err == nil {
			err = verdict(ctx, neg, c.Observe(ctx, call), call.seen)
		}
	}
	text := commandText(c.Name, args)
	if neg {
		text = "! " + text
	}
	s.finish(ts, text, call, err, start)
}

// verdict turns a check's result into the command's, given "!". A check
// that could not look proves nothing either way.
func verdict(ctx context.Context, neg bool, err error, seen string) error {
	if !neg {
		return err
	}
	if err == nil {
		if seen == "" {
			return i18n.Errorf("holds, but the lab expects it not to: it holds")
		}
		return i18n.Errorf("holds, but the lab expects it not to: %s", seen)
	}
	if blind(ctx, err) {
		return i18n.Errorf("could not tell whether it holds: %v", err)
	}
	return nil
}

func (s *Session) finish(ts *testscript.TestScript, text string, call *Call, err error, start time.Time) {
	err = s.word(err)
	out := call.Out.String()
	if out != "" {
		fmt.Fprint(ts.Stdout(), out)
	}
	s.Observer.CommandDone(s.step, text, out, call.seen, err, time.Since(start))
	if err != nil {
		s.failure = &Failure{Command: text, Seen: call.seen, Err: err}
		s.fail(ts, i18n.Errorf("%s: %v", text, err))
	}
}

// retry runs a check until it holds (or, negated, until it does not),
// waking up on engine events and polling, until the step's timeout.
func (s *Session) retry(ts *testscript.TestScript, neg bool, args []string) {
	c := s.vocab[args[0]]
	if c == nil || c.Observe == nil {
		s.failure = &Failure{Command: lab.Retry + " " + args[0], Err: i18n.Errorf("only checks can be retried")}
		s.fail(ts, i18n.Errorf("%s %s: only checks can be retried", lab.Retry, args[0]))
	}
	ctx, cancel := s.stepContext()
	defer cancel()
	text := lab.Retry + " " + commandText(c.Name, args[1:])
	if neg {
		text = "! " + text
	}
	poll := c.Poll
	if poll == 0 {
		poll = 250 * time.Millisecond
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	start := time.Now()
	var last error
	for {
		call := &Call{Session: s, Env: ts, Args: args[1:]}
		// A known mistake of the step ends the wait at once, whatever
		// the check: no wait can mend it.
		if err := s.mistake(ctx, ts); err != nil {
			s.finish(ts, text, call, err, start)
			return
		}
		err := verdict(ctx, neg, c.Observe(ctx, call), call.seen)
		if err == nil {
			s.finish(ts, text, call, nil, start)
			return
		}
		var final *FinalError
		if !neg && errors.As(err, &final) || s.Options.NoWait {
			s.finish(ts, text, call, err, start)
			return
		}
		if ctx.Err() != nil {
			if last == nil {
				last = err // else the look the deadline cut short says nothing
			}
			s.finish(ts, text, call, s.waitError(last, time.Since(start)), start)
			return
		}
		last = err
		s.Observer.Waiting(s.step, text, i18n.In(s.Options.Lang, err), time.Since(start), s.stepTimeout())
		timer.Reset(poll)
		select {
		case <-timer.C:
		case _, open := <-s.changes:
			if !open {
				s.changes = nil // the event stream broke: poll alone from now on
			}
		case <-ctx.Done():
		}
	}
}

// waitError says what ended a wait, how long it waited, and what it saw last.
func (s *Session) waitError(last error, waited time.Duration) error {
	waited = waited.Round(100 * time.Millisecond)
	switch {
	case errors.Is(s.Ctx.Err(), context.Canceled):
		return i18n.Errorf("interrupted after %s (last seen: %v)", waited, last)
	case s.Ctx.Err() != nil: // the run's --timeout: the runner says so
		return i18n.Errorf("still not so after %s (last seen: %v)", waited, last)
	}
	return i18n.Errorf("still not so when the step's %s timeout ran out, after waiting %s (last seen: %v)", s.stepTimeout(), waited, last)
}

// exec runs a program as testscript's exec does, and reports it as it ends.
func (s *Session) exec(ts *testscript.TestScript, neg bool, args []string) {
	start := time.Now()
	nr, changing := s.Recorder.(NodeChangeRecorder)
	changing = changing && changesNodes(args)
	if changing {
		if err := nr.ChangingNodes(); err != nil {
			s.failure = &Failure{Command: commandText("exec", args), Err: err}
			s.fail(ts, i18n.Errorf("%s: %v", commandText("exec", args), err))
		}
	}
	args = WithConstraints(args, s.Constraints)
	err := ts.Exec(args[0], args[1:]...)
	if changing {
		// What the command left, so that cleanup puts back only the run's
		// changes; unrecorded, cleanup puts back all that differs.
		nr.ChangedNodes()
	}
	stdout, stderr := ts.ReadFile("stdout"), ts.ReadFile("stderr")
	var exitErr *exec.ExitError
	switch {
	case err != nil && !errors.As(err, &exitErr):
		err = i18n.Errorf("cannot run %s: %v", args[0], err)
	case neg && err == nil:
		err = i18n.Errorf("succeeded, but the lab expects it to fail")
	case neg:
		err = nil
	case err != nil:
		err = i18n.Errorf("%v: %s", err, lastLines(stderr, 5))
		if cause := s.imageInUse(stderr); cause != nil {
			err = cause
		}
	}
	text := commandText("exec", args)
	if neg {
		text = "! " + text
	}
	out := strings.TrimRight(stdout+stderr, "\n")
	err = s.word(err)
	s.Observer.CommandDone(s.step, text, out, "", err, time.Since(start))
	if err != nil {
		s.failure = &Failure{Command: text, Err: err}
		s.fail(ts, i18n.Errorf("%s: %v", text, err))
	}
}

// WithConstraints returns args with a --constraint for each of
// constraints when args is docker service create: the services a lab
// creates stay where the run put the images. Other commands are returned
// as they are.
func WithConstraints(args, constraints []string) []string {
	if len(constraints) == 0 || len(args) < 3 || args[0] != "docker" || args[1] != "service" || args[2] != "create" {
		return args
	}
	out := append([]string{}, args[:3]...)
	for _, c := range constraints {
		out = append(out, "--constraint", c)
	}
	return append(out, args[3:]...)
}

// lastLines returns the last n lines of s, trimmed.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// wordedError is a command's error worded in the run's language, the
// error it words kept beneath it for errors.As (FinalError, MistakeError).
type wordedError struct {
	text string
	err  error
}

func (e *wordedError) Error() string { return e.text }
func (e *wordedError) Unwrap() error { return e.err }

// word words err in the run's language, once, as it leaves the command:
// the checks build sentences (package i18n) without knowing the language,
// and what the engine says passes through as it came.
func (s *Session) word(err error) error {
	if err == nil {
		return nil
	}
	return &wordedError{text: i18n.In(s.Options.Lang, err), err: err}
}

// inUse is the engine's refusal to remove an image a container uses, with
// that container's ID.
var inUse = regexp.MustCompile(`container ([0-9a-f]{12,64}) is using its referenced image`)

// imageInUse names the cause of a docker image rm that the engine refused
// because a container of a service removed a moment ago still uses the
// image (docker service rm, then at once docker image rm: the engine is
// still stopping the service's containers). It returns nil for any other
// failure, which the engine's own text says well enough.
func (s *Session) imageInUse(stderr string) error {
	m := inUse.FindStringSubmatch(stderr)
	if m == nil || s.Engine == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(s.Ctx, s.Timeouts().Connect)
	defer cancel()
	ct, err := s.Engine.Client.ContainerInspect(ctx, m[1], client.ContainerInspectOptions{})
	if err != nil || ct.Container.Config == nil {
		return nil
	}
	svc := ct.Container.Config.Labels["com.docker.swarm.service.name"]
	if svc == "" {
		return nil
	}
	if _, err := s.Engine.Client.ServiceInspect(ctx, svc, client.ServiceInspectOptions{}); !cerrdefs.IsNotFound(err) {
		return nil // the service is there, or the engine did not say
	}
	state := ""
	if ct.Container.State != nil {
		state = string(ct.Container.State.Status)
	}
	engineSaid := lastLines(stderr, 1)
	return said(i18n.Text(s.Options.Lang, "image-in-use", engineSaid, svc, fmt.Sprintf("%s %.12s, %s", strings.TrimPrefix(ct.Container.Name, "/"), m[1], state)))
}
