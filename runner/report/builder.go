package report

import (
	"errors"
	"time"

	"github.com/labrun/labrun/runner/buildinfo"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/i18n"
)

// Builder makes the report of a run from its events: it is the model the
// JSON and JUnit writers read, fed by the same events as the terminal.
type Builder struct {
	run     *Run
	current *Step
}

// NewBuilder starts the report of a run of lab (a name or path, until the
// lab is loaded): an error until the run ends otherwise. Its errors are
// worded in English; NewBuilderIn words them in the run's language.
func NewBuilder(lab string) *Builder { return NewBuilderIn(lab, "en") }

// NewBuilderIn starts the report of a run of lab in lang: the errors of
// its steps, commands and run are worded in lang (runner/i18n) as they
// are recorded, as the terminal shows them.
func NewBuilderIn(lab, lang string) *Builder {
	return &Builder{run: &Run{Lab: lab, Result: Error, Started: time.Now(), Steps: []*Step{}, Labrun: buildinfo.Current(), Lang: lang}}
}

// Report is the report as the events so far made it.
func (b *Builder) Report() *Run { return b.run }

// Handle records one event in the report.
func (b *Builder) Handle(e event.Event) {
	r := b.run
	switch e := e.(type) {
	case event.Loaded:
		r.Lab, r.Flavour = e.Lab, e.Flavour
		r.Steps = make([]*Step, len(e.Steps))
		for i, s := range e.Steps {
			r.Steps[i] = &Step{ID: s.ID, Title: s.Title, Result: Skipped}
		}
	case event.Connected:
		r.Engine = e.Engine
	case event.Values:
		r.Vars, r.Fast, r.Isolated = e.Vars, e.Fast, e.Isolated
	case event.Notice:
		r.Notices = append(r.Notices, e.Text)
	case event.StepStarted:
		if e.Num >= 1 && e.Num <= len(r.Steps) {
			b.current = r.Steps[e.Num-1]
			b.current.Begin()
		}
	case event.CommandDone:
		if b.current == nil {
			return
		}
		c := &Command{Cmd: e.Cmd, Result: Pass, Duration: Seconds(e.Took), Output: e.Output, Seen: e.Seen}
		if e.Err != nil {
			c.Result, c.Error = Fail, i18n.In(r.Lang, e.Err)
		}
		b.current.Commands = append(b.current.Commands, c)
	case event.StepEnded:
		s := b.step(e.ID)
		if s == nil {
			return
		}
		s.End(e.Result, nil)
		if e.Err != nil {
			s.Error = i18n.In(r.Lang, e.Err)
			s.Diagnostics = e.Err.Diagnostics
		}
		b.current = nil
	case event.Released:
		r.Leftovers = append(r.Leftovers, e.Left...)
	case event.RunEnded:
		if r.Lab == "" {
			r.Lab = e.Lab
		}
		r.Result = e.Result
		r.Error = ""
		if e.Err != nil {
			r.Error = i18n.In(r.Lang, e.Err)
		}
		r.Duration = Seconds(time.Since(r.Started))
	}
}

func (b *Builder) step(id string) *Step {
	if b.current != nil && b.current.ID == id {
		return b.current
	}
	for _, s := range b.run.Steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// ErrorOf is the run's error as the report says it, for a caller that
// returns one with the exit code: nil when the run passed.
func (r *Run) ErrorOf() error {
	if r.Error == "" {
		return nil
	}
	return errors.New(r.Error)
}
