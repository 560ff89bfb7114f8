package labcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/timeouts"
)

// A prober measures a service's availability while it is updated: a
// one-task swarm service running the whoami server's probe mode (see
// runner/images/whoami/probe.go) on the service's overlay network. It sends a GET
// every probeInterval, each to one of the addresses the service's name
// resolves to (with --endpoint-mode dnsrr, every healthy task), and
// counts the requests sent and failed. It runs beside the tasks, not in
// labrun, because the routing mesh and VIP load balancing need IPVS,
// which some kernels lack, while an overlay network and DNS round-robin
// work everywhere; and because host-mode publishing cannot hold two
// tasks on one port of one node, which a start-first update needs.
//
// labrun reads the counters with docker exec PROBER /whoami probe-counts:
// they are served on the prober's loopback only, so no port is published.

// probeInterval is the time between two requests of a prober: 20 a
// second, enough to see an outage of a tenth of a second, little enough
// for a small VM running three replicas.
const probeInterval = 50 * time.Millisecond

// probeRelease is the release of the offline image the prober runs: any
// good one would do, the probe mode is the same binary.
const probeRelease = "1.0"

// proberCounts are a prober's counters, as `whoami probe-counts` prints them.
type proberCounts struct {
	Open      bool           `json:"open"`
	Sent      int            `json:"sent"`
	Failed    int            `json:"failed"`
	LastError string         `json:"last_error"`
	Hosts     map[string]int `json:"hosts"`
	Releases  map[string]int `json:"releases"`
}

// String is the line a run shows: "412 requests, 0 failed; answers from
// 3 containers, of release 1.1 (412)".
func (pc proberCounts) String() string { return pc.said().String() }

// said is the line, to be worded in the run's language.
func (pc proberCounts) said() i18n.List {
	parts := []any{i18n.Sprintf("%d requests, %d failed", pc.Sent, pc.Failed)}
	if len(pc.Hosts) > 0 {
		var rel []string
		for _, r := range sortedKeys(pc.Releases) {
			rel = append(rel, fmt.Sprintf("%s (%d)", r, pc.Releases[r]))
		}
		containers := i18n.Sprintf("%d containers", len(pc.Hosts))
		if len(pc.Hosts) == 1 {
			containers = i18n.Sprintf("1 container")
		}
		parts = append(parts, i18n.Sprintf("; answers from %v, of release %s", containers, strings.Join(rel, ", ")))
	}
	if pc.Failed > 0 && pc.LastError != "" {
		parts = append(parts, i18n.Sprintf("; last error: %s", pc.LastError))
	}
	return i18n.List{Items: parts}
}

// proberCommands are the commands that start and read probers.
func proberCommands() []*Command {
	return []*Command{
		{
			Name: "probe-start", Kind: Action, Spec: preparer(args(4, 4)), Act: probeStart,
			Usage: Usage{Args: "NAME NETWORK URL IMAGE", Summary: "start a prober that counts the requests to URL that fail, from a task on NETWORK",
				Detail: "The prober is a one-task service NAME on the overlay NETWORK running the offline whoami " +
					"image IMAGE, which labrun loads if this run has not yet (declare both with ## creates). It sends GET URL " +
					"every 50 ms, resolving URL's host for each request and connecting to one of its addresses in turn: with " +
					"--endpoint-mode dnsrr, each healthy task of the service. A request fails when it is refused, reset, takes " +
					"more than " + timeouts.Default().ProbeRequest.String() + " or answers other than 200. Counting starts with the first answer, which probe-start waits for. " +
					"It runs beside the service because the routing mesh and VIP load balancing need IPVS in the kernel, and " +
					"host-mode publishing cannot hold the two tasks of a start-first update on one node. labrun runs it before " +
					"showing the step to a guided student, who cannot type it."},
		},
		{
			// Not negatable: counts that miss the mark do not prove that
			// requests failed, so "!" could not mean the opposite.
			Name: "probe-check", Kind: Check, Spec: args(2, -1), Observe: probeCheck, Validate: probeCheckArgs,
			Usage: Usage{Args: "NAME KEY=VALUE...", Summary: "the prober NAME's counts since it started have these values",
				Detail: "Keys: failed=N (exactly N requests failed), min-failed=N, min-sent=N, hosts=N (exactly N containers " +
					"answered), releases=R1,R2 (exactly these releases answered, from the X-Whoami-Release header). Prints " +
					"the counts (\"prober NAME: 412 requests, 0 failed; ...\"), whether the check holds or not."},
		},
	}
}

// probeCheckArgs wants the KEY=VALUE counts that probe-check compares.
func probeCheckArgs(args []string) error {
	_, err := parseProbeWant(resolvedPairs(args[1:]))
	return err
}

func probeStart(ctx context.Context, c *Call) error {
	name, network, url, ref := c.Args[0], c.Args[1], c.Args[2], c.Args[3]
	if err := c.proberImage(ctx, ref); err != nil {
		return err
	}
	if err := c.replaceProber(ctx, name); err != nil {
		return err
	}
	if err := c.Recorder.Creating("service", name); err != nil {
		return err
	}
	replicas := uint64(1)
	spec := swarm.ServiceSpec{
		Annotations: swarm.Annotations{Name: name, Labels: c.Labels},
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{
				Image:  ref,
				Args:   []string{"probe", "--interval", probeInterval.String(), "--timeout", c.Timeouts().ProbeRequest.String(), url},
				Labels: c.Labels,
				// The image's healthcheck asks for /whoami on port 8000,
				// which a prober does not serve.
				Healthcheck: &container.HealthConfig{Test: []string{"NONE"}},
			},
			// A restarted prober would start counting from zero: a prober
			// that stops must be seen, not replaced.
			RestartPolicy: &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionNone},
			Networks:      []swarm.NetworkAttachmentConfig{{Target: network}},
			Placement:     c.proberPlacement(ctx),
		},
		Mode: swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}},
	}
	if _, err := c.Engine.Client.ServiceCreate(ctx, client.ServiceCreateOptions{Spec: spec}); err != nil {
		return i18n.Errorf("create the prober service %s: %v", name, err)
	}
	// The measure covers the update only if the prober counts before the
	// update starts: wait for its first answer.
	start := time.Now()
	for {
		counts, err := c.readCounts(ctx, name)
		if err == nil && counts.Open {
			fmt.Fprintln(&c.Out, i18n.Textf(c.Options.Lang, "prober %s: probing %s every %s", name, url, probeInterval))
			return nil
		}
		if err == nil {
			err = i18n.Errorf("no answer from %s yet", url)
			if counts.LastError != "" {
				err = i18n.Errorf("no answer from %s yet: %s", url, counts.LastError)
			}
		}
		c.Observer.Waiting(c.Step(), "probe-start "+name, i18n.In(c.Options.Lang, err), time.Since(start), c.stepTimeout())
		select {
		case <-ctx.Done():
			return i18n.Errorf("the prober %s did not get an answer within the step's %s timeout (last seen: %v)", name, c.stepTimeout(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// replaceProber removes the prober NAME that this same run started
// earlier: a guided student's r, or a guide resumed at this step, starts
// the step's prober again, and only a prober started before the update
// counts all of it. The run's label tells it apart: a prober of another
// run or guide session of the lab, another user's perhaps on a shared
// engine, stays, and the creation then fails on its name.
func (c *Call) replaceProber(ctx context.Context, name string) error {
	res, err := c.Engine.Client.ServiceInspect(ctx, name, client.ServiceInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	labels := res.Service.Spec.Labels
	run, lab := c.Labels["labrun.run"], c.Labels["labrun.lab"]
	if run == "" || lab == "" || labels["labrun.run"] != run || labels["labrun.lab"] != lab {
		return nil
	}
	if _, err := c.Engine.Client.ServiceRemove(ctx, res.Service.ID, client.ServiceRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
		return i18n.Errorf("replace the prober %s started earlier: %v", name, err)
	}
	return nil
}

// proberImage loads the offline whoami image as ref, once per run: every
// prober of a run shares it. Whatever the flavour of the lab's images,
// the prober needs the one that knows the probe mode.
func (c *Call) proberImage(ctx context.Context, ref string) error {
	img, err := c.Engine.Client.ImageInspect(ctx, ref)
	if err == nil && img.Config != nil && img.Config.Labels["labrun.run"] == c.Labels["labrun.run"] {
		return nil // loaded by an earlier prober of this run
	}
	if err != nil && !cerrdefs.IsNotFound(err) {
		return err
	}
	if err := c.Recorder.Creating("image", ref); err != nil {
		return err
	}
	defer c.removeReplaced(ctx, ref)()
	loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.Timeouts().ImageLoad)
	defer cancel()
	if _, err := images.LoadOffline(loadCtx, c.Engine.Client, ref, probeRelease, c.Engine.Arch, c.Labels); err != nil {
		return i18n.Errorf("make the prober image %s: %v", ref, err)
	}
	return c.proberImageOnNodes(loadCtx, ref)
}

// proberImageOnNodes loads the prober's image on every other node's
// engine labrun reaches, at once, each recorded on its node before: the
// swarm may place the prober on any of them.
func (c *Call) proberImageOnNodes(ctx context.Context, ref string) error {
	rec, _ := c.Recorder.(NodeRecorder)
	errs := make([]error, len(c.Nodes))
	var wg sync.WaitGroup
	for i, e := range c.Nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rec != nil {
				if made, err := rec.CreatingOn(e, "image", ref); err != nil || !made {
					errs[i] = err // not made: that node's own image of the name stays
					return
				}
			}
			if _, err := images.LoadOffline(ctx, e.Client, ref, probeRelease, e.Arch, c.Labels); err != nil {
				errs[i] = i18n.Errorf("node %s (%s): %v", e.Name, e.Host, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// proberPlacement keeps a prober off the nodes labrun could not give its
// image (their engines out of reach): there its task would be rejected.
func (c *Call) proberPlacement(ctx context.Context) *swarm.Placement {
	topo, err := c.Engine.Nodes(ctx)
	if err != nil || !topo.Multi() {
		return nil
	}
	var constraints []string
	for _, n := range topo.Nodes {
		if n.ID == c.Engine.NodeID || slices.ContainsFunc(c.Nodes, func(e *engine.Engine) bool { return e.NodeID == n.ID }) {
			continue
		}
		constraints = append(constraints, "node.id!="+n.ID)
	}
	if len(constraints) == 0 {
		return nil
	}
	return &swarm.Placement{Constraints: constraints}
}

// msgNoProber tells a student who checks a step whose prober is missing
// what to do: probe-start is not something one types.
var msgNoProber = i18n.Sprintf("labrun starts it when labrun guide shows this step, before the update; " +
	"follow the step in labrun guide (r there starts the prober and does the step)")

// errNoProber says that a prober has no running container: not started,
// stopped, or not yet running.
var errNoProber = i18n.Errorf("no running container")

// readCounts asks the prober NAME's container for its counters.
func (c *Call) readCounts(ctx context.Context, name string) (proberCounts, error) {
	var counts proberCounts
	svc, err := c.Engine.Client.ServiceInspect(ctx, name, client.ServiceInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return counts, i18n.Errorf("there is no prober %s: %v", name, msgNoProber)
	}
	if err != nil {
		return counts, err
	}
	// By service ID: the container of a prober replaced a moment ago may
	// still run. Its running task says which node's engine has it.
	tasks, err := c.Engine.Client.TaskList(ctx, client.TaskListOptions{
		Filters: make(client.Filters).Add("service", svc.Service.ID).Add("desired-state", "running"),
	})
	if err != nil {
		return counts, err
	}
	var running *swarm.Task
	for i, t := range tasks.Items {
		if t.Status.State == swarm.TaskStateRunning && t.Status.ContainerStatus != nil && t.Status.ContainerStatus.ContainerID != "" {
			running = &tasks.Items[i]
		}
	}
	if running == nil {
		return counts, i18n.Errorf("prober %s: %v", name, errNoProber)
	}
	out, err := execOutput(ctx, c.Engine.OnNode(running.NodeID), running.Status.ContainerStatus.ContainerID, []string{"/whoami", "probe-counts"})
	if err != nil {
		return counts, i18n.Errorf("prober %s: %v", name, err)
	}
	if err := json.Unmarshal(out, &counts); err != nil {
		return counts, i18n.Errorf("prober %s: its counters are not JSON (%v): %.200s", name, err, out)
	}
	return counts, nil
}

// execOutput runs cmd in a container of engine e and returns its standard
// output; a non-zero exit is an error with its standard error.
func execOutput(ctx context.Context, e *engine.Engine, id string, cmd []string) ([]byte, error) {
	created, err := e.Client.ExecCreate(ctx, id, client.ExecCreateOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return nil, err
	}
	att, err := e.Client.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return nil, err
	}
	defer att.Close()
	// The hijacked connection ignores ctx: close it when ctx ends.
	stop := context.AfterFunc(ctx, att.Close)
	defer stop()
	var stdout, stderr bytes.Buffer
	if _, err := stdcopy.StdCopy(&stdout, &stderr, io.LimitReader(att.Reader, 1<<20)); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	res, err := e.Client.ExecInspect(ctx, created.ID, client.ExecInspectOptions{})
	if err != nil {
		return nil, err
	}
	if res.ExitCode != 0 {
		return nil, &execExitError{cmd: cmd, code: res.ExitCode, stderr: strings.TrimSpace(stderr.String())}
	}
	return stdout.Bytes(), nil
}

// execExitError is a command run in a container that exited non-zero.
type execExitError struct {
	cmd    []string
	code   int
	stderr string
}

func (e *execExitError) Error() string { return e.In("en") }

// In is the error in lang; what the command wrote is quoted as it came.
func (e *execExitError) In(lang string) string {
	return i18n.Textf(lang, "%s exited with status %d: %s", strings.Join(e.cmd, " "), e.code, e.stderr)
}

// notFound tells an exit status that means the program itself was not
// found in the container (126: not executable, 127: no such program).
func (e *execExitError) notFound() bool { return e.code == 126 || e.code == 127 }

func probeCheck(ctx context.Context, c *Call) error {
	name := c.Args[0]
	want, err := parseProbeWant(c.Args[1:])
	if err != nil {
		return err
	}
	counts, err := c.readCounts(ctx, name)
	if errors.Is(err, errNoProber) {
		return i18n.Errorf("%v: the prober has stopped, or is not running yet (docker service ps %s)", err, name)
	}
	if err != nil {
		return err
	}
	line := i18n.Sprintf("prober %s: %v", name, counts.said())
	fmt.Fprintln(&c.Out, line.In(c.Options.Lang))
	if err := want.match(counts); err != nil {
		if want.missedRelease(counts) {
			// No wait brings back a release the prober started too late
			// to see: say how to redo the step. Not final: while an
			// update runs, the new release may still come.
			return i18n.Errorf("%v: %v; %v", line, err, msgMissedUpdate)
		}
		return i18n.Errorf("%v: %v", line, err)
	}
	c.Saw("%v", line)
	return nil
}

// probeWant is what probe-check expects of the counts; -1: any.
type probeWant struct {
	failed, minFailed, minSent, hosts int
	releases                          []string // nil: any
}

func parseProbeWant(pairs []string) (probeWant, error) {
	w := probeWant{failed: -1, minFailed: -1, minSent: -1, hosts: -1}
	for _, pair := range pairs {
		key, value, ok := strings.Cut(pair, "=")
		if !ok {
			return w, i18n.Errorf("%q: want KEY=VALUE", pair)
		}
		if key == "releases" {
			if value == "" {
				return w, i18n.Errorf("releases=: want a list of releases, such as releases=1.0,1.1")
			}
			w.releases = strings.Split(value, ",")
			sort.Strings(w.releases)
			continue
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return w, i18n.Errorf("%s=%s: want a number", key, value)
		}
		switch key {
		case "failed":
			w.failed = n
		case "min-failed":
			w.minFailed = n
		case "min-sent":
			w.minSent = n
		case "hosts":
			w.hosts = n
		default:
			return w, i18n.Errorf("unknown key %q: want failed, min-failed, min-sent, hosts or releases", key)
		}
	}
	return w, nil
}

// msgMissedUpdate is the way out of a prober that started after the
// update: labrun guide starts a step's prober again when it shows the step
// again (a resumed guide) or when the student presses r.
var msgMissedUpdate = i18n.Sprintf("if the update is over, the prober started after it began and cannot count it: put the service back " +
	"on the release it missed (docker service rollback), then redo the step: r in labrun guide starts a new " +
	"prober and does the update again; or start over with labrun reset")

// missedRelease says that the prober saw only some of the wanted releases
// and none other: it started after the update had begun, or ended.
func (w probeWant) missedRelease(pc proberCounts) bool {
	if w.releases == nil || len(pc.Releases) == 0 || len(pc.Releases) >= len(w.releases) {
		return false
	}
	for r := range pc.Releases {
		if !slices.Contains(w.releases, r) {
			return false
		}
	}
	return true
}

// match says how the counts differ from what is wanted.
func (w probeWant) match(pc proberCounts) error {
	var diffs []i18n.Sentence
	if w.failed >= 0 && pc.Failed != w.failed {
		diffs = append(diffs, i18n.Sprintf("%d failed, want %d", pc.Failed, w.failed))
	}
	if w.minFailed >= 0 && pc.Failed < w.minFailed {
		diffs = append(diffs, i18n.Sprintf("%d failed, want at least %d", pc.Failed, w.minFailed))
	}
	if w.minSent >= 0 && pc.Sent < w.minSent {
		diffs = append(diffs, i18n.Sprintf("%d sent, want at least %d", pc.Sent, w.minSent))
	}
	if w.hosts >= 0 && len(pc.Hosts) != w.hosts {
		diffs = append(diffs, i18n.Sprintf("%d containers answered, want %d", len(pc.Hosts), w.hosts))
	}
	if w.releases != nil {
		got := sortedKeys(pc.Releases)
		if strings.Join(got, ",") != strings.Join(w.releases, ",") {
			seen := any(strings.Join(got, ","))
			if len(got) == 0 {
				seen = i18n.Sprintf("none")
			}
			diffs = append(diffs, i18n.Sprintf("releases %v answered, want %s", seen, strings.Join(w.releases, ",")))
		}
	}
	if len(diffs) > 0 {
		return i18n.Errorf("%v", i18n.Join(diffs, "; "))
	}
	return nil
}
