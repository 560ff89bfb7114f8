package guide

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/lab"
)

func threeSteps() *lab.Lab {
	return &lab.Lab{Name: "l", Steps: []*lab.Step{{ID: "a", Num: 1}, {ID: "b", Num: 2}, {ID: "c", Num: 3}}}
}

// TestProgressPrefix: a step counts as done only while every step before
// it does; a mark made out of order waits for the guide to check it again.
func TestProgressPrefix(t *testing.T) {
	for _, tc := range []struct {
		name      string
		marks     []string // marked in this order
		next      string   // "" when all count
		ahead     []string
		startedOK bool
	}{
		{name: "none", next: "a"},
		{name: "in order", marks: []string{"a", "b"}, next: "c", startedOK: true},
		{name: "all", marks: []string{"a", "b", "c"}, next: "", startedOK: true},
		{name: "later step first", marks: []string{"c"}, next: "a", ahead: []string{"c"}},
		{name: "gap then filled", marks: []string{"a", "c", "b"}, next: "c", ahead: []string{"c"}, startedOK: true},
		{name: "ahead step checked again", marks: []string{"a", "c", "b", "c"}, next: "", startedOK: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := threeSteps()
			var p progress
			for _, id := range tc.marks {
				p.mark(l, l.Step(id))
			}
			got := ""
			if s := p.next(l); s != nil {
				got = s.ID
			}
			if got != tc.next {
				t.Errorf("next = %q, want %q (done %v, ahead %v)", got, tc.next, p.Done, p.Ahead)
			}
			if !slices.Equal(p.Ahead, tc.ahead) {
				t.Errorf("ahead = %v, want %v", p.Ahead, tc.ahead)
			}
			if p.started(l) != tc.startedOK {
				t.Errorf("started = %v, want %v", p.started(l), tc.startedOK)
			}
		})
	}
}

// TestProgressUnmark: a mark that no longer holds goes, ahead or not.
func TestProgressUnmark(t *testing.T) {
	l := threeSteps()
	var p progress
	p.mark(l, l.Step("c"))
	p.unmark("c")
	if len(p.Done) != 0 || len(p.Ahead) != 0 {
		t.Errorf("after unmark: done %v, ahead %v", p.Done, p.Ahead)
	}
}

// TestStoreConcurrent: writers that each hold only their own change (a
// guide and a check at once) lose none of the other's: each change is
// applied to the file as it is, under a lock taken through its own file
// descriptor, as another process takes it.
func TestStoreConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guide", "l.json")
	const writers, each = 4, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := store{path: path}
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				if _, err := s.update(func(p *progress) { p.Done = append(p.Done, id) }); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	p, err := store{path: path}.load()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Done) != writers*each {
		t.Errorf("%d marks kept, want %d", len(p.Done), writers*each)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestStoreCorrupt: a file that is not progress is named with what is
// wrong, is not overwritten by an update, and remove recovers from it.
func TestStoreCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.json")
	if err := os.WriteFile(path, []byte(`{"done": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	s := store{path: path}
	_, err := s.load()
	var corrupt *CorruptError
	if !errors.As(err, &corrupt) || corrupt.Path != path {
		t.Fatalf("load: %v, want a CorruptError naming %s", err, path)
	}
	if want := path + ": not a guided lab's progress (unexpected end of JSON input)"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if _, err := s.update(func(p *progress) { p.Done = []string{"a"} }); !errors.As(err, &corrupt) {
		t.Errorf("update over a corrupt file: %v", err)
	}
	if err := s.remove(); err != nil {
		t.Fatal(err)
	}
	if p, err := s.load(); err != nil || len(p.Done) != 0 {
		t.Errorf("after remove: %v, %v", p, err)
	}
}

// TestProgressKey: in a swarm, the key follows the cluster and node, not
// the engine ID a cloned machine shares; outside one, the engine.
func TestProgressKey(t *testing.T) {
	clone1 := &engine.Engine{Host: "unix:///var/run/docker.sock", ID: "same", NodeID: "n1", ClusterID: "c1"}
	clone2 := &engine.Engine{Host: "unix:///var/run/docker.sock", ID: "same", NodeID: "n2", ClusterID: "c2"}
	if progressKey("l", clone1) == progressKey("l", clone2) {
		t.Error("two swarm nodes with one engine ID share a progress key")
	}
	alone := &engine.Engine{Host: "unix:///var/run/docker.sock", ID: "same"}
	other := &engine.Engine{Host: "tcp://10.0.0.2:2375", ID: "same"}
	if progressKey("l", alone) == progressKey("l", other) {
		t.Error("two engines outside a swarm at two addresses share a progress key")
	}
}

// TestCarryOver: progress under the old key moves to the new one, once.
func TestCarryOver(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.json")
	os.WriteFile(old, []byte(`{"done":["a"]}`), 0o600)
	s := store{path: filepath.Join(dir, "new.json")}
	carryOver(s, old)
	p, err := s.load()
	if err != nil || !slices.Equal(p.Done, []string{"a"}) {
		t.Fatalf("carried over: %v, %v", p, err)
	}
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old file still there: %v", err)
	}
}
