package labcmd

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
)

// This file holds the pure half of the service checks: functions of a
// snapshot, tested on recorded snapshots without an engine.

// sameImage reports whether a spec's image reference names want. The
// engine may add a digest, and the CLI may add the docker.io/library/
// prefix, so neither counts.
func sameImage(ref, want string) bool {
	return normalizeImage(ref) == normalizeImage(want)
}

func normalizeImage(ref string) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(ref, "docker.io/")
	ref = strings.TrimPrefix(ref, "library/")
	if !strings.Contains(ref[strings.LastIndex(ref, "/")+1:], ":") {
		ref += ":latest"
	}
	return ref
}

func taskImage(t swarm.Task) string {
	if t.Spec.ContainerSpec == nil {
		return ""
	}
	return normalizeImage(t.Spec.ContainerSpec.Image)
}

func taskName(snap engine.ServiceSnapshot, t swarm.Task) string {
	if t.Slot > 0 {
		return fmt.Sprintf("%s.%d", snap.Name, t.Slot)
	}
	return snap.Name + "." + t.NodeID
}

// health returns the health of a task's container: "" when it has no
// healthcheck or no container to look at.
func health(snap engine.ServiceSnapshot, t swarm.Task) container.HealthStatus {
	if t.Status.ContainerStatus == nil {
		return ""
	}
	c, ok := snap.Containers[t.Status.ContainerStatus.ContainerID]
	if !ok || c.State == nil || c.State.Health == nil {
		return ""
	}
	return c.State.Health.Status
}

// describeTask is one task as `docker service ps` would sum it up.
func describeTask(snap engine.ServiceSnapshot, t swarm.Task) i18n.List {
	parts := []any{fmt.Sprintf("%s %s %s", taskName(snap, t), taskImage(t), t.Status.State)}
	if h := health(snap, t); h != "" {
		parts = append(parts, fmt.Sprintf(" (%s)", h))
	}
	if node := snap.NodeOf(t); node != "" {
		parts = append(parts, i18n.Sprintf(" on %s", node))
	}
	if t.DesiredState != swarm.TaskStateRunning {
		parts = append(parts, i18n.Sprintf(", desired %s", t.DesiredState))
	}
	if t.Status.Err != "" {
		parts = append(parts, i18n.Sprintf(", error %q", t.Status.Err))
	}
	return i18n.List{Items: parts}
}

// converged holds when exactly count tasks are meant to run and all of them
// run image, healthy where the image has a healthcheck, and have every
// property props lists (files holds what their containers' files hold).
func converged(snap engine.ServiceSnapshot, count int, image string, props []property, files taskFiles) (i18n.Sentence, error) {
	if snap.Service == nil {
		return i18n.Sentence{}, i18n.Errorf("there is no service %s", snap.Name)
	}
	// The spec changes only by a command: a spec for another image will
	// not converge to this one by waiting.
	if spec := snap.Service.Spec.TaskTemplate.ContainerSpec; spec != nil && !sameImage(spec.Image, image) {
		return i18n.Sentence{}, Final(i18n.Errorf("service %s runs image %s; this step expects %s", snap.Name, normalizeImage(spec.Image), normalizeImage(image)))
	}
	var desired []i18n.List
	var good []string
	for _, t := range snap.Tasks {
		if t.DesiredState != swarm.TaskStateRunning {
			continue
		}
		desired = append(desired, describeTask(snap, t))
		h := health(snap, t)
		if t.Status.State != swarm.TaskStateRunning || !sameImage(taskImage(t), image) || h != "" && h != container.Healthy {
			continue
		}
		var lacks []i18n.Sentence
		for _, p := range props {
			if ok, got := taskHolds(snap, t, files, p); !ok {
				lacks = append(lacks, i18n.Sprintf("%s has %s, want %s", taskName(snap, t), got, p))
			}
		}
		if len(lacks) > 0 {
			d := &desired[len(desired)-1]
			d.Items = append(d.Items, i18n.Sprintf(" (%s)", i18n.Join(lacks, "; ")))
			continue
		}
		good = append(good, taskName(snap, t))
	}
	summary := i18n.Sprintf("%d/%d tasks running %s and healthy", len(good), count, normalizeImage(image))
	if len(props) > 0 {
		var ps []string
		for _, p := range props {
			ps = append(ps, p.String())
		}
		summary = i18n.Sprintf("%d/%d tasks running %s and healthy with %s", len(good), count, normalizeImage(image), strings.Join(ps, " "))
	}
	if len(good) == count && len(desired) == count {
		return summary, nil
	}
	if len(desired) == 0 {
		return i18n.Sentence{}, i18n.Errorf("%v; no task is meant to run", summary)
	}
	return i18n.Sentence{}, i18n.Errorf("%v; %v", summary, i18n.Join(desired, "; "))
}

// updateState returns the service's update state, "none" when it never
// had one.
func updateState(svc *swarm.Service) (state, message string) {
	if svc.UpdateStatus == nil || svc.UpdateStatus.State == "" {
		return "none", ""
	}
	return string(svc.UpdateStatus.State), svc.UpdateStatus.Message
}

// unreachable says why update state want can no longer come after state,
// or "" when it still can: waiting for it is then pointless.
func unreachable(state, want string) *i18n.Sentence {
	rolledBack := strings.HasPrefix(state, "rollback_")
	switch {
	case want == "paused" && rolledBack:
		return &i18n.Sentence{Format: "the service was rolled back before its update paused, so the failed update can no longer be watched; do the update again (docker service update --image ...), or start over with labrun reset"}
	case want == "paused" && state == "completed":
		return &i18n.Sentence{Format: "the update completed: the new image passed its healthcheck, so nothing failed; check the image tag of the update"}
	case want == "rollback_completed" && state == "none":
		return &i18n.Sentence{Format: "the service was never updated, so there is nothing to roll back; do the update step first"}
	}
	return nil
}

// taskFilter selects tasks for the tasks check.
type taskFilter struct {
	image, state, desired string
	errPattern            *regexp.Regexp
	count, min            int // count < 0: not set
}

func parseTaskFilter(args []string) (taskFilter, error) {
	f := taskFilter{count: -1, min: 1}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return f, i18n.Errorf("%q: want KEY=VALUE (image, state, desired, error, count, min)", a)
		}
		var err error
		switch k {
		case "image":
			f.image = v
		case "state":
			f.state = v
		case "desired":
			f.desired = v
		case "error":
			f.errPattern, err = regexp.Compile(v)
		case "count":
			f.count, err = strconv.Atoi(v)
		case "min":
			f.min, err = strconv.Atoi(v)
		default:
			return f, i18n.Errorf("unknown key %q: use image, state, desired, error, count or min", k)
		}
		if err != nil {
			return f, fmt.Errorf("%s: %v", a, err)
		}
	}
	return f, nil
}

func (f taskFilter) matches(t swarm.Task) bool {
	return (f.image == "" || sameImage(taskImage(t), f.image)) &&
		oneOf(string(t.Status.State), f.state) &&
		oneOf(string(t.DesiredState), f.desired) &&
		(f.errPattern == nil || f.errPattern.MatchString(t.Status.Err))
}

// oneOf reports whether value is one of the alternatives, separated by
// "|", of want; an empty want takes any value.
func oneOf(value, want string) bool {
	if want == "" {
		return true
	}
	for _, w := range strings.Split(want, "|") {
		if value == w {
			return true
		}
	}
	return false
}

func (f taskFilter) describe(n int) i18n.List {
	parts := []any{i18n.Sprintf("%d tasks", n)}
	if f.image != "" {
		parts = append(parts, i18n.Sprintf(" of %s", normalizeImage(f.image)))
	}
	if f.state != "" {
		parts = append(parts, i18n.Sprintf(" in state %s", f.state))
	}
	if f.desired != "" {
		parts = append(parts, i18n.Sprintf(" desired %s", f.desired))
	}
	if f.errPattern != nil {
		parts = append(parts, i18n.Sprintf(" with an error matching %q", f.errPattern))
	}
	return i18n.List{Items: parts}
}

// maxListed bounds the tasks listed in a message: the history can be long.
const maxListed = 6

// matchTasks holds when the number of tasks the filter selects is as wanted.
func matchTasks(snap engine.ServiceSnapshot, f taskFilter) (i18n.Sentence, error) {
	if snap.Service == nil {
		return i18n.Sentence{}, i18n.Errorf("there is no service %s", snap.Name)
	}
	n := 0
	var all []i18n.List
	for _, t := range snap.Tasks {
		if f.matches(t) {
			n++
		}
		if len(all) < maxListed {
			all = append(all, describeTask(snap, t))
		}
	}
	found := f.describe(n)
	ok := f.count >= 0 && n == f.count || f.count < 0 && n >= f.min
	if ok {
		return i18n.Sprintf("%v", found), nil
	}
	want := i18n.Sprintf("at least %d", f.min)
	if f.count >= 0 {
		want = i18n.Sprintf("exactly %d", f.count)
	}
	history := any(i18n.Sprintf("no tasks"))
	if len(all) > 0 {
		history = i18n.Join(all, "; ")
	}
	return i18n.Sentence{}, i18n.Errorf("found %v, want %v (tasks, newest first: %v)", found, want, history)
}

// Effective update and rollback settings: what the engine applies when a
// spec leaves them out, as docker service inspect does not show.
var defaultUpdateConfig = swarm.UpdateConfig{
	Parallelism:   1,
	FailureAction: swarm.UpdateFailureActionPause,
	Monitor:       5 * time.Second,
	Order:         swarm.UpdateOrderStopFirst,
}

func effective(c *swarm.UpdateConfig) swarm.UpdateConfig {
	if c == nil {
		return defaultUpdateConfig
	}
	e := *c
	if e.FailureAction == "" {
		e.FailureAction = defaultUpdateConfig.FailureAction
	}
	if e.Monitor == 0 {
		e.Monitor = defaultUpdateConfig.Monitor
	}
	if e.Order == "" {
		e.Order = defaultUpdateConfig.Order
	}
	return e
}

// specField returns the value of one key of service-spec, as text.
func specField(svc *swarm.Service, key string) (string, error) {
	spec := svc.Spec
	if section, field, ok := strings.Cut(key, "."); ok && (section == "update" || section == "rollback") {
		cfg := effective(spec.UpdateConfig)
		if section == "rollback" {
			cfg = effective(spec.RollbackConfig)
		}
		switch field {
		case "parallelism":
			return strconv.FormatUint(cfg.Parallelism, 10), nil
		case "failure-action":
			return string(cfg.FailureAction), nil
		case "monitor":
			return cfg.Monitor.String(), nil
		case "max-failure-ratio":
			return strconv.FormatFloat(float64(cfg.MaxFailureRatio), 'g', -1, 32), nil
		case "order":
			return string(cfg.Order), nil
		case "delay":
			return cfg.Delay.String(), nil
		}
		return "", i18n.Errorf("unknown key %q", key)
	}
	switch key {
	case "name":
		return spec.Name, nil
	case "image":
		if spec.TaskTemplate.ContainerSpec == nil {
			return "", nil
		}
		return normalizeImage(spec.TaskTemplate.ContainerSpec.Image), nil
	case "replicas":
		if spec.Mode.Replicated == nil || spec.Mode.Replicated.Replicas == nil {
			return "global", nil
		}
		return strconv.FormatUint(*spec.Mode.Replicated.Replicas, 10), nil
	case "endpoint-mode":
		if spec.EndpointSpec == nil || spec.EndpointSpec.Mode == "" {
			return string(swarm.ResolutionModeVIP), nil // the engine's default
		}
		return string(spec.EndpointSpec.Mode), nil
	case "previous":
		if svc.PreviousSpec == nil {
			return "none", nil
		}
		return "present", nil
	case "previous.image":
		if svc.PreviousSpec == nil || svc.PreviousSpec.TaskTemplate.ContainerSpec == nil {
			return "none", nil
		}
		return normalizeImage(svc.PreviousSpec.TaskTemplate.ContainerSpec.Image), nil
	}
	return "", i18n.Errorf("unknown key %q", key)
}

// specKeysWithPort are the list keys of service-spec, port included.
var specKeysWithPort = func() map[string]string {
	m := map[string]string{"port": "PUBLISHED:TARGET[/PROTO]"}
	for k, v := range specListKeys {
		m[k] = v
	}
	return m
}()

// sortedKeys returns a map's keys in order, for messages that list them.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// specPorts lists the published ports as PUBLISHED:TARGET/PROTO.
func specPorts(svc *swarm.Service) []string {
	var ports []string
	if svc.Spec.EndpointSpec == nil {
		return nil
	}
	for _, p := range svc.Spec.EndpointSpec.Ports {
		proto := string(p.Protocol)
		if proto == "" {
			proto = "tcp"
		}
		ports = append(ports, fmt.Sprintf("%d:%d/%s", p.PublishedPort, p.TargetPort, proto))
	}
	return ports
}

// specMatches checks every KEY=VALUE against the service's spec;
// networkIDs maps the networks the pairs name to their IDs.
func specMatches(snap engine.ServiceSnapshot, pairs []string, networkIDs map[string]string) (i18n.Sentence, error) {
	if snap.Service == nil {
		return i18n.Sentence{}, i18n.Errorf("there is no service %s", snap.Name)
	}
	var diffs []i18n.Sentence
	var seen []string
	for _, pair := range pairs {
		key, want, ok := strings.Cut(strings.TrimPrefix(pair, "!"), "=")
		if !ok {
			return i18n.Sentence{}, i18n.Errorf("%q: want KEY=VALUE", pair)
		}
		var got string
		var match bool
		// gotSaid and wantSaid are got and want as the message says them.
		var gotSaid, wantSaid any
		_, listed := specListKeys[key]
		switch {
		case key == "port" || listed:
			p, err := parseProperty(pair, specKeysWithPort)
			if err != nil {
				return i18n.Sentence{}, err
			}
			elements := specPorts(snap.Service)
			if listed {
				elements = specList(snap.Service, key, networkIDs)
			}
			match, got = judge(p, elements)
			if key == "port" && len(elements) == 0 {
				gotSaid = i18n.Sprintf("no published port")
			}
			if key == "port" && !strings.Contains(want, "/") {
				want += "/tcp"
			}
			if p.absent {
				key, wantSaid = "!"+key, i18n.Sprintf("%s absent", want)
			}
		case strings.HasPrefix(pair, "!"):
			return i18n.Sentence{}, i18n.Errorf("%q: only the keys of lists (port, %s) take a leading !", pair, strings.Join(sortedKeys(specListKeys), ", "))
		default:
			var err error
			if got, err = specField(snap.Service, key); err != nil {
				return i18n.Sentence{}, err
			}
			match = got == want
			if key == "image" || key == "previous.image" {
				match = got == normalizeImage(want) || want == "none" && got == "none"
			}
			if d, err := time.ParseDuration(want); err == nil && (strings.HasSuffix(key, ".monitor") || strings.HasSuffix(key, ".delay")) {
				match = got == d.String()
			}
		}
		if gotSaid == nil {
			gotSaid = got
		}
		if wantSaid == nil {
			wantSaid = want
		}
		if match {
			seen = append(seen, key+"="+got)
		} else {
			diffs = append(diffs, i18n.Sprintf("%s is %v, want %v", key, gotSaid, wantSaid))
		}
	}
	if len(diffs) > 0 {
		return i18n.Sentence{}, i18n.Errorf("service %s: %v", snap.Name, i18n.Join(diffs, "; "))
	}
	return i18n.Sprintf("service %s has %s", snap.Name, strings.Join(seen, " ")), nil
}
