// Package guide is labrun guide, check and reset: a student follows a
// lab and types its commands; labrun checks each step against the
// engine, and remembers the progress between sessions.
package guide

import (
	"archive/tar"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mattn/go-isatty"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/owner"
	"github.com/labrun/labrun/runner/report"
)

// Options are the choices of labrun guide, check and reset: a student
// follows a lab and types its commands; labrun only checks.
type Options struct {
	Lab         string
	Step        string // labrun check: the step to check; empty: the next unfinished
	Dir         string // labrun guide: where the lab's files go; empty: ./LAB
	Set         map[string]string
	Flavour     string
	PublishMode string
	Lang        string
	Host        string
	Context     string // a docker CLI context, instead of Host
	// Nodes is a nodes file (--nodes FILE): the engine of each node,
	// where r puts the images.
	Nodes string
	// Fast gives the lab's variables their fast values: tests only.
	Fast     bool
	StateDir string
	In       io.Reader
	Out      io.Writer
	// Trust is asked before a lab file given by path is used (runner.Options.Trust).
	Trust func(notice string) error
	// Events is one more consumer of the guide's events (the class
	// board); nil: none.
	Events event.Sink
}

// tutor is a lab followed by a student on one engine.
type tutor struct {
	run     *runner.Run
	lab     *lab.Lab
	lang    string
	flavour string
	// corrupt is the progress file reset found unreadable, and removes.
	corrupt  *CorruptError
	term     *report.Terminal
	progress progress
	store    store  // the progress file
	work     string // where files the checks keep (cp stdout FILE) persist
	ledger   *owner.Ledger
}

// How a tutor claims the lab's resources the first time.
const (
	claimNone     = iota // reset: only find the ledger
	claimIfFree          // check: claim what is free; checking touches nothing
	claimOrRefuse        // guide: the resources must be free, as for a run
)

// openTutor loads the lab and the student's progress on the engine. A lab
// started for the first time claims its resources, as a run does, so that
// labrun reset removes them later.
func openTutor(ctx context.Context, o Options, noWait bool, claim int) (*tutor, error) {
	opts := runner.Options{Lab: o.Lab, Set: o.Set, Flavour: o.Flavour, PublishMode: o.PublishMode, Lang: o.Lang,
		StateDir: o.StateDir, Host: o.Host, Context: o.Context, Nodes: o.Nodes, NoWait: noWait, Fast: o.Fast, Trust: o.Trust}
	var term *report.Terminal
	var notices event.Sink = event.Discard
	if o.Out != nil {
		term = report.NewTerminal(o.Out)
		term.Lang = o.Lang
		term.Paragraphs = true
		notices = runner.NoticesOnly(term)
	}
	l, err := runner.Load(&opts, notices)
	if err != nil {
		return nil, err
	}
	if opts.Flavour == images.Hub {
		return nil, exit.Flagf("--images hub: a guided lab builds its images from files it writes; use offline or node")
	}
	t := &tutor{lab: l, lang: opts.Lang, flavour: opts.Flavour, term: term}
	// The student sees what the checks do and what labrun notices; the
	// step headings and results are the guide's own.
	shown := event.Func(func(e event.Event) {
		switch e.(type) {
		case event.CommandDone, event.Waiting, event.Notice:
			if t.term != nil {
				t.term.Handle(e)
			}
		}
	})
	r, err := runner.Connect(ctx, opts, l, event.Fan{shown, o.Events})
	if err != nil {
		return nil, err
	}
	t.run = r
	key := progressKey(l.Name, r.Engine())
	dir := filepath.Join(r.StateDir(), "guide")
	t.store = store{path: filepath.Join(dir, key+".json")}
	t.work = filepath.Join(dir, key)
	carryOver(t.store, filepath.Join(dir, oldProgressKey(l.Name, r.Engine())+".json"))
	if t.progress, err = t.store.load(); err != nil {
		var corrupt *CorruptError
		if claim != claimNone || !errors.As(err, &corrupt) {
			r.Close()
			if errors.As(err, &corrupt) {
				return nil, i18n.Errorf("%v: labrun reset %s removes it and starts over", err, l.Name)
			}
			return nil, err
		}
		// reset: say what is wrong, then recover: the file goes, and
		// the ledger is found by the lab and engine it names.
		t.corrupt = corrupt
	}
	r.Resume(t.progress.Vars)
	if err := t.openLedger(ctx, claim); err != nil {
		r.Close()
		return nil, err
	}
	if t.ledger != nil {
		r.Adopt(t.ledger)
	}
	return t, nil
}

// openLedger finds the lab's ledger, or starts one as claim says.
func (t *tutor) openLedger(ctx context.Context, claim int) error {
	runs := owner.LedgerDir(t.run.StateDir())
	if t.progress.Ledger != "" {
		all, corrupt, err := owner.All(runs)
		if err != nil {
			return err
		}
		for _, c := range corrupt {
			if t.term != nil {
				t.term.Handle(event.Notice{Message: event.Say("ledger-corrupt", "%s", i18n.In(t.lang, c))})
			}
		}
		for _, l := range all {
			if l.ID == t.progress.Ledger {
				t.ledger = l
				if claim == claimNone {
					return nil
				}
				// On a multi-node swarm the checks read a task's
				// container through its node's engine: find the
				// engines again. Whether every node can get the
				// images was said when the lab was started; a wrong
				// --nodes file is still an error.
				var noImages *runner.NodesWithoutImagesError
				if err := t.run.PlaceImages(ctx); err != nil && !errors.As(err, &noImages) {
					return err
				}
				return nil
			}
		}
	}
	if claim == claimNone {
		return nil
	}
	e, resources := t.run.Engine(), t.run.Declared()
	err := t.run.PlaceImages(ctx)
	if err == nil {
		err = t.run.Claim(ctx)
	}
	if err == nil {
		if err = owner.CheckGuideClaims(ctx, e, resources); err != nil {
			err = &exit.UsageError{Err: err}
		}
	}
	if err != nil {
		if claim == claimIfFree {
			return nil // the student's own: checked, never removed
		}
		return err
	}
	mine, err := owner.CreateGuide(runs, t.lab.Name, e, resources)
	if err != nil {
		return err
	}
	t.ledger = mine
	if err := t.save(func(p *progress) {
		if p.Ledger == "" {
			p.Ledger = mine.ID
		}
	}); err != nil {
		return err
	}
	if t.progress.Ledger != mine.ID {
		// Another labrun of this student's (check beside guide) started
		// the lab's ledger first: keep one, theirs.
		mine.Close()
		t.ledger = nil
		return t.openLedger(ctx, claimNone)
	}
	return owner.PlaceGuideClaim(ctx, e, mine)
}

// save applies change to the progress as the file holds it now (another
// labrun of the student's may have marked steps since this one read it),
// with the variables of this run, and keeps the result.
func (t *tutor) save(change func(*progress)) error {
	vars := t.run.Vars()
	p, err := t.store.update(func(p *progress) {
		change(p)
		p.Vars = map[string]string{}
		for _, v := range t.lab.Vars {
			p.Vars[v.Name] = vars[v.Name]
		}
	})
	if err != nil {
		return err
	}
	t.progress = p
	return nil
}

// next returns the first step that does not count as done, nil when all
// do, as the file holds the progress now.
func (t *tutor) next() *lab.Step {
	if p, err := t.store.load(); err == nil {
		t.progress = p
	}
	return t.progress.next(t.lab)
}

// runStep runs the lines of step that keep selects, in the student's work
// directory, and returns the failure, if any, without its file:line: the
// student needs what differs, the lab's author the line.
func (t *tutor) runStep(ctx context.Context, s *lab.Step, keep lab.Selector) error {
	if err := os.MkdirAll(t.work, 0o700); err != nil {
		return err
	}
	err := t.run.Steps(ctx, lab.InStep(s.ID, keep), runner.StepsOptions{Dir: t.work})
	var failure *event.StepError
	switch {
	case err == nil:
		t.run.EndStep(event.Pass, nil)
		return nil
	case errors.As(err, &failure):
		t.run.EndStep(event.Fail, failure)
		return studentError{failure}
	}
	t.run.EndStep(event.Error, nil)
	return err
}

// segments cuts a step's lines, in the lab's order, into runs of actions
// each followed by the checks after them: the checks say when the
// actions before them are done (a removed service's containers gone
// before its images are removed). The preparing actions are left out:
// the guide ran them before showing the step.
func segments(s *lab.Step) [][]lab.Line {
	var out [][]lab.Line
	var cur []lab.Line
	for _, l := range s.Lines {
		if l.Prepares || l.Mistake {
			continue
		}
		if l.Role == lab.Action && len(cur) > 0 && cur[len(cur)-1].Role == lab.Check {
			out, cur = append(out, cur), nil
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// only selects the given lines of step s.
func only(s *lab.Step, lines []lab.Line, role lab.Role) lab.Selector {
	return func(st *lab.Step, l lab.Line) bool {
		if st.ID != s.ID || role != 0 && l.Role != role {
			return false
		}
		for _, want := range lines {
			if want.Num == l.Num {
				return true
			}
		}
		return false
	}
}

// solve runs step s's solution as a run does: each run of actions, then
// the checks that follow it, waiting as they wait. A run of actions
// whose checks already hold is not run again, so that r after a partial
// failure goes on where it stopped (the service already removed, its
// images not yet).
func (t *tutor) solve(ctx context.Context, s *lab.Step) error {
	if err := os.MkdirAll(t.work, 0o700); err != nil {
		return err
	}
	// The solution runs where a run runs it: beside the lab's files
	// (docker secret create NAME secret.txt), which a run's script has
	// and the guide's work directory must have too.
	for name, data := range t.lab.Files {
		if strings.HasPrefix(name, "node/") || strings.Contains(name, "..") || filepath.IsAbs(name) {
			continue // build contexts go to the student's directory
		}
		path := filepath.Join(t.work, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return err
		}
	}
	for _, seg := range segments(s) {
		hasChecks := slices.ContainsFunc(seg, func(l lab.Line) bool { return l.Role == lab.Check })
		if hasChecks {
			err := t.run.Steps(ctx, only(s, seg, lab.Check), runner.StepsOptions{Dir: t.work, Look: true})
			t.run.EndStep(event.Pass, nil)
			if err == nil {
				continue // done already: by an earlier r, or by the student
			}
		}
		if err := t.runStep(ctx, s, only(s, seg, 0)); err != nil {
			return err
		}
	}
	return nil
}

// look runs the step's checks once each, without waiting and without
// showing them, and returns what differs.
func (t *tutor) look(ctx context.Context, s *lab.Step) error {
	if err := os.MkdirAll(t.work, 0o700); err != nil {
		return err
	}
	err := t.run.Steps(ctx, lab.InStep(s.ID, lab.ChecksOnly), runner.StepsOptions{Dir: t.work, Look: true})
	t.run.EndStep(event.Pass, nil)
	return err
}

// check runs the step's checks and records the step as done when they hold.
func (t *tutor) check(ctx context.Context, s *lab.Step) error {
	err := t.runStep(ctx, s, lab.ChecksOnly)
	t.run.Emit(event.CheckAttempt{Step: s.ID, Err: asStepError(err, t.lang)})
	if err != nil {
		return err
	}
	return t.save(func(p *progress) { p.mark(t.lab, s) })
}

// Check checks one step of a guided lab against the engine as it is:
// exit 0 when it holds, 1 when not yet (with what differs and the hint),
// 2 on error.
func Check(ctx context.Context, o Options) (int, error) {
	t, err := openTutor(ctx, o, true, claimIfFree)
	if err != nil {
		return exit.Error, err
	}
	defer t.run.Close()
	s := t.next()
	if o.Step != "" {
		if s = t.lab.Step(o.Step); s == nil {
			return exit.Error, exit.Flagf("lab %s has no step %q (its steps: %s)", t.lab.Name, o.Step, stepIDs(t.lab))
		}
	}
	if s == nil {
		fmt.Fprint(o.Out, i18n.Text(t.lang, "guide-all-done", t.lab.Name)+"\n")
		return exit.Pass, nil
	}
	// A step checked before an earlier one is done does not count yet:
	// say which step the student still has to do.
	before := t.progress.next(t.lab)
	if before != nil && before.Num >= s.Num {
		before = nil
	}
	if err := t.check(ctx, s); err != nil {
		paragraph(o.Out, "✗ ", i18n.Textf(t.lang, "%s: %v", s.ID, err))
		if hint := t.hint(s, err); hint != "" {
			paragraph(o.Out, "", i18n.Text(t.lang, "guide-hint")+" "+hint)
		}
		if before != nil {
			fmt.Fprint(o.Out, i18n.Text(t.lang, "guide-still-to-do", before.Num, len(t.lab.Steps), before.ID)+"\n")
		}
		return exit.Fail, nil
	}
	fmt.Fprintf(o.Out, "✓ %s\n", s.ID)
	if before != nil {
		fmt.Fprint(o.Out, i18n.Text(t.lang, "guide-still-to-do", before.Num, len(t.lab.Steps), before.ID)+"\n")
	}
	return exit.Pass, nil
}

func stepIDs(l *lab.Lab) string {
	ids := make([]string, len(l.Steps))
	for i, s := range l.Steps {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}

// Reset forgets a guided lab's progress and removes what the lab created.
func Reset(ctx context.Context, o Options) (int, error) {
	t, err := openTutor(ctx, o, true, claimNone)
	if err != nil {
		return exit.Error, err
	}
	defer t.run.Close()
	ledgers := []*owner.Ledger{}
	if t.ledger != nil {
		ledgers = append(ledgers, t.ledger)
	}
	if t.corrupt != nil {
		// The file that named the ledger is unreadable: the lab's guide
		// ledgers for this engine in this state directory are the ones
		// it named, since only this student's labrun writes here.
		fmt.Fprint(o.Out, i18n.Text(t.lang, "guide-corrupt", t.corrupt)+"\n")
		found, err := owner.Guides(owner.LedgerDir(t.run.StateDir()), t.lab.Name, t.run.Engine())
		if err != nil {
			return exit.Error, err
		}
		ledgers = append(ledgers, found...)
	}
	if len(ledgers) == 0 && t.progress.Ledger == "" && t.corrupt == nil {
		fmt.Fprint(o.Out, i18n.Text(t.lang, "guide-nothing-to-reset", t.lab.Name)+"\n")
		return exit.Pass, nil
	}
	code := exit.Pass
	for _, ledger := range ledgers {
		// The student asks to remove the lab's objects: those created since
		// they started the lab, under the names it claimed for them.
		owner.ProveCreated(ctx, t.run.Engine(), ledger)
		released := owner.ReleaseIn(ctx, t.run.Engine(), ledger, t.run.Timeouts().Cleanup, t.lang, t.run.NodeEngines()...)
		for _, r := range released.Removed {
			fmt.Fprintf(o.Out, "  %s %s\n", i18n.Text(t.lang, "guide-removed"), r)
		}
		for _, u := range released.Untouched {
			fmt.Fprintf(o.Out, "  %s %s\n", i18n.Text(t.lang, "guide-untouched"), u)
		}
		for _, l := range released.Left {
			fmt.Fprintf(o.Out, "  %s %s\n", i18n.Text(t.lang, "guide-left"), l)
			code = exit.Fail
		}
	}
	if code == exit.Pass {
		if err := t.store.remove(); err != nil {
			return exit.Error, err
		}
		os.RemoveAll(t.work)
		fmt.Fprint(o.Out, i18n.Text(t.lang, "guide-reset", t.lab.Name)+"\n")
	}
	return code, nil
}

// Run walks a student through a lab: for each step it shows the text and
// the commands to type, then reads a key per line: Enter checks, h shows
// the hint, s the solution, r runs the solution, q quits. Progress is
// saved, so that the next guide resumes at the first unfinished step.
func Run(ctx context.Context, o Options) (int, error) {
	t, err := openTutor(ctx, o, false, claimOrRefuse)
	if err != nil {
		return exit.Error, err
	}
	defer t.run.Close()
	dir := o.Dir
	if dir == "" {
		dir = t.lab.Name
	}
	written, err := t.writeFiles(dir)
	if err != nil {
		return exit.Error, err
	}
	out := o.Out
	paragraph(out, "", t.lab.Title.In(t.lang))
	fmt.Fprintln(out)
	paragraph(out, "", t.lab.Text.In(t.lang))
	fmt.Fprintln(out)
	fmt.Fprint(out, i18n.Text(t.lang, "guide-written", dir, strings.Join(written, ", "))+"\n\n")
	in := bufio.NewScanner(o.In)
	// Typed keys echo on a terminal; from a pipe, end the prompt's line.
	echo := ""
	if f, ok := o.In.(*os.File); !ok || !isatty.IsTerminal(f.Fd()) {
		echo = "\n"
	}
	if s := t.next(); s != nil && t.progress.started(t.lab) {
		fmt.Fprint(out, i18n.Text(t.lang, "guide-resuming", s.Num, len(t.lab.Steps), s.ID)+"\n")
	}
	for s := t.next(); s != nil; s = t.next() {
		if slices.Contains(t.progress.Ahead, s.ID) {
			// Marked done before the steps ahead of it were: the engine may
			// have changed since. Look once, now, without waiting.
			if t.look(ctx, s) == nil {
				if err := t.save(func(p *progress) { p.mark(t.lab, s) }); err != nil {
					return exit.Error, err
				}
				t.term.Text(fmt.Sprintf("✓ [%d/%d] %s: %s", s.Num, len(t.lab.Steps), s.ID, i18n.Text(t.lang, "guide-still-holds")))
				continue
			}
			if err := t.save(func(p *progress) { p.unmark(s.ID) }); err != nil {
				return exit.Error, err
			}
		}
		if err := t.prepare(ctx, s); err != nil {
			return exit.Error, err
		}
		t.show(ctx, s)
		t.run.Emit(event.StepShown{Step: s.ID})
		for !t.progress.counts(s.ID) {
			fmt.Fprint(out, i18n.Text(t.lang, "guide-prompt"))
			if !in.Scan() {
				fmt.Fprint(out, "\n"+i18n.Text(t.lang, "guide-saved", t.lab.Name, s.ID)+"\n")
				return exit.Pass, nil
			}
			fmt.Fprint(out, echo)
			if ctx.Err() != nil {
				return exit.Interrupted, ctx.Err()
			}
			switch key := strings.TrimSpace(in.Text()); key {
			case "", "c":
				t.tryCheck(ctx, s)
			case "h":
				t.run.Emit(event.HintShown{Step: s.ID})
				paragraph(out, "  ", i18n.Text(t.lang, "guide-hint")+" "+lab.Expand(s.Hint.In(t.lang), t.run.Vars()))
			case "s":
				t.run.Emit(event.SolutionShown{Step: s.ID})
				t.showSolution(s)
			case "r":
				t.run.Emit(event.SolutionRun{Step: s.ID})
				fmt.Fprintf(out, "  %s\n", i18n.Text(t.lang, "guide-running"))
				if err := t.solve(ctx, s); err != nil {
					paragraph(out, "  ✗ ", i18n.In(t.lang, err))
					if hint := t.hint(s, err); hint != "" {
						paragraph(out, "  ", i18n.Text(t.lang, "guide-hint")+" "+hint)
					}
					continue
				}
				t.tryCheck(ctx, s)
			case "q":
				t.run.Emit(event.Quit{Step: s.ID})
				fmt.Fprint(out, i18n.Text(t.lang, "guide-saved", t.lab.Name, s.ID)+"\n")
				return exit.Pass, nil
			default:
				fmt.Fprintf(out, "  %s\n", i18n.Text(t.lang, "guide-keys"))
			}
		}
	}
	fmt.Fprint(out, "\n"+i18n.Text(t.lang, "guide-all-done", t.lab.Name)+"\n")
	return exit.Pass, nil
}

// prepare runs the step's preparing actions, whose results its
// instructions show (the --publish value that works on this engine).
func (t *tutor) prepare(ctx context.Context, s *lab.Step) error {
	for _, l := range s.Lines {
		if l.Prepares {
			return t.runStep(ctx, s, lab.Preparing)
		}
	}
	return nil
}

// show prints a step: its title, its text, the commands to type, and on
// a swarm of several nodes what that changes for them.
func (t *tutor) show(ctx context.Context, s *lab.Step) {
	out := t.term
	out.Heading(s.Num, len(t.lab.Steps), s.ID, s.Title.In(t.lang))
	if text := s.Text.In(t.lang); text != "" {
		out.Paragraph("  ", lab.Expand(text, t.run.Vars()))
	}
	if len(s.Type) > 0 {
		out.Text("  " + i18n.Text(t.lang, "guide-type-this"))
		var notes []string
		for _, c := range s.Type {
			typed, note := t.aimed(ctx, lab.Expand(c, t.run.Vars()))
			out.Text("    $ " + typed)
			if note != "" && !slices.Contains(notes, note) {
				notes = append(notes, note)
			}
		}
		for _, n := range notes {
			out.Paragraph("  ", n)
		}
	} else {
		out.Text("  " + i18n.Text(t.lang, "guide-nothing-to-type"))
	}
	if advice := t.imagesAdvice(ctx, s); len(advice) > 0 {
		out.Paragraph("  ", advice[0])
		for _, a := range advice[1 : len(advice)-1] {
			if strings.HasPrefix(a, "$ ") {
				out.Text("    " + a)
			} else {
				out.Paragraph("    ", a)
			}
		}
		out.Paragraph("  ", advice[len(advice)-1])
	}
}

func (t *tutor) showSolution(s *lab.Step) {
	t.term.Text("  " + i18n.Text(t.lang, "guide-solution"))
	vocab := labcmd.NewVocabulary()
	vars := t.run.Vars()
	for _, l := range s.Actions() {
		if c := vocab[l.Command()]; l.Prepares || c != nil && c.Kind == labcmd.Builtin && c.Name != "exec" {
			continue // not something one types: a value worked out, or an assertion
		}
		text := lab.Expand(l.Text, vars)
		if strings.HasPrefix(text, "exec ") {
			t.term.Text("    $ " + strings.TrimPrefix(text, "exec "))
		} else {
			t.term.Text("    labrun: " + text)
		}
	}
}

func (t *tutor) tryCheck(ctx context.Context, s *lab.Step) {
	if err := t.check(ctx, s); err != nil {
		t.term.Paragraph("  ✗ ", i18n.Text(t.lang, "guide-not-yet")+" "+i18n.In(t.lang, err))
		if hint := t.hint(s, err); hint != "" {
			t.term.Paragraph("  ", i18n.Text(t.lang, "guide-hint")+" "+hint)
		}
		return
	}
	t.term.Text("  ✓ " + i18n.Text(t.lang, "guide-step-done"))
}

// writeFiles writes, as the tutorial has students do, the lab's files into
// dir: the tutorial's own files, and the build context of each release for
// the chosen flavour (1.0/, 2.0/), from which the student builds the images.
func (t *tutor) writeFiles(dir string) ([]string, error) {
	var written []string
	for _, release := range runner.WhoamiReleases(t.lab) {
		target := filepath.Join(dir, release)
		if err := os.MkdirAll(target, 0o755); err != nil {
			return nil, err
		}
		switch t.flavour {
		case images.Node:
			prefix := "node/" + release + "/"
			for name, data := range t.lab.Files {
				if strings.HasPrefix(name, prefix) {
					if err := os.WriteFile(filepath.Join(target, strings.TrimPrefix(name, prefix)), data, 0o644); err != nil {
						return nil, err
					}
				}
			}
		default:
			ctxTar, err := images.OfflineContext(release, t.run.Engine().Arch)
			if err != nil {
				return nil, err
			}
			if err := untar(ctxTar, target); err != nil {
				return nil, err
			}
		}
		written = append(written, release+"/")
	}
	// The tutorial's own files, as it asks students to create them.
	for _, name := range []string{"index.js", "package.json", "Dockerfile"} {
		if data, ok := t.lab.Files["node/1.0/"+name]; ok {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				return nil, err
			}
			written = append(written, name)
		}
	}
	return written, nil
}

// untar writes a tar stream's regular files into dir.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Join(dir, filepath.Clean("/"+h.Name))
		if h.Typeflag != tar.TypeReg {
			continue
		}
		f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode)&0o755)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, tr)
		f.Close()
		if err != nil {
			return err
		}
	}
}

// studentError is a step's failure as a student reads it: what differs,
// without the lab file's line, which is for the lab's author.
type studentError struct{ *event.StepError }

func (e studentError) Error() string { return e.Message }

// In is the failure as the student reads it, already in the guide's
// language: without it, the catalogue would word the whole StepError,
// file and line included.
func (e studentError) In(string) string { return e.Message }

func (e studentError) Unwrap() error { return e.StepError }

// hint is what to tell the student about err at step s: about the line
// that failed when the lab says something of it, else the step's hint.
func (t *tutor) hint(s *lab.Step, err error) string {
	var failure *event.StepError
	if errors.As(err, &failure) {
		return t.run.Hint(failure)
	}
	return lab.Expand(s.Hint.In(t.lang), t.run.Vars())
}

// asStepError is err as a step's typed failure, nil when err is nil; an
// error that is not one already is worded in lang.
func asStepError(err error, lang string) *event.StepError {
	if err == nil {
		return nil
	}
	var failure *event.StepError
	if errors.As(err, &failure) {
		return failure
	}
	return &event.StepError{Message: i18n.In(lang, err), Cause: err}
}

// paragraph writes text to out as one paragraph wrapped at the width of
// out's terminal (80 off one) between words, after first, its further
// lines indented as far: a word cut at the terminal's edge reads as two.
func paragraph(out io.Writer, first, text string) {
	rest := strings.Repeat(" ", len([]rune(first)))
	fmt.Fprintln(out, lab.Wrap(report.Printable(text), report.Width(out), first, rest))
}
