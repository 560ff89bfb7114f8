package labcmd

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
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
			// The container lives on its task's node: only that engine has it.
			f, err := statContainerPath(ctx, e.OnNode(t.NodeID), cs.ContainerID, p.value)
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
		return fileState{what: i18n.Sprintf("does not exist")}, nil
	}
	if err != nil {
		return fileState{}, i18n.Errorf("look for %s in container %.12s: %v", path, id, err)
	}
	return fileState{found: true, what: i18n.Sprintf("exists (%s)", res.Stat.Mode)}, nil
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
			return nil, i18n.Errorf("inspect network %s: %v", name, err)
		}
		ids[name] = res.Network.ID
	}
	return ids, nil
}

// containerFileCommands are the checks that read a file inside a service's
// containers.
func containerFileCommands() []*Command {
	return []*Command{{
		Name: "container-file", Kind: Check, Spec: negatable(2, 3), Observe: containerFile, Validate: containerFileArgs,
		Usage: Usage{Args: "SERVICE PATH [REGEXP]", Summary: "every running container of SERVICE can read PATH, and its content matches REGEXP",
			Detail: "The file is read inside the container (docker exec cat PATH; in the offline images, which have no " +
				"cat, /whoami cat PATH), so that what a tmpfs mount holds, such as a secret under /run/secrets, is " +
				"read as the service's process reads it. Without REGEXP, the file only has to be readable. Fails, " +
				"even negated, when SERVICE runs no container or its image has nothing to read with: it cannot look."},
	}}
}

// containerFileArgs wants REGEXP to be a pattern.
func containerFileArgs(args []string) error {
	if len(args) > 2 {
		if _, err := regexp.Compile(args[2]); err != nil {
			return i18n.Errorf("REGEXP: %v", err)
		}
	}
	return nil
}

func containerFile(ctx context.Context, c *Call) error {
	service, path := c.Args[0], c.Args[1]
	var want *regexp.Regexp
	if len(c.Args) > 2 {
		var err error
		if want, err = regexp.Compile(c.Args[2]); err != nil {
			return i18n.Errorf("REGEXP: %v", err)
		}
	}
	snap, err := c.Engine.Service(ctx, service, engine.WithTasks)
	if err != nil {
		return err
	}
	if snap.Service == nil {
		return missingService(ctx, c, service, "")
	}
	var read []string
	for _, t := range snap.Tasks {
		cs := t.Status.ContainerStatus
		if t.DesiredState != swarm.TaskStateRunning || t.Status.State != swarm.TaskStateRunning || cs == nil || cs.ContainerID == "" {
			continue
		}
		content, err := c.readContainerFile(ctx, c.Engine.OnNode(t.NodeID), cs.ContainerID, path)
		if err != nil {
			return i18n.Errorf("container %.12s of %s: %v", cs.ContainerID, service, err)
		}
		if want != nil && !want.Match(content) {
			return i18n.Errorf("container %.12s of %s: %s holds %q, want a match for %s", cs.ContainerID, service, path, clip(string(content)), want)
		}
		read = append(read, fmt.Sprintf("%.12s", cs.ContainerID))
	}
	if len(read) == 0 {
		return Blind(i18n.Errorf("service %s has no running container to read %s in", service, path))
	}
	c.Saw("%s read in container %s", path, strings.Join(read, ", "))
	return nil
}

// readContainerFile reads path inside a container with cat, or with the
// offline image's own /whoami cat where the image has no cat.
func (c *Call) readContainerFile(ctx context.Context, on *engine.Engine, id, path string) ([]byte, error) {
	out, err := execOutput(ctx, on, id, []string{"cat", path})
	var exit *execExitError
	if errors.As(err, &exit) && exit.notFound() {
		out, err = execOutput(ctx, on, id, []string{"/whoami", "cat", path})
	}
	if errors.As(err, &exit) && exit.notFound() {
		// Nothing in the image can read a file: that says nothing of it.
		return nil, Blind(i18n.Errorf("the image has neither cat nor /whoami to read %s with", path))
	}
	return out, err
}
