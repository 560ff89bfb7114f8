package runner

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
)

// Diagnose collects what the engine shows of the lab's services, for a
// failed step: the task history in full, like docker service ps --no-trunc,
// and the last logs and healthcheck results of the newest failing task.
func (r *Run) Diagnose() string {
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.Timeouts.Diagnostics)
	defer cancel()
	var b strings.Builder
	// The engine's words (states, errors, logs) are quoted as it said
	// them; labrun's own are worded in the run's language.
	lang := r.opts.Lang
	for _, res := range r.lab.Creates {
		if res.Kind != "service" {
			continue
		}
		name := lab.Expand(res.Name, r.vars)
		snap, err := r.engine.Service(ctx, name, engine.WithTasks)
		if err != nil {
			fmt.Fprintln(&b, i18n.Textf(lang, "service %s: %v", name, err))
			continue
		}
		if snap.Service == nil {
			fmt.Fprintln(&b, i18n.Textf(lang, "service %s does not exist", name))
			continue
		}
		if us := snap.Service.UpdateStatus; us != nil {
			fmt.Fprintln(&b, i18n.Textf(lang, "service %s: update %s: %s", name, us.State, us.Message))
		}
		// On a swarm of several nodes, a NODE column says where each task
		// ran, as docker service ps does; on one node it adds nothing.
		multi := snap.Nodes.Multi()
		if multi {
			fmt.Fprintf(&b, "%-26s %-11s %-22s %-14s %-9s %-10s %s\n", "TASK", "NAME", "IMAGE", "NODE", "DESIRED", "STATE", "ERROR")
		} else {
			fmt.Fprintf(&b, "%-26s %-11s %-22s %-9s %-10s %s\n", "TASK", "NAME", "IMAGE", "DESIRED", "STATE", "ERROR")
		}
		var failing, failingNode string
		for _, t := range snap.Tasks {
			img := ""
			if t.Spec.ContainerSpec != nil {
				img = strings.SplitN(t.Spec.ContainerSpec.Image, "@", 2)[0]
			}
			if multi {
				fmt.Fprintf(&b, "%-26s %-11s %-22s %-14s %-9s %-10s %s\n", t.ID, fmt.Sprintf("%s.%d", name, t.Slot), img, snap.NodeOf(t), t.DesiredState, t.Status.State, t.Status.Err)
			} else {
				fmt.Fprintf(&b, "%-26s %-11s %-22s %-9s %-10s %s\n", t.ID, fmt.Sprintf("%s.%d", name, t.Slot), img, t.DesiredState, t.Status.State, t.Status.Err)
			}
			if failing == "" && t.Status.ContainerStatus != nil && (t.Status.Err != "" || t.Status.State == "starting") {
				failing, failingNode = t.Status.ContainerStatus.ContainerID, t.NodeID
			}
		}
		if failing == "" {
			continue
		}
		// The container lives on its task's node: only that engine has it.
		on := r.engine.OnNode(failingNode)
		if logs, err := on.ContainerLogTail(ctx, failing, 10); err == nil && strings.TrimSpace(logs) != "" {
			logs = lastBytes(lang, logs, maxLogBytes)
			fmt.Fprintln(&b, i18n.Textf(lang, "last logs of container %.12s:", failing))
			fmt.Fprintln(&b, strings.TrimRight(logs, "\n"))
		}
		if h, err := on.ContainerHealth(ctx, failing); err == nil && h != nil {
			fmt.Fprintln(&b, i18n.Textf(lang, "healthcheck of container %.12s: %s, %d failure(s) in a row", failing, h.Status, h.FailingStreak))
			for _, res := range h.Log {
				fmt.Fprintln(&b, i18n.Textf(lang, "  %s exit %d %s", res.Start.Format("15:04:05"), res.ExitCode, lastBytes(lang, strings.TrimSpace(res.Output), maxHealthBytes)))
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// The diagnostics' bounds: ten lines of a container's log may be ten
// megabytes, and a report is read by people and CI systems.
const (
	maxLogBytes    = 4 << 10
	maxHealthBytes = 512
)

// lastBytes keeps the last max bytes of s, cut at a line or a character
// boundary, and says in lang how much it left out.
func lastBytes(lang, s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := len(s) - max
	for cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut++
	}
	if nl := strings.IndexByte(s[cut:], '\n'); nl >= 0 && nl < max/2 {
		cut += nl + 1
	}
	return i18n.Textf(lang, "[%d bytes left out]", cut) + "\n" + s[cut:]
}
