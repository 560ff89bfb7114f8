// Package runner runs a lab against a Docker engine, in phases that its
// front-ends (run, verify, repeat, classroom, guide, doctor) compose: Open
// loads the lab, checks the options and connects; Prepare claims the lab's
// names and writes the ledger; Steps runs chosen lines of chosen steps
// through testscript; Finish judges how the run ended and collects the
// engine's diagnostics; Release removes what the run created. What happens
// flows out as events (package event), which the report model and the
// terminal consume alike.
package runner

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/catalog"
	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/nodemap"
	"github.com/labrun/labrun/runner/owner"
	"github.com/labrun/labrun/runner/registry"
	"github.com/labrun/labrun/runner/timeouts"
)

// Run is one run of a lab on one engine.
type Run struct {
	opts    Options
	lab     *lab.Lab
	builtIn bool
	engine  *engine.Engine
	sink    event.Sink
	// vars are the values of the lab's variables in this run.
	vars map[string]string
	// id is the run's: its ledger's name, and the suffix of its names
	// under --isolate.
	id       string
	ledger   *owner.Ledger
	stateDir string
	// isolation holds the port an --isolate run reserved, until Release.
	isolation *isolator
	// nodes are the engines of the swarm's other nodes (PlaceImages).
	nodes *nodemap.Engines
	// placed says PlaceImages gave its verdict, placeErr.
	placed   bool
	placeErr error
	// constraints keep the lab's services off the nodes without images
	// (--only-image-nodes), e.g. node.id!=ID.
	constraints []string
	session     *labcmd.Session
	// endSession ends the session's context, and with it the engine event
	// stream it follows.
	endSession context.CancelFunc
	// current is the step in progress, and since when.
	current      *lab.Step
	currentSince time.Time
	// silent drops the step events: verify's looks before the actions and
	// the classroom's preflight are not steps of the run.
	silent bool
}

// Load loads the lab that opts names and checks opts against it, before
// any engine is touched. A lab file given by path is announced: it runs
// commands on this machine.
func Load(opts *Options, sink event.Sink) (*lab.Lab, error) {
	l, builtIn, err := catalog.Load(opts.Lab)
	if err != nil {
		return nil, err
	}
	steps := make([]event.StepInfo, len(l.Steps))
	for i, s := range l.Steps {
		steps[i] = event.StepInfo{ID: s.ID, Title: s.Title.In(opts.Lang)}
	}
	loaded := event.Loaded{Lab: l.Name, Title: l.Title.In(opts.Lang), File: l.File, Steps: steps}
	if err := opts.Validate(l); err != nil {
		sink.Handle(loaded)
		return nil, err
	}
	loaded.Flavour = opts.Flavour
	sink.Handle(loaded)
	if !builtIn {
		notice := catalog.TrustNotice(l, opts.Lang)
		sink.Handle(event.Notice{Message: event.Say("lab-file", "%s", notice)})
		if opts.Trust != nil {
			if err := opts.Trust(notice); err != nil {
				return nil, &exit.UsageError{Err: err}
			}
		}
	}
	return l, nil
}

// Open loads the lab, checks the options and connects to the engine.
// Nothing is created: Prepare claims the lab's names. Close the run when
// done with it.
func Open(ctx context.Context, opts Options, sink event.Sink) (*Run, error) {
	if sink == nil {
		sink = event.Discard
	}
	l, err := Load(&opts, sink)
	if err != nil {
		return nil, err
	}
	return Connect(ctx, opts, l, sink)
}

// newRun starts a run of the loaded lab l on a connected engine and says
// which engine it is.
func newRun(opts Options, l *lab.Lab, e *engine.Engine, sink event.Sink) (*Run, error) {
	r := &Run{opts: opts, lab: l, engine: e, sink: sink, id: owner.NewID()}
	r.opts.Timeouts = r.opts.Timeouts.WithDefaults()
	var err error
	if r.stateDir, err = owner.StateDir(opts.StateDir); err != nil {
		e.Close()
		return nil, err
	}
	r.vars = l.Defaults(opts.Set)
	sink.Handle(event.Connected{Engine: e.Host, Describe: i18n.Textf(opts.Lang, "engine %s · Docker %s · API %s · images %s", e.Endpoint, e.Version, e.APIVersion, opts.Flavour)})
	return r, nil
}

// Close ends the run's session and its connection to the engine.
func (r *Run) Close() {
	if r.endSession != nil {
		r.endSession()
	}
	r.nodes.Close()
	r.engine.Close()
}

// Lab is the lab being run.
func (r *Run) Lab() *lab.Lab { return r.lab }

// ID returns the run's id: what the objects it makes carry as their
// labrun.run label.
func (r *Run) ID() string { return r.id }

// Lang returns the language of the run's messages.
func (r *Run) Lang() string { return r.opts.Lang }

// Engine is the engine the run talks to.
func (r *Run) Engine() *engine.Engine { return r.engine }

// Vars returns a copy of the run's values of the lab's variables.
func (r *Run) Vars() map[string]string { return maps.Clone(r.vars) }

// StateDir is labrun's state directory, where ledgers and progress live.
func (r *Run) StateDir() string { return r.stateDir }

// Timeouts are the run's.
func (r *Run) Timeouts() timeouts.Timeouts { return r.opts.Timeouts }

// Prepare does what must hold before anything of the lab's is created:
// the variables' values (--set, --fast, --isolate), the images' registry
// answering, the swarm (--init-swarm), the lab's names not someone
// else's, and the ledger written. On error, Release what it recorded.
func (r *Run) Prepare(ctx context.Context) error {
	var err error
	// Under --isolate: names and a port of its own, reserved until Release.
	if r.isolation, err = r.values(ctx); err != nil {
		return err
	}
	dir := owner.LedgerDir(r.stateDir)
	leftovers, err := r.leftovers()
	if err != nil {
		return err
	}
	if err := r.CheckRegistry(ctx); err != nil {
		return err
	}
	if err := r.PlaceImages(ctx); err != nil {
		return err
	}
	if r.opts.Registry != "" {
		rctx, cancel := context.WithTimeout(ctx, r.opts.Timeouts.Registry)
		err := registry.Check(rctx, r.opts.Registry)
		cancel()
		if err != nil {
			return &exit.UsageError{Err: worded(r.opts.Lang, i18n.Errorf("--registry %s: the registry does not answer: %v", r.opts.Registry, err))}
		}
		if err := r.checkTagsFree(ctx); err != nil {
			return err
		}
	}
	if r.engine.Swarm != "active" && r.opts.InitSwarm {
		if r.ledger, err = owner.Create(dir, r.id, r.lab.Name, r.engine); err != nil {
			return err
		}
		if err := owner.InitSwarm(ctx, r.engine, r.ledger); err != nil {
			return err
		}
		r.notice(i18n.Say(r.opts.Lang, "swarm-init"))
	}
	if r.engine.Manager {
		if err := owner.Claim(ctx, r.engine, r.lab, r.vars, leftovers); err != nil {
			return err
		}
		if err := owner.CheckGuideClaims(ctx, r.engine, r.Declared()); err != nil {
			return &exit.UsageError{Err: err}
		}
	}
	if r.ledger == nil {
		if r.ledger, err = owner.Create(dir, r.id, r.lab.Name, r.engine); err != nil {
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

// Claim proves that the lab's names are free on the engine, as Prepare
// does, without recording anything: what a guided lab checks before it
// starts a ledger of its own.
func (r *Run) Claim(ctx context.Context) error {
	leftovers, err := r.leftovers()
	if err != nil {
		return err
	}
	return owner.Claim(ctx, r.engine, r.lab, r.vars, leftovers)
}

// Declared are the resources the lab creates, with the run's names.
func (r *Run) Declared() []owner.Resource {
	var out []owner.Resource
	for _, res := range r.lab.Creates {
		out = append(out, owner.Resource{Kind: res.Kind, Name: lab.Expand(res.Name, r.vars)})
	}
	return out
}

// leftovers are the ledgers interrupted runs left on the run's engine;
// one that cannot be read is named, once.
func (r *Run) leftovers() ([]*owner.Ledger, error) {
	leftovers, corrupt, err := owner.Leftovers(owner.LedgerDir(r.stateDir), owner.On(r.engine))
	for _, c := range corrupt {
		r.notice(event.Say("ledger-corrupt", "%s", i18n.In(r.opts.Lang, c)))
	}
	return leftovers, err
}

// Adopt makes the run record what its commands create in l, a ledger
// that outlives it: a guided lab's, which labrun reset releases.
func (r *Run) Adopt(l *owner.Ledger) { r.ledger = l }

// Release removes what the run created and says what it could not; abort,
// when cancelled, stops its waiting early (a second Ctrl-C).
func (r *Run) Release(abort context.Context) {
	if r.isolation != nil {
		defer r.isolation.release()
	}
	if r.ledger == nil || r.ledger.Guide {
		return
	}
	if abort == nil {
		abort = context.Background()
	}
	r.prove(context.WithoutCancel(abort)) // what the last command created, before the watch could say
	released := owner.ReleaseIn(abort, r.engine, r.ledger, r.opts.Timeouts.Cleanup, r.opts.Lang, r.NodeEngines()...)
	for _, u := range released.Untouched {
		r.notice(i18n.Say(r.opts.Lang, "not-removed", u))
	}
	r.sink.Handle(event.Released{Removed: released.Removed, Left: released.Left, LeftSwarm: released.LeftSwarm})
}

// checkTagsFree refuses, before anything is created, a tag the run would
// push that the registry has already: pushing over it would replace an
// image that is not the run's.
func (r *Run) checkTagsFree(ctx context.Context) error {
	for _, s := range r.lab.Steps {
		for _, line := range s.Lines {
			if line.Command() != "whoami-image" || len(line.Words) < line.Cmd+2 {
				continue
			}
			ref := lab.Expand(line.Words[line.Cmd+1], r.vars)
			rctx, cancel := context.WithTimeout(ctx, r.opts.Timeouts.Registry)
			exists, err := registry.Exists(rctx, ref)
			cancel()
			if err != nil {
				return &exit.UsageError{Err: worded(r.opts.Lang, i18n.Errorf("--registry %s: cannot tell whether %s exists there: %v", r.opts.Registry, ref, err))}
			}
			if exists {
				return &exit.UsageError{Err: worded(r.opts.Lang, i18n.Errorf("%s already exists in the registry and this run did not push it; labrun never replaces what is not its own: choose another image name with --set IMAGE=...", ref))}
			}
		}
	}
	return nil
}

// CheckRegistry proves, before anything is created, that the engine can
// reach the images the hub and node flavours pull. It asks the registry
// for their manifests (docker manifest inspect's question), which
// downloads nothing.
func (r *Run) CheckRegistry(ctx context.Context) error {
	var refs []string
	for _, release := range WhoamiReleases(r.lab) {
		switch r.opts.Flavour {
		case images.Hub:
			refs = append(refs, images.HubImage(release))
		case images.Node:
			dockerfile, ok := r.lab.Files["node/"+release+"/Dockerfile"]
			if !ok {
				return exit.Usagef("--images node: lab %s has no node/%s/Dockerfile, so release %s can only be built offline (--images offline)", r.lab.Name, release, release)
			}
			if base := images.BaseImage(dockerfile); base != "" && !slices.Contains(refs, base) {
				refs = append(refs, base)
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeouts.Registry)
	defer cancel()
	for _, ref := range refs {
		if _, err := r.engine.Client.DistributionInspect(ctx, ref, client.DistributionInspectOptions{}); err != nil {
			return exit.Usagef("--images %s needs %s from a registry, and the engine cannot get it: %v\n"+
				"Use --images offline: it builds the images here and needs no registry.", r.opts.Flavour, ref, err)
		}
	}
	return nil
}

// WhoamiReleases returns the releases the lab's whoami-image lines build,
// in order: the images a flavour must be able to provide, and the build
// contexts the guide writes.
func WhoamiReleases(l *lab.Lab) []string {
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

// finish judges a run whose steps returned err (nil: they all passed),
// closes the step in progress and returns the exit code and the error
// the report shows: a failed step carries the engine's diagnostics; a
// failure before any step, or in a preflight step, is the engine's
// (exit 2); an interrupted run is exit 130. ctx is the caller's, runCtx
// the run's own (bounded by --timeout); defects are verify's, said
// before the failure.
func (r *Run) finish(ctx, runCtx context.Context, err error, defects []string) (int, error) {
	if err == nil {
		r.EndStep(event.Pass, nil)
		return exit.Pass, nil
	}
	if ctx.Err() != nil {
		r.EndStep(event.Error, &event.StepError{Step: r.stepID(), Message: i18n.Textf(r.opts.Lang, "interrupted")})
		return exit.Interrupted, i18n.Errorf("interrupted")
	}
	var failure *event.StepError
	if !errors.As(err, &failure) {
		failure = &event.StepError{Step: r.stepID(), Message: i18n.In(r.opts.Lang, err), Cause: err}
	}
	failure.Defects = defects
	timedOut := errors.Is(runCtx.Err(), context.DeadlineExceeded)
	if timedOut {
		failure.Note = i18n.Textf(r.opts.Lang, "(the run's --timeout of %s ran out)", r.opts.Timeouts.Run)
	}
	step := r.current
	result, code := event.Fail, exit.Fail
	if step == nil || step.Preflight {
		result, code = event.Error, exit.Error
	}
	if step != nil && !timedOut {
		failure.Hint = r.Hint(failure)
		if code == exit.Fail {
			failure.Diagnostics = r.Diagnose()
		}
	}
	r.EndStep(result, failure)
	return code, failure
}

func (r *Run) stepID() string {
	if r.current == nil {
		return ""
	}
	return r.current.ID
}

// EndStep closes the step in progress, if any, with its result.
func (r *Run) EndStep(result string, err *event.StepError) {
	if r.current == nil {
		return
	}
	if !r.silent {
		r.sink.Handle(event.StepEnded{ID: r.current.ID, Result: result, Took: time.Since(r.currentSince), Err: err})
	}
	r.current = nil
}

func (r *Run) notice(m event.Message) { r.sink.Handle(event.Notice{Message: m}) }

// Preflight runs the lab's preflight steps silently: they check the
// engine and create nothing. A failure is the engine's: a usage error
// (exit 2), with the step's hint.
func (r *Run) Preflight(ctx context.Context) error {
	r.silent = true
	defer func() { r.silent = false }()
	err := r.Steps(ctx, func(s *lab.Step, _ lab.Line) bool { return s.Preflight }, StepsOptions{})
	r.current = nil
	if err == nil {
		return nil
	}
	var failure *event.StepError
	if errors.As(err, &failure) {
		failure.Hint = r.Hint(failure)
	}
	return err
}

// Hint is what to tell the student about failure, in the run's language:
// the failing line's own text ("## say") when the lab gives one, else the
// step's hint; nothing after a mistake the lab named, whose message is
// the whole answer.
func (r *Run) Hint(failure *event.StepError) string {
	var mistake *labcmd.MistakeError
	if errors.As(failure.Cause, &mistake) {
		return ""
	}
	s := r.lab.Step(failure.Step)
	if s == nil {
		return ""
	}
	if l := s.LineAt(failure.Line); l != nil && failure.File == r.lab.File {
		if say := l.Say.In(r.opts.Lang); say != "" {
			return lab.Expand(say, r.vars)
		}
	}
	return lab.Expand(s.Hint.In(r.opts.Lang), r.vars)
}

// Emit sends a front-end's own event (verify's, the guide's) to the run's
// consumers, beside the run's.
func (r *Run) Emit(e event.Event) { r.sink.Handle(e) }

// Connect connects to the engine for a run of the loaded lab l (Load):
// what Open does after loading, for a front-end that loads once for many
// engines (the classroom).
func Connect(ctx context.Context, opts Options, l *lab.Lab, sink event.Sink) (*Run, error) {
	if sink == nil {
		sink = event.Discard
	}
	e, err := engine.ConnectChoice(ctx, engine.Choice{Host: opts.Host, Context: opts.Context})
	if err != nil {
		return nil, err
	}
	return newRun(opts, l, e, sink)
}

// Resume gives the lab's variables the values a guided lab saved, under
// those --set gives: a student resumes with the names they started with.
func (r *Run) Resume(saved map[string]string) {
	values := maps.Clone(saved)
	if values == nil {
		values = map[string]string{}
	}
	maps.Copy(values, r.opts.Set)
	if r.opts.Fast {
		// The fast values win over saved ones: a test's guide asked for them.
		vals, _ := r.lab.Values(lab.Mode{Set: r.opts.Set, Fast: true})
		for _, v := range r.lab.Vars {
			if v.HasFast {
				values[v.Name] = vals[v.Name]
			}
		}
		maps.Copy(values, r.opts.Set)
	}
	r.vars = r.lab.Defaults(values)
}
