package main

import (
	"fmt"
	"io"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/catalog"
)

func runList(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return flagError("list", fmt.Errorf("list takes no arguments"), stderr)
	}
	lang := defaultLang()
	names := labs.Names()
	width := 0
	for _, name := range names {
		width = max(width, len(name))
	}
	for _, name := range names {
		l, _, err := catalog.Load(name)
		if err != nil {
			fmt.Fprintf(stderr, "labrun: %v\n", err)
			return 2
		}
		fmt.Fprintf(stdout, "%-*s %2d steps  %s\n", width, name, len(l.Steps), l.Title.In(lang))
	}
	return 0
}
