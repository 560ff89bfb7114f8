package images

import (
	"context"
	"errors"
	"io"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/moby/moby/client"
)

// Build builds buildContext (a tar stream, as from OfflineContext or
// DirContext) into the image ref with labels, and returns the image's ID.
// It calls progress, when not nil, with each line of the build's output.
func Build(ctx context.Context, cli *client.Client, buildContext io.Reader, ref string, labels map[string]string, progress func(line string)) (imageID string, err error) {
	res, err := cli.ImageBuild(ctx, buildContext, client.ImageBuildOptions{
		Tags:        []string{ref},
		Remove:      true,
		ForceRemove: true,
		Labels:      labels,
	})
	if err != nil {
		return "", i18n.Errorf("build %s: %v", ref, err)
	}
	defer res.Body.Close()
	imageID, err = decodeStream(contextReader{ctx, res.Body}, progress)
	if err != nil {
		return "", i18n.Errorf("build %s: %v", ref, err)
	}
	if imageID != "" {
		return imageID, nil
	}
	// Engines that do not send the ID in an aux message still tagged ref.
	inspect, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		return "", i18n.Errorf("build %s: the build ended but the image cannot be inspected: %v", ref, err)
	}
	return inspect.ID, nil
}

// Pull pulls ref, reading the engine's stream to its end, and calls progress,
// when not nil, with each status line (not the progress bars).
func Pull(ctx context.Context, cli *client.Client, ref string, progress func(line string)) error {
	res, err := cli.ImagePull(ctx, ref, client.ImagePullOptions{})
	if err != nil {
		return pullError(ref, err)
	}
	defer res.Close()
	if _, err := decodeStream(contextReader{ctx, res}, progress); err != nil {
		return pullError(ref, err)
	}
	return nil
}

// pullError explains err. An engine with no way out to a registry answers
// with a DNS or connection error, which says nothing of what to do instead;
// the other failures (no such image, no engine, cancelled) speak for themselves.
func pullError(ref string, err error) error {
	if cerrdefs.IsNotFound(err) || client.IsErrConnectionFailed(err) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return i18n.Errorf("cannot pull %s: %v", ref, err)
	}
	return i18n.Errorf("cannot pull %s: %v; no registry is reachable from this engine: use --images offline", ref, err)
}
