package labcmd

import (
	"context"
	"fmt"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
)

// statTaskFiles asks, in the containers of the service's running tasks,
// for the paths that props name. It goes through the engine's archive API
// (what docker cp uses) since the whoami image is FROM scratch, with no
// shell to run ls in. That API sees the container's file system with its
// mount points, but not what a tmpfs mount holds: a secret's file shows,
// empty, so only its presence can be checked.
func statTaskFiles(ctx context.Context, e *engine.Engine, snap engine.ServiceSnapshot, props []property) (taskFiles, error) {
	files := taskFiles{}
	for _, p := range props {
		if p.key != "file" {
			continue
		}
		for _, t := range snap.Tasks {
			cs := t.Status.ContainerStatus
			if t.Status.State != swarm.TaskStateRunning || cs == nil || cs.ContainerID == "" {
				continue
			}
			f, err := statContainerPath(ctx, e, cs.ContainerID, p.value)
			if err != nil {
				return nil, err
			}
			if files[cs.ContainerID] == nil {
				files[cs.ContainerID] = map[string]fileState{}
			}
			files[cs.ContainerID][p.value] = f
		}
	}
	return files, nil
}

func statContainerPath(ctx context.Context, e *engine.Engine, id, path string) (fileState, error) {
	res, err := e.Client.ContainerStatPath(ctx, id, client.ContainerStatPathOptions{Path: path})
	if cerrdefs.IsNotFound(err) {
		// The container itself may be gone since the snapshot: that reads
		// as the path's absence, which the next look corrects.
		return fileState{what: "does not exist"}, nil
	}
	if err != nil {
		return fileState{}, fmt.Errorf("look for %s in container %.12s: %v", path, id, err)
	}
	return fileState{found: true, what: "exists (" + res.Stat.Mode.String() + ")"}, nil
}

// namedNetworks maps the networks that network=NAME pairs name to their
// IDs, since a service's spec names its networks by ID. A network that
// does not exist is left out: the spec cannot name it either.
func namedNetworks(ctx context.Context, e *engine.Engine, pairs []string) (map[string]string, error) {
	ids := map[string]string{}
	for _, pair := range pairs {
		key, name, ok := strings.Cut(strings.TrimPrefix(pair, "!"), "=")
		if !ok || key != "network" {
			continue
		}
		res, err := e.Client.NetworkInspect(ctx, name, client.NetworkInspectOptions{})
		if cerrdefs.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("inspect network %s: %v", name, err)
		}
		ids[name] = res.Network.ID
	}
	return ids, nil
}
