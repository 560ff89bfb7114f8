package runner

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/labrun/labrun/runner/report"
)

// Repeat runs a lab n times, one after the other, each run as clean as a
// single one (it removes what it created before the next starts), and sums
// them up per step: how many runs passed it and the spread of its
// duration, so that an instructor sees a flaky step. The report is that of
// the first failing run, or of the last, with the whole series' result,
// duration, notices and leftovers, and the summary in Repeat. The exit code
// is 0 only when every run passed. An environment error (exit 2) or an
// interruption stops the series: the next runs would meet the same.
// Repeat of one run is Run.
func Repeat(ctx context.Context, opts Options, n int) (*report.Run, int, error) {
	if n == 1 {
		return Run(ctx, opts)
	}
	if n < 1 {
		return &report.Run{Lab: opts.Lab, Result: report.Error, Started: time.Now(), Steps: []*report.Step{}},
			ExitError, flagErrorf("--repeat %d: want 1 or more runs", n)
	}
	var term *report.Terminal
	if opts.Out != nil {
		term = report.NewTerminal(opts.Out)
	}
	var (
		runs    []*report.Run
		shown   *report.Run
		shownAt int
		code    = ExitPass
		err     error
	)
	for i := 1; i <= n; i++ {
		if term != nil {
			term.RepeatStarted(i, n)
		}
		rep, c, e := Run(ctx, opts)
		runs = append(runs, rep)
		if shown == nil || shown.Result == report.Pass {
			shown, shownAt = rep, i
		}
		if c != ExitPass && code == ExitPass || c == ExitError || c == ExitInterrupted {
			code, err = c, e
		}
		if c == ExitError || c == ExitInterrupted {
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
		all.Error = fmt.Sprintf("run %d/%d: %s", shownAt, n, all.Error)
	}
	// The series' result is its exit code's: a later run's environment
	// error or interruption outweighs the failure of the run shown.
	switch code {
	case ExitPass:
		all.Result = report.Pass
	case ExitFail:
		all.Result = report.Fail
	default:
		all.Result = report.Error
		if err != nil && all.Error == "" {
			all.Error = err.Error()
		}
	}
	return &all, code, err
}
