// Package report holds the model of a run's results and the writers that
// render it: the live terminal view and the JSON file.
package report

import (
	"encoding/json"
	"os"
	"time"

	"github.com/labrun/labrun/runner/buildinfo"
)

// Results of a run, a step or a command.
const (
	Pass    = "pass"
	Fail    = "fail"
	Error   = "error" // usage, lab-file or environment error: exit 2
	Skipped = "skipped"
)

// Run is the report of one run of one lab on one engine. Its JSON form is
// documented in docs/reports.md and stable: fields are only ever added.
type Run struct {
	Lab      string    `json:"lab"`
	Result   string    `json:"result"`
	Duration Seconds   `json:"duration_s"`
	Started  time.Time `json:"started_at"`
	Engine   string    `json:"engine,omitempty"`
	Flavour  string    `json:"images,omitempty"`
	// Fast is set when the run used the lab's fast values (--fast):
	// shortened timings, not the tutorial's.
	Fast bool `json:"fast,omitempty"`
	// Isolated is set when the run had names and ports of its own (--isolate).
	Isolated bool `json:"isolated,omitempty"`
	// Vars are the values the run gave the lab's variables.
	Vars      map[string]string `json:"vars,omitempty"`
	Error     string            `json:"error,omitempty"`
	Steps     []*Step           `json:"steps"`
	Notices   []string          `json:"notices,omitempty"`
	Leftovers []string          `json:"leftovers,omitempty"`
	// Repeat sums up the runs of labrun run --repeat N; the rest of the
	// report is then that of the first failing run, or of the last.
	Repeat *Repeat `json:"repeat,omitempty"`
	// Labrun is the build of labrun that made the run, so that a report
	// found later (a classroom's, a CI artefact) says which build wrote it.
	Labrun buildinfo.Build `json:"labrun"`
	// Lang is the run's language (en, fr; empty is English): the report's
	// human text (errors, the JUnit file's words) is worded in it, its
	// keys never. Not a field of the JSON report, whose shape is stable.
	Lang string `json:"-"`
}

// Step is the report of one step.
type Step struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Result   string     `json:"result"`
	Duration Seconds    `json:"duration_s"`
	Error    string     `json:"error,omitempty"`
	Commands []*Command `json:"commands,omitempty"`
	// Diagnostics is what the engine showed when the step failed: the task
	// history, the failing container's logs and healthcheck output.
	Diagnostics string `json:"diagnostics,omitempty"`

	started time.Time
}

// Command is the report of one command of a step.
type Command struct {
	Cmd      string  `json:"cmd"`
	Result   string  `json:"result"`
	Duration Seconds `json:"duration_s"`
	Output   string  `json:"output,omitempty"`
	// Seen is what a check saw when it held.
	Seen  string `json:"seen,omitempty"`
	Error string `json:"error,omitempty"`
}

// Seconds is a duration written as seconds with millisecond precision.
type Seconds time.Duration

// MarshalJSON writes the duration as a number of seconds.
func (s Seconds) MarshalJSON() ([]byte, error) {
	return json.Marshal(float64(time.Duration(s).Milliseconds()) / 1000)
}

// UnmarshalJSON reads a number of seconds.
func (s *Seconds) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*s = Seconds(f * float64(time.Second))
	return nil
}

// Begin marks a step as started now.
func (s *Step) Begin() { s.started = time.Now() }

// End closes a step with its result.
func (s *Step) End(result string, err error) {
	s.Result = result
	if !s.started.IsZero() {
		s.Duration = Seconds(time.Since(s.started))
	}
	if err != nil {
		s.Error = err.Error()
	}
}

// Counts returns how many steps ended with each result.
func (r *Run) Counts() map[string]int {
	n := map[string]int{}
	for _, s := range r.Steps {
		n[s.Result]++
	}
	return n
}

// WriteJSON writes the report to path, readable by its owner and group
// only (it may name hosts), or to standard output when path is "-".
func (r *Run) WriteJSON(path string) error { return writeJSON(path, r) }

// writeJSON writes a report as indented JSON to path (mode 0640), or to
// standard output when path is "-".
func writeJSON(path string, report any) error {
	data, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if path == "-" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(path, data, 0o640)
}
