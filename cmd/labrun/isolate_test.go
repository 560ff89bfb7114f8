package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/report"
)

// isolatePorts is the range the isolated runs of the tests pick from:
// ports no other test of labrun uses.
const isolatePorts = "18650-18699"

// TestIsolatedRunsInParallel runs the whoami lab several times at once on
// one engine with --isolate, as a classroom sharing a swarm would: four
// with --fast and one at the tutorial's pace. Each must pass with names
// and a port of its own, in the range it was given, and leave nothing.
func TestIsolatedRunsInParallel(t *testing.T) {
	e := enginetest.Require(t)
	state := t.TempDir() // shared, as one user's runs share it
	lo, hi := 18650, 18699
	tests := []struct {
		name  string
		flags []string
	}{
		{"fast1", []string{"--fast"}},
		{"fast2", []string{"--fast"}},
		{"fast3", []string{"--fast"}},
		{"fast4", []string{"--fast"}},
		{"tutorial", nil},
	}
	reports := make([]report.Run, len(tests))
	var wg sync.WaitGroup
	for i, tc := range tests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			file := filepath.Join(state, tc.name+".json")
			args := append([]string{"run", "whoami-rollback", "--isolate", "--isolate-ports", isolatePorts, "-q", "--json", file}, tc.flags...)
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "labrun", args...)
			cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s: labrun %s: %v\n%s", tc.name, strings.Join(args, " "), err, out)
			}
			data, err := os.ReadFile(file)
			if err == nil {
				err = json.Unmarshal(data, &reports[i])
			}
			if err != nil {
				t.Errorf("%s: report: %v", tc.name, err)
			}
		}()
	}
	wg.Wait()

	seen := map[string]string{}
	for i, tc := range tests {
		rep := reports[i]
		if rep.Result != report.Pass || !rep.Isolated || rep.Fast != (tc.flags != nil) {
			t.Errorf("%s: result %q, isolated %v, fast %v (error: %s)", tc.name, rep.Result, rep.Isolated, rep.Fast, rep.Error)
		}
		service, image, port := rep.Vars["SERVICE"], rep.Vars["IMAGE"], rep.Vars["PORT"]
		if !strings.HasPrefix(service, "whoami-") || !strings.HasPrefix(image, "whoami-") {
			t.Errorf("%s: SERVICE=%q IMAGE=%q, want whoami-RUNID", tc.name, service, image)
		}
		if p, err := strconv.Atoi(port); err != nil || p < lo || p > hi {
			t.Errorf("%s: PORT=%q, want one in %s", tc.name, port, isolatePorts)
		}
		if !strings.Contains(strings.Join(rep.Notices, "\n"), fmt.Sprintf("SERVICE=%s PORT=%s IMAGE=%s", service, port, image)) {
			t.Errorf("%s: no notice says the chosen values: %q", tc.name, rep.Notices)
		}
		for _, v := range []string{"SERVICE=" + service, "IMAGE=" + image, "PORT=" + port} {
			if other, dup := seen[v]; dup {
				t.Errorf("%s and %s both have %s", other, tc.name, v)
			}
			seen[v] = tc.name
		}
		assertNothingLeft(t, context.Background(), e.Client, service, state)
		if image != service {
			assertNothingLeft(t, context.Background(), e.Client, image, state)
		}
	}
	assertEmptyDir(t, filepath.Join(state, "labrun", "ports"), "port reservations")
}
