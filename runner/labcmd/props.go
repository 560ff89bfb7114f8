package labcmd

import (
	"sort"
	"strings"

	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
)

// This file holds the pure half of the list-valued properties that
// docker service update's --XXX-add and --XXX-rm options change: how they
// read in a service's spec (service-spec) and on a running task's
// container (service-running), tested on recorded snapshots.

// property is one KEY=VALUE of service-spec or service-running that names
// an element of a list; with a leading "!" the element must be absent.
type property struct {
	key, value string
	absent     bool
}

func (p property) String() string {
	s := p.key + "=" + p.value
	if p.absent {
		return "!" + s
	}
	return s
}

// specListKeys are the keys of service-spec that name an element of a
// list of the spec, and what an element reads like.
var specListKeys = map[string]string{
	"label":           "KEY[=VALUE], a service label (--label-add)",
	"container-label": "KEY[=VALUE], a label of the task's containers (--container-label-add)",
	"env":             "NAME[=VALUE], an environment variable (--env-add)",
	"mount":           "[SOURCE:]TARGET, a mount (--mount-add)",
	"network":         "NAME, a network the tasks are attached to (--network-add)",
	"secret":          "NAME, a secret given to the tasks (--secret-add)",
	"constraint":      "EXPR, a placement constraint (--constraint-add), spaces ignored",
}

// taskKeys are the properties service-running checks on the container of
// every running task, as the engine runs it. Placement constraints are not
// among them: a task whose node still satisfies a new constraint is not
// replaced, so its container says nothing of the constraint.
var taskKeys = map[string]string{
	"container-label": "KEY[=VALUE], a label of the container",
	"env":             "NAME[=VALUE], a variable of the container's environment",
	"mount":           "[SOURCE:]TARGET, a mount of the container (SOURCE: a volume's name or a bind's host path)",
	"network":         "NAME, a network the container is attached to",
	"port":            "PUBLISHED:TARGET[/PROTO], a port the container publishes on the node (host mode)",
	"file":            "PATH, a file in the container (asked through the engine's archive API, as docker cp does: the image needs no shell; the API sees a secret's mount point, not its content)",
}

// keyList documents keys for a command's usage.
func keyList(keys map[string]string) string {
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		parts = append(parts, k+"="+keys[k])
	}
	return strings.Join(parts, "; ")
}

// parseProperty reads [!]KEY=VALUE for one of keys.
func parseProperty(arg string, keys map[string]string) (property, error) {
	p := property{}
	rest := arg
	if strings.HasPrefix(rest, "!") {
		p.absent, rest = true, rest[1:]
	}
	var ok bool
	p.key, p.value, ok = strings.Cut(rest, "=")
	if !ok || p.value == "" {
		return p, i18n.Errorf("%q: want [!]KEY=VALUE", arg)
	}
	if _, known := keys[p.key]; !known {
		return p, i18n.Errorf("unknown key %q in %q", p.key, arg)
	}
	if p.key == "file" && !strings.HasPrefix(p.value, "/") {
		return p, i18n.Errorf("%q: the path must be absolute", arg)
	}
	return p, nil
}

// elementMatches reports whether one element of a list, as listed by
// specList or taskList, is the one want names.
func elementMatches(key, element, want string) bool {
	switch key {
	case "label", "container-label", "env":
		// NAME names the variable whatever its value; NAME=VALUE both.
		return element == want || !strings.Contains(want, "=") && strings.HasPrefix(element, want+"=")
	case "mount":
		return element == want || !strings.Contains(want, ":") && strings.HasSuffix(element, ":"+want)
	case "constraint":
		return strings.ReplaceAll(element, " ", "") == strings.ReplaceAll(want, " ", "")
	case "port":
		if !strings.Contains(want, "/") {
			want += "/tcp"
		}
		return element == want
	}
	return element == want
}

// judge says whether p holds on a list of elements, and what was seen.
func judge(p property, elements []string) (bool, string) {
	found := false
	for _, e := range elements {
		found = found || elementMatches(p.key, e, p.value)
	}
	got := strings.Join(elements, ",")
	if got == "" {
		got = "none"
	}
	return found != p.absent, got
}

func pairs(m map[string]string) []string {
	var list []string
	for k, v := range m {
		list = append(list, k+"="+v)
	}
	sort.Strings(list)
	return list
}

// specList lists the elements of the spec's list for key. Networks are
// named in the spec by ID: networkIDs maps the names the lab uses to IDs.
func specList(svc *swarm.Service, key string, networkIDs map[string]string) []string {
	tt := svc.Spec.TaskTemplate
	cs := tt.ContainerSpec
	if cs == nil {
		cs = &swarm.ContainerSpec{}
	}
	var list []string
	switch key {
	case "label":
		return pairs(svc.Spec.Labels)
	case "container-label":
		return pairs(cs.Labels)
	case "env":
		return append(list, cs.Env...)
	case "mount":
		for _, m := range cs.Mounts {
			list = append(list, m.Source+":"+m.Target)
		}
	case "network":
		names := map[string]string{}
		for name, id := range networkIDs {
			names[id] = name
		}
		for _, n := range tt.Networks {
			if name, ok := names[n.Target]; ok {
				list = append(list, name)
			} else {
				list = append(list, n.Target)
			}
		}
	case "secret":
		for _, s := range cs.Secrets {
			list = append(list, s.SecretName)
		}
	case "constraint":
		if tt.Placement != nil {
			list = append(list, tt.Placement.Constraints...)
		}
	}
	return list
}

// fileState is what the engine said of a path in a container.
type fileState struct {
	found bool
	// what it is when found (its mode), why not when not: a sentence
	what i18n.Sentence
}

// taskFiles holds the files service-running reads, by container ID then
// path: reading them takes API calls, so the impure half does it first.
type taskFiles map[string]map[string]fileState

// taskHolds checks p on a running task and its container; the second
// result says what the task has instead when it fails, a sentence or the
// engine's values.
func taskHolds(snap engine.ServiceSnapshot, t swarm.Task, files taskFiles, p property) (bool, any) {
	if t.Status.ContainerStatus == nil {
		return false, i18n.Sprintf("no container")
	}
	id := t.Status.ContainerStatus.ContainerID
	if p.key == "file" {
		f, ok := files[id][p.value]
		if !ok {
			return false, i18n.Sprintf("%s not looked at", p.value)
		}
		return f.found != p.absent, i18n.Sprintf("%s %v", p.value, f.what)
	}
	ct, ok := snap.Containers[id]
	if !ok {
		return false, i18n.Sprintf("no container to inspect")
	}
	var list []string
	switch p.key {
	case "env":
		if ct.Config != nil {
			list = ct.Config.Env
		}
	case "container-label":
		if ct.Config != nil {
			// Swarm's own labels say nothing of the lab's.
			for _, l := range pairs(ct.Config.Labels) {
				if !strings.HasPrefix(l, "com.docker.") {
					list = append(list, l)
				}
			}
		}
	case "mount":
		for _, m := range ct.Mounts {
			src := m.Source
			if m.Name != "" {
				src = m.Name
			}
			list = append(list, src+":"+m.Destination)
		}
	case "network":
		if ct.NetworkSettings != nil {
			for name := range ct.NetworkSettings.Networks {
				list = append(list, name)
			}
			sort.Strings(list)
		}
	case "port":
		if ct.NetworkSettings != nil {
			for port, bindings := range ct.NetworkSettings.Ports {
				for _, b := range bindings {
					list = append(list, b.HostPort+":"+port.String())
				}
			}
			sort.Strings(list)
			list = dedupe(list) // one binding per address family
		}
	}
	ok, got := judge(p, list)
	return ok, p.key + " " + got
}

func dedupe(sorted []string) []string {
	var out []string
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
