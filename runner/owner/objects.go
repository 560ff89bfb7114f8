package owner

import (
	"context"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
)

// object is how labrun finds and removes one kind of engine object that a
// lab may create besides services and images: the networks, secrets,
// configs and volumes the services use. They go once the services'
// containers are gone, since the engine refuses to remove what is in use.
type object struct {
	// inspect returns the object's ID (a volume has none: its name and
	// creation time stand for one) and when it was created, or found false.
	inspect func(ctx context.Context, e *engine.Engine, name string) (id string, created time.Time, found bool, err error)
	remove  func(ctx context.Context, e *engine.Engine, name string) error
	// removeCommand is what a user types to remove it by hand.
	removeCommand string
}

// objects holds the kinds in the order cleanup removes them: secrets and
// configs are released with the service; a network only once the tasks'
// endpoints have left it; a volume only once no container mounts it.
var objects = []struct {
	kind string
	object
}{
	{"secret", object{
		inspect: func(ctx context.Context, e *engine.Engine, name string) (string, time.Time, bool, error) {
			res, err := e.Client.SecretInspect(ctx, name, client.SecretInspectOptions{})
			// Inspect matches on ID prefixes too: only the exact name is the lab's.
			if err == nil && res.Secret.Spec.Name != name {
				return "", time.Time{}, false, nil
			}
			return res.Secret.ID, res.Secret.CreatedAt, err == nil, notFoundIsNil(err)
		},
		remove: func(ctx context.Context, e *engine.Engine, name string) error {
			_, err := e.Client.SecretRemove(ctx, name, client.SecretRemoveOptions{})
			return err
		},
		removeCommand: "docker secret rm",
	}},
	{"config", object{
		inspect: func(ctx context.Context, e *engine.Engine, name string) (string, time.Time, bool, error) {
			res, err := e.Client.ConfigInspect(ctx, name, client.ConfigInspectOptions{})
			if err == nil && res.Config.Spec.Name != name {
				return "", time.Time{}, false, nil
			}
			return res.Config.ID, res.Config.CreatedAt, err == nil, notFoundIsNil(err)
		},
		remove: func(ctx context.Context, e *engine.Engine, name string) error {
			_, err := e.Client.ConfigRemove(ctx, name, client.ConfigRemoveOptions{})
			return err
		},
		removeCommand: "docker config rm",
	}},
	{"network", object{
		inspect: func(ctx context.Context, e *engine.Engine, name string) (string, time.Time, bool, error) {
			res, err := e.Client.NetworkInspect(ctx, name, client.NetworkInspectOptions{})
			// Inspect matches on ID prefixes too: only the exact name is the lab's.
			if err == nil && res.Network.Name != name {
				return "", time.Time{}, false, nil
			}
			return res.Network.ID, res.Network.Created, err == nil, notFoundIsNil(err)
		},
		remove: func(ctx context.Context, e *engine.Engine, name string) error {
			_, err := e.Client.NetworkRemove(ctx, name, client.NetworkRemoveOptions{})
			return err
		},
		removeCommand: "docker network rm",
	}},
	{"volume", object{
		inspect: func(ctx context.Context, e *engine.Engine, name string) (string, time.Time, bool, error) {
			res, err := e.Client.VolumeInspect(ctx, name, client.VolumeInspectOptions{})
			if err != nil {
				return "", time.Time{}, false, notFoundIsNil(err)
			}
			created, _ := time.Parse(time.RFC3339, res.Volume.CreatedAt)
			if created.IsZero() {
				return "", created, true, nil // no age, no identity: nothing can prove it the run's
			}
			return res.Volume.Name + "@" + res.Volume.CreatedAt, created, true, nil
		},
		remove: func(ctx context.Context, e *engine.Engine, name string) error {
			_, err := e.Client.VolumeRemove(ctx, name, client.VolumeRemoveOptions{})
			return err
		},
		removeCommand: "docker volume rm",
	}},
}

// objectOf returns the object kind, or false for services and images,
// which have their own handling.
func objectOf(kind string) (object, bool) {
	for _, o := range objects {
		if o.kind == kind {
			return o.object, true
		}
	}
	return object{}, false
}

func notFoundIsNil(err error) error {
	if cerrdefs.IsNotFound(err) {
		return nil
	}
	return err
}

// removeObject removes an object that Release proved the run's. A removal the engine refuses because the
// object is still in use is retried until ctx ends: swarm releases
// networks a few seconds after the tasks are gone.
func removeObject(ctx context.Context, e *engine.Engine, o object, name string) error {
	for {
		err := o.remove(ctx, e, name)
		if err == nil || cerrdefs.IsNotFound(err) {
			return nil
		}
		if !stillInUse(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return i18n.Errorf("still in use after waiting: %v", err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// stillInUse tells the engine's ways of refusing to remove an object that
// a task or container still holds: 409 for volumes, 403 for networks with
// active endpoints, 400 for secrets and configs a service references.
func stillInUse(err error) bool {
	return cerrdefs.IsConflict(err) || cerrdefs.IsPermissionDenied(err) || cerrdefs.IsInvalidArgument(err) || cerrdefs.IsFailedPrecondition(err)
}
