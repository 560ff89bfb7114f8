package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/lab"
)

func runShow(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("show", stderr)
	lang := fs.String("lang", defaultLang(), "language: en or fr")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError("show", err, stderr)
	}
	if len(positional) != 1 {
		return flagError("show", fmt.Errorf("want one LAB, got %d arguments", len(positional)), stderr)
	}
	if *lang != "en" && *lang != "fr" {
		return flagError("show", fmt.Errorf("--lang %q: want en or fr", *lang), stderr)
	}
	l, _, err := runner.LoadLab(positional[0])
	if err != nil {
		fmt.Fprintf(stderr, "labrun: %v\n", err)
		return 2
	}
	render(stdout, l, *lang)
	return 0
}

// render writes a lab as a tutorial a student can follow: texts, and the
// commands to type, with the variables' default values.
func render(w io.Writer, l *lab.Lab, lang string) {
	vars := l.Defaults(nil)
	title := l.Title.In(lang)
	fmt.Fprintf(w, "%s\n%s\n\n", title, strings.Repeat("=", len([]rune(title))))
	if t := l.Text.In(lang); t != "" {
		fmt.Fprintf(w, "%s\n\n", oneParagraph(t))
	}
	for _, s := range l.Steps {
		fmt.Fprintf(w, "%d. %s  [%s]\n\n", s.Num, s.Title.In(lang), s.ID)
		if t := s.Text.In(lang); t != "" {
			fmt.Fprintf(w, "   %s\n\n", oneParagraph(lab.Expand(t, vars)))
		}
		for _, c := range s.Type {
			fmt.Fprintf(w, "   $ %s\n", lab.Expand(c, vars))
		}
		if len(s.Type) > 0 {
			fmt.Fprintln(w)
		}
	}
}

// oneParagraph joins a text's lines: the lab file wraps them for its
// author, the reader's terminal wraps them again.
func oneParagraph(t string) string {
	return strings.Join(strings.Fields(t), " ")
}
