// Package repeat is --repeat N: a lab run N times in a row, each run as
// clean as a single one, summed up per step so that an instructor sees a
// flaky step.
package repeat

import (
	"context"
	"slices"
	"time"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/buildinfo"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/report"
)

// Once is one whole run of a lab.
type Once func(ctx context.Context, opts runner.Options) (*report.Run, int, error)

// Run runs a lab n times, one after the other, each run as clean as a
// single one (it removes what it created before the next starts), and sums
// them up per step: how many runs passed it and the spread of its
// duration, so that an instructor sees a flaky step. The report is that of
// the first failing run, or of the last, with the whole series' result,
// duration, notices and leftovers, and the summary in Repeat. The exit code
// is 0 only when every run passed. An environment error (exit 2) or an
// interruption stops the series: the next runs would meet the same.
// Run of one run is once. once is a whole run: runner.Execute with its
// body (labrun run's or verify's).
func Run(ctx context.Context, opts runner.Options, n int, once Once) (*report.Run, int, error) {
	if n == 1 {
		return once(ctx, opts)
	}
	if n < 1 {
		return &report.Run{Lab: opts.Lab, Result: report.Error, Started: time.Now(), Steps: []*report.Step{}, Labrun: buildinfo.Current(), Lang: opts.Lang},
			exit.Error, exit.Flagf("--repeat %d: want 1 or more runs", n)
	}
	var term *report.Terminal
	if opts.Out != nil {
		term = report.NewTerminal(opts.Out)
		term.Lang = opts.Lang
	}
	var (
		runs    []*report.Run
		shown   *report.Run
		shownAt int
		code    = exit.Pass
		err     error
	)
	for i := 1; i <= n; i++ {
		if term != nil {
			term.Handle(event.RepeatStarted{Run: i, Of: n})
		}
		rep, c, e := once(ctx, opts)
		runs = append(runs, rep)
		if shown == nil || shown.Result == report.Pass {
			shown, shownAt = rep, i
		}
		if c != exit.Pass && code == exit.Pass || c == exit.Error || c == exit.Interrupted {
			code, err = c, e
		}
		if c == exit.Error || c == exit.Interrupted {
			break
		}
	}
	sum := report.Aggregate(runs)
	if term != nil {
		term.RepeatEnded(shown.Lab, sum)
	}
	all := *shown
	all.Repeat = sum
	all.Started = runs[0].Started
	all.Duration, all.Notices, all.Leftovers = 0, nil, nil
	for _, r := range runs {
		all.Duration += r.Duration
		for _, msg := range r.Notices {
			if !slices.Contains(all.Notices, msg) {
				all.Notices = append(all.Notices, msg)
			}
		}
		all.Leftovers = append(all.Leftovers, r.Leftovers...)
	}
	if all.Error != "" {
		// The run's error is worded already (the report's builder):
		// only the series' words are added, in the same language.
		all.Error = i18n.Textf(opts.Lang, "run %d/%d: %s", shownAt, n, all.Error)
	}
	// The series' result is its exit code's: a later run's environment
	// error or interruption outweighs the failure of the run shown.
	switch code {
	case exit.Pass:
		all.Result = report.Pass
	case exit.Fail:
		all.Result = report.Fail
	default:
		all.Result = report.Error
		if err != nil && all.Error == "" {
			all.Error = i18n.In(opts.Lang, err)
		}
	}
	return &all, code, err
}
