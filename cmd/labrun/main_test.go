package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/report"
)

// TestMain makes the test binary act as labrun when a script runs
// "labrun", as testscript does for the commands it is given.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"labrun": func() { os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// scriptParams are the testscript settings of labrun's CLI scripts.
func scriptParams(dir string) testscript.Params {
	return testscript.Params{
		Dir: dir,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"expect-exit":  expectExit,
			"check-report": checkReport,
			"atexit":       atExit,
			"hold-port":    holdPort,
		},
		Condition: func(cond string) (bool, error) {
			if cond == "ipvs" { // the kernel can run the routing mesh (a local engine's)
				_, err := os.Stat("/proc/net/ip_vs")
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: func(env *testscript.Env) error {
			// Runs write their ledgers under the script's own state dir,
			// and talk to the engine the tests were given.
			env.Setenv("XDG_STATE_HOME", env.WorkDir+"/state")
			for _, name := range []string{"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"} {
				if v, ok := os.LookupEnv(name); ok {
					env.Setenv(name, v)
				}
			}
			return nil
		},
	}
}

// atExit runs a command when the script ends, pass or fail, ignoring its
// result: "atexit docker service rm other" removes what the script itself
// made on the engine even when a line in between fails.
func atExit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: atexit PROGRAM [ARGS...]")
	}
	ts.Defer(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		exec.CommandContext(ctx, args[0], args[1:]...).Run()
	})
}

// expectExit runs a program and checks its exit status, which exec alone
// cannot: "expect-exit 2 labrun run nosuchlab". stdout and stderr are
// kept for the lines that follow.
func expectExit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: expect-exit CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("expect-exit: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("expect-exit: %v", err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// holdPort listens on 127.0.0.1:PORT until the script ends, so that a
// script sees what labrun says of a port something else uses.
func holdPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: hold-port PORT")
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+args[0])
	ts.Check(err)
	ts.Defer(func() { l.Close() })
}

// checkReport checks a JSON report: "check-report FILE RESULT STEP-ID..."
// holds when the run's result is RESULT and its steps are these, in this
// order, each with that result.
func checkReport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: check-report FILE RESULT STEP-ID...")
	}
	var rep report.Run
	if err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &rep); err != nil {
		ts.Fatalf("%s: %v", args[0], err)
	}
	if rep.Result != args[1] {
		ts.Fatalf("result %q, want %q (error: %s)", rep.Result, args[1], rep.Error)
	}
	ids := args[2:]
	if len(rep.Steps) != len(ids) {
		ts.Fatalf("%d steps, want %d", len(rep.Steps), len(ids))
	}
	for i, s := range rep.Steps {
		if s.ID != ids[i] || s.Result != args[1] || s.Title == "" {
			ts.Fatalf("step %d: %s %q %s (%s), want %s %s with a title", i+1, s.ID, s.Title, s.Result, s.Error, ids[i], args[1])
		}
	}
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
