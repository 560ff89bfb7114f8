package cluster

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/owner"
)

// record is what up did, kept in labrun's state directory (clusters/,
// one file per manager URL) from before its first change until down has
// undone it: down makes an engine leave only when its node is the one up
// made there, in the swarm up inited.
type record struct {
	ClusterID string    `json:"cluster_id"`
	Members   []Node    `json:"members"`
	Started   time.Time `json:"started"`
}

// store is the clusters directory of labrun's state directory.
type store struct{ dir string }

func newStore(stateDir string) (*store, error) {
	dir, err := owner.StateDir(stateDir)
	if err != nil {
		return nil, err
	}
	return &store{dir: filepath.Join(dir, "clusters")}, nil
}

// path is the record of the cluster whose manager is at url: one cluster
// per manager engine at a time.
func (s *store) path(url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(s.dir, hex.EncodeToString(sum[:8])+".json")
}

// save writes the record whole (a temporary file renamed over the old),
// so that a crash leaves the old record or the new, never half of one.
func (s *store) save(r *record) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return i18n.Errorf("record of the cluster: %v", err)
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	p := s.path(r.Members[0].URL)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return i18n.Errorf("record of the cluster: %v", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return i18n.Errorf("record of the cluster: %v", err)
	}
	return nil
}

// load reads the record of the cluster whose manager is at url; ok is
// false when labrun made none there.
func (s *store) load(url string) (r *record, ok bool, err error) {
	data, err := os.ReadFile(s.path(url))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	r = &record{}
	if err := json.Unmarshal(data, r); err != nil || len(r.Members) == 0 {
		return nil, false, i18n.Errorf("record of the cluster %s is damaged: %v", s.path(url), err)
	}
	return r, true, nil
}

// remove deletes the record: the cluster is gone.
func (s *store) remove(r *record) error {
	err := os.Remove(s.path(r.Members[0].URL))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
