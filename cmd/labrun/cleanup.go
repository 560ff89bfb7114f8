package main

import (
	"fmt"
	"io"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/ledger"
)

func runCleanup(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("cleanup", stderr)
	host := fs.String("host", "", "engine `URL` (default: DOCKER_HOST, or the local socket)")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError("cleanup", err, stderr)
	}
	if len(positional) > 0 {
		return flagError("cleanup", fmt.Errorf("cleanup takes no arguments"), stderr)
	}
	ctx, abort, _, stop := interruptible()
	defer stop()
	e, err := engine.Connect(ctx, *host)
	if err != nil {
		fmt.Fprintf(stderr, "labrun: %v\n", err)
		return 2
	}
	defer e.Close()
	dir, err := ledger.Dir()
	if err != nil {
		fmt.Fprintf(stderr, "labrun: %v\n", err)
		return 2
	}
	leftovers, err := ledger.Leftovers(dir, e.Host)
	if err != nil {
		fmt.Fprintf(stderr, "labrun: %v\n", err)
		return 2
	}
	if len(leftovers) == 0 {
		fmt.Fprintf(stdout, "nothing to clean up on %s\n", e.Host)
		return 0
	}
	code := 0
	for _, l := range leftovers {
		fmt.Fprintf(stdout, "run %s (lab %s, started %s):\n", l.ID, l.Lab, l.Started.Format("2006-01-02 15:04:05"))
		removed, left := runner.Clean(abort, e, l)
		for _, s := range removed {
			fmt.Fprintf(stdout, "  removed %s\n", s)
		}
		if len(removed) == 0 && len(left) == 0 {
			fmt.Fprintf(stdout, "  nothing of this run was left\n")
		}
		for _, s := range left {
			fmt.Fprintf(stdout, "  left: %s\n", s)
			code = 1
		}
	}
	return code
}
