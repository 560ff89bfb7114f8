package runner

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/report"
)

// Body runs the steps of a prepared run and returns their failure, nil
// when they all passed.
type Body func(ctx context.Context, r *Run) error

// AllSteps is labrun run's body: every line of every step, in order.
func AllSteps(ctx context.Context, r *Run) error {
	return r.Steps(ctx, lab.All, StepsOptions{})
}

// DefectsError is a body's failure that carries lab defects (verify's):
// checks that held before the actions they observe. Err is the step
// failure that came after them, nil when the steps all passed.
type DefectsError struct {
	Defects []string
	Err     error
}

func (e *DefectsError) Error() string {
	if e.Err == nil {
		return strings.Join(e.Defects, "\n")
	}
	return strings.Join(e.Defects, "\n") + "\n" + e.Err.Error()
}

// Unwrap returns the step failure.
func (e *DefectsError) Unwrap() error { return e.Err }

// Execute runs a lab from start to end with body (AllSteps for labrun
// run): open, prepare, body, finish, release. It returns the report,
// made from the run's events, the exit code and, unless the run passed,
// the error. The report is complete whatever happens, so that --json
// always has one. The live view (opts.Out) and opts.Events get every
// event too.
func Execute(ctx context.Context, opts Options, body Body) (*report.Run, int, error) {
	b := report.NewBuilderIn(opts.Lab, opts.Lang)
	events := event.Fan{b, NewTerminal(opts.Out, opts.Verbose, opts.Lang), opts.Events}
	end := func(code int, err error) (*report.Run, int, error) {
		events.Handle(event.RunEnded{Lab: opts.Lab, Result: ResultOf(code), Err: err})
		if b.Report().ErrorOf() == nil {
			return b.Report(), code, nil
		}
		// The error itself, not its English text: the command line words
		// it in the run's language (runner/i18n).
		return b.Report(), code, err
	}
	r, err := Open(ctx, opts, events)
	if err != nil {
		return end(exit.Error, err)
	}
	defer r.Close()
	if err := r.Prepare(ctx); err != nil {
		r.Release(opts.Abort)
		return end(exit.Error, err)
	}
	code, err := r.Do(ctx, body)
	r.Release(opts.Abort)
	return end(code, err)
}

// Do runs body on the prepared run, bounded by --timeout, and judges how
// it ended.
func (r *Run) Do(ctx context.Context, body Body) (int, error) {
	runCtx, cancel := context.WithCancel(ctx)
	if r.opts.Timeouts.Run > 0 {
		runCtx, cancel = context.WithTimeout(ctx, r.opts.Timeouts.Run)
	}
	defer cancel()
	err := body(runCtx, r)
	var defects *DefectsError
	if !errors.As(err, &defects) {
		return r.finish(ctx, runCtx, err, nil)
	}
	if defects.Err == nil {
		r.EndStep(event.Pass, nil)
		return exit.Fail, defects
	}
	return r.finish(ctx, runCtx, defects.Err, defects.Defects)
}

// ResultOf is the report's result of an exit code.
func ResultOf(code int) string {
	switch code {
	case exit.Pass:
		return event.Pass
	case exit.Fail:
		return event.Fail
	}
	return event.Error
}

// NewTerminal is the live view of a run on out in lang, nil (no view)
// when out is.
func NewTerminal(out io.Writer, verbose bool, lang string) event.Sink {
	if out == nil {
		return nil
	}
	t := report.NewTerminal(out)
	t.Verbose, t.Lang = verbose, lang
	return t
}

// NoticesOnly passes on to sink only the notices (a lab file from
// elsewhere): for a front-end whose own output says the rest.
func NoticesOnly(sink event.Sink) event.Sink {
	return event.Func(func(e event.Event) {
		if n, ok := e.(event.Notice); ok {
			sink.Handle(n)
		}
	})
}
