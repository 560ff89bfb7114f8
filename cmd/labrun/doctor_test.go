package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestDoctorInterrupt stops labrun doctor while its routing mesh probe
// runs, with each signal: it exits 130 (143), and its probe service, image,
// containers and ledger are gone.
func TestDoctorInterrupt(t *testing.T) {
	e := enginetest.Require(t)
	for i, tc := range []struct {
		signal   syscall.Signal
		wantExit int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.signal.String(), func(t *testing.T) {
			ctx := context.Background()
			state := t.TempDir()
			var out bytes.Buffer
			cmd := exec.Command("labrun", "doctor", "--set", fmt.Sprintf("PORT=%d", 18540+i), "--set", "SERVICE=labrun-doc-int", "--set", "IMAGE=labrun-doc-int")
			cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state)
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()

			// The probe's name comes from its ledger, written before it exists.
			var id string
			deadline := time.Now().Add(time.Minute)
			for id == "" {
				ledgers, _ := filepath.Glob(filepath.Join(state, "labrun", "runs", "*.json"))
				for _, path := range ledgers {
					candidate := strings.TrimSuffix(filepath.Base(path), ".json")
					if _, err := e.Client.ServiceInspect(ctx, "labrun-doctor-probe-"+candidate, client.ServiceInspectOptions{}); err == nil {
						id = candidate
					}
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("no probe service within a minute:\n%s", &out)
				}
				time.Sleep(50 * time.Millisecond)
			}
			cmd.Process.Signal(tc.signal)
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 15 s after the signal")
			}
			if code := cmd.ProcessState.ExitCode(); code != tc.wantExit {
				t.Errorf("exit status %d, want %d\n%s", code, tc.wantExit, &out)
			}
			for _, want := range []string{"  - routing mesh   interrupted\n", "ERROR interrupted\n"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("the output lacks %q:\n%s", want, &out)
				}
			}
			if _, err := e.Client.ServiceInspect(ctx, "labrun-doctor-probe-"+id, client.ServiceInspectOptions{}); !cerrdefs.IsNotFound(err) {
				t.Errorf("the probe service is left (err %v)", err)
			}
			if _, err := e.Client.ImageInspect(ctx, "labrun-doctor-probe:"+id); !cerrdefs.IsNotFound(err) {
				t.Errorf("the probe image is left (err %v)", err)
			}
			list, err := e.Client.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", "labrun.run="+id)})
			if err != nil || len(list.Items) > 0 {
				t.Errorf("the probe's containers are left: %d (err %v)", len(list.Items), err)
			}
			assertNoLedger(t, state)
		})
	}
}
