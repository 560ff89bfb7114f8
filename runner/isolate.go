package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/registry"
)

// DefaultIsolatePorts is the range --isolate picks ports from, unless
// --isolate-ports or LABRUN_ISOLATE_PORTS says otherwise: away from the
// usual services' ports, so that labrun takes no port someone meant for
// something else.
const DefaultIsolatePorts = "20000-29999"

// IsolatePortsEnv names the environment variable that sets the default
// range of --isolate-ports, for a classroom that shares one engine.
const IsolatePortsEnv = "LABRUN_ISOLATE_PORTS"

// maxPortTries bounds the ports --isolate looks at before giving up: each
// costs two questions to the engine.
const maxPortTries = 200

// portRange is an inclusive range of ports.
type portRange struct{ lo, hi int }

// parsePortRange reads LO-HI.
func parsePortRange(s string) (portRange, error) {
	lo, hi, ok := strings.Cut(s, "-")
	l, err1 := strconv.Atoi(lo)
	h, err2 := strconv.Atoi(hi)
	if !ok || err1 != nil || err2 != nil || l < 1 || h > 65535 || l > h {
		return portRange{}, i18n.Errorf("%q: want a range of ports such as %s", s, DefaultIsolatePorts)
	}
	return portRange{l, h}, nil
}

// isolator gives the lab's name and port variables values of their own to
// a run, so that runs on one engine do not meet: names get the run's id,
// ports a free one, reserved in the state directory while the run lasts
// so that two runs of this user started together do not pick the same.
type isolator struct {
	ctx    context.Context
	engine *engine.Engine
	id     string
	ports  portRange
	dir    string     // where the reservations are
	held   []*os.File // the reservations this run holds, locked
}

// value gives v, whose value would be value, its isolated value.
func (i *isolator) value(v lab.Var, value string) (string, error) {
	if v.Kind == lab.KindName {
		return value + "-" + i.id, nil
	}
	n := i.ports.hi - i.ports.lo + 1
	start := rand.IntN(n)
	for k := 0; k < n && k < maxPortTries; k++ {
		port := i.ports.lo + (start+k)%n
		reserved, err := i.reserve(port)
		if err != nil {
			return "", err
		}
		if !reserved {
			continue
		}
		user, err := labcmd.PortUser(i.ctx, i.engine, port)
		if err != nil {
			return "", err
		}
		if user.Free() {
			return strconv.Itoa(port), nil
		}
		i.drop(len(i.held) - 1)
	}
	return "", i18n.Errorf("no free port in %d-%d after %d tries: choose another range with --isolate-ports, or a port with --set %s=...",
		i.ports.lo, i.ports.hi, min(n, maxPortTries), v.Name)
}

// reserve takes port for this run, unless a live run holds it: a
// reservation is a file of the port's number locked by its run, a lock the
// system lets go when the run's process ends, however it ends.
func (i *isolator) reserve(port int) (bool, error) {
	if err := os.MkdirAll(i.dir, 0o700); err != nil {
		return false, err
	}
	path := filepath.Join(i.dir, strconv.Itoa(port))
	for attempt := 0; attempt < 3; attempt++ {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return false, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return false, nil
			}
			return false, err
		}
		// Its last holder may have removed the file between the open and
		// the lock: this lock is then on a file no other run can see.
		mine, err1 := f.Stat()
		now, err2 := os.Stat(path)
		if err1 != nil || err2 != nil || !os.SameFile(mine, now) {
			f.Close()
			continue
		}
		f.Truncate(0)
		fmt.Fprintf(f, "%d %s\n", os.Getpid(), i.id) // for whoever looks
		i.held = append(i.held, f)
		return true, nil
	}
	return false, nil
}

// drop gives back the k-th reservation: the file goes before the lock, so
// that no run can lock it in between and believe it holds the port.
func (i *isolator) drop(k int) {
	f := i.held[k]
	os.Remove(f.Name())
	f.Close()
	i.held = append(i.held[:k], i.held[k+1:]...)
}

// release gives back the ports the run reserved: the run is over and its
// services, which published them, are gone.
func (i *isolator) release() {
	for len(i.held) > 0 {
		i.drop(len(i.held) - 1)
	}
}

// values works out the run's values of the lab's variables, from --set,
// --fast and --isolate, and says which differ from the tutorial's. The
// isolator it returns, if any, holds the ports it reserved until released.
func (r *Run) values(ctx context.Context) (*isolator, error) {
	mode := lab.Mode{Set: r.opts.Set, Fast: r.opts.Fast}
	var iso *isolator
	if r.opts.Isolate {
		ports, err := parsePortRange(r.opts.IsolatePorts)
		if err != nil {
			return nil, exit.Flagf("--isolate-ports %v", err)
		}
		iso = &isolator{ctx: ctx, engine: r.engine, id: r.id, ports: ports, dir: filepath.Join(r.stateDir, "ports")}
		mode.Isolate = iso.value
	}
	vals, err := r.lab.Values(mode)
	if err != nil {
		return iso, &exit.UsageError{Err: err}
	}
	if r.opts.Registry != "" {
		// The nodes pull the images from the registry: their names say so.
		var named []string
		for _, v := range r.lab.Vars {
			if strings.Contains(v.Name, "IMAGE") {
				vals[v.Name] = registry.Ref(r.opts.Registry, vals[v.Name])
				named = append(named, v.Name+"="+vals[v.Name])
			}
		}
		if len(named) > 0 {
			r.notice(i18n.Say(r.opts.Lang, "registry-values", r.opts.Registry, strings.Join(named, " ")))
		}
	}
	r.vars = vals
	r.sink.Handle(event.Values{Vars: maps.Clone(vals), Fast: r.opts.Fast, Isolated: r.opts.Isolate})
	tutorial := r.lab.Defaults(r.opts.Set)
	var fast, isolated []string
	for _, v := range r.lab.Vars {
		if _, set := r.opts.Set[v.Name]; set || vals[v.Name] == tutorial[v.Name] && !v.HasFast {
			continue
		}
		switch {
		case r.opts.Fast && v.HasFast:
			fast = append(fast, i18n.Text(r.opts.Lang, "fast-value", v.Name, vals[v.Name], tutorial[v.Name]))
		case r.opts.Isolate && (v.Kind == lab.KindName || v.Kind == lab.KindPort):
			isolated = append(isolated, v.Name+"="+vals[v.Name])
		}
	}
	if len(fast) > 0 {
		r.notice(i18n.Say(r.opts.Lang, "fast-values", strings.Join(fast, ", ")))
	}
	if len(isolated) > 0 {
		r.notice(i18n.Say(r.opts.Lang, "isolated-values", r.id, strings.Join(isolated, " ")))
	}
	return iso, nil
}
