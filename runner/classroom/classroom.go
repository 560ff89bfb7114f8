// Package classroom runs a lab on a classroom's engines at once: every
// engine proved fit before anything is created on any, then the runs
// concurrently, each cleaning up after itself, and a summary table.
package classroom

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/buildinfo"
	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/report"
)

// Run runs a lab on several engines at once, a classroom's, each with
// body (runner.AllSteps, or verify's), and returns the report of every
// run and the exit code of them all: 0 when every run passed, 1 when a
// lab failed somewhere, 2 when an engine could not be used, 130 when
// interrupted. Every engine is contacted and found fit (reachable, the
// lab's names free, the lab's preflight checks holding) before anything
// is created on any of them; then the runs go concurrently, each on its
// own engine, and each removes what it created, whatever happens.
// opts.Host is ignored: hosts are the engines.
func Run(ctx context.Context, opts runner.Options, hosts []string, body runner.Body) (*report.Classroom, int, error) {
	cr := &report.Classroom{Lab: opts.Lab, Result: report.Error, Started: time.Now(), Runs: []*report.Run{}, Labrun: buildinfo.Current()}
	// Each run writes its live view through its own prefixed writer, whole
	// lines at a time, so that the runs' lines interleave readably.
	var outs []*report.LineWriter
	if opts.Out != nil {
		outs = report.NewLineWriters(opts.Out, engineLabels(hosts))
	}
	end := func(code int, err error) (*report.Classroom, int, error) {
		for _, w := range outs {
			w.Flush()
		}
		cr.Duration = report.Seconds(time.Since(cr.Started))
		if err != nil {
			cr.Result, cr.Error = report.Error, i18n.In(opts.Lang, err)
		}
		if opts.Out != nil && len(cr.Runs) > 0 {
			fmt.Fprintln(opts.Out)
			cr.WriteSummaryIn(opts.Out, opts.Lang)
		}
		return cr, code, err
	}
	if err := CheckHosts(hosts); err != nil {
		return end(exit.Error, err)
	}

	seats := make([]*seat, len(hosts))
	var l *lab.Lab
	for i, host := range hosts {
		o := opts
		o.Host, o.Out = host, nil
		if i > 0 {
			o.Trust = nil // asked once for the classroom
		}
		st := &seat{opts: o, report: report.NewBuilderIn(opts.Lab, opts.Lang)}
		if outs != nil {
			st.view = runner.NewTerminal(outs[i], opts.Verbose, opts.Lang)
		}
		seats[i] = st
		// A lab file's warning is said once, not once per engine.
		var notices event.Sink
		if i == 0 {
			notices = runner.NewTerminal(opts.Out, false, opts.Lang)
		}
		// The engine's own view needs the lab (its steps), not the notice.
		view := event.Func(func(e event.Event) {
			if _, notice := e.(event.Notice); !notice && st.view != nil {
				st.view.Handle(e)
			}
		})
		var err error
		if l, err = runner.Load(&st.opts, event.Fan{st.report, notices, view}); err != nil {
			// The lab and the flags are the same for every engine: one
			// message, no table.
			return end(exit.Error, err)
		}
		cr.Lab = l.Name
	}
	for _, st := range seats {
		rep := st.report.Report()
		rep.Engine = st.opts.Host
		cr.Runs = append(cr.Runs, rep)
	}

	// Contact every engine first: nothing is created until all answer.
	errs := make([]error, len(hosts))
	each(hosts, func(i int) {
		st := seats[i]
		st.run, errs[i] = runner.Connect(ctx, st.opts, l, st.events())
	})
	defer func() {
		for _, st := range seats {
			if st.run != nil {
				st.run.Close()
			}
		}
	}()
	if err := notReady(seats, errs, unreachable); err != nil {
		return end(interruptedOr(ctx, exit.Error), err)
	}
	// Two addresses may lead to one engine (its socket and its TCP port),
	// and two managers to one swarm: two runs there would fight over the
	// lab's names, unless --isolate gives each its own.
	first := map[string]string{}
	for i, st := range seats {
		id, ok := engineIdentity(st.run.Engine())
		if other, seen := first[id.String()]; seen && ok && !opts.Isolate {
			errs[i] = i18n.Errorf("it shares %s with the engine at %s, and runs there would fight over the lab's names (--isolate gives each run its own)", id, other)
			continue
		}
		first[id.String()] = hosts[i]
	}
	if err := notReady(seats, errs, besideAnother); err != nil {
		return end(exit.Error, err)
	}

	// Then prove each fit: its names free, its preflight checks holding.
	each(hosts, func(i int) {
		r := seats[i].run
		if errs[i] = r.Prepare(ctx); errs[i] == nil {
			errs[i] = r.Preflight(ctx)
		}
	})
	if err := notReady(seats, errs, notFit); err != nil {
		return end(interruptedOr(ctx, exit.Error), err)
	}

	codes := make([]int, len(hosts))
	each(hosts, func(i int) {
		st := seats[i]
		codes[i], errs[i] = st.run.Do(ctx, body)
		st.run.Release(opts.Abort)
		st.end(codes[i], errs[i])
	})
	code := classroomCode(codes)
	cr.Result = report.Fail
	switch code {
	case exit.Pass:
		cr.Result = report.Pass
		return end(code, nil)
	case exit.Error, exit.Interrupted:
		cr.Result = report.Error
	}
	failure := classroomFailure(cr, errs)
	cr.Error = i18n.In(opts.Lang, failure)
	rep, code, _ := end(code, nil)
	return rep, code, failure
}

// seat is one engine of the classroom and its run.
type seat struct {
	opts   runner.Options
	run    *runner.Run
	report *report.Builder
	// view is the engine's prefixed live view, nil when quiet.
	view event.Sink
}

// events are where the seat's run sends its events.
func (st *seat) events() event.Sink { return event.Fan{st.report, st.view} }

// end closes the seat's report with its exit code and error.
func (st *seat) end(code int, err error) {
	sink := st.events()
	if st.run == nil {
		sink = st.report // its heading was never printed: the table says it
	}
	sink.Handle(event.RunEnded{Lab: st.opts.Lab, Result: runner.ResultOf(code), Err: err})
}

// engineIdentity names what a classroom's runs must not share: the swarm
// a manager belongs to (its services are the swarm's), else the engine;
// ok is false when the engine says nothing of either. The engine ID alone
// does not tell machines apart: it comes from a key file that engines
// started from one image (cloned machines, engines sharing /etc/docker)
// have in common; with the host name it does. Its English wording is the
// key two engines are compared by.
func engineIdentity(e *engine.Engine) (id i18n.Sentence, ok bool) {
	switch {
	case e.ClusterID != "":
		return i18n.Sprintf("swarm %s", e.ClusterID), true
	case e.NodeID != "":
		return i18n.Sprintf("swarm node %s", e.NodeID), true
	case e.ID != "":
		return i18n.Sprintf("engine %s on %s", e.ID, e.Name), true
	}
	return i18n.Sentence{}, false
}

// interruptedOr is exit.Interrupted when ctx ended, else code: an engine
// that stops answering because of a Ctrl-C is not at fault.
func interruptedOr(ctx context.Context, code int) int {
	if ctx.Err() != nil {
		return exit.Interrupted
	}
	return code
}

// each runs f for every engine at once and waits for them all.
func each(hosts []string, f func(i int)) {
	var wg sync.WaitGroup
	for i := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	wg.Wait()
}

// fault is what kept an engine from the classroom, worded whole in each
// language: the engine at fault, and the others that were not run.
type fault struct {
	bad   func(host string, err error) error
	other func() error
}

// The faults of notReady, one per check made before the runs.
var (
	unreachable = fault{
		func(host string, err error) error { return i18n.Errorf("engine %s is unreachable: %v", host, err) },
		func() error {
			return i18n.Errorf("not run: another engine is unreachable, and a classroom starts on every engine or none")
		},
	}
	besideAnother = fault{
		func(host string, err error) error {
			return i18n.Errorf("engine %s cannot run beside another: %v", host, err)
		},
		func() error {
			return i18n.Errorf("not run: another engine cannot run beside another, and a classroom starts on every engine or none")
		},
	}
	notFit = fault{
		func(host string, err error) error { return i18n.Errorf("engine %s is not ready: %v", host, err) },
		func() error {
			return i18n.Errorf("not run: another engine is not ready, and a classroom starts on every engine or none")
		},
	}
)

// notReady ends the classroom before its runs when an engine failed a
// check: it removes what the others' preparations recorded (their
// ledgers; a swarm --init-swarm made), closes every run's report and
// returns the error that names each engine at fault.
func notReady(seats []*seat, errs []error, f fault) error {
	var bad []error
	for i, err := range errs {
		if err != nil {
			bad = append(bad, f.bad(seats[i].opts.Host, err))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	for i, st := range seats {
		if st.run != nil {
			st.run.Release(st.opts.Abort)
		}
		err := errs[i]
		if err == nil {
			err = f.other()
		}
		st.end(exit.Error, err)
	}
	return &exit.UsageError{Err: i18n.Errorf("%s", i18n.Join(bad, "\n"))}
}

// CheckHosts refuses an empty classroom, a bad URL and an engine given
// twice: two runs of one lab on one engine would fight over its names.
func CheckHosts(hosts []string) error {
	if len(hosts) == 0 {
		return exit.Flagf("no engine given")
	}
	seen := map[string]bool{}
	for _, h := range hosts {
		if seen[h] {
			return exit.Flagf("engine %s is given twice", h)
		}
		seen[h] = true
		if err := checkHost(h); err != nil {
			return exit.Flagf("--host: %v", err)
		}
	}
	return nil
}

// checkHost checks the form of an engine's URL.
func checkHost(h string) error {
	u, err := url.Parse(h)
	if err != nil || u.Scheme == "" || !strings.Contains(h, "://") || strings.ContainsAny(h, " \t") {
		return i18n.Errorf("%q is not an engine URL: want unix:///path, tcp://host:port or ssh://[user@]host", h)
	}
	switch u.Scheme {
	case "unix":
		if u.Path == "" {
			return i18n.Errorf("%q: a unix:// URL needs a socket path, e.g. unix:///var/run/docker.sock", h)
		}
	case "tcp", "ssh":
		if u.Hostname() == "" {
			return i18n.Errorf("%q: no host name", h)
		}
	default:
		return i18n.Errorf("%q: scheme %s: want unix, tcp or ssh", h, u.Scheme)
	}
	return nil
}

// engineLabels are the prefixes of the runs' lines: the engines' addresses
// without their scheme, short enough to read at a glance.
func engineLabels(hosts []string) []string {
	labels := make([]string, len(hosts))
	for i, h := range hosts {
		labels[i] = h
		if u, err := url.Parse(h); err == nil {
			switch {
			case u.Host != "" && u.User != nil:
				labels[i] = u.User.Username() + "@" + u.Host
			case u.Host != "":
				labels[i] = u.Host
			case u.Path != "":
				labels[i] = u.Path
			}
		}
	}
	return labels
}

// classroomCode is the exit code of several runs: an interruption first,
// then an engine's error, then a lab's failure.
func classroomCode(codes []int) int {
	worst := exit.Pass
	rank := map[int]int{exit.Pass: 0, exit.Fail: 1, exit.Error: 2, exit.Interrupted: 3}
	for _, c := range codes {
		if rank[c] > rank[worst] {
			worst = c
		}
	}
	return worst
}

// classroomFailure says, one engine a line, where the runs that did not
// pass ended: each run's error as it came (worded in the run's language
// when it is labrun's), else what its report says.
func classroomFailure(cr *report.Classroom, errs []error) error {
	var lines []error
	for i, r := range cr.Runs {
		if r.Result != report.Pass {
			var why any = r.Error
			if i < len(errs) && errs[i] != nil {
				why = errs[i]
			}
			lines = append(lines, i18n.Errorf("engine %s: %v", r.Engine, why))
		}
	}
	return i18n.Errorf("%s", i18n.Join(lines, "\n"))
}

// ReadHosts reads a classroom's engines from a file: one URL a line;
// blank lines and lines starting with # are ignored. A bad line is a
// usage error at file:line.
func ReadHosts(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, exit.Usagef("--hosts: %v", err)
	}
	return ParseHosts(path, data)
}

// ParseHosts parses the text of a hosts file named name: one URL a line,
// nothing after it.
func ParseHosts(name string, data []byte) ([]string, error) {
	entries, err := ParseEntries(name, data, false)
	if err != nil {
		return nil, err
	}
	hosts := make([]string, len(entries))
	for i, e := range entries {
		hosts[i] = e.URL
	}
	return hosts, nil
}

// Entry is one line of a hosts file: an engine's URL and, in the files
// labrun cluster reads, the address its node advertises to the swarm.
type Entry struct {
	URL string
	// Advertise is the line's second column, empty when it has none.
	Advertise string
	// Line is the entry's line number in its file, for messages.
	Line int
}

// ReadEntries reads a hosts file whose lines may carry a second column,
// URL [ADVERTISE-ADDR], as labrun cluster's --hosts FILE does.
func ReadEntries(path string) ([]Entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, exit.Usagef("--hosts: %v", err)
	}
	return ParseEntries(path, data, true)
}

// ParseEntries parses the text of a hosts file named name: one engine a
// line, its URL, then, when advertise allows it, the address its node
// advertises to a swarm; blank lines and lines starting with # are
// ignored. A bad line is a usage error at file:line. Both forms share
// this one parser so that a URL is checked alike everywhere.
func ParseEntries(name string, data []byte, advertise bool) ([]Entry, error) {
	var entries []Entry
	seen := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		e := Entry{URL: fields[0], Line: i + 1}
		switch {
		case len(fields) > 2 || len(fields) == 2 && !advertise:
			if !advertise {
				// The URL check says why a line with spaces is no URL.
				e.URL = line
				break
			}
			return nil, exit.Usagef("%s:%d: want URL [ADVERTISE-ADDR], got %d words", name, i+1, len(fields))
		case len(fields) == 2:
			e.Advertise = fields[1]
			if err := checkAdvertise(e.Advertise); err != nil {
				return nil, exit.Usagef("%s:%d: %v", name, i+1, err)
			}
		}
		if err := checkHost(e.URL); err != nil {
			return nil, exit.Usagef("%s:%d: %v", name, i+1, err)
		}
		if first, ok := seen[e.URL]; ok {
			return nil, exit.Usagef("%s:%d: engine %s is already on line %d", name, i+1, e.URL, first)
		}
		seen[e.URL] = i + 1
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		return nil, exit.Usagef("%s: no engine in it (one URL a line, e.g. tcp://10.0.0.5:2376)", name)
	}
	return entries, nil
}

// checkAdvertise checks the form of an advertise address: an IP address
// or an interface name, as docker swarm init takes, without a port
// (labrun cluster uses the swarm's port, 2377).
func checkAdvertise(a string) error {
	if strings.Contains(a, "://") || strings.Contains(a, ":") && net.ParseIP(a) == nil {
		return i18n.Errorf("%q is not an advertise address: want an IP address or an interface name, without a port", a)
	}
	return nil
}

// CheckHost checks the form of an engine's URL, as a hosts file's lines
// and --host are checked.
func CheckHost(h string) error { return checkHost(h) }
