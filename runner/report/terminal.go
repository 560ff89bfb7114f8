package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/fatih/color"

	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/mattn/go-isatty"
	"golang.org/x/sys/unix"
)

// Terminal renders a run as it happens: each step's title, the commands the
// student types, the commands run and the checks with ✓ or ✗. On a
// terminal it keeps one status line, rewritten in place, while a check
// waits; elsewhere it prints nothing for waits, so logs stay clean.
type Terminal struct {
	// model is the run as the events so far made it: what the summary
	// lines and a step's result say.
	model *Builder
	lab   event.Loaded
	w     io.Writer
	// tty: a status line may be redrawn in place (a terminal, not TERM=dumb).
	tty     bool
	Verbose bool
	// Lang is the language of the terminal's own words (package i18n):
	// the run's, so that one screen speaks one language.
	Lang string
	// Paragraphs wraps labrun's own lines (headings, notices, verdicts)
	// at width() even off a terminal, as the guide's text is: a guide is
	// read, where a run's log is searched, and grep wants a line whole.
	Paragraphs bool
	status     bool // a status line is on screen
	lastDraw   time.Time

	bold, dim, green, red, yellow, cyan *color.Color
}

// NewTerminal writes to w. Whether it colours its output and draws the
// live status line is decided for w itself (see styleFor), not for
// standard output: with --json -, the live view goes to standard error,
// a terminal while standard output is a pipe.
func NewTerminal(w io.Writer) *Terminal {
	t := &Terminal{w: w, model: NewBuilder("")}
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	colour, live := styleFor(os.Getenv, tty)
	t.tty = live
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if colour {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	t.bold, t.dim = mk(color.Bold), mk(color.Faint)
	t.green, t.red, t.yellow, t.cyan = mk(color.FgGreen), mk(color.FgRed), mk(color.FgYellow), mk(color.FgCyan)
	return t
}

// styleFor decides, from the environment and whether the stream is a
// terminal, if output to it is coloured and if a status line is redrawn in
// place there. The conventions, strongest first: NO_COLOR (no-color.org)
// turns colour off; FORCE_COLOR or CLICOLOR_FORCE, set and not "0", turn it
// on even into a pipe (a CI log that renders colour); TERM=dumb, a terminal
// that cannot move its cursor nor show colour, turns both off. The status
// line needs a real terminal, whatever forces colour.
func styleFor(getenv func(string) string, tty bool) (colour, live bool) {
	dumb := getenv("TERM") == "dumb"
	live = tty && !dumb
	forced := func(name string) bool { v := getenv(name); return v != "" && v != "0" }
	switch {
	case getenv("NO_COLOR") != "":
		return false, live
	case forced("FORCE_COLOR") || forced("CLICOLOR_FORCE"):
		return true, live
	}
	return tty && !dumb, live
}

// Handle renders one event of a run. What it shows of the engine's and
// the lab file's text goes through Printable first: a container's log or
// a lab's title must not move the cursor, clear the screen or retitle
// the terminal.
func (t *Terminal) Handle(e event.Event) {
	t.model.run.Lang = t.Lang
	t.model.Handle(e)
	// A command's error is worded in the run's language before its
	// control characters are shown: printable keeps only its text.
	if c, ok := e.(event.CommandDone); ok && c.Err != nil {
		c.Err = errors.New(i18n.In(t.Lang, c.Err))
		e = c
	}
	switch e := printable(e).(type) {
	case event.Loaded:
		t.lab = e
	case event.Connected:
		t.runStarted(t.lab.Lab, t.lab.Title, e.Describe)
	case event.Notice:
		t.notice(e.Text)
	case event.StepStarted:
		t.stepStarted(e.Num, e.Total, e.ID, e.Title, e.Typed)
	case event.CommandDone:
		c := &Command{Cmd: e.Cmd, Result: Pass, Duration: Seconds(e.Took), Output: e.Output, Seen: e.Seen}
		if e.Err != nil {
			c.Result, c.Error = Fail, e.Err.Error()
		}
		t.commandDone(c)
	case event.Waiting:
		t.waiting(e.Cmd, e.Last, e.Waited, e.Timeout)
	case event.StepEnded:
		if s := t.model.step(e.ID); s != nil {
			t.stepEnded(s)
		}
	case event.Released:
		if e.LeftSwarm {
			t.notice(i18n.Text(t.Lang, "left-swarm"))
		}
	case event.RunEnded:
		t.runEnded(t.model.Report())
	case event.Defect:
		t.notice(i18n.Text(t.Lang, "lab-defect", e.Text))
	case event.Proved:
		t.text("\n" + i18n.Text(t.Lang, "verify-proved", e.Step, e.Checks))
	case event.RepeatStarted:
		t.printf("\n%s\n", t.bold.Sprint(i18n.Textf(t.Lang, "── run %d/%d ──", e.Run, e.Of)))
	case event.ChecklistStarted:
		t.printf("%s %s\n", t.bold.Sprint("labrun doctor"), t.bold.Sprint(e.Lab))
	case event.Checked:
		t.checklistItem(&Item{ID: e.ID, Title: e.Title, Status: e.Status, Detail: e.Detail, Fix: e.Fix})
	}
}

// Text prints a line of the guide's, its control characters shown.
func (t *Terminal) Text(line string) { t.text(Printable(line)) }

// Heading prints a step's heading, as a run shows it: the guide's.
func (t *Terminal) Heading(num, total int, id, title string) {
	t.stepStarted(num, total, id, title, nil)
}

func (t *Terminal) clearStatus() {
	if t.status {
		fmt.Fprint(t.w, "\r\033[K")
		t.status = false
	}
}

func (t *Terminal) printf(format string, args ...any) {
	t.clearStatus()
	fmt.Fprintf(t.w, format, args...)
}

// wrapWidth is the width labrun's own lines are wrapped at: the
// terminal's, or none off a terminal unless Paragraphs asks for it.
func (t *Terminal) wrapWidth() int {
	if !t.tty && !t.Paragraphs {
		return 1 << 20
	}
	return t.width()
}

// wrapped prints text after prefix, wrapped at wrapWidth between words,
// its further lines indented by indent; shown is prefix as printed
// (coloured), its width counted from prefix.
func (t *Terminal) wrapped(prefix, shown, text, indent string) {
	if !strings.Contains(text, "\n") && len([]rune(prefix+text)) <= t.wrapWidth() {
		// As it came: wrapping also folds runs of spaces, and a log's
		// line is searched for as the lab wrote it.
		t.printf("%s\n", shown+text)
		return
	}
	line := lab.Wrap(text, t.wrapWidth(), prefix, indent)
	t.printf("%s\n", shown+strings.TrimPrefix(line, prefix))
}

// runStarted prints the run's heading.
func (t *Terminal) runStarted(lab, title, engine string) {
	prefix := "labrun " + lab + " — "
	t.wrapped(prefix, t.bold.Sprint("labrun")+" "+t.bold.Sprint(lab)+" — ", title, "  ")
	if engine != "" {
		t.printf("%s\n", t.dim.Sprint(engine))
	}
}

// stepStarted prints a step's heading and the commands the student types.
func (t *Terminal) stepStarted(num, total int, id, title string, typed []string) {
	counter := fmt.Sprintf("[%d/%d]", num, total)
	t.printf("\n")
	prefix := counter + " " + id + " "
	t.wrapped(prefix, t.cyan.Sprint(counter)+" "+t.bold.Sprint(id)+" ", title, strings.Repeat(" ", len([]rune(prefix))))
	for _, c := range typed {
		t.printf("  %s %s\n", t.dim.Sprint(i18n.Textf(t.Lang, "tutorial:")), c)
	}
}

// commandDone prints a command's line: ✓ or ✗, and what it printed or why
// it failed.
func (t *Terminal) commandDone(c *Command) {
	isExec := strings.HasPrefix(c.Cmd, "exec ") || strings.HasPrefix(c.Cmd, "! exec ")
	switch {
	case c.Result == Pass && isExec:
		t.commandLine("$", t.green, strings.TrimPrefix(c.Cmd, "exec "), c.Duration)
		t.indent(c.Output, 4)
	case c.Result == Pass:
		t.commandLine("✓", t.green, c.Cmd, c.Duration)
		if t.Verbose {
			t.sentences(c.Seen, 4, t.dim)
		}
		t.indent(c.Output, 4) // what a check prints is what later lines use, e.g. a hostname
	default:
		t.commandLine("✗", t.red, c.Cmd, c.Duration)
		if isExec {
			t.indent(c.Output, 4)
		}
		t.sentences(c.Error, 4, t.red)
	}
}

// commandLine prints a command's line: mark, the command and how long it
// took, wrapped between words as labrun's other lines are (a long
// service-spec check would be cut mid-word at the terminal's edge).
func (t *Terminal) commandLine(mark string, c *color.Color, cmd string, took Seconds) {
	plain := fmt.Sprintf("%.1fs", time.Duration(took).Seconds())
	line := "  " + mark + " " + cmd + " " + plain
	if len([]rune(line)) > t.wrapWidth() {
		// Only then, since wrapping also folds runs of spaces, which a
		// command's quoted argument may hold.
		line = lab.Wrap(cmd+" "+plain, t.wrapWidth(), "  "+mark+" ", "    ")
	}
	line = "  " + c.Sprint(mark) + strings.TrimPrefix(strings.TrimSuffix(line, plain), "  "+mark) + t.dim.Sprint(plain)
	t.printf("%s\n", line)
}

func (t *Terminal) indent(text string, n int) {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return
	}
	pad := strings.Repeat(" ", n)
	for _, line := range strings.Split(text, "\n") {
		t.printf("%s%s\n", pad, line)
	}
}

// sentences prints labrun's own text (a check's verdict, what it saw)
// indented by n, in colour c (none when nil); on a terminal each of its
// lines is wrapped at the terminal's width between words. Off a terminal
// (a CI log, a file) a line stays whole, so that a verdict can be found
// with grep. A program's output is printed as it came, by indent: its
// lines are its own.
func (t *Terminal) sentences(text string, n int, c *color.Color) {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return
	}
	pad := strings.Repeat(" ", n)
	width := t.wrapWidth()
	for _, para := range strings.Split(text, "\n") {
		for _, line := range strings.Split(lab.Wrap(para, width, pad, pad), "\n") {
			if c != nil {
				line = pad + c.Sprint(strings.TrimPrefix(line, pad))
			}
			t.printf("%s\n", line)
		}
	}
}

// statusEvery bounds how often the status line is redrawn.
const statusEvery = 100 * time.Millisecond

// waiting shows, on a terminal only, what a check waits for and what it
// saw last.
func (t *Terminal) waiting(cmd, last string, waited, timeout time.Duration) {
	if !t.tty || time.Since(t.lastDraw) < statusEvery {
		return
	}
	t.lastDraw = time.Now()
	prefix := fmt.Sprintf("  … %s  ", cmd)
	if timeout > 0 {
		prefix = fmt.Sprintf("  … %4.1fs/%s %s  ", waited.Seconds(), timeout, cmd)
	}
	// Clip before colouring, so that no escape sequence is cut in half.
	width := t.width()
	prefix = clipWidth(prefix, width)
	room := width - len([]rune(prefix))
	line := prefix
	if room > 2 {
		line += t.dim.Sprint(clipWidth(last, room))
	}
	fmt.Fprint(t.w, "\r\033[K"+line)
	t.status = true
}

// text prints a line as it is.
func (t *Terminal) text(line string) {
	t.printf("%s\n", line)
}

// notice prints something the user should know.
func (t *Terminal) notice(msg string) {
	t.wrapped("  ! ", "  "+t.yellow.Sprint("!")+" ", msg, "    ")
}

// stepEnded prints a step's result; on failure, the engine's diagnostics.
func (t *Terminal) stepEnded(s *Step) {
	switch s.Result {
	case Pass:
		t.printf("  %s %s %s\n", t.green.Sprint("✓"), s.ID, t.dim.Sprintf("(%.1fs)", time.Duration(s.Duration).Seconds()))
	case Skipped:
	default:
		t.printf("  %s %s %s\n", t.red.Sprint("✗"), t.bold.Sprint(s.ID), t.dim.Sprintf("(%.1fs)", time.Duration(s.Duration).Seconds()))
		if s.Error != "" {
			t.sentences(Printable(s.Error), 4, nil)
		}
		if s.Diagnostics != "" {
			t.printf("    %s\n", t.bold.Sprint(i18n.Text(t.Lang, "engine-shows")))
			t.indent(Printable(s.Diagnostics), 6)
		}
	}
}

// runEnded prints the summary line.
func (t *Terminal) runEnded(r *Run) {
	n := r.Counts()
	t.printf("\n")
	for _, l := range r.Leftovers {
		t.printf("%s %s\n", t.yellow.Sprint(i18n.Text(t.Lang, "left-behind")), l)
	}
	verdict := map[string]string{Pass: t.green.Sprint("PASS"), Fail: t.red.Sprint("FAIL"), Error: t.red.Sprint("ERROR")}[r.Result]
	fast := ""
	if r.Fast {
		fast = " " + i18n.Text(t.Lang, "summary-fast")
	}
	t.printf("%s\n", i18n.Textf(t.Lang, "%s %s%s: %s", verdict, r.Lab, fast, i18n.Text(t.Lang, "summary", n[Pass], n[Fail]+n[Error], n[Skipped], time.Duration(r.Duration).Seconds())))
}

// width returns the terminal's width, asked of the terminal itself since
// COLUMNS is rarely exported; 80 when it cannot tell.
func (t *Terminal) width() int {
	if f, ok := t.w.(*os.File); ok {
		if ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ); err == nil && ws.Col > 20 {
			return int(ws.Col)
		}
	}
	var cols int
	if _, err := fmt.Sscan(os.Getenv("COLUMNS"), &cols); err == nil && cols > 20 {
		return cols
	}
	return 80
}

// clipWidth cuts a line to width runes, so that the status line never
// wraps (a wrapped line cannot be rewritten in place).
func clipWidth(s string, width int) string {
	r := []rune(s)
	if len(r) <= width-1 {
		return s
	}
	return string(r[:width-2]) + "…"
}

// Printable shows the control characters of s as escapes (\x1b, \u009b),
// but for newlines and tabs: text from a container's log, the engine or
// a lab file reaches the terminal as text, never as commands to it.
func Printable(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !isControl(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

func isControl(r rune) bool {
	return r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0)
}

// printable returns e with its texts made Printable.
func printable(e event.Event) event.Event {
	switch v := e.(type) {
	case event.Loaded:
		v.Lab, v.Title = Printable(v.Lab), Printable(v.Title)
		return v
	case event.Connected:
		v.Describe = Printable(v.Describe)
		return v
	case event.Notice:
		v.Text = Printable(v.Text)
		return v
	case event.StepStarted:
		v.Title = Printable(v.Title)
		typed := make([]string, len(v.Typed))
		for i, c := range v.Typed {
			typed[i] = Printable(c)
		}
		v.Typed = typed
		return v
	case event.CommandDone:
		v.Cmd, v.Output, v.Seen = Printable(v.Cmd), Printable(v.Output), Printable(v.Seen)
		if v.Err != nil {
			v.Err = errors.New(Printable(v.Err.Error()))
		}
		return v
	case event.Waiting:
		v.Cmd, v.Last = Printable(v.Cmd), Printable(v.Last)
		return v
	case event.Defect:
		v.Text = Printable(v.Text)
		return v
	case event.Checked:
		v.Detail, v.Fix = Printable(v.Detail), Printable(v.Fix)
		return v
	}
	return e
}

// Width is the width of the terminal w writes to, 80 off a terminal
// (COLUMNS, when set, says it for a pipe): paragraphs are wrapped to it.
func Width(w io.Writer) int { return (&Terminal{w: w}).width() }

// Paragraph prints text as one paragraph wrapped at the terminal's width
// between words, first before its first line and an indent as wide
// before the others, its control characters shown.
func (t *Terminal) Paragraph(first, text string) {
	rest := strings.Repeat(" ", len([]rune(first)))
	t.text(lab.Wrap(Printable(text), t.width(), first, rest))
}
