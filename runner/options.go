// Package runner runs a lab against a Docker engine: it loads the lab,
// proves the engine is fit and that the lab's resources are free, runs the
// lab's script through testscript, collects diagnostics on failure and
// removes what the run created, whatever happens.
package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/ledger"
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
	Host         string        // engine address; empty: DOCKER_HOST or the default socket
	Timeout      time.Duration // bounds the whole run; zero: none
	Lang         string
	Verbose      bool
	// Out receives the live terminal view; nil runs quietly.
	Out io.Writer
	// StateDir is labrun's state directory (ledgers, remembered probes);
	// empty: $XDG_STATE_HOME/labrun or ~/.local/state/labrun.
	StateDir string
	// Abort is cancelled on a second interrupt: cleanup stops waiting and
	// says what it left. Nil: cleanup waits up to its own timeout.
	Abort context.Context
}

// Exit codes of a run.
const (
	ExitPass        = 0
	ExitFail        = 1
	ExitError       = 2
	ExitInterrupted = 130
)

// UsageError is a mistake in the command line, a lab file or the
// environment: exit 2, before anything is created on the engine.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// FlagError is a usage error in the value of a flag.
type FlagError struct{ UsageError }

func flagErrorf(format string, args ...any) error {
	return &FlagError{UsageError{Err: fmt.Errorf(format, args...)}}
}

// LoadLab finds and loads a lab: a built-in lab's name, or a path to a lab
// file. builtIn tells which, since a lab file from elsewhere runs commands
// and must be announced.
func LoadLab(nameOrPath string) (l *lab.Lab, builtIn bool, err error) {
	if data, ok := labs.Read(nameOrPath); ok {
		l, err := lab.Load(nameOrPath+labs.Ext, data, labcmd.NewVocabulary())
		if err != nil {
			return nil, true, &UsageError{Err: err}
		}
		return l, true, nil
	}
	if !strings.ContainsAny(nameOrPath, `/\`) && !strings.HasSuffix(nameOrPath, labs.Ext) {
		return nil, false, usagef("unknown lab %q: built-in labs are %s; or give a lab file's path", nameOrPath, strings.Join(labs.Names(), ", "))
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		return nil, false, usagef("cannot read lab file: %v", err)
	}
	l, err = lab.Load(filepath.Clean(nameOrPath), data, labcmd.NewVocabulary())
	if err != nil {
		return nil, false, &UsageError{Err: err}
	}
	return l, false, nil
}

// stateDirectory returns labrun's state directory: StateDir, or the
// parent of the ledgers' default directory.
func (o *Options) stateDirectory() (string, error) {
	if o.StateDir != "" {
		return o.StateDir, nil
	}
	dir, err := ledger.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Dir(dir), nil
}

// validate checks the options against the lab, before the engine is touched.
func (o *Options) validate(l *lab.Lab) error {
	if o.Flavour == "" {
		o.Flavour = images.Offline
	}
	if err := images.ValidFlavour(o.Flavour); err != nil {
		return flagErrorf("--images: %w", err)
	}
	switch o.PublishMode {
	case "":
		o.PublishMode = labcmd.PublishAuto
	case labcmd.PublishAuto, labcmd.PublishIngress, labcmd.PublishHost:
	default:
		return flagErrorf("--publish-mode %q: want auto, ingress or host", o.PublishMode)
	}
	if o.Timeout < 0 {
		return flagErrorf("--timeout %s: want a positive duration", o.Timeout)
	}
	if o.Fast && !l.HasFast() {
		return flagErrorf("--fast: lab %s has no fast values (no \"## fast\" directive): it runs at the tutorial's pace only", l.Name)
	}
	if o.Isolate && !l.Isolates() {
		return flagErrorf("--isolate: lab %s declares no name or port variable (\"## var name ...\", \"## var port ...\") to isolate", l.Name)
	}
	if o.IsolatePorts == "" {
		o.IsolatePorts = DefaultIsolatePorts
		if env := os.Getenv(IsolatePortsEnv); env != "" {
			o.IsolatePorts = env
		}
	}
	if _, err := parsePortRange(o.IsolatePorts); err != nil && o.Isolate {
		return flagErrorf("--isolate-ports %v", err)
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
			return flagErrorf("--set %s: lab %s has no variable %s (it has %s)", name, l.Name, name, strings.Join(names, ", "))
		}
		if value == "" && declared[name].Kind == lab.KindArgs {
			continue // no arguments at all
		}
		if err := validValue(declared[name], value); err != nil {
			return flagErrorf("--set %s=%s: %v", name, value, err)
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
		return fmt.Errorf("empty value")
	case v.Kind == lab.KindPort || strings.Contains(name, "PORT"):
		if p, err := strconv.Atoi(value); err != nil || p < 1 || p > 65535 {
			return fmt.Errorf("not a port number (1-65535)")
		}
	case v.Kind == lab.KindName || strings.Contains(name, "SERVICE") || strings.Contains(name, "IMAGE"):
		for _, r := range value {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r)) {
				return fmt.Errorf("use lower-case letters, digits, '-', '_', '.' and '/'")
			}
		}
	}
	return nil
}
