package main

import (
	"fmt"
	"io"

	"github.com/labrun/labrun/runner/author"
)

const lintUsage = `Usage: labrun lint [--strict] LAB...

Checks lab files without an engine: syntax, step ids, commands and their
arguments, variables (used but not declared; declared but never used),
embedded files (named but missing; present but never used), texts in both
English and French, and that every step with actions has checks. LAB is a
built-in lab's name, a lab file or a directory of them; files not ending
in .txtar are skipped, so that labrun lint labs/* works.
One line per finding, file:line: message; warnings say "warning:".
Exit status: 0 no errors (warnings allowed, unless --strict), 1 errors
(or warnings with --strict), 2 usage error or unreadable lab.`

func runLint(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("lint", stdout, lintUsage)
	strict := fs.Bool("strict", false, "fail (exit 1) on warnings too")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError("lint", err, stderr)
	}
	if len(positional) == 0 {
		return flagError("lint", fmt.Errorf("want at least one LAB"), stderr)
	}
	res, err := author.Lint(stdout, stderr, positional)
	if err != nil {
		fmt.Fprintf(stderr, "labrun: %v\n", err)
		return 2
	}
	if res.Errors > 0 || *strict && res.Warnings > 0 {
		return 1
	}
	return 0
}
