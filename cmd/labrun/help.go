package main

import (
	"fmt"
	"io"

	"github.com/labrun/labrun/runner/labcmd"
)

func runHelp(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		usage(stdout)
		return 0
	case len(args) == 1 && args[0] == "format":
		labcmd.WriteFormat(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "labrun help: unknown topic %q; topics: format\n", args[0])
	return 2
}
