package author

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/labrun/labrun/runner/catalog"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/report"
)

// Show writes a lab as a tutorial a student can follow: its texts in lang,
// and the commands to type with the variables' default values. With all,
// it also writes every line the lab runs, step by step, as the lab file
// writes it, and every file of the lab: nothing a lab file does is hidden
// from whoever is asked to trust it.
func Show(w io.Writer, nameOrPath, lang string, all bool) error {
	l, _, err := catalog.Load(nameOrPath)
	if err != nil {
		return err
	}
	vars := l.Defaults(nil)
	width := report.Width(w)
	title := lab.Wrap(l.Title.In(lang), width, "", "")
	fmt.Fprintf(w, "%s\n%s\n\n", title, strings.Repeat("=", longestLine(title)))
	if t := l.Text.In(lang); t != "" {
		fmt.Fprintf(w, "%s\n\n", lab.Wrap(t, width, "", ""))
	}
	if len(l.Vars) > 0 {
		fmt.Fprintln(w, lab.Wrap(i18n.Textf(lang, "Variables (labrun run --set NAME=VALUE changes them):"), width, "", ""))
		for _, v := range l.Vars {
			// The description after NAME=DEFAULT, its further lines
			// under its first word.
			first := fmt.Sprintf("   %s=%s  ", v.Name, v.Default)
			fmt.Fprintln(w, lab.Wrap(v.Doc.In(lang), width, first, strings.Repeat(" ", len([]rune(first)))))
		}
		fmt.Fprintln(w)
	}
	for _, s := range l.Steps {
		fmt.Fprintf(w, "%s\n\n", stepHeading(s.Num, s.Title.In(lang), s.ID, width))
		if t := s.Text.In(lang); t != "" {
			fmt.Fprintf(w, "%s\n\n", lab.Wrap(lab.Expand(t, vars), width, "   ", "   "))
		}
		for _, c := range s.Type {
			fmt.Fprintf(w, "   $ %s\n", lab.Expand(c, vars))
		}
		if len(s.Type) > 0 {
			fmt.Fprintln(w)
		}
		if all && len(s.Lines) > 0 {
			fmt.Fprintf(w, "   %s\n", i18n.Textf(lang, "labrun runs (lab file lines):"))
			for _, l := range s.Lines {
				fmt.Fprintf(w, "   %4d  %s\n", l.Num, l.Text)
			}
			fmt.Fprintln(w)
		}
	}
	if all && len(l.Files) > 0 {
		fmt.Fprintln(w, i18n.Textf(lang, "Files of the lab:"))
		for _, name := range slices.Sorted(maps.Keys(l.Files)) {
			fmt.Fprintf(w, "\n-- %s --\n%s", name, l.Files[name])
			if data := l.Files[name]; len(data) > 0 && data[len(data)-1] != '\n' {
				fmt.Fprintln(w)
			}
		}
	}
	return nil
}

// stepHeading is "N. TITLE  [ID]" wrapped at width between words, the
// title's further lines under its first word; [ID] ends the last line, or
// has a line of its own when it does not fit there.
func stepHeading(num int, title, id string, width int) string {
	first := fmt.Sprintf("%d. ", num)
	indent := strings.Repeat(" ", len(first))
	heading := lab.Wrap(title, width, first, indent)
	tag := "[" + id + "]"
	last := heading[strings.LastIndex(heading, "\n")+1:]
	if len([]rune(last))+2+len([]rune(tag)) > width {
		return heading + "\n" + indent + tag
	}
	return heading + "  " + tag
}

// longestLine is the width, in runes, of text's longest line.
func longestLine(text string) int {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		n = max(n, len([]rune(line)))
	}
	return n
}
