package labcmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/registry"
)

// healthcheckSettings are the parts of an image's HEALTHCHECK a lab checks.
type healthcheckSettings struct {
	interval, timeout time.Duration
	retries           int
	test              string
}

// match compares the settings with INTERVAL TIMEOUT RETRIES TEST-REGEXP.
func (h healthcheckSettings) match(args []string, saw func(string)) error {
	interval, err1 := time.ParseDuration(args[0])
	timeout, err2 := time.ParseDuration(args[1])
	retries, err3 := strconv.Atoi(args[2])
	test, err4 := regexp.Compile(args[3])
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return i18n.Errorf("bad argument: %v", err)
		}
	}
	var diffs []i18n.Sentence
	if h.interval != interval {
		diffs = append(diffs, i18n.Sprintf("interval is %s, want %s", h.interval, interval))
	}
	if h.timeout != timeout {
		diffs = append(diffs, i18n.Sprintf("timeout is %s, want %s", h.timeout, timeout))
	}
	if h.retries != retries {
		diffs = append(diffs, i18n.Sprintf("retries is %d, want %d", h.retries, retries))
	}
	if !test.MatchString(h.test) {
		diffs = append(diffs, i18n.Sprintf("test is %q, want a match for %q", h.test, args[3]))
	}
	if len(diffs) > 0 {
		return i18n.Errorf("HEALTHCHECK %v", i18n.Join(diffs, "; "))
	}
	saw(fmt.Sprintf("HEALTHCHECK --interval=%s --timeout=%s --retries=%d %s", h.interval, h.timeout, h.retries, h.test))
	return nil
}

// removeReplaced notes the image that ref names now, if labrun made it,
// and returns a function that removes it if ref names another by then.
// An image still in use stays; it is not this run's to force.
func (c *Call) removeReplaced(ctx context.Context, ref string) func() {
	before, err := c.Engine.Client.ImageInspect(ctx, ref)
	if err != nil || before.Config == nil || before.Config.Labels["labrun.lab"] == "" {
		return func() {}
	}
	return func() {
		after, err := c.Engine.Client.ImageInspect(context.WithoutCancel(ctx), ref)
		if err == nil && after.ID != before.ID {
			c.Engine.Client.ImageRemove(context.WithoutCancel(ctx), before.ID, client.ImageRemoveOptions{PruneChildren: true})
		}
	}
}

// whoamiImage builds or pulls the whoami image of a release, per flavour,
// on the engine labrun talks to, then on every other node's engine it
// reached, at once: a task placed on any node finds the image there.
func whoamiImage(ctx context.Context, c *Call) error {
	ref, release := c.Args[0], c.Args[1]
	if err := c.Recorder.Creating("image", ref); err != nil {
		return err
	}
	if c.Options.Flavour == images.Offline {
		// Loading over a tag leaves the image it named untagged: remove it
		// after, when it was labrun's (a kept image being replaced).
		defer c.removeReplaced(ctx, ref)()
	}
	if c.Options.Flavour == images.Hub {
		if err := c.Recorder.Creating("image", images.HubImage(release)); err != nil {
			return err
		}
	}
	id, err := c.makeWhoami(ctx, c.Engine, ref, release)
	if err != nil {
		return err
	}
	fmt.Fprintf(&c.Out, "%s %.19s\n", ref, id)
	if c.Options.Registry != "" {
		if err := c.push(ctx, ref); err != nil {
			return err
		}
	}
	return c.whoamiOnNodes(ctx, ref, release)
}

// push sends the image to the run's registry (--registry), recorded
// before and its digest after: the run deletes only the manifest it
// pushed.
func (c *Call) push(ctx context.Context, ref string) error {
	rec, _ := c.Recorder.(NodeRecorder)
	if err := c.Recorder.Creating("pushed", ref); err != nil {
		return err
	}
	digest, err := registry.Push(ctx, c.Engine.Client, ref)
	if err != nil {
		return i18n.Errorf("--registry: %v", err)
	}
	fmt.Fprintln(&c.Out, i18n.Textf(c.Options.Lang, "pushed %s@%s", ref, digest))
	if rec != nil {
		return rec.Pushed(ref, digest)
	}
	return nil
}

// whoamiOnNodes makes the image on every other node's engine, at once,
// each recorded on its node before it is made. A node that has an image
// of the name already keeps it: it is not the run's.
func (c *Call) whoamiOnNodes(ctx context.Context, ref, release string) error {
	rec, ok := c.Recorder.(NodeRecorder)
	if len(c.Nodes) == 0 {
		return nil
	}
	if !ok {
		rec = nil
	}
	errs := make([]error, len(c.Nodes))
	var wg sync.WaitGroup
	for i, e := range c.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rec != nil {
				refs := []string{ref}
				if c.Options.Flavour == images.Hub {
					refs = append(refs, images.HubImage(release))
				}
				for _, name := range refs {
					made, err := rec.CreatingOn(e, "image", name)
					if err != nil {
						errs[i] = err
						return
					}
					if !made && name == ref {
						return // that node's own image of the name: left as it is
					}
				}
			}
			if c.Options.Registry != "" {
				return // the node pulls it when a task needs it; recorded, so removed at the end
			}
			if _, err := c.makeWhoami(ctx, e, ref, release); err != nil {
				errs[i] = i18n.Errorf("node %s (%s): %v", e.Name, e.Host, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// makeWhoami makes the image of a release on engine e, per flavour.
func (c *Call) makeWhoami(ctx context.Context, e *engine.Engine, ref, release string) (id string, err error) {
	switch c.Options.Flavour {
	case images.Offline:
		// A load is not cut short by an interrupt: cut, the engine may still
		// tag the image after cleanup has looked for it. It takes a second
		// at most; the timeout only guards against a hung engine.
		loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.Timeouts().ImageLoad)
		defer cancel()
		if id, err = images.LoadOffline(loadCtx, e.Client, ref, release, e.Arch, c.Labels); err != nil {
			return "", i18n.Errorf("make %s: %v", ref, err)
		}
	case images.Node:
		dir := c.Env.MkAbs("node/" + release)
		if _, err := os.Stat(dir); err != nil {
			return "", i18n.Errorf("this lab has no node/%s directory: the node flavour needs the tutorial's files there", release)
		}
		rdr, err := images.DirContext(dir)
		if err != nil {
			return "", err
		}
		if id, err = images.Build(ctx, e.Client, rdr, ref, c.Labels, nil); err != nil {
			return "", i18n.Errorf("build %s from the tutorial's files: %v", ref, err)
		}
	case images.Hub:
		src := images.HubImage(release)
		if err := images.Pull(ctx, e.Client, src, nil); err != nil {
			return "", err
		}
		if _, err := e.Client.ImageTag(ctx, client.ImageTagOptions{Source: src, Target: ref}); err != nil {
			return "", i18n.Errorf("tag %s as %s: %v", src, ref, err)
		}
		id = src
	default:
		return "", i18n.Errorf("unknown image flavour %q", c.Options.Flavour)
	}
	return id, nil
}
