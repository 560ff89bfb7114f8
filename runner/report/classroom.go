package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/labrun/labrun/runner/buildinfo"
	"github.com/labrun/labrun/runner/i18n"
)

// Classroom is the report of one lab run on several engines at once: a
// run per engine, in the order the engines were given, and the result of
// them all. Its JSON form is stable: fields are only ever added.
type Classroom struct {
	Lab      string    `json:"lab"`
	Result   string    `json:"result"` // pass when every run passed
	Duration Seconds   `json:"duration_s"`
	Started  time.Time `json:"started_at"`
	// Error says why the classroom did not pass: what stopped it before
	// any run started (an engine unreachable or unfit; nothing was then
	// created on any engine), or which engines failed the lab.
	Error string `json:"error,omitempty"`
	Runs  []*Run `json:"runs"`
	// Labrun is the build of labrun that ran the classroom.
	Labrun buildinfo.Build `json:"labrun"`
}

// Counts returns how many engines ended with each result.
func (c *Classroom) Counts() map[string]int {
	n := map[string]int{}
	for _, r := range c.Runs {
		n[r.Result]++
	}
	return n
}

// WriteJSON writes the report to path, or to standard output when path
// is "-", as Run.WriteJSON does.
func (c *Classroom) WriteJSON(path string) error { return writeJSON(path, c) }

// WriteJUnit writes the report as JUnit XML: one test suite per engine,
// named "lab @ engine", each step a test case.
func (c *Classroom) WriteJUnit(path string) error {
	var suites []junitSuite
	for _, r := range c.Runs {
		suites = append(suites, r.junitSuite(r.Lab+" @ "+r.Engine))
	}
	return writeJUnit(path, suites...)
}

// FailedStep is the step a run failed at ("-" when none did).
func (r *Run) FailedStep() string { return r.FailedStepIn("en") }

// FailedStepIn is FailedStep, worded in lang when the run failed before
// its steps.
func (r *Run) FailedStepIn(lang string) string {
	for _, s := range r.Steps {
		if s.Result == Fail || s.Result == Error {
			return s.ID
		}
	}
	if r.Result != Pass && r.Error != "" {
		return i18n.Textf(lang, "(before the steps)")
	}
	return "-"
}

// WriteSummary writes the classroom's table: engine, result, failed step
// and duration, one engine a line, then each failure's first line.
func (c *Classroom) WriteSummary(w io.Writer) { c.WriteSummaryIn(w, "en") }

// WriteSummaryIn is WriteSummary in lang; the results (PASS, FAIL) stay
// the tokens every report uses.
func (c *Classroom) WriteSummaryIn(w io.Writer, lang string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.Textf(lang, "ENGINE\tRESULT\tFAILED STEP\tDURATION"))
	for _, r := range c.Runs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1fs\n", r.Engine, strings.ToUpper(r.Result), r.FailedStepIn(lang), time.Duration(r.Duration).Seconds())
	}
	tw.Flush()
	for _, r := range c.Runs {
		if r.Result != Pass && r.Error != "" {
			fmt.Fprintln(w, i18n.Textf(lang, "%s: %v", r.Engine, firstLine(r.Error)))
		}
	}
	n := c.Counts()
	fmt.Fprintln(w, i18n.Textf(lang, "%s %s on %d engines: %d passed, %d failed in %.1fs", strings.ToUpper(c.Result), c.Lab, len(c.Runs),
		n[Pass], len(c.Runs)-n[Pass], time.Duration(c.Duration).Seconds()))
}

// LineWriter prefixes every line written through it and writes whole
// lines only, under a lock shared by the writers of one output: several
// runs can then write to one terminal at once and stay readable.
type LineWriter struct {
	mu     *sync.Mutex
	w      io.Writer
	prefix string
	buf    []byte
}

// NewLineWriters returns a LineWriter per prefix, all writing to w. The
// prefixes are padded to one width so that the lines align.
func NewLineWriters(w io.Writer, prefixes []string) []*LineWriter {
	width := 0
	for _, p := range prefixes {
		width = max(width, len(p))
	}
	mu := &sync.Mutex{}
	out := make([]*LineWriter, len(prefixes))
	for i, p := range prefixes {
		out[i] = &LineWriter{mu: mu, w: w, prefix: fmt.Sprintf("%-*s │ ", width, p)}
	}
	return out
}

// Write keeps what follows the last newline until the next write ends it.
func (l *LineWriter) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	i := strings.LastIndexByte(string(l.buf), '\n')
	if i < 0 {
		return len(p), nil
	}
	lines := strings.Split(string(l.buf[:i]), "\n")
	l.buf = append(l.buf[:0], l.buf[i+1:]...)
	var b strings.Builder
	for _, line := range lines {
		// A carriage return redraws a status line: keep only what shows.
		if j := strings.LastIndexByte(line, '\r'); j >= 0 {
			line = line[j+1:]
		}
		b.WriteString(l.prefix + line + "\n")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := io.WriteString(l.w, b.String())
	return len(p), err
}

// Flush writes what is left, a line without its newline.
func (l *LineWriter) Flush() error {
	if len(l.buf) == 0 {
		return nil
	}
	_, err := l.Write([]byte("\n"))
	return err
}
