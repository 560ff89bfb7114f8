// Package event holds what happens in a lab run, as values: the run
// emits them as they happen, and every consumer (the report model that
// the JSON and JUnit writers read, the live terminal view, the class
// board) reads the same ones. Events carry no rendering: a consumer
// words them in its own language from their fields and message IDs.
package event

import (
	"fmt"
	"strings"
	"time"
)

// Event is one thing that happened in a run.
type Event interface{ isEvent() }

// Sink consumes events.
type Sink interface{ Handle(Event) }

// Func makes a function a Sink.
type Func func(Event)

// Handle calls f.
func (f Func) Handle(e Event) { f(e) }

// Fan sends every event to each of its sinks, in order; nil ones are
// skipped, so that a quiet run simply has no terminal.
type Fan []Sink

// Handle sends e to every sink.
func (f Fan) Handle(e Event) {
	for _, s := range f {
		if s != nil {
			s.Handle(e)
		}
	}
}

// Discard is a sink that drops every event: verify's looks before the
// actions are not steps of the run.
var Discard Sink = Func(func(Event) {})

// Message is a sentence for the user: an ID and its arguments, so that a
// consumer can word it in its own language, and the text labrun words it
// with.
type Message struct {
	ID   string `json:"id"`
	Args []any  `json:"args,omitempty"`
	Text string `json:"text"`
}

// Say builds a message whose text is format applied to args.
func Say(id, format string, args ...any) Message {
	return Message{ID: id, Args: args, Text: fmt.Sprintf(format, args...)}
}

func (m Message) String() string { return m.Text }

// StepInfo names a step of a lab, in the run's language.
type StepInfo struct {
	ID    string
	Title string
}

// Loaded says the lab is loaded and its options are valid.
type Loaded struct {
	Lab     string
	Title   string
	File    string
	Steps   []StepInfo
	Flavour string
}

// Connected says which engine the run talks to.
type Connected struct {
	Engine   string // its address, as the report records it
	Describe string // the endpoint, version, API and images, for a heading
}

// Values are the run's values of the lab's variables.
type Values struct {
	Vars     map[string]string
	Fast     bool
	Isolated bool
}

// Notice is something the user should know, such as a change of
// publishing mode or a lab file from elsewhere.
type Notice struct{ Message }

// StepStarted says a step begins.
type StepStarted struct {
	Num, Total int
	ID, Title  string
	// Typed are the commands the tutorial has the student type.
	Typed []string
}

// CommandDone reports a finished command: its words after expansion,
// its output, what a check saw, and its error (nil when it did what the
// lab expects).
type CommandDone struct {
	Step   string
	Cmd    string
	Output string
	Seen   string
	Err    error
	Took   time.Duration
}

// Waiting reports a retried check that does not hold yet, what it saw
// last, and how long it has waited of how long it may.
type Waiting struct {
	Step    string
	Cmd     string
	Last    string
	Waited  time.Duration
	Timeout time.Duration
}

// Results of a step or a run.
const (
	Pass    = "pass"
	Fail    = "fail"
	Error   = "error"
	Skipped = "skipped"
)

// StepEnded says a step is over, with its result; Err is set unless it
// passed.
type StepEnded struct {
	ID     string
	Result string
	Took   time.Duration
	Err    *StepError
}

// Released says what the run removed and what it could not.
type Released struct {
	Removed []string
	Left    []string
	// LeftSwarm is set when the run left the swarm it had made the node
	// join (--init-swarm), so that the node is out of swarm as before.
	LeftSwarm bool
}

// RunEnded closes a run: its result, and the error behind it.
type RunEnded struct {
	// Lab is the lab as the user named it, for a run that ended before
	// the lab was loaded.
	Lab    string
	Result string
	Err    error
}

// Defect is a lab defect found by verify: a check that holds before the
// actions it is meant to observe.
type Defect struct{ Message }

// Proved says verify found every check before a step's actions failing,
// as they must.
type Proved struct {
	Step   string
	Checks int
}

// The guide's own events: what the student asked for at a step.
type (
	// StepShown says the guide showed a step to the student: its text
	// and the commands to type. The class board times a step from it.
	StepShown struct{ Step string }
	// HintShown says the student asked for the step's hint.
	HintShown struct{ Step string }
	// SolutionShown says the student asked to see the solution.
	SolutionShown struct{ Step string }
	// SolutionRun says the student had labrun run the solution (r).
	SolutionRun struct{ Step string }
	// CheckAttempt is one check the student asked for, and its verdict.
	CheckAttempt struct {
		Step string
		Err  *StepError // nil: the step holds
	}
	// Quit says the student left the guide at a step.
	Quit struct{ Step string }
)

// Repeat's events: one of a series of runs starts.
type RepeatStarted struct{ Run, Of int }

// Checked is one item of doctor's checklist.
type Checked struct {
	ID, Title, Status, Detail, Fix string
}

// ChecklistStarted heads doctor's checklist.
type ChecklistStarted struct{ Lab string }

func (Loaded) isEvent()           {}
func (Connected) isEvent()        {}
func (Values) isEvent()           {}
func (Notice) isEvent()           {}
func (StepStarted) isEvent()      {}
func (CommandDone) isEvent()      {}
func (Waiting) isEvent()          {}
func (StepEnded) isEvent()        {}
func (Released) isEvent()         {}
func (RunEnded) isEvent()         {}
func (Defect) isEvent()           {}
func (Proved) isEvent()           {}
func (StepShown) isEvent()        {}
func (HintShown) isEvent()        {}
func (SolutionShown) isEvent()    {}
func (SolutionRun) isEvent()      {}
func (CheckAttempt) isEvent()     {}
func (Quit) isEvent()             {}
func (RepeatStarted) isEvent()    {}
func (Checked) isEvent()          {}
func (ChecklistStarted) isEvent() {}

// StepError is why a step failed: where in the lab file, which command,
// what it saw, what differs, the step's hint and what the engine showed.
// Its Error is the line the report and the terminal print,
// "lab.txtar:12: service-running whoami 1: …" with the hint after it.
type StepError struct {
	File string
	Line int
	Step string
	// Expected is the failing line as the lab file writes it: what should
	// have held or succeeded.
	Expected string
	// Command is the failing command as run, its variables expanded;
	// empty when the failure is not a command's (the run's timeout).
	Command string
	// Seen is what the command saw, when it reported it.
	Seen string
	// Cause is what differs: the command's own error.
	Cause error
	// Message is the failure as the script reported it, without the
	// file and line: what a student reads.
	Message string
	// Hint is the step's hint, its variables expanded.
	Hint string
	// Note is said after the message: why the run ended (its --timeout).
	Note string
	// Diagnostics is what the engine showed when the step failed.
	Diagnostics string
	// Defects are the lab defects verify found before the step failed,
	// said first.
	Defects []string
}

// Error is the failure with its place, the note and the hint, the hint
// after "hint:".
func (e *StepError) Error() string { return e.Text("hint:") }

// Text is the failure with its place, the note and the hint, the hint
// after hintLabel. The runner words the message, the note and the hint
// in the run's language; the label is the consumer's to word (package
// i18n speaks of events, so this package cannot ask it), so that a report
// in French says "indice :" and not "hint:".
func (e *StepError) Text(hintLabel string) string {
	var b strings.Builder
	for _, d := range e.Defects {
		b.WriteString(d + "\n")
	}
	if e.File != "" && e.Line > 0 {
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	}
	b.WriteString(e.Message)
	if e.Note != "" {
		b.WriteString(" " + e.Note)
	}
	if e.Hint != "" {
		b.WriteString("\n" + hintLabel + " " + e.Hint)
	}
	return b.String()
}

// Unwrap returns the command's own error.
func (e *StepError) Unwrap() error { return e.Cause }
