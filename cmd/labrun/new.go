package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/author"
)

const newUsage = `Usage: labrun new NAME [-o PATH]

Writes NAME.txtar (or PATH), the commented skeleton of a lab that
labrun lint finds clean and labrun run can run: both languages, a
preflight step, a step with actions and checks, a cleanup step. NAME
is lower-case letters, digits and dashes. An existing file is never
overwritten. Exit status: 0 written, 2 usage error or existing file.`

func runNew(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("new", stdout, newUsage)
	out := fs.String("o", "", "write the lab to `PATH` (default NAME.txtar)")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError("new", err, stderr)
	}
	if len(positional) != 1 {
		return flagError("new", fmt.Errorf("want one NAME, got %d arguments", len(positional)), stderr)
	}
	name := strings.TrimSuffix(positional[0], labs.Ext)
	path := *out
	if path == "" {
		path = name + labs.Ext
	}
	if err := author.NewLab(name, path); err != nil {
		fmt.Fprintf(stderr, "labrun: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "wrote %s: edit it, then labrun lint %s\n", path, path)
	return 0
}
