package runner

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

func TestParsePortRange(t *testing.T) {
	tests := []struct {
		in     string
		lo, hi int
		ok     bool
	}{
		{"20000-29999", 20000, 29999, true},
		{"18650-18650", 18650, 18650, true},
		{"30000-20000", 0, 0, false},
		{"0-10", 0, 0, false},
		{"1-65536", 0, 0, false},
		{"many", 0, 0, false},
		{"20000", 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			r, err := parsePortRange(tc.in)
			if (err == nil) != tc.ok || tc.ok && (r.lo != tc.lo || r.hi != tc.hi) {
				t.Errorf("parsePortRange(%q) = %+v, %v", tc.in, r, err)
			}
		})
	}
}

// TestPortReservation proves that two runs of one user never reserve the
// same port, that a killed run's reservation is taken over, and that a
// run gives back what it reserved.
func TestPortReservation(t *testing.T) {
	dir := t.TempDir()
	a := &isolator{id: "aaaaaaaa", dir: dir}
	b := &isolator{id: "bbbbbbbb", dir: dir}
	if ok, err := a.reserve(20001); !ok || err != nil {
		t.Fatalf("first reservation: %v %v", ok, err)
	}
	if ok, err := b.reserve(20001); ok || err != nil {
		t.Errorf("a port a live run holds was reserved again: %v %v", ok, err)
	}

	// A reservation left by a process that is gone is taken over.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "20002")
	if err := os.WriteFile(stale, []byte(strconv.Itoa(dead.Process.Pid)+" cccccccc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, err := b.reserve(20002); !ok || err != nil {
		t.Errorf("a dead run's reservation was not taken over: %v %v", ok, err)
	}

	a.release()
	if _, err := os.Stat(filepath.Join(dir, "20001")); !os.IsNotExist(err) {
		t.Errorf("released reservation still there: %v", err)
	}
	if ok, err := b.reserve(20001); !ok || err != nil {
		t.Errorf("a released port could not be reserved: %v %v", ok, err)
	}
	b.release()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("reservations left: %v", entries)
	}
}
