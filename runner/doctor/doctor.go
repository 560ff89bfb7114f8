// Package doctor is labrun doctor: whether an engine can run a lab, item
// by item, with the fix of each item that fails.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"
	"golang.org/x/sys/unix"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/owner"
	"github.com/labrun/labrun/runner/report"
)

// Options are the choices of labrun doctor.
type Options struct {
	Lab     string            // a built-in lab's name or a lab file's path
	Set     map[string]string // --set NAME=VALUE: the ports and names to check
	Flavour string            // --images: which images must be buildable or pullable
	Host    string            // engine address; empty: DOCKER_HOST or the default socket
	Context string            // a docker CLI context, instead of Host
	// Nodes is a nodes file (--nodes FILE): the engine of each node.
	Nodes string
	// Out receives the checklist as it is found; nil prints nothing.
	Out io.Writer
	// StateDir is labrun's state directory (ledgers, the routing mesh's
	// remembered verdict); empty: the default one.
	StateDir string
	// Trust is asked before a lab file given by path is used (runner.Options.Trust).
	Trust func(notice string) error
	// Abort is cancelled on a second interrupt: removing the probe stops
	// waiting. Nil: it waits up to its own timeout.
	Abort context.Context
	// Lang is the language of the checklist (package i18n): its items'
	// titles, details and fixes, its verdict and the errors it holds are
	// worded in it as they are built; empty is English. The engine's own
	// words are quoted as they came.
	Lang string
}

// MinFreeDisk is the free space doctor asks of the engine's data root:
// the lab's images are small, but an engine short of space fails in
// unexpected ways (tasks rejected, logs lost).
const MinFreeDisk = 1 << 30

// Run checks, item by item, that the engine can run a lab, and says
// how to fix each item that fails. It returns the checklist and the exit
// code: 0 the lab can run (warnings allowed: a dead routing mesh only
// means host-mode publishing), 1 an item fails, 2 bad input or no engine
// (with the error), 130 interrupted. The routing mesh is probed for real
// with a short-lived service, removed before Doctor returns, whatever
// happens; it is written to a ledger first, for labrun cleanup after a crash.
func Run(ctx context.Context, o Options) (*report.Checklist, int, error) {
	lang := o.Lang
	c := &report.Checklist{Lab: o.Lab, Result: report.Error, Items: []*report.Item{}}
	var term *report.Terminal
	if o.Out != nil {
		term = report.NewTerminal(o.Out)
		term.Lang = lang
	}
	add := func(it *report.Item) {
		c.Items = append(c.Items, it)
		if term != nil {
			term.Handle(event.Checked{ID: it.ID, Title: it.Title, Status: it.Status, Detail: it.Detail, Fix: it.Fix})
		}
	}

	opts := runner.Options{Lab: o.Lab, Set: o.Set, Flavour: o.Flavour, StateDir: o.StateDir, Host: o.Host, Context: o.Context, Nodes: o.Nodes, Trust: o.Trust, Lang: lang}
	var notices event.Sink = event.Discard
	if term != nil {
		notices = runner.NoticesOnly(term)
	}
	l, err := runner.Load(&opts, notices)
	if err != nil {
		return c, exit.Error, err
	}
	c.Lab = l.Name
	vars := l.Defaults(o.Set)
	if term != nil {
		term.Handle(event.ChecklistStarted{Lab: l.Name})
	}
	finish := func(code int) (*report.Checklist, int, error) {
		if term != nil {
			term.ChecklistEnded(c)
		}
		return c, code, nil
	}

	r, err := runner.Connect(ctx, opts, l, event.Discard)
	interrupted := func() (*report.Checklist, int, error) {
		c.Result, c.Error = report.Error, i18n.Textf(lang, "interrupted")
		finish(exit.Interrupted)
		return c, exit.Interrupted, i18n.Errorf("interrupted")
	}
	if err != nil && ctx.Err() != nil {
		return interrupted()
	}
	if err != nil {
		it := &report.Item{ID: "engine", Title: i18n.Text(lang, "doctor-engine"), Status: report.ItemFail, Detail: firstLine(i18n.In(lang, err)),
			Fix: i18n.Textf(lang, "start the Docker engine (sudo systemctl start docker), or point labrun at yours with --host or DOCKER_HOST")}
		var badContext *engine.ContextError
		if errors.As(err, &badContext) {
			it.Fix = i18n.Textf(lang, "docker context ls lists the contexts: choose one with docker context use NAME or DOCKER_CONTEXT=NAME, or unset DOCKER_CONTEXT")
		}
		var unreachable *engine.UnreachableError
		if errors.As(err, &unreachable) {
			it.Detail = i18n.Textf(lang, "cannot reach the Docker engine at %s: %v", unreachable.Host, unreachable.Err)
		}
		add(it)
		c.Result, c.Error = report.Error, it.Detail
		finish(exit.Error)
		return c, exit.Error, err
	}
	defer r.Close()
	e := r.Engine()
	c.Engine = e.Host
	info, err := e.Client.Info(ctx, client.InfoOptions{})
	if err != nil && ctx.Err() != nil {
		return interrupted()
	}
	if err != nil {
		err = &engine.UnreachableError{Host: e.Host, Err: err}
		c.Result, c.Error = report.Error, i18n.In(lang, err)
		finish(exit.Error)
		return c, exit.Error, err
	}
	// The endpoint says how the engine was chosen, in words of labrun's.
	add(&report.Item{ID: "engine", Title: i18n.Text(lang, "doctor-engine"), Status: report.ItemOK,
		Detail: i18n.Textf(lang, "%s · Docker %s · API %s · %s/%s", e.Endpoint, e.Version, e.APIVersion, info.Info.OSType, e.Arch)})

	needs := labNeeds(l, vars)
	add(apiItem(lang, e.APIVersion, needs.api, needs.apiAt))
	add(swarmItem(lang, string(e.Swarm), e.Manager))
	var topo engine.Topology
	if e.Manager {
		topo, err = e.Nodes(ctx)
	}
	switch {
	case e.Manager && err == nil && topo.Multi():
		// Several nodes: a task may land on any that is ready and active,
		// so each is judged, and the manager's own availability no longer
		// decides alone.
		items, err := nodesItems(ctx, lang, e, topo, opts.Flavour, opts.Nodes)
		if err != nil {
			c.Result, c.Error = report.Error, i18n.In(lang, err)
			finish(exit.Error)
			return c, exit.Error, err
		}
		for _, it := range items {
			add(it)
		}
		if len(topo.Schedulable()) == 0 {
			add(&report.Item{ID: "node", Title: i18n.Text(lang, "doctor-nodes"), Status: report.ItemFail,
				Detail: i18n.Textf(lang, "no node is ready and active: swarm schedules no task"),
				Fix:    i18n.Textf(lang, "docker node update --availability active NODE")})
		}
	case e.Manager:
		node, err := e.Client.NodeInspect(ctx, e.NodeID, client.NodeInspectOptions{})
		if err != nil {
			add(&report.Item{ID: "node", Title: i18n.Text(lang, "doctor-node"), Status: report.ItemFail,
				Detail: i18n.Textf(lang, "cannot inspect node %s: %v", e.NodeID, err)})
		} else {
			add(nodeItem(lang, node.Node))
		}
	default:
		add(&report.Item{ID: "node", Title: i18n.Text(lang, "doctor-node"), Status: report.ItemSkip, Detail: i18n.Textf(lang, "needs a swarm manager")})
	}

	for _, p := range needs.ports {
		it := &report.Item{ID: "port", Title: i18n.Text(lang, "doctor-port", p), Status: report.ItemOK, Detail: i18n.Textf(lang, "free on %s", e.HTTPHost)}
		switch {
		case !e.Manager:
			it.Status, it.Detail = report.ItemSkip, i18n.Textf(lang, "needs a swarm manager, to see the ports services publish")
		default:
			if err := labcmd.PortFree(ctx, e, p); err != nil {
				it.Status, it.Detail = report.ItemFail, i18n.In(lang, err)
				it.Fix = portFix(lang, l, p)
			}
		}
		add(it)
	}
	add(imagesItem(ctx, lang, r, opts.Flavour))
	if e.Manager {
		add(namesItem(ctx, lang, r, vars))
	} else {
		add(&report.Item{ID: "names", Title: i18n.Text(lang, "doctor-names"), Status: report.ItemSkip, Detail: i18n.Textf(lang, "needs a swarm manager, to see the services")})
	}

	mesh, stopped := &report.Item{ID: "routing-mesh", Title: i18n.Text(lang, "doctor-routing-mesh"), Status: report.ItemSkip,
		Detail: i18n.Textf(lang, "not probed: this lab publishes no port, so the mesh does not matter to it")}, false
	if needs.publishes {
		mesh, stopped = probeMeshItem(ctx, o.Abort, lang, r)
	}
	add(mesh)
	if stopped {
		return interrupted()
	}
	add(diskItem(lang, info.Info.DockerRootDir, localEngine(e.Host)))

	c.Result = report.Pass
	code := exit.Pass
	if c.Counts()[report.ItemFail] > 0 {
		c.Result, code = report.Fail, exit.Fail
	}
	return finish(code)
}

// requirements are what a lab asks of an engine, read from its preflight checks.
type requirements struct {
	api   string // the engine-api check's minimum; "" when the lab states none
	apiAt string // file:line of that check
	ports []string
	// publishes is whether the lab publishes a port, the only use a lab
	// has for the routing mesh.
	publishes bool
}

// labNeeds reads the minimum API version and the ports to keep free from
// the lab's preflight steps, with its variables (and --set) expanded: the
// lab says what it needs, doctor does not guess. A lab without port-free
// checks gets its PORT variables checked instead.
func labNeeds(l *lab.Lab, vars map[string]string) requirements {
	var n requirements
	seen := map[string]bool{}
	addPort := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			n.ports = append(n.ports, p)
		}
	}
	for _, s := range l.Steps {
		for _, line := range s.Lines {
			if line.Command() == "choose-publish" || slices.ContainsFunc(line.Words, isPublishFlag) {
				n.publishes = true
			}
		}
		if !s.Preflight {
			continue
		}
		for _, line := range s.Checks() {
			args := line.Words[line.Cmd+1:]
			if len(args) == 0 || line.Cmd > 0 && line.Words[line.Cmd-1] == "!" {
				continue
			}
			switch line.Command() {
			case "engine-api":
				if v := lab.Expand(args[0], vars); n.api == "" || engine.VersionAtLeast(v, n.api) {
					n.api, n.apiAt = v, fmt.Sprintf("%s:%d", l.File, line.Num)
				}
			case "port-free":
				addPort(lab.Expand(args[0], vars))
			}
		}
	}
	if len(n.ports) == 0 {
		var names []string
		for name := range vars {
			if strings.Contains(name, "PORT") {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		for _, name := range names {
			addPort(vars[name])
		}
	}
	return n
}

// isPublishFlag tells a docker flag that publishes a port.
func isPublishFlag(word string) bool {
	flag, _, _ := strings.Cut(word, "=")
	return flag == "--publish" || flag == "-p" || flag == "--publish-add"
}

// apiItem compares the engine's API version with the lab's minimum, in lang.
func apiItem(lang, have, min, at string) *report.Item {
	it := &report.Item{ID: "engine-api", Title: i18n.Text(lang, "doctor-engine-api"), Status: report.ItemOK}
	switch {
	case min == "":
		it.Detail = i18n.Textf(lang, "API %s (the lab asks for no minimum)", have)
	case engine.VersionAtLeast(have, min):
		it.Detail = i18n.Textf(lang, "API %s, the lab needs %s or later (%s)", have, min, at)
	default:
		it.Status = report.ItemFail
		it.Detail = i18n.Textf(lang, "API %s, the lab needs %s or later (%s)", have, min, at)
		it.Fix = i18n.Textf(lang, "upgrade the Docker engine to one that speaks API %s or later", min)
	}
	return it
}

// swarmItem says whether the node is a swarm manager, which every lab
// command about services needs.
func swarmItem(lang, state string, manager bool) *report.Item {
	it := &report.Item{ID: "swarm", Title: i18n.Text(lang, "doctor-swarm"), Status: report.ItemOK, Detail: i18n.Textf(lang, "active, this node is a manager")}
	switch {
	case state != string(swarm.LocalNodeStateActive):
		it.Status = report.ItemFail
		it.Detail = i18n.Textf(lang, "this node is not in an active swarm (state %q)", state)
		it.Fix = i18n.Textf(lang, "docker swarm init --advertise-addr 127.0.0.1, or run the lab with --init-swarm (labrun then leaves the swarm at the end)")
	case !manager:
		it.Status = report.ItemFail
		it.Detail = i18n.Textf(lang, "this node is a swarm worker")
		it.Fix = i18n.Textf(lang, "run labrun against a manager node (--host), or promote this one from a manager: docker node promote NODE")
	}
	return it
}

// nodeItem says whether the node takes tasks: a drained or paused node,
// or one that is down, never runs the lab's service. The engine's words
// (availability, state, its message) are quoted.
func nodeItem(lang string, n swarm.Node) *report.Item {
	name := n.Description.Hostname
	if name == "" {
		name = fmt.Sprintf("%.12s", n.ID)
	}
	it := &report.Item{ID: "node", Title: i18n.Text(lang, "doctor-node"), Status: report.ItemOK,
		Detail: i18n.Textf(lang, "%s: availability %s, status %s", name, n.Spec.Availability, n.Status.State)}
	switch {
	case n.Spec.Availability != swarm.NodeAvailabilityActive:
		it.Status = report.ItemFail
		it.Fix = i18n.Textf(lang, "docker node update --availability active %s (it is %s: swarm schedules no task on it)", name, n.Spec.Availability)
	case n.Status.State != swarm.NodeStateReady:
		it.Status = report.ItemFail
		it.Fix = i18n.Textf(lang, "the node is not ready: see dockerd's log (journalctl -u docker) and docker node inspect %s", name)
		if n.Status.Message != "" {
			it.Detail += " (" + n.Status.Message + ")"
		}
	}
	return it
}

// portFix names the lab's variable that moves a port elsewhere.
func portFix(lang string, l *lab.Lab, port string) string {
	for _, v := range l.Vars {
		if strings.Contains(v.Name, "PORT") {
			return i18n.Textf(lang, "stop what uses port %s, or choose another port with --set %s=N", port, v.Name)
		}
	}
	return i18n.Textf(lang, "stop what uses port %s", port)
}

// imagesItem says whether the lab's images can be made with the chosen
// flavour: assembled here (offline) or pulled (hub, node).
func imagesItem(ctx context.Context, lang string, r *runner.Run, flavour string) *report.Item {
	it := &report.Item{ID: "images", Title: i18n.Text(lang, "doctor-images"), Status: report.ItemOK}
	switch flavour {
	case images.Offline:
		goarch, err := images.OfflineServer(r.Engine().Arch)
		if err != nil {
			it.Status, it.Detail = report.ItemFail, i18n.In(lang, err)
			it.Fix = i18n.Textf(lang, "install labrun from a release archive or build it with make (both carry the whoami server for amd64 and arm64); engines of other architectures need --images hub or node")
			return it
		}
		it.Detail = i18n.Textf(lang, "offline: assembled here from the whoami server for linux/%s inside labrun, no registry needed", goarch)
	default:
		if err := r.CheckRegistry(ctx); err != nil {
			it.Status, it.Detail = report.ItemFail, firstLine(i18n.In(lang, err))
			it.Fix = i18n.Textf(lang, "use --images offline: it builds the images here and needs no registry")
			return it
		}
		it.Detail = i18n.Textf(lang, "%s: the registry answers for the images the lab pulls", flavour)
	}
	// On a swarm of several nodes, whether each node can be given the
	// images is judged node by node (nodesItems), once.
	return it
}

// namesItem says whether what the lab creates is free: a service or an
// image of its names that exists is someone else's, and stops a run.
func namesItem(ctx context.Context, lang string, r *runner.Run, vars map[string]string) *report.Item {
	it := &report.Item{ID: "names", Title: i18n.Text(lang, "doctor-names"), Status: report.ItemOK}
	var names []i18n.Sentence
	for _, res := range r.Lab().Creates {
		names = append(names, owner.Named(res.Kind, lab.Expand(res.Name, vars)))
	}
	it.Detail = i18n.Textf(lang, "%s: free", i18n.Join(names, ", "))
	if err := r.Claim(ctx); err != nil {
		it.Status, it.Detail = report.ItemFail, i18n.In(lang, err)
		it.Fix = i18n.Textf(lang, "labrun cleanup removes what an interrupted run left; anything else is not labrun's: choose other names with --set")
	}
	return it
}

// probeMeshItem publishes a short-lived service through the routing mesh
// and says whether it answered, and if not, why (IPVS) and what labrun
// does instead. It never uses the remembered verdict, but refreshes it.
// The probe's image and service are in a ledger before they exist and
// are removed before it returns, even when ctx is cancelled.
func probeMeshItem(ctx, abort context.Context, lang string, r *runner.Run) (it *report.Item, interrupted bool) {
	e, l, stateDir := r.Engine(), r.Lab(), r.StateDir()
	it = &report.Item{ID: "routing-mesh", Title: i18n.Text(lang, "doctor-routing-mesh"), Status: report.ItemOK}
	switch {
	case !e.Manager:
		it.Status, it.Detail = report.ItemSkip, i18n.Textf(lang, "needs a swarm manager")
		return it, false
	case e.Arch == "":
		it.Status, it.Detail = report.ItemSkip, i18n.Textf(lang, "the engine does not say its architecture")
		return it, false
	}
	if _, err := images.OfflineServer(e.Arch); err != nil {
		it.Status, it.Detail = report.ItemSkip, i18n.Textf(lang, "no probe image: %v", err)
		return it, false
	}
	id := owner.NewID()
	led, err := owner.Create(owner.LedgerDir(stateDir), id, l.Name, e)
	if err != nil {
		it.Status, it.Detail = report.ItemSkip, i18n.Textf(lang, "cannot write the ledger of the probe: %v", err)
		return it, false
	}
	ref := "labrun-doctor-probe:" + id
	name := "labrun-doctor-probe-" + id
	labels := map[string]string{"labrun.run": id, "labrun.lab": l.Name}
	answers, err := func() (bool, error) {
		if err := led.Add("image", ref); err != nil {
			return false, err
		}
		if err := led.Add("service", name); err != nil {
			return false, err
		}
		// A load cut short by Ctrl-C may still be tagged after cleanup
		// looked for the image: let it finish, within its own bound.
		loadCtx, cancelLoad := context.WithTimeout(context.WithoutCancel(ctx), r.Timeouts().ImageLoad)
		defer cancelLoad()
		if _, err := images.LoadOffline(loadCtx, e.Client, ref, "1.0", e.Arch, labels); err != nil {
			return false, err
		}
		ctx, cancel := context.WithTimeout(ctx, r.Timeouts().MeshProbe)
		defer cancel()
		return labcmd.ProbeMesh(ctx, labcmd.MeshProbe{Engine: e, Name: name, Image: ref, Target: 8000, Labels: labels})
	}()
	proveCtx, cancelProve := context.WithTimeout(context.WithoutCancel(ctx), r.Timeouts().Connect)
	owner.ProveCreated(proveCtx, e, led)
	cancelProve()
	left := owner.ReleaseIn(abort, e, led, r.Timeouts().Cleanup, lang).Left
	switch {
	case ctx.Err() != nil:
		it.Status, it.Detail = report.ItemSkip, i18n.Textf(lang, "interrupted")
		interrupted = true
	case err != nil:
		it.Status, it.Detail = report.ItemWarn, i18n.Textf(lang, "the probe failed: %v", err)
		it.Fix = i18n.Textf(lang, "labrun run probes again (--publish-mode auto) and falls back to host mode if the mesh does not answer")
	case answers:
		it.Detail = i18n.Textf(lang, "a probe service published through the mesh answered")
		labcmd.RememberMesh(stateDir, e, true)
	default:
		local := localEngine(e.Host)
		_, statErr := os.Stat("/proc/net/ip_vs")
		it.Status = report.ItemWarn
		it.Detail = meshDeadDetail(lang, local, statErr == nil)
		it.Fix = i18n.Textf(lang, "nothing, for labs: labrun publishes in host mode instead (--publish mode=host,target=...,published=...) and the lab is the same. "+
			"For the mesh itself: load IPVS (sudo modprobe ip_vs, or a kernel built with it), then restart dockerd")
		labcmd.RememberMesh(stateDir, e, false)
	}
	if len(left) > 0 {
		it.Detail += "\n" + i18n.Text(lang, "left-behind") + " " + strings.Join(left, "; ")
	}
	return it, interrupted
}

// meshDeadDetail explains, in lang, a routing mesh that did not answer:
// it needs IPVS, which a local engine's kernel shows in /proc/net/ip_vs.
// What dockerd logs is quoted as it logs it.
func meshDeadDetail(lang string, local, ipvs bool) string {
	switch {
	case local && !ipvs:
		return i18n.Textf(lang, "a probe service published through the mesh did not answer: the mesh needs IPVS, and this kernel has none (/proc/net/ip_vs is missing; dockerd logs %q)", ipvsLog)
	case local:
		return i18n.Textf(lang, "a probe service published through the mesh did not answer, though this kernel has IPVS (/proc/net/ip_vs): a firewall may drop the ingress network's traffic (see dockerd's log)")
	}
	return i18n.Textf(lang, "a probe service published through the mesh did not answer: the mesh needs IPVS in the engine's kernel; on the engine's machine, look for /proc/net/ip_vs and for %q in dockerd's log", ipvsLog)
}

// ipvsLog is what dockerd logs when the kernel has no IPVS: the engine's
// words, quoted in every language.
const ipvsLog = "Could not get ipvs family information"

// localEngine reports whether the engine runs on this machine, so that
// its kernel and disks are this machine's.
func localEngine(host string) bool { return strings.HasPrefix(host, "unix://") }

// diskItem measures the free space of the engine's data root, when the
// engine is local; a remote engine's disks cannot be seen from here.
func diskItem(lang, root string, local bool) *report.Item {
	it := &report.Item{ID: "disk", Title: i18n.Text(lang, "doctor-disk"), Status: report.ItemSkip}
	switch {
	case root == "":
		it.Detail = i18n.Textf(lang, "the engine does not say where it keeps its data")
		return it
	case !local:
		it.Detail = i18n.Textf(lang, "the engine is remote: its data root %s cannot be measured from here (docker system df shows what it uses)", root)
		return it
	}
	var fs unix.Statfs_t
	if err := unix.Statfs(root, &fs); err != nil {
		it.Detail = i18n.Textf(lang, "cannot measure %s: %v", root, err)
		return it
	}
	return diskVerdict(lang, root, fs.Bavail*uint64(fs.Bsize), MinFreeDisk)
}

// diskVerdict judges free bytes in root against min.
func diskVerdict(lang, root string, free, min uint64) *report.Item {
	it := &report.Item{ID: "disk", Title: i18n.Text(lang, "doctor-disk"), Status: report.ItemOK,
		Detail: i18n.Textf(lang, "%s free in %s (the engine's data root; %s needed)", bytesText(free), root, bytesText(min))}
	if free < min {
		it.Status = report.ItemFail
		it.Fix = i18n.Textf(lang, "free space on that file system: docker system df shows what the engine uses, docker image prune removes dangling images")
	}
	return it
}

// bytesText writes a size in binary units, as df -h does.
func bytesText(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	f := float64(n)
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if i == 0 {
		return strconv.FormatUint(n, 10) + " B"
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
