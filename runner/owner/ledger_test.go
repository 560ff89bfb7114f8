package owner

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLedgerLifecycle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs")
	l, err := Create(dir, "abcd1234", "lab", "unix:///e.sock", time.Unix(1000, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Resource{{"service", "whoami"}, {"image", "whoami:1.0"}, {"service", "whoami"}} {
		if err := l.Add(r.Kind, r.Name); err != nil {
			t.Fatal(err)
		}
	}
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v (err %v), want 0700", info.Mode().Perm(), err)
	}
	info, err = os.Stat(filepath.Join(dir, "abcd1234.json"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("ledger mode %v (err %v), want 0600", info.Mode().Perm(), err)
	}

	// Our own process is alive: its ledger is no leftover.
	left, err := Leftovers(dir, "")
	if err != nil || len(left) != 0 {
		t.Fatalf("leftovers of a live run: %v (err %v)", left, err)
	}

	// A ledger whose process is gone is one, for its engine only.
	l.PID = 1 << 30
	if err := l.save(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		engine string
		want   int
	}{{"", 1}, {"unix:///e.sock", 1}, {"tcp://other:2376", 0}}
	for _, tc := range tests {
		left, err := Leftovers(dir, tc.engine)
		if err != nil || len(left) != tc.want {
			t.Fatalf("Leftovers(%q) = %d ledgers (err %v), want %d", tc.engine, len(left), err, tc.want)
		}
		if tc.want == 1 {
			got := left[0]
			if got.ID != "abcd1234" || len(got.Resources) != 2 || !got.Started.Equal(time.Unix(1000, 0)) {
				t.Errorf("read back %+v", got)
			}
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := Leftovers(dir, ""); len(left) != 0 {
		t.Errorf("closed ledger still listed: %v", left)
	}
}

func TestLeftoversNoDir(t *testing.T) {
	left, err := Leftovers(filepath.Join(t.TempDir(), "missing"), "")
	if err != nil || left != nil {
		t.Errorf("got %v, %v; want nothing", left, err)
	}
}
