package owner

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
)

// Resource is one thing a run created, or was about to create when it
// wrote the entry: entries are written before the creation, so that a
// crash between the two still leaves a trace.
type Resource struct {
	Kind string `json:"kind"` // service, image, network, secret, config, volume, swarm
	Name string `json:"name"`
	// ID is the object's ID on the engine, recorded the moment the run
	// saw it created: the proof that it is the run's. Release removes an
	// object only while it still has this ID; one with none is unproven,
	// and stays.
	ID string `json:"id,omitempty"`
	// Node and Engine say where an image labrun put on another node of
	// the swarm lives: the node's ID, and its engine's address as the run
	// reached it. Empty: on the engine of the ledger.
	Node   string `json:"node,omitempty"`
	Engine string `json:"nodeEngine,omitempty"`
}

// Ledger is the record of one run.
type Ledger struct {
	ID  string `json:"id"`
	PID int    `json:"pid"`
	Lab string `json:"lab"`
	// Engine is the engine's address, as the run reached it: what the
	// cleanup command names.
	Engine string `json:"engine"`
	// Identity is the engine's own (Identity): addresses differ from one
	// machine to the next, and one address may reach another engine later.
	Identity string `json:"identity,omitempty"`
	// Machine is the host labrun ran on: its PID means something only
	// there (state directories may be shared over NFS).
	Machine string `json:"machine,omitempty"`
	// Started is on the engine's clock.
	Started   time.Time  `json:"started"`
	Resources []Resource `json:"resources"`
	// Swarm is the cluster ID of the swarm the run initialised
	// (--init-swarm): the only swarm it leaves.
	Swarm string `json:"swarm,omitempty"`
	// Nodes are the swarm's nodes as they were before the run's first
	// docker node update: Release puts their labels and availability back
	// (nodes.go).
	Nodes []NodeState `json:"nodes,omitempty"`
	// Guide ledgers belong to a guided lab that a student may resume any
	// day: they are no leftovers, and only labrun reset removes them.
	Guide bool `json:"guide,omitempty"`

	mu   sync.Mutex
	path string
	// alive is the lock the run holds on its ledger while it lives: the
	// kernel drops it when the process dies, kill -9 included, and it
	// holds across machines on a shared file system, where a PID does not.
	alive *os.File
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
			return "", i18n.Errorf("no place for labrun's state: %v", err)
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

// Identity names an engine by what it is, not by how it is reached: its
// swarm cluster and node where it is in a swarm (engine IDs repeat on
// machines cloned from one image), else its engine ID and host name.
func Identity(e *engine.Engine) string {
	switch {
	case e.ClusterID != "" && e.NodeID != "":
		return "swarm " + e.ClusterID + " node " + e.NodeID
	case e.NodeID != "":
		return "swarm node " + e.NodeID
	}
	return "engine " + e.ID + " on " + e.Name
}

// machine is this host's name, for the ledgers it writes.
func machine() string {
	name, _ := os.Hostname()
	return name
}

// Create starts the ledger of a run on e in dir and writes it, and holds
// its lock while the process lives. The directory is private to its
// owner: the ledger names what cleanup will remove.
func Create(dir, id, lab string, e *engine.Engine) (*Ledger, error) {
	l, err := newLedger(dir, id, lab, e)
	if err != nil {
		return nil, err
	}
	if l.alive, err = lockFile(l.path+".lock", true); err != nil {
		return nil, i18n.Errorf("lock the run's ledger: %v", err)
	}
	return l, l.save()
}

// CreateGuide starts the ledger of a guided lab in dir and writes it: it
// lists, from the start, every resource the lab creates (their names were
// proven free), and it is no leftover while its student may resume; only
// labrun reset releases it.
func CreateGuide(dir, lab string, e *engine.Engine, resources []Resource) (*Ledger, error) {
	l, err := newLedger(dir, NewID(), lab, e)
	if err != nil {
		return nil, err
	}
	l.Guide, l.Resources = true, resources
	return l, l.save()
}

func newLedger(dir, id, lab string, e *engine.Engine) (*Ledger, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &Ledger{ID: id, PID: os.Getpid(), Lab: lab, Engine: e.Host, Identity: Identity(e), Machine: machine(),
		Started: e.Now(), Resources: []Resource{}, path: filepath.Join(dir, id+".json")}, nil
}

// Add records a resource, before it is created.
func (l *Ledger) Add(kind, name string) error {
	return l.add(Resource{Kind: kind, Name: name})
}

// AddOn records a resource on another node's engine e, before it is
// created there: an image labrun puts on every node.
func (l *Ledger) AddOn(e *engine.Engine, kind, name string) error {
	return l.add(Resource{Kind: kind, Name: name, Node: e.NodeID, Engine: e.Host})
}

func (l *Ledger) add(res Resource) error {
	return l.update(func() bool {
		for _, r := range l.Resources {
			if r.same(res) {
				return false
			}
		}
		l.Resources = append(l.Resources, res)
		return true
	})
}

// same tells whether two entries name the same object: kind, name, node.
func (r Resource) same(o Resource) bool {
	return r.Kind == o.Kind && r.Name == o.Name && r.Node == o.Node
}

// Prove records the ID of a resource the run saw created: from then on,
// only the object of that ID is the run's.
func (l *Ledger) Prove(kind, name, id string) error {
	return l.update(func() bool {
		for i, r := range l.Resources {
			if r.Kind == kind && r.Name == name && r.Node == "" && r.ID != id {
				l.Resources[i].ID = id
				return true
			}
		}
		return false
	})
}

// Has tells whether the ledger lists a resource.
func (l *Ledger) Has(kind, name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.Resources {
		if r.Kind == kind && r.Name == name && r.Node == "" {
			return true
		}
	}
	return false
}

// Unproven returns the resources whose ID the run has not seen yet.
func (l *Ledger) Unproven() []Resource {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Resource
	for _, r := range l.Resources {
		if r.ID == "" && r.Kind != "swarm" && r.Kind != "image" && r.Kind != "pushed" {
			out = append(out, r)
		}
	}
	return out
}

// SetSwarm records the cluster the run initialised.
func (l *Ledger) SetSwarm(cluster string) error {
	return l.update(func() bool { l.Swarm = cluster; return true })
}

// Path is the ledger's file, for messages.
func (l *Ledger) Path() string { return l.path }

// Close deletes the ledger: everything in it has been cleaned up.
func (l *Ledger) Close() error {
	err := os.Remove(l.path)
	if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	l.Unlock()
	return err
}

// Unlock lets go of the ledger's lock, and with it the claim that its
// run is alive; its file stays.
func (l *Ledger) Unlock() {
	if l.alive != nil {
		os.Remove(l.alive.Name())
		l.alive.Close()
		l.alive = nil
	}
}

// update changes the ledger with change, under the lock every writer of
// the directory takes, merged with what another process of the same
// student (labrun check beside labrun guide) wrote meanwhile, and writes
// it atomically: a crash leaves the old file or the new one, never half.
func (l *Ledger) update(change func() bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	unlock, err := lockDir(filepath.Dir(l.path))
	if err != nil {
		return err
	}
	defer unlock()
	if data, err := os.ReadFile(l.path); err == nil {
		var disk Ledger
		if json.Unmarshal(data, &disk) == nil {
			l.merge(&disk)
		}
	}
	if !change() {
		return nil
	}
	return l.write()
}

// merge adds what disk knows and l does not: resources and their IDs.
func (l *Ledger) merge(disk *Ledger) {
	for _, d := range disk.Resources {
		found := false
		for i, r := range l.Resources {
			if r.same(d) {
				found = true
				if r.ID == "" {
					l.Resources[i].ID = d.ID
				}
			}
		}
		if !found {
			l.Resources = append(l.Resources, d)
		}
	}
	if l.Swarm == "" {
		l.Swarm = disk.Swarm
	}
	if len(l.Nodes) == 0 {
		l.Nodes = disk.Nodes
	}
}

func (l *Ledger) save() error {
	return l.update(func() bool { return true })
}

// write writes the ledger through a temporary file and a rename.
func (l *Ledger) write() error {
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(l.path), ".ledger-*")
	if err != nil {
		return i18n.Errorf("write the run's ledger: %v", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return i18n.Errorf("write the run's ledger: %v", err)
	}
	if err := tmp.Close(); err != nil {
		return i18n.Errorf("write the run's ledger: %v", err)
	}
	return os.Rename(tmp.Name(), l.path)
}

// CorruptError is a ledger that cannot be read: named, so that a user
// knows which file, and set aside by labrun cleanup.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string { return e.In("en") }

// In words the error in lang; what the JSON decoder said is quoted.
func (e *CorruptError) In(lang string) string {
	return i18n.Textf(lang, "ledger %s cannot be read (%v): labrun cleanup sets it aside", e.Path, e.Err)
}

// Leftovers returns the ledgers in dir of runs that are over (no process
// holds their lock) but were not cleaned up, on the engines match accepts
// (all when nil), and the ledgers that cannot be read.
func Leftovers(dir string, match func(*Ledger) bool) ([]*Ledger, []*CorruptError, error) {
	return read(dir, func(l *Ledger) bool {
		return (match == nil || match(l)) && !l.Guide && !l.live()
	})
}

// On matches the ledgers of runs on e: by its identity where the ledger
// recorded one, else (ledgers of older labruns) by address.
func On(e *engine.Engine) func(*Ledger) bool {
	id := Identity(e)
	return func(l *Ledger) bool {
		if l.Identity != "" {
			return l.Identity == id || l.Swarm != "" && l.Swarm == e.ClusterID
		}
		return l.Engine == e.Host
	}
}

// live tells whether the run of a ledger still runs: its process holds
// the ledger's lock. A ledger written by a labrun without locks (no lock
// file) falls back on its PID, on this machine only.
func (l *Ledger) live() bool {
	f, err := lockFile(l.path+".lock", false)
	if err == nil {
		f.Close()
		return false
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true
	}
	return (l.Machine == "" || l.Machine == machine()) && alive(l.PID)
}

// Lock takes a leftover's lock for cleanup, so that two cleanups do not
// remove the same things at once. False: another process holds it.
func (l *Ledger) Lock() bool {
	f, err := lockFile(l.path+".lock", true)
	if err != nil {
		return false
	}
	l.alive = f
	return true
}

// read returns the ledgers in dir that keep selects, oldest first, and
// those that cannot be read.
func read(dir string, keep func(*Ledger) bool) ([]*Ledger, []*CorruptError, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var out []*Ledger
	var corrupt []*CorruptError
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			corrupt = append(corrupt, &CorruptError{Path: path, Err: err})
			continue
		}
		l := &Ledger{}
		if err := json.Unmarshal(data, l); err != nil {
			corrupt = append(corrupt, &CorruptError{Path: path, Err: err})
			continue
		}
		l.path = path
		if keep(l) {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Started.Before(out[j].Started) })
	return out, corrupt, nil
}

// SetAside renames a corrupt ledger out of the way (PATH.corrupt), so
// that it stops being read, and keeps it for whoever wants to look.
func SetAside(c *CorruptError) error { return os.Rename(c.Path, c.Path+".corrupt") }

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

// All returns every ledger in dir, whether its run is over or not, and
// those that cannot be read.
func All(dir string) ([]*Ledger, []*CorruptError, error) {
	return read(dir, func(*Ledger) bool { return true })
}

// lockFile opens path and takes an exclusive flock on it, without
// waiting; create makes the file if it is missing.
func lockFile(path string, create bool) (*os.File, error) {
	flags := os.O_RDWR
	if create {
		flags |= os.O_CREATE
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// lockDir takes the directory's write lock, waiting for it: writes are
// short, so the wait is too. The lock file lies beside the directory
// (runs.lock), so that the directory holds ledgers only.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Clean(dir)+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// Guides returns the ledgers in dir of lab's guided runs on e: what labrun
// reset releases when the progress file naming its ledger is lost.
func Guides(dir, lab string, e *engine.Engine) ([]*Ledger, error) {
	match := On(e)
	guides, _, err := read(dir, func(l *Ledger) bool { return l.Guide && l.Lab == lab && match(l) })
	return guides, err
}
