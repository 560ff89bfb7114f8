package main

import (
	"fmt"
	"io"

	"github.com/labrun/labrun/runner/owner"
	"github.com/labrun/labrun/runner/timeouts"
)

func runCleanup(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("cleanup", stdout, "")
	host := fs.String("host", "", "engine `URL` (default: as the docker CLI chooses: DOCKER_HOST, DOCKER_CONTEXT, the current context, the local socket)")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError("cleanup", err, stderr)
	}
	if len(positional) > 0 {
		return flagError("cleanup", fmt.Errorf("cleanup takes no arguments"), stderr)
	}
	ctx, abort, _, stop := interruptible()
	defer stop()
	code, err := owner.Cleanup(ctx, abort, *host, "", timeouts.Default().Cleanup, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "labrun: %v\n", err)
	}
	return code
}
