package runner

import (
	"context"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/registry"
	"github.com/labrun/labrun/runner/timeouts"
)

// Options are the choices of one run.
type Options struct {
	Lab         string            // a built-in lab's name or a lab file's path
	Set         map[string]string // --set NAME=VALUE
	Flavour     string            // --images
	PublishMode string            // --publish-mode
	KeepImages  bool
	InitSwarm   bool
	// Verify proves, step by step, that the lab's checks fail before the
	// actions they follow and hold after (labrun verify).
	Verify bool
	// Fast gives the lab's variables their "## fast" values: shortened
	// timings, not the tutorial's, for the same states (--fast).
	Fast bool
	// Isolate gives the lab's name variables the run's id as a suffix and
	// its port variables a free port, so that runs sharing an engine do
	// not meet (--isolate).
	Isolate bool
	// IsolatePorts is the range of ports --isolate picks from, LO-HI;
	// empty: LABRUN_ISOLATE_PORTS, or DefaultIsolatePorts.
	IsolatePorts string
	Host         string // engine address; empty: DOCKER_HOST or the default socket
	// Context is a docker CLI context to use (--context), instead of Host.
	Context string
	// Nodes is a nodes file (--nodes FILE): the engine of each node of a
	// multi-node swarm, where labrun puts the lab's images. Empty: the
	// engines are discovered where the manager is reached over tcp://.
	Nodes string
	// Registry is HOST:PORT of a registry every node can pull from
	// (--registry): the lab's image names then name it, labrun pushes the
	// images it makes there, and deletes the tags at the end.
	Registry string
	// OnlyImageNodes keeps the lab's services off the nodes labrun cannot
	// give the images (--only-image-nodes): a placement constraint added to
	// the lab's docker service create commands, instead of exit 2.
	OnlyImageNodes bool
	Lang           string
	Verbose        bool
	// Out receives the live terminal view; nil runs quietly.
	Out io.Writer
	// Trust is asked before a lab file given by path is used, with the
	// notice that says it runs commands on this machine: the command line
	// shows it where the live view does not (-q) and asks for a yes on a
	// terminal. An error stops everything before the engine is touched
	// (exit 2). Nil: the notice is only an event.
	Trust func(notice string) error
	// Events is one more consumer of the run's events, beside the report
	// and the live view; nil: none.
	Events event.Sink
	// StateDir is labrun's state directory (ledgers, remembered probes);
	// empty: $XDG_STATE_HOME/labrun or ~/.local/state/labrun.
	StateDir string
	// Abort is cancelled on a second interrupt: cleanup stops waiting and
	// says what it left. Nil: cleanup waits up to its own timeout.
	Abort context.Context
	// NoWait makes "*" look once instead of waiting: labrun check answers
	// about the engine as it is.
	NoWait bool
	// Timeouts bound the run's waits; zero fields take the defaults.
	// Timeouts.Run bounds the whole run (--timeout); zero: no bound.
	Timeouts timeouts.Timeouts
}

// Validate checks the options against the lab, before the engine is touched,
// and fills in the defaults.
//
// Validate is exported for the front-ends that open no run (doctor).
func (o *Options) Validate(l *lab.Lab) error {
	if o.Flavour == "" {
		o.Flavour = images.Offline
	}
	if err := images.ValidFlavour(o.Flavour); err != nil {
		return exit.Flagf("--images: %v", err)
	}
	switch o.PublishMode {
	case "":
		o.PublishMode = labcmd.PublishAuto
	case labcmd.PublishAuto, labcmd.PublishIngress, labcmd.PublishHost:
	default:
		return exit.Flagf("--publish-mode %q: want auto, ingress or host", o.PublishMode)
	}
	if o.Registry != "" {
		if err := registry.Valid(o.Registry); err != nil {
			return exit.Flagf("--registry %s: %v", o.Registry, err)
		}
	}
	if o.Timeouts.Run < 0 {
		return exit.Flagf("--timeout %s: want a positive duration", o.Timeouts.Run)
	}
	if o.Fast && !l.HasFast() {
		return exit.Flagf("--fast: lab %s has no fast values (no \"## fast\" directive): it runs at the tutorial's pace only", l.Name)
	}
	if o.Isolate && !l.Isolates() {
		return exit.Flagf("--isolate: lab %s declares no name or port variable (\"## var name ...\", \"## var port ...\") to isolate", l.Name)
	}
	if o.IsolatePorts == "" {
		o.IsolatePorts = DefaultIsolatePorts
		if env := os.Getenv(IsolatePortsEnv); env != "" {
			o.IsolatePorts = env
		}
	}
	if _, err := parsePortRange(o.IsolatePorts); err != nil && o.Isolate {
		return exit.Flagf("--isolate-ports %v", err)
	}
	declared := map[string]lab.Var{}
	var names []string
	for _, v := range l.Vars {
		declared[v.Name] = v
		names = append(names, v.Name)
	}
	sort.Strings(names)
	for name, value := range o.Set {
		if _, ok := declared[name]; !ok {
			return exit.Flagf("--set %s: lab %s has no variable %s (it has %s)", name, l.Name, name, strings.Join(names, ", "))
		}
		if value == "" && declared[name].Kind == lab.KindArgs {
			continue // no arguments at all
		}
		if err := validValue(declared[name], value); err != nil {
			return exit.Flagf("--set %s=%s: %v", name, value, err)
		}
	}
	return nil
}

// validValue checks the values whose kind the lab declares or their name
// shows: ports, and the names of services and images, which the engine
// would refuse later, after the run has started.
func validValue(v lab.Var, value string) error {
	name := v.Name
	switch {
	case value == "":
		return i18n.Errorf("empty value")
	case v.Kind == lab.KindPort || strings.Contains(name, "PORT"):
		if p, err := strconv.Atoi(value); err != nil || p < 1 || p > 65535 {
			return i18n.Errorf("not a port number (1-65535)")
		}
	case v.Kind == lab.KindName || strings.Contains(name, "SERVICE") || strings.Contains(name, "IMAGE"):
		for _, r := range value {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r)) {
				return i18n.Errorf("use lower-case letters, digits, '-', '_', '.' and '/'")
			}
		}
	}
	return nil
}
