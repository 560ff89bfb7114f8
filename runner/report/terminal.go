package report

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
	"golang.org/x/sys/unix"
)

// Terminal renders a run as it happens: each step's title, the commands the
// student types, the commands run and the checks with ✓ or ✗. On a
// terminal it keeps one status line, rewritten in place, while a check
// waits; elsewhere it prints nothing for waits, so logs stay clean.
type Terminal struct {
	w        io.Writer
	tty      bool
	Verbose  bool
	status   bool // a status line is on screen
	lastDraw time.Time

	bold, dim, green, red, yellow, cyan *color.Color
}

// NewTerminal writes to w. Colour and the status line are on only when w
// is a terminal and NO_COLOR is not set (fatih/color honours it).
func NewTerminal(w io.Writer) *Terminal {
	t := &Terminal{w: w}
	if f, ok := w.(*os.File); ok {
		t.tty = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if !t.tty || color.NoColor {
			c.DisableColor()
		} else {
			c.EnableColor()
		}
		return c
	}
	t.bold, t.dim = mk(color.Bold), mk(color.Faint)
	t.green, t.red, t.yellow, t.cyan = mk(color.FgGreen), mk(color.FgRed), mk(color.FgYellow), mk(color.FgCyan)
	return t
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

// RunStarted prints the run's heading.
func (t *Terminal) RunStarted(lab, title, engine string) {
	t.printf("%s %s — %s\n", t.bold.Sprint("labrun"), t.bold.Sprint(lab), title)
	if engine != "" {
		t.printf("%s\n", t.dim.Sprint(engine))
	}
}

// StepStarted prints a step's heading and the commands the student types.
func (t *Terminal) StepStarted(num, total int, id, title string, typed []string) {
	t.printf("\n%s %s %s\n", t.cyan.Sprintf("[%d/%d]", num, total), t.bold.Sprint(id), title)
	for _, c := range typed {
		t.printf("  %s %s\n", t.dim.Sprint("tutorial:"), c)
	}
}

// CommandDone prints a command's line: ✓ or ✗, and what it printed or why
// it failed.
func (t *Terminal) CommandDone(c *Command) {
	took := t.dim.Sprintf("%.1fs", time.Duration(c.Duration).Seconds())
	isExec := strings.HasPrefix(c.Cmd, "exec ") || strings.HasPrefix(c.Cmd, "! exec ")
	switch {
	case c.Result == Pass && isExec:
		t.printf("  %s %s %s\n", t.green.Sprint("$"), strings.TrimPrefix(c.Cmd, "exec "), took)
		t.indent(c.Output, 4)
	case c.Result == Pass:
		t.printf("  %s %s %s\n", t.green.Sprint("✓"), c.Cmd, took)
		if t.Verbose {
			t.indent(t.dim.Sprint(c.Seen), 4)
		}
		t.indent(c.Output, 4) // what a check prints is what later lines use, e.g. a hostname
	default:
		t.printf("  %s %s %s\n", t.red.Sprint("✗"), c.Cmd, took)
		if isExec {
			t.indent(c.Output, 4)
		}
		t.indent(t.red.Sprint(c.Error), 4)
	}
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

// statusEvery bounds how often the status line is redrawn.
const statusEvery = 100 * time.Millisecond

// Waiting shows, on a terminal only, what a check waits for and what it
// saw last.
func (t *Terminal) Waiting(cmd, last string, waited, timeout time.Duration) {
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

// Text prints a line as it is.
func (t *Terminal) Text(line string) {
	t.printf("%s\n", line)
}

// Notice prints something the user should know.
func (t *Terminal) Notice(msg string) {
	t.printf("  %s %s\n", t.yellow.Sprint("!"), msg)
}

// StepEnded prints a step's result; on failure, the engine's diagnostics.
func (t *Terminal) StepEnded(s *Step) {
	switch s.Result {
	case Pass:
		t.printf("  %s %s %s\n", t.green.Sprint("✓"), s.ID, t.dim.Sprintf("(%.1fs)", time.Duration(s.Duration).Seconds()))
	case Skipped:
	default:
		t.printf("  %s %s %s\n", t.red.Sprint("✗"), t.bold.Sprint(s.ID), t.dim.Sprintf("(%.1fs)", time.Duration(s.Duration).Seconds()))
		if s.Error != "" {
			t.indent(s.Error, 4)
		}
		if s.Diagnostics != "" {
			t.printf("    %s\n", t.bold.Sprint("What the engine shows:"))
			t.indent(s.Diagnostics, 6)
		}
	}
}

// RunEnded prints the summary line.
func (t *Terminal) RunEnded(r *Run) {
	n := r.Counts()
	t.printf("\n")
	for _, l := range r.Leftovers {
		t.printf("%s %s\n", t.yellow.Sprint("left behind:"), l)
	}
	verdict := map[string]string{Pass: t.green.Sprint("PASS"), Fail: t.red.Sprint("FAIL"), Error: t.red.Sprint("ERROR")}[r.Result]
	fast := ""
	if r.Fast {
		fast = " (--fast: shortened timings, not the tutorial's)"
	}
	t.printf("%s %s%s: %d passed, %d failed, %d skipped in %.1fs\n", verdict, r.Lab, fast, n[Pass], n[Fail]+n[Error], n[Skipped], time.Duration(r.Duration).Seconds())
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
