package owner

import (
	"context"
	"fmt"
	"net"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
)

// Exists tells whether a resource a lab creates exists already, and
// describes it.
func Exists(ctx context.Context, e *engine.Engine, kind, name string) (bool, string, error) {
	found, err := find(ctx, e, kind, name)
	if err != nil || found == nil {
		return false, "", err
	}
	if kind == "image" {
		return true, fmt.Sprintf("id %.19s", found.id), nil
	}
	return true, fmt.Sprintf("created %s", found.created.Format(time.RFC3339)), nil
}

// found is an object of the engine, as find sees it.
type found struct {
	id      string
	created time.Time
	// runLabel is the labrun.run label of an image or service labrun
	// itself made: the run that made it.
	runLabel string
}

// find looks up the object of a kind by its exact name: nil when there is
// none.
func find(ctx context.Context, e *engine.Engine, kind, name string) (*found, error) {
	switch kind {
	case "service":
		snap, err := e.Service(ctx, name, engine.SpecOnly)
		if err != nil || snap.Service == nil {
			return nil, err
		}
		return &found{id: snap.Service.ID, created: snap.Service.CreatedAt, runLabel: snap.Service.Spec.Labels["labrun.run"]}, nil
	case "image":
		img, err := e.Client.ImageInspect(ctx, name)
		if cerrdefs.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		f := &found{id: img.ID}
		if img.Config != nil {
			f.runLabel = img.Config.Labels["labrun.run"]
		}
		return f, nil
	}
	if o, ok := objectOf(kind); ok {
		id, created, ok, err := o.inspect(ctx, e, name)
		if err != nil || !ok {
			return nil, err
		}
		return &found{id: id, created: created}, nil
	}
	return nil, i18n.Errorf("labrun does not know resources of kind %q", kind)
}

// ForeignError says an object of a name the lab creates exists and the
// run did not create it: labrun never touches it. It is a usage error
// (exit 2), raised before anything is created.
type ForeignError struct {
	Kind, Name string
	// File and Line are where the lab declares the object.
	File string
	Line int
	// Detail describes the object found (its creation time or ID).
	Detail i18n.Sentence
	// Var is the lab variable that names it, if any: --set gives another name.
	Var string
}

func (e *ForeignError) Error() string { return e.In("en") }

// In words the error in lang.
func (e *ForeignError) In(lang string) string {
	rename := i18n.Sprintf("choose another name")
	if e.Var != "" {
		rename = i18n.Sprintf("choose another name with --set %s=...", e.Var)
	}
	return i18n.Textf(lang, "%s:%d: %s already exists (%s) and this run did not create it; labrun never touches what is not its own: remove it yourself, or %s",
		e.File, e.Line, Named(e.Kind, e.Name), e.Detail, rename)
}

// LeftoverError says an object of a name the lab creates was left by an
// interrupted run of labrun, whose ledger lists it: labrun cleanup
// removes it.
type LeftoverError struct {
	Kind, Name string
	Run        *Ledger
	// Command is the cleanup command that removes it on this engine.
	Command string
}

func (e *LeftoverError) Error() string { return e.In("en") }

// In words the error in lang.
func (e *LeftoverError) In(lang string) string {
	return i18n.Textf(lang, "%s %s is left over from an interrupted labrun run (%s, lab %s, %s): run \"%s\" to remove it",
		e.Kind, e.Name, e.Run.ID, e.Run.Lab, e.Run.Started.Format(time.RFC3339), e.Command)
}

// Claim proves that nothing the lab creates exists yet, with the
// variables' values vars: what exists belongs to an interrupted run (a
// *LeftoverError: its ledger recorded this very object's ID, or its
// label names the run) or to someone else (a *ForeignError), and stops
// the run, wrapped as a usage error. Only a leftover's message advises
// labrun cleanup: cleanup would not touch a foreign object. An image an
// earlier run of the lab kept (--keep-images) is labrun's: the run
// replaces it.
func Claim(ctx context.Context, e *engine.Engine, l *lab.Lab, vars map[string]string, leftovers []*Ledger) error {
	for _, res := range l.Creates {
		name := lab.Expand(res.Name, vars)
		f, err := find(ctx, e, res.Kind, name)
		if err != nil {
			return err
		}
		if f == nil {
			continue
		}
		if res.Kind == "image" && KeptImage(ctx, e, l.Name, name) {
			continue
		}
		for _, old := range leftovers {
			for _, o := range old.Resources {
				proven := o.ID != "" && o.ID == f.id || res.Kind == "image" && f.runLabel == old.ID
				if o.Kind == res.Kind && o.Name == name && proven {
					return &exit.UsageError{Err: &LeftoverError{Kind: res.Kind, Name: name, Run: old, Command: CleanupCommand(e)}}
				}
			}
		}
		detail := i18n.Sprintf("created %s", f.created.Format(time.RFC3339))
		if res.Kind == "image" {
			detail = i18n.Sprintf("id %.19s", f.id)
		}
		foreign := &ForeignError{Kind: res.Kind, Name: name, File: l.File, Line: res.Line, Detail: detail}
		if refs := lab.VarRefs(res.Name); len(refs) > 0 {
			foreign.Var = refs[0]
		}
		return &exit.UsageError{Err: foreign}
	}
	return nil
}

// KeptLabel marks the images a run kept with --keep-images: only those may
// a later run replace; a guided lab's images, for one, are the student's.
const KeptLabel = "labrun.kept"

// KeptImage reports whether an image was built by an earlier run of the
// lab labName, kept with --keep-images: such an image is labrun's, not
// the user's, and a new run may replace it.
func KeptImage(ctx context.Context, e *engine.Engine, labName, image string) bool {
	img, err := e.Client.ImageInspect(ctx, image)
	return err == nil && img.Config != nil && img.Config.Labels["labrun.lab"] == labName && img.Config.Labels[KeptLabel] == "true"
}

// Recorder writes to a run's ledger what the lab's commands are about to
// create, the moment before they do (labcmd.Recorder).
type Recorder struct {
	Ctx        context.Context
	Engine     *engine.Engine
	Ledger     *Ledger
	Lab        *lab.Lab
	Vars       map[string]string
	KeepImages bool
}

// Creating records a resource unless it already exists: an image a
// command would pull or tag that was there before the run is not the
// run's, and cleanup must leave it.
func (r *Recorder) Creating(kind, name string) error {
	if kind == "image" && r.KeepImages {
		return nil
	}
	for _, res := range r.Lab.Creates {
		if res.Kind == kind && lab.Expand(res.Name, r.Vars) == name {
			return r.Ledger.Add(kind, name) // proven absent before the run
		}
	}
	if kind == "image" {
		exists, _, err := Exists(r.Ctx, r.Engine, kind, name)
		if err != nil || exists {
			return err
		}
	}
	return r.Ledger.Add(kind, name)
}

// CreatingOn records an image about to be put on another node's engine
// e, unless that engine has an image of the name already: it is not the
// run's, and the run must leave it. made is false then.
func (r *Recorder) CreatingOn(e *engine.Engine, kind, name string) (made bool, err error) {
	if kind == "image" && r.KeepImages {
		return true, nil
	}
	exists, _, err := Exists(r.Ctx, e, kind, name)
	if err != nil || exists {
		return false, err
	}
	return true, r.Ledger.AddOn(e, kind, name)
}

// Pushed records the digest of the image the run pushed as ref.
func (r *Recorder) Pushed(ref, digest string) error { return r.Ledger.Prove("pushed", ref, digest) }

// InitSwarm makes the node a single-node swarm manager, after recording
// in l that the run did, so that Release leaves the swarm again.
func InitSwarm(ctx context.Context, e *engine.Engine, l *Ledger) error {
	if err := l.Add("swarm", e.Host); err != nil {
		return err
	}
	defer func() {
		// The swarm this run made: the only one Release leaves.
		if e.Refresh(context.WithoutCancel(ctx)) == nil && e.ClusterID != "" {
			l.SetSwarm(e.ClusterID)
		}
	}()
	advertise := "127.0.0.1"
	if ip := net.ParseIP(e.HTTPHost); ip != nil {
		advertise = e.HTTPHost
	} else if e.HTTPHost != "localhost" {
		advertise = "" // a remote engine by name: let it choose its address
	}
	if _, err := e.Client.SwarmInit(ctx, client.SwarmInitOptions{ListenAddr: "0.0.0.0:2377", AdvertiseAddr: advertise}); err != nil {
		return i18n.Errorf("docker swarm init: %v", err)
	}
	return e.Refresh(ctx)
}
