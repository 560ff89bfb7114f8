package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/report"
)

// verifySteps runs the lab as a run does, but first proves, for every step
// with actions, that its checks and those of the observation steps after
// it fail on the state before the actions: a check that already holds
// then cannot tell whether the actions were done, and is a lab defect. It
// returns the defects found, and whether and where the run failed.
func (r *run) verifySteps(ctx context.Context) (defects []string, failed bool, failure error) {
	work, err := os.MkdirTemp("", "labrun-verify-")
	if err != nil {
		return nil, true, err
	}
	defer os.RemoveAll(work)
	// The steps' scripts share work as their directory, so that a file one
	// step keeps is there for the next; the lab's own files (-- name --)
	// must be there too, as they are in a run's single script.
	if err := writeLabFiles(work, r.lab.Files); err != nil {
		return nil, true, err
	}
	vocab := labcmd.NewVocabulary()
	steps := r.lab.Steps
	for i, s := range steps {
		r.endStep(report.Pass, nil) // the step before, which passed
		if len(s.Actions()) > 0 {
			var targets []lab.Line
			var owners []*lab.Step
			for _, t := range steps[i:] {
				if t != s && len(t.Actions()) > 0 {
					break
				}
				for _, l := range t.Checks() {
					// testscript's builtins (stdout, cmp) assert on what
					// commands printed, not on the engine: they are not
					// checks of the state. What a step keeps may hold
					// before it, by design.
					if c := vocab[l.Command()]; c != nil && c.Observe != nil && !l.Keeps {
						targets = append(targets, l)
						owners = append(owners, t)
					}
				}
			}
			found := r.checkBefore(ctx, s, targets, owners, work)
			if ctx.Err() != nil {
				return defects, true, ctx.Err()
			}
			defects = append(defects, found...)
		}
		if failed, failure := r.runScript(ctx, lab.InStep(s.ID, lab.All), work); failed {
			return defects, true, failure
		}
	}
	return defects, false, nil
}

// checkBefore runs each target check once, without waiting, on the state
// before step's actions, and returns those that hold.
func (r *run) checkBefore(ctx context.Context, step *lab.Step, targets []lab.Line, owners []*lab.Step, work string) []string {
	r.session.Options.NoWait, r.quiet = true, true
	defer func() { r.session.Options.NoWait, r.quiet = false, false }()
	var defects []string
	for i, l := range targets {
		num := l.Num
		failed, _ := r.runScript(ctx, func(_ *lab.Step, l lab.Line) bool { return l.Num == num }, work)
		if ctx.Err() != nil {
			return defects
		}
		if !failed {
			defects = append(defects, fmt.Sprintf("%s:%d: %s (step %s) already holds before the actions of step %s: it cannot tell whether they were done",
				r.lab.File, l.Num, l.Text, owners[i].ID, step.ID))
		}
	}
	if r.term != nil {
		if len(defects) == 0 {
			r.term.Text(fmt.Sprintf("\nverify: before the actions of %s, the %d checks of that step and of the observation steps after it all fail, as they must", step.ID, len(targets)))
		}
		for _, d := range defects {
			r.term.Notice("lab defect: " + d)
		}
	}
	return defects
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
