// Package verify is labrun verify: it runs a lab as labrun run does, and
// first proves, before the actions of each step, that the checks of that
// step and of the observation steps after it fail. A check that already
// holds then cannot tell whether the actions were done: a lab defect.
package verify

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/report"
)

// Run verifies the lab opts names: the report, the exit code (1 for a
// defect or a failing step) and, unless it passed, the error.
func Run(ctx context.Context, opts runner.Options) (*report.Run, int, error) {
	return runner.Execute(ctx, opts, Steps)
}

// Steps is verify's body: step by step, the looks before the actions,
// then the step itself. The defects found come back in a
// *runner.DefectsError, with the step failure that ended the run, if any.
func Steps(ctx context.Context, r *runner.Run) error {
	work, err := os.MkdirTemp("", "labrun-verify-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	// The steps' scripts share work as their directory, so that a file one
	// step keeps is there for the next; the lab's own files (-- name --)
	// must be there too, as they are in a run's single script.
	if err := writeLabFiles(work, r.Lab().Files); err != nil {
		return err
	}
	var defects []string
	result := func(err error) error {
		if len(defects) == 0 {
			return err
		}
		return &runner.DefectsError{Defects: defects, Err: err}
	}
	vocab := labcmd.NewVocabulary()
	steps := r.Lab().Steps
	for i, s := range steps {
		r.EndStep(event.Pass, nil) // the step before, which passed
		if len(s.Actions()) > 0 {
			found := look(ctx, r, s, checksAfter(vocab, steps, i), work)
			if ctx.Err() != nil {
				return result(ctx.Err())
			}
			defects = append(defects, found...)
		}
		if err := r.Steps(ctx, lab.InStep(s.ID, lab.All), runner.StepsOptions{Dir: work}); err != nil {
			return result(err)
		}
	}
	return result(nil)
}

// target is a check that must fail before a step's actions.
type target struct {
	line  lab.Line
	owner *lab.Step
}

// checksAfter returns the checks of step i and of the observation steps
// after it (up to the next step with actions). testscript's builtins
// (stdout, cmp) assert on what commands printed, not on the engine: they
// are not checks of the state. What a step keeps may hold before it, by
// design.
func checksAfter(vocab labcmd.Vocabulary, steps []*lab.Step, i int) []target {
	var targets []target
	for _, t := range steps[i:] {
		if t != steps[i] && len(t.Actions()) > 0 {
			break
		}
		for _, l := range t.Checks() {
			if c := vocab[l.Command()]; c != nil && c.Observe != nil && !l.Keeps {
				targets = append(targets, target{l, t})
			}
		}
	}
	return targets
}

// look runs each target check once, without waiting, on the state before
// step's actions, and returns those that hold, as defects. A check that
// holds on an image an earlier run kept (--keep-images) proves nothing of
// the lab: the proof is not possible there, and look says so and why
// rather than blame the lab.
func look(ctx context.Context, r *runner.Run, step *lab.Step, targets []target, work string) []string {
	var defects, kept []string
	for _, t := range targets {
		num := t.line.Num
		err := r.Steps(ctx, func(_ *lab.Step, l lab.Line) bool { return l.Num == num }, runner.StepsOptions{Dir: work, Look: true})
		if ctx.Err() != nil {
			return defects
		}
		if err != nil {
			continue
		}
		if images := keptImages(ctx, r, t.line); len(images) > 0 {
			for _, img := range images {
				if !slices.Contains(kept, img) {
					kept = append(kept, img)
				}
			}
			continue
		}
		defects = append(defects, i18n.Textf(r.Lang(), "%s:%d: %s (step %s) already holds before the actions of step %s: it cannot tell whether they were done",
			r.Lab().File, t.line.Num, t.line.Text, t.owner.ID, step.ID))
	}
	if len(kept) > 0 {
		r.Emit(event.Notice{Message: i18n.Say(r.Lang(), "kept-images", step.ID, strings.Join(kept, ", "))})
	}
	if len(defects) == 0 && len(kept) == 0 {
		r.Emit(event.Proved{Step: step.ID, Checks: len(targets)})
	}
	for _, d := range defects {
		r.Emit(event.Defect{Message: event.Message{ID: "check-holds-before", Text: d}})
	}
	return defects
}

// keptImages returns the images a check line names that an earlier run
// of labrun made and kept (their labrun.run label is another run's):
// with them there, the state before the step that makes them cannot be
// shown.
func keptImages(ctx context.Context, r *runner.Run, l lab.Line) []string {
	e := r.Engine()
	if e == nil {
		return nil
	}
	vars := r.Vars()
	var kept []string
	for _, w := range l.Words[l.Cmd+1:] {
		ref := os.Expand(w, func(name string) string { return vars[name] })
		if !strings.Contains(ref, ":") {
			continue // the images of the labs are named with their tag
		}
		img, err := e.Client.ImageInspect(ctx, ref)
		if err != nil || img.Config == nil {
			continue
		}
		if run := img.Config.Labels["labrun.run"]; run != "" && run != r.ID() {
			kept = append(kept, ref)
		}
	}
	return kept
}

// writeLabFiles writes a lab's files under dir.
func writeLabFiles(dir string, files map[string][]byte) error {
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return err
		}
	}
	return nil
}
