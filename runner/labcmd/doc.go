package labcmd

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
)

// WriteFormat writes the reference of the lab format in English: the
// directives, the retry prefix, the conditions and every command, from the
// tables the loader and the runner use. docs/lab-format.md holds it; a
// test fails when that copy is stale.
func WriteFormat(w io.Writer) { WriteFormatIn(w, "en") }

// WriteFormatIn writes the reference of the lab format in lang, as
// `labrun help format` prints it: each text of the tables is worded from
// the catalogue by its English (runner/i18n/format.go); names of
// directives, commands, keys and placeholders stay as they are.
func WriteFormatIn(w io.Writer, lang string) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	t := func(english string) string { return i18n.Help(lang, english) }
	p("%s\n", t("A lab is a txtar archive: a testscript script, then the files it uses (-- name -- sections)."))
	p("%s\n", t("Lines starting with \"## \" are labrun directives; \"#\" lines are comments; other lines are commands."))
	p("%s\n\n", t("Every command belongs to a step, under \"## actions\", \"## checks\" or \"## keeps\"."))
	p("%s\n\n", t("Directives:"))
	for _, d := range lab.Directives {
		p("  %-32s %s %s\n", d.Syntax, t(d.Summary), t("("+d.Where+")"))
	}
	p("\n%s\n\n", t("Line prefixes (testscript's, plus one):"))
	p("  %-32s %s\n", "[COND] CMD", t("run CMD only if COND holds ([!COND]: if it does not)"))
	p("  %-32s %s\n", "! CMD", t("CMD must fail: a check must not hold, a program must exit non-zero"))
	p("  %-32s %s\n", lab.Retry+" CHECK", t("retry CHECK until it holds, waking on engine events and polling (100-250 ms), until the step's timeout; on timeout, say what was awaited and the last state seen"))
	p("  %-32s %s\n", "! "+lab.Retry+" CHECK", t("retry CHECK until it does not hold"))
	p("\n%s\n\n", t("Conditions (besides testscript's: linux, exec:PROGRAM, ...):"))
	for _, c := range Conditions {
		p("  %-32s %s\n", "["+c.Args+"]", t(c.Summary))
	}
	p("\n%s\n", i18n.Textf(lang, "Variables the runner defines: %s.", strings.Join(lab.RunnerVars, " ")))
	p("%s\n", t("ENGINE_HOST is where the engine's published ports answer (localhost for a local engine)."))
	p("\n%s\n", t("Commands (check: observes, may be negated and retried; action: changes the engine):"))
	for _, c := range Table() {
		p("\n  %s %s   [%s]\n      %s\n", c.Name, c.Usage.Args, c.Kind, t(c.Usage.Summary))
		if c.Usage.Detail != "" {
			for _, line := range wrap(t(c.Usage.Detail), 88) {
				p("      %s\n", line)
			}
		}
	}
}

// wrap breaks text into lines of at most width characters (runes, not
// bytes: French has accents).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width {
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
