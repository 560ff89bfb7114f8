package owner

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Resource is one thing a run created, or was about to create when it
// wrote the entry: entries are written before the creation, so that a
// crash between the two still leaves a trace.
type Resource struct {
	Kind string `json:"kind"` // service, image, swarm
	Name string `json:"name"`
}

// Ledger is the record of one run.
type Ledger struct {
	ID     string `json:"id"`
	PID    int    `json:"pid"`
	Lab    string `json:"lab"`
	Engine string `json:"engine"`
	// Started is on the engine's clock: a service named in the ledger is
	// the run's only if the engine created it after this.
	Started   time.Time  `json:"started"`
	Resources []Resource `json:"resources"`
	// Guide ledgers belong to a guided lab that a student may resume any
	// day: they are no leftovers, and only labrun reset removes them.
	Guide bool `json:"guide,omitempty"`

	mu   sync.Mutex
	path string
}

// StateDir returns labrun's state directory: dir when given, else
// $XDG_STATE_HOME/labrun, or ~/.local/state/labrun.
func StateDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no place for labrun's state: %w", err)
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "labrun"), nil
}

// LedgerDir is where the ledgers live in the state directory: the one
// place that knows the layout.
func LedgerDir(stateDir string) string { return filepath.Join(stateDir, "runs") }

// NewID returns a fresh run ID: short, so that it fits in names and labels.
func NewID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Create starts the ledger of a run in dir and writes it. The directory is
// private to its owner: the ledger names what cleanup will remove.
func Create(dir, id, lab, engine string, started time.Time) (*Ledger, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	l := &Ledger{ID: id, PID: os.Getpid(), Lab: lab, Engine: engine, Started: started, path: filepath.Join(dir, id+".json")}
	return l, l.save()
}

// CreateGuide starts the ledger of a guided lab in dir and writes it: it
// lists, from the start, every resource the lab creates (their names were
// proven free), and it is no leftover while its student may resume; only
// labrun reset releases it.
func CreateGuide(dir, lab, engine string, started time.Time, resources []Resource) (*Ledger, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	id := NewID()
	l := &Ledger{ID: id, PID: os.Getpid(), Lab: lab, Engine: engine, Started: started, Guide: true, Resources: resources,
		path: filepath.Join(dir, id+".json")}
	return l, l.save()
}

// Add records a resource, before it is created.
func (l *Ledger) Add(kind, name string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.Resources {
		if r.Kind == kind && r.Name == name {
			return nil
		}
	}
	l.Resources = append(l.Resources, Resource{Kind: kind, Name: name})
	return l.saveLocked()
}

// Close deletes the ledger: everything in it has been cleaned up.
func (l *Ledger) Close() error {
	err := os.Remove(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

func (l *Ledger) save() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.saveLocked()
}

func (l *Ledger) saveLocked() error {
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	tmp := l.path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("write the run's ledger: %w", err)
	}
	return os.Rename(tmp, l.path)
}

// Leftovers returns the ledgers in dir of runs that are over (their
// process is gone) but were not cleaned up, for engine (all when empty).
func Leftovers(dir, engine string) ([]*Ledger, error) {
	return read(dir, func(l *Ledger) bool { return (engine == "" || l.Engine == engine) && !l.Guide && !alive(l.PID) })
}

// read returns the ledgers in dir that keep selects, oldest first.
func read(dir string, keep func(*Ledger) bool) ([]*Ledger, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*Ledger
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		l := &Ledger{}
		if json.Unmarshal(data, l) != nil {
			continue
		}
		l.path = path
		if keep(l) {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Started.Before(out[j].Started) })
	return out, nil
}

// alive reports whether a process with this PID runs. A PID reused by
// another process keeps a ledger alive, which errs on the safe side.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// All returns every ledger in dir, whether its run is over or not.
func All(dir string) ([]*Ledger, error) {
	return read(dir, func(*Ledger) bool { return true })
}

// Guides returns the ledgers in dir of lab's guided runs on engine: what
// labrun reset releases when the progress file naming its ledger is lost.
func Guides(dir, lab, engine string) ([]*Ledger, error) {
	return read(dir, func(l *Ledger) bool { return l.Guide && l.Lab == lab && l.Engine == engine })
}
