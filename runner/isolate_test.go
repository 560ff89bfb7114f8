package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
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
// same port, that a killed run's reservation (a file nobody locks) is taken
// over, and that a run gives back what it reserved.
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
	if err := os.WriteFile(filepath.Join(dir, "20002"), []byte("12345 cccccccc\n"), 0o600); err != nil {
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
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("cannot tell whether reservations are left: %v", err)
	}
	if len(entries) != 0 {
		t.Errorf("reservations left: %v", entries)
	}
}

// TestPortReservationRace reserves one port from many goroutines at once,
// each as its own run: exactly one may hold it.
func TestPortReservationRace(t *testing.T) {
	dir := t.TempDir()
	for round := 0; round < 50; round++ {
		runs := make([]*isolator, 8)
		var wg sync.WaitGroup
		var holders atomic.Int32
		for k := range runs {
			runs[k] = &isolator{id: fmt.Sprint(k), dir: dir}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if ok, err := runs[k].reserve(20003); err != nil {
					t.Error(err)
				} else if ok {
					holders.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := holders.Load(); n != 1 {
			t.Fatalf("round %d: %d runs hold the port, want 1", round, n)
		}
		for _, r := range runs {
			r.release()
		}
	}
}
