package main

import (
	"os"

	"github.com/spf13/pflag"

	"github.com/labrun/labrun/runner"
)

// addFastIsolateFlags adds the flags of run and verify that change the
// lab's variables: --fast (the lab's fast values) and --isolate (names and
// a port of the run's own).
func (o *runOptions) addFastIsolateFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.fast, "fast", false, "use the lab's fast values: shortened timings (health checks, monitors), NOT the tutorial's, checking the same states")
	fs.BoolVar(&o.isolate, "isolate", false, "give the run its own names (suffixed with the run's id) and a free port, so that runs sharing an engine do not meet; --set still wins")
	ports := runner.DefaultIsolatePorts
	if env := os.Getenv(runner.IsolatePortsEnv); env != "" {
		ports = env
	}
	fs.StringVar(&o.isolatePorts, "isolate-ports", ports, "the `LO-HI` range of ports --isolate picks from (default $"+runner.IsolatePortsEnv+", else "+runner.DefaultIsolatePorts+")")
}
