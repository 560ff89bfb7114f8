package guide

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
)

// progress is what a guided lab remembers between sessions, per lab and
// engine: the steps marked done, the variables, and the ledger of what
// the lab created, which labrun reset removes.
//
// A step counts as done only while every step before it is done: Done
// is a set of marks, and the progress is its longest prefix of the lab's
// steps. A mark made while an earlier step was still to do (labrun check
// STEP out of order) is also in Ahead: the guide checks such a step again,
// at once, when it reaches it, since the engine may have changed since.
type progress struct {
	Ledger string            `json:"ledger"`
	Done   []string          `json:"done"`
	Ahead  []string          `json:"ahead,omitempty"`
	Vars   map[string]string `json:"vars"`
}

// counts reports whether step id counts as done: marked, and not a mark
// made out of order that the guide has yet to check again.
func (p *progress) counts(id string) bool {
	return slices.Contains(p.Done, id) && !slices.Contains(p.Ahead, id)
}

// next returns the first step of l that does not count as done, nil when
// all do.
func (p *progress) next(l *lab.Lab) *lab.Step {
	for _, s := range l.Steps {
		if !p.counts(s.ID) {
			return s
		}
	}
	return nil
}

// started reports whether any step counts as done.
func (p *progress) started(l *lab.Lab) bool {
	return len(l.Steps) > 0 && p.counts(l.Steps[0].ID)
}

// mark records step s of l as done. A step some earlier step of which is
// still to do is marked ahead; marking the step that the prefix awaits
// confirms it.
func (p *progress) mark(l *lab.Lab, s *lab.Step) {
	if !slices.Contains(p.Done, s.ID) {
		p.Done = append(p.Done, s.ID)
	}
	p.Ahead = slices.DeleteFunc(p.Ahead, func(id string) bool { return id == s.ID })
	if next := p.next(l); next != nil && next.Num < s.Num {
		p.Ahead = append(p.Ahead, s.ID)
	}
}

// unmark forgets a mark that no longer holds.
func (p *progress) unmark(id string) {
	p.Done = slices.DeleteFunc(p.Done, func(d string) bool { return d == id })
	p.Ahead = slices.DeleteFunc(p.Ahead, func(d string) bool { return d == id })
}

// CorruptError is a progress file that cannot be read as progress: its
// path and what is wrong. labrun reset removes it.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string { return e.In("en") }

// In words the error in lang; what the JSON decoder said is quoted.
func (e *CorruptError) In(lang string) string {
	return i18n.Text(lang, "guide-not-progress", e.Path, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// store is a progress file, shared by every labrun process of one
// student: guide and check may run at once. Each change locks the file
// (flock on a lock file beside it, which holds between processes),
// reads it again, applies the change to what it read and writes it
// through a temporary file and a rename, so that neither loses the
// other's marks and a crash never leaves half a file.
type store struct{ path string }

// lock takes the store's lock, waiting for another process to let go.
func (s store) lock() (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(s.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, i18n.Errorf("lock %s: %v", f.Name(), err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// read returns the progress in the file: empty when there is none, a
// *CorruptError when it is not progress.
func (s store) read() (progress, error) {
	var p progress
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return progress{}, &CorruptError{Path: s.path, Err: err}
	}
	return p, nil
}

// load reads the progress under the lock.
func (s store) load() (progress, error) {
	unlock, err := s.lock()
	if err != nil {
		return progress{}, err
	}
	defer unlock()
	return s.read()
}

// update applies change to the progress as the file holds it now, under
// the lock, writes the result and returns it.
func (s store) update(change func(*progress)) (progress, error) {
	unlock, err := s.lock()
	if err != nil {
		return progress{}, err
	}
	defer unlock()
	p, err := s.read()
	if err != nil {
		return progress{}, err
	}
	change(&p)
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return progress{}, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), filepath.Base(s.path)+".*.tmp")
	if err != nil {
		return progress{}, err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return progress{}, i18n.Errorf("save the guide's progress: %v", err)
	}
	return p, nil
}

// remove deletes the progress file and its lock, under the lock.
func (s store) remove() error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	err = os.Remove(s.path)
	os.Remove(s.path + ".lock")
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// progressKey names a lab's progress on engine e. In a swarm the node is
// known by its swarm cluster and node IDs: engines cloned from one
// machine image share their engine ID, and one address can reach a
// different engine another day. Outside a swarm, the engine's ID and
// address are all there is.
func progressKey(labName string, e *engine.Engine) string {
	identity := "engine " + e.Host + " " + e.ID
	if e.NodeID != "" {
		identity = "swarm " + e.ClusterID + " " + e.NodeID
	}
	sum := sha256.Sum256([]byte(identity))
	return labName + "-" + hex.EncodeToString(sum[:6])
}

// oldProgressKey is the key labrun used before progressKey: address and
// engine ID.
func oldProgressKey(labName string, e *engine.Engine) string {
	sum := sha256.Sum256([]byte(e.Host + " " + e.ID))
	return labName + "-" + hex.EncodeToString(sum[:4])
}

// carryOver moves progress saved under the old key to s, with its work
// directory, when s has none yet, so that a student resumes where they
// were. The old key is the address and engine ID, which a clone shares:
// it is carried over once, by the first labrun to look.
func carryOver(s store, old string) {
	if old == s.path {
		return
	}
	unlock, err := s.lock()
	if err != nil {
		return
	}
	defer unlock()
	if _, err := os.Stat(s.path); !errors.Is(err, os.ErrNotExist) {
		return
	}
	if os.Rename(old, s.path) == nil {
		os.Rename(strings.TrimSuffix(old, ".json"), strings.TrimSuffix(s.path, ".json"))
	}
}
