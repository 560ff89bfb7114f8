package labcmd

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
)

// mistake looks at the current step's mistakes ("## mistakes"), once
// each, and returns the first that holds as a final error in the run's
// language: no wait can mend a service published through a dead mesh or
// removed mid-way, so the check before which it is found stops at once.
// A mistake that cannot be looked at is no mistake: the check says why.
func (s *Session) mistake(ctx context.Context, env Env) error {
	if s.step == nil {
		return nil
	}
	for _, l := range s.step.Mistakes() {
		neg := slices.Contains(l.Words[:l.Cmd], "!")
		c := s.vocab[l.Command()]
		if c == nil || c.Observe == nil {
			continue // the loader refuses it
		}
		args := make([]string, len(l.Words)-l.Cmd-1)
		for i, w := range l.Words[l.Cmd+1:] {
			args[i] = os.Expand(w, env.Getenv)
		}
		call := &Call{Session: s, Env: env, Args: args}
		err := c.Observe(ctx, call)
		if blind(ctx, err) {
			continue
		}
		seen := call.seen
		if neg {
			if err == nil {
				continue
			}
			seen = i18n.In(s.Options.Lang, err)
		} else if err != nil {
			continue
		}
		say := l.Say.In(s.Options.Lang)
		if say == "" {
			return Final(&MistakeError{Line: l.Num, Text: i18n.Text(s.Options.Lang, "mistake-unsaid", os.Expand(l.Text, env.Getenv), seen)})
		}
		return Final(&MistakeError{Line: l.Num, Text: i18n.Text(s.Options.Lang, "mistake", os.Expand(say, env.Getenv), seen)})
	}
	return nil
}

// publishedViaDeadMesh holds when service NAME publishes a port through
// the routing mesh and labrun found the mesh dead on this engine: the
// tutorial's --publish 8000:8000 where no IPVS answers.
func publishedViaDeadMesh(ctx context.Context, c *Call) error {
	snap, err := c.Engine.Service(ctx, c.Args[0], engine.SpecOnly)
	if err != nil {
		return err
	}
	if snap.Service == nil {
		return i18n.Errorf("there is no service %s", c.Args[0])
	}
	since := meshCache{dir: c.Options.StateDir}.deadSince(meshKey(c.Engine))
	ingress := ingressPorts(snap.Service)
	if since.IsZero() || len(ingress) == 0 {
		return said(i18n.Text(c.Options.Lang, "mesh-publish-no", c.Args[0]))
	}
	c.Saw("%s", i18n.Text(c.Options.Lang, "mesh-publish", c.Args[0], strings.Join(ingress, ", "), since.Format("15:04")))
	return nil
}

// ingressPorts lists the ports a service publishes through the routing
// mesh, as PUBLISHED:TARGET/PROTO.
func ingressPorts(svc *swarm.Service) []string {
	var out []string
	if svc.Spec.EndpointSpec == nil {
		return nil
	}
	for _, p := range svc.Spec.EndpointSpec.Ports {
		if p.PublishMode == swarm.PortConfigPublishModeIngress || p.PublishMode == "" {
			out = append(out, fmt.Sprintf("%d:%d/%s", p.PublishedPort, p.TargetPort, p.Protocol))
		}
	}
	return out
}

// releaseLabel is the label the whoami images carry with their release,
// whichever way they were built: labrun's own build, or the directory
// the guide writes, built by the student.
const releaseLabel = "org.opencontainers.image.version"

// nearMiss looks for what a student built instead of ref (whoami:2 for
// whoami:2.0, or no tag at all): an image of the same repository whose
// tag is a prefix of ref's or whose release label is ref's tag, or an
// untagged image of that release. It returns the sentence naming it, or
// "" when there is none.
func nearMiss(ctx context.Context, c *Call, ref string) string {
	repo, tag, ok := strings.Cut(ref, ":")
	if !ok {
		return ""
	}
	list, err := c.Engine.Client.ImageList(ctx, client.ImageListOptions{All: false})
	if err != nil {
		return ""
	}
	lang := c.Options.Lang
	for _, img := range list.Items {
		release := img.Labels[releaseLabel]
		for _, rt := range img.RepoTags {
			r, t, _ := strings.Cut(rt, ":")
			if r != repo || t == tag || rt == "<none>:<none>" {
				continue
			}
			if release == tag || strings.HasPrefix(tag, t) {
				if release == "" {
					release = "?"
				}
				return i18n.Text(lang, "near-miss-tag", ref, rt, release, tag, rt, ref)
			}
		}
	}
	for _, img := range list.Items {
		if img.Labels[releaseLabel] != tag || len(img.RepoTags) > 0 && img.RepoTags[0] != "<none>:<none>" {
			continue
		}
		id := strings.TrimPrefix(img.ID, "sha256:")
		return i18n.Text(lang, "near-miss-untagged", ref, id, tag, id, ref)
	}
	return ""
}

// SaidError is a message worded in the run's language when it was built
// (package i18n), with the engine's text it quotes.
type SaidError struct{ Text string }

func (e *SaidError) Error() string { return e.Text }

// said makes text, already in the run's language, an error.
func said(text string) error { return &SaidError{Text: text} }

// MistakeError is a mistake of the step's that holds: the lab line that
// names it, and the sentence saying it, in the run's language. It is the
// whole answer: no step hint need follow it.
type MistakeError struct {
	Line int
	Text string
}

func (e *MistakeError) Error() string { return e.Text }

// Unwrap makes the mistake a worded message.
func (e *MistakeError) Unwrap() error { return &SaidError{Text: e.Text} }
