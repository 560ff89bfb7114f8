package main

import (
	"errors"
	"fmt"
	"io"
	"syscall"

	"github.com/labrun/labrun/runner/doctor"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/images"
)

// doctorOptions are the flags of labrun doctor.
type doctorOptions struct {
	json    bool
	set     setFlag
	flavour string
	host    string
}

// defaultDoctorLab is the lab doctor checks when given none.
const defaultDoctorLab = "whoami-rollback"

const doctorUsage = "Usage: labrun doctor [LAB] [flags]\n\n" +
	"Checks that this engine can run LAB (default " + defaultDoctorLab + "), item by item, with the fix of each item\n" +
	"that fails: the engine and its API version, the swarm, the node, the lab's ports and names, its images,\n" +
	"the routing mesh (probed with a short-lived service, removed afterwards) and free disk.\n" +
	"Exit status: 0 the lab can run (a dead routing mesh is a warning: the lab then publishes in host mode),\n" +
	"1 an item fails, 2 usage error or no engine, 130 interrupted (143 for SIGTERM)."

func runDoctor(args []string, stdout, stderr io.Writer) int {
	o := &doctorOptions{set: setFlag{}}
	fs := newFlagSet("doctor", stdout, doctorUsage)
	fs.BoolVar(&o.json, "json", false, "print the checklist as JSON on standard output")
	fs.Var(o.set, "set", "set a lab variable, `NAME=VALUE` (repeatable): the ports and names to check, as labrun run takes them")
	fs.StringVar(&o.flavour, "images", images.Offline, "image `flavour` to check: offline, hub or node")
	fs.StringVar(&o.host, "host", "", "engine `URL` (default: as the docker CLI chooses: DOCKER_HOST, DOCKER_CONTEXT, the current context, the local socket)")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError("doctor", err, stderr)
	}
	if len(positional) > 1 {
		return flagError("doctor", fmt.Errorf("want at most one LAB, got %d arguments", len(positional)), stderr)
	}
	lab := defaultDoctorLab
	if len(positional) == 1 {
		lab = positional[0]
	}

	ctx, abort, signalled, stop := interruptible()
	defer stop()
	opts := doctor.Options{Lab: lab, Set: o.set, Flavour: o.flavour, Host: o.host, Abort: abort}
	if !o.json {
		opts.Out = stdout
	}
	checklist, code, err := doctor.Run(ctx, opts)
	if o.json && len(checklist.Items) > 0 {
		if werr := checklist.WriteJSON(stdout); werr != nil {
			fmt.Fprintf(stderr, "labrun doctor: writing JSON: %v\n", werr)
			return 2
		}
	}
	if code == exit.Error && err != nil && (o.json || len(checklist.Items) == 0) {
		// The checklist shows an unreachable engine; other errors (a bad
		// flag, an unknown lab) come before it, and only here.
		fmt.Fprintf(stderr, "labrun doctor: %v\n", err)
		if errors.As(err, new(*exit.FlagError)) {
			fmt.Fprintln(stderr, "Run \"labrun doctor -h\" for its flags.")
		}
	}
	if code == exit.Interrupted && signalled() == syscall.SIGTERM {
		code = 143
	}
	return code
}
