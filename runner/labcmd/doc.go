package labcmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/labrun/labrun/runner/lab"
)

// WriteFormat writes the reference of the lab format: the directives, the
// retry prefix, the conditions and every command, from the tables the
// loader and the runner use. `labrun help format` prints it and
// docs/lab-format.md holds it; a test fails when that copy is stale.
func WriteFormat(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("A lab is a txtar archive: a testscript script, then the files it uses (-- name -- sections).\n")
	p("Lines starting with \"## \" are labrun directives; \"#\" lines are comments; other lines are commands.\n")
	p("Every command belongs to a step, under \"## actions\", \"## checks\" or \"## keeps\".\n\n")
	p("Directives:\n\n")
	for _, d := range lab.Directives {
		p("  %-32s %s (%s)\n", d.Syntax, d.Summary, d.Where)
	}
	p("\nLine prefixes (testscript's, plus one):\n\n")
	p("  %-32s %s\n", "[COND] CMD", "run CMD only if COND holds ([!COND]: if it does not)")
	p("  %-32s %s\n", "! CMD", "CMD must fail: a check must not hold, a program must exit non-zero")
	p("  %-32s %s\n", lab.Retry+" CHECK", "retry CHECK until it holds, waking on engine events and polling (100-250 ms), until the step's timeout; on timeout, say what was awaited and the last state seen")
	p("  %-32s %s\n", "! "+lab.Retry+" CHECK", "retry CHECK until it does not hold")
	p("\nConditions (besides testscript's: linux, exec:PROGRAM, ...):\n\n")
	for _, c := range Conditions {
		p("  %-32s %s\n", "["+c.Args+"]", c.Summary)
	}
	p("\nVariables the runner defines: %s.\n", strings.Join(lab.RunnerVars, " "))
	p("ENGINE_HOST is where the engine's published ports answer (localhost for a local engine).\n")
	p("\nCommands (check: observes, may be negated and retried; action: changes the engine):\n")
	for _, c := range Table() {
		p("\n  %s %s   [%s]\n      %s\n", c.Name, c.Usage.Args, c.Kind, c.Usage.Summary)
		if c.Usage.Detail != "" {
			for _, line := range wrap(c.Usage.Detail, 88) {
				p("      %s\n", line)
			}
		}
	}
}

// wrap breaks text into lines of at most width characters.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
