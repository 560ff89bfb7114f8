package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestMain makes the test binary act as labrun when a script runs
// "labrun", as testscript does for the commands it is given.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"labrun": func() { os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestCLI runs the scripts that need no engine.
func TestCLI(t *testing.T) {
	testscript.Run(t, scriptParams("testdata/cli"))
}

// TestCLIWithEngine runs the scripts that need a Docker engine and a swarm
// manager. Without an engine they are skipped, except under CI=true, where
// they fail: CI must prove the labs run.
func TestCLIWithEngine(t *testing.T) {
	enginetest.Require(t)
	testscript.Run(t, scriptParams("testdata/engine"))
}
