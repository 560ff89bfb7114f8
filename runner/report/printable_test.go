package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/event"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, é and ✓", "plain text, é and ✓"},
		{"two\nlines\tand a tab", "two\nlines\tand a tab"},
		{"clear \x1b[2J screen", `clear \x1b[2J screen`},
		{"title \x1b]0;pwned\x07 bell", `title \x1b]0;pwned\x07 bell`},
		{"carriage\rreturn, delete\x7f", `carriage\x0dreturn, delete\x7f`},
		{"C1 CSI \u009b2J", `C1 CSI \u009b2J`},
	}
	for _, tc := range tests {
		if got := Printable(tc.in); got != tc.want {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestTerminalNeutralisesLogs: what a container prints and what a lab file
// says reach the terminal as text: no escape sequence of theirs gets
// through, while the terminal's own layout stays.
func TestTerminalNeutralisesLogs(t *testing.T) {
	var buf bytes.Buffer
	term := NewTerminal(&buf)
	for _, e := range []event.Event{
		event.Loaded{Lab: "lab", Title: "Title \x1b]0;owned\x07", Steps: []event.StepInfo{{ID: "one", Title: "One"}}},
		event.Connected{Engine: "unix:///x", Describe: "engine x"},
		event.StepStarted{Num: 1, Total: 1, ID: "one", Title: "One \x1b[31m", Typed: []string{"curl \x1b[2J"}},
		event.CommandDone{Step: "one", Cmd: "exec docker logs", Output: "log \x1b[2Jline"},
		event.StepEnded{ID: "one", Result: Fail, Err: &event.StepError{Message: "boom", Diagnostics: "last logs:\n\x1b[1;1H\x1b[2Jgone"}},
	} {
		term.Handle(e)
	}
	if out := buf.String(); strings.Contains(out, "\x1b") || strings.Contains(out, "\x07") {
		t.Errorf("a control character reached the terminal:\n%q", out)
	}
	if !strings.Contains(buf.String(), `\x1b[2Jline`) {
		t.Errorf("the log's text is not shown as text:\n%s", buf.String())
	}
}
