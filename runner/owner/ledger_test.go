package owner

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/labrun/labrun/runner/engine"
)

// testEngine is an engine as a ledger sees it: an address and an
// identity; no connection is made.
func testEngine(host, node string) *engine.Engine {
	return &engine.Engine{Host: host, ID: "ENGINE", Name: "vm", NodeID: node, ClusterID: "cluster"}
}

func TestLedgerLifecycle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs")
	e := testEngine("unix:///e.sock", "node1")
	l, err := Create(dir, "abcd1234", "lab", e)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Resource{{Kind: "service", Name: "whoami"}, {Kind: "image", Name: "whoami:1.0"}, {Kind: "service", Name: "whoami"}} {
		if err := l.Add(r.Kind, r.Name); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Prove("service", "whoami", "svc1"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v (err %v), want 0700", info.Mode().Perm(), err)
	}
	info, err = os.Stat(filepath.Join(dir, "abcd1234.json"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("ledger mode %v (err %v), want 0600", info.Mode().Perm(), err)
	}

	// Our own run holds its ledger's lock: no leftover.
	left, _, err := Leftovers(dir, nil)
	if err != nil || len(left) != 0 {
		t.Fatalf("leftovers of a live run: %v (err %v)", left, err)
	}

	// Its process gone (the lock released, as at kill -9), it is one, on
	// its engine only: the same identity under another address too.
	l.alive.Close() // as the kernel does at kill -9: the lock file stays, unlocked
	l.alive = nil
	tests := []struct {
		name  string
		match func(*Ledger) bool
		want  int
	}{
		{"any engine", nil, 1},
		{"its engine", On(e), 1},
		{"its engine by another address", On(testEngine("tcp://10.0.0.1:2375", "node1")), 1},
		{"another node at its address", On(testEngine("unix:///e.sock", "node2")), 0},
	}
	for _, tc := range tests {
		left, _, err := Leftovers(dir, tc.match)
		if err != nil || len(left) != tc.want {
			t.Fatalf("%s: %d leftovers (err %v), want %d", tc.name, len(left), err, tc.want)
		}
		if tc.want == 1 {
			got := left[0]
			if got.ID != "abcd1234" || len(got.Resources) != 2 || got.Resources[0].ID != "svc1" || got.Identity != Identity(e) {
				t.Errorf("read back %+v", got)
			}
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _, _ := Leftovers(dir, nil); len(left) != 0 {
		t.Errorf("closed ledger still listed: %v", left)
	}
}

// TestLedgerOfAnotherMachine: home directories shared over NFS hold the
// ledgers of runs on other machines. One whose run still holds its lock
// is no leftover, whatever its PID means here; one written by an older
// labrun (no lock file) from another machine is judged by its PID only
// on that machine, so never here.
func TestLedgerOfAnotherMachine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs")
	e := testEngine("unix:///e.sock", "node1")
	running, err := Create(dir, "11111111", "lab", e)
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	// Another process holds a lock the way a run on another machine does.
	holder := exec.Command("flock", "-x", filepath.Join(dir, "22222222.json.lock"), "sleep", "30")
	if err := os.WriteFile(filepath.Join(dir, "22222222.json"), []byte(`{"id":"22222222","pid":1,"lab":"lab","engine":"unix:///e.sock","machine":"elsewhere","started":"2026-01-01T00:00:00Z","resources":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Skipf("flock(1) is not here: %v", err)
	}
	defer holder.Process.Kill()
	// No lock file, another machine, a PID that exists here (1): not ours to judge.
	if err := os.WriteFile(filepath.Join(dir, "33333333.json"), []byte(`{"id":"33333333","pid":1,"lab":"lab","engine":"unix:///e.sock","machine":"elsewhere","started":"2026-01-01T00:00:00Z","resources":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	waitLocked(t, filepath.Join(dir, "22222222.json.lock"))
	left, _, err := Leftovers(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range left {
		ids = append(ids, l.ID)
	}
	if len(left) != 1 || left[0].ID != "33333333" {
		t.Errorf("leftovers %v, want only 33333333 (the unlocked ledger of a dead run elsewhere)", ids)
	}
}

// waitLocked waits until another process holds path's lock.
func waitLocked(t *testing.T, path string) {
	t.Helper()
	for range 100 {
		if f, err := lockFile(path, false); err == nil {
			f.Close()
		} else if !os.IsNotExist(err) {
			return
		}
		exec.Command("sleep", "0.05").Run()
	}
	t.Fatalf("%s never got locked", path)
}

// TestCorruptLedger: a ledger that cannot be read is named with its path
// and what is wrong, and set aside on request, after which it no longer
// stands in the way.
func TestCorruptLedger(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "deadbeef.json")
	if err := os.WriteFile(bad, []byte(`{"id": "deadbeef", "resources": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, corrupt, err := Leftovers(dir, nil)
	if err != nil || len(corrupt) != 1 {
		t.Fatalf("corrupt = %v (err %v), want the one file", corrupt, err)
	}
	if msg := corrupt[0].Error(); !strings.Contains(msg, bad) || !strings.Contains(msg, "unexpected end of JSON input") {
		t.Errorf("message %q names neither the file nor what is wrong", msg)
	}
	if err := SetAside(corrupt[0]); err != nil {
		t.Fatal(err)
	}
	if _, corrupt, _ := Leftovers(dir, nil); len(corrupt) != 0 {
		t.Errorf("still corrupt after SetAside: %v", corrupt)
	}
	if _, err := os.Stat(bad + ".corrupt"); err != nil {
		t.Errorf("the corrupt file was not kept aside: %v", err)
	}
}

// TestLedgerWritersMerge: two writers of one ledger (labrun guide and
// labrun check of one student) lose none of each other's records.
func TestLedgerWritersMerge(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs")
	e := testEngine("unix:///e.sock", "node1")
	a, err := CreateGuide(dir, "lab", e, []Resource{{Kind: "service", Name: "s"}, {Kind: "network", Name: "n"}})
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := All(dir)
	if err != nil || len(all) != 1 {
		t.Fatalf("All = %v, %v", all, err)
	}
	b := all[0]
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(2)
		go func() { defer wg.Done(); a.Add("volume", "a"+string(rune('a'+i))) }()
		go func() { defer wg.Done(); b.Add("volume", "b"+string(rune('a'+i))) }()
	}
	wg.Wait()
	if err := a.Prove("service", "s", "S"); err != nil {
		t.Fatal(err)
	}
	if err := b.Prove("network", "n", "N"); err != nil {
		t.Fatal(err)
	}
	all, _, _ = All(dir)
	got := all[0]
	if len(got.Resources) != 42 {
		t.Errorf("%d resources, want 42: %+v", len(got.Resources), got.Resources)
	}
	for _, r := range got.Resources {
		if r.Kind == "service" && r.ID != "S" || r.Kind == "network" && r.ID != "N" {
			t.Errorf("%s %s has ID %q: a writer lost the other's proof", r.Kind, r.Name, r.ID)
		}
	}
}
