package labcmd

import (
	"context"
	"fmt"
	"net"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/timeouts"
)

// dockerCommands are the commands that read or change the engine through
// its API.
func dockerCommands() []*Command {
	return []*Command{
		{
			Name: "engine-api", Kind: Check, Spec: negatable(1, 1), Observe: engineAPI, Validate: engineAPIArgs,
			Usage: Usage{Args: "MIN", Summary: "the engine's API version is at least MIN",
				Detail: "1.32 is Docker 17.09, the first engine with docker service rollback."},
		},
		{
			Name: "swarm-manager", Kind: Check, Spec: negatable(0, 0), Observe: swarmManager,
			Usage: Usage{Summary: "this node is an active swarm manager",
				Detail: "Service commands only work on a manager: docker swarm init makes one."},
		},
		{
			Name: "port-free", Kind: Check, Spec: negatable(1, 1), Observe: portFree, Validate: portFreeArgs,
			Usage: Usage{Args: "PORT", Summary: "no service or container publishes PORT and nothing answers on $ENGINE_HOST:PORT"},
		},
		{
			Name: "service-exists", Kind: Check, Spec: negatable(1, 1), Observe: serviceExists,
			Usage: Usage{Args: "NAME", Summary: "a service named NAME exists"},
		},
		{
			Name: "service-running", Kind: Check, Spec: negatable(3, -1), Observe: serviceRunning, Validate: serviceRunningArgs,
			Usage: Usage{Args: "NAME COUNT IMAGE [[!]KEY=VALUE...]", Summary: "the service has converged: exactly COUNT tasks meant to run, all running IMAGE and healthy",
				Detail: "Healthy means the container's healthcheck passed, where the image has one. " +
					"A digest the engine added to the image reference is ignored. Each KEY=VALUE is a property every " +
					"such task must have (with a leading !, must not), as the engine runs it: " + keyList(taskKeys) + ". " +
					"An update that changes the containers converges only once new tasks have replaced the old ones."},
		},
		{
			Name: "service-spec", Kind: Check, Spec: negatable(2, -1), Observe: serviceSpec, Validate: serviceSpecArgs,
			Usage: Usage{Args: "NAME KEY=VALUE...", Summary: "the service's spec has these values",
				Detail: "Keys: name, image, replicas, port (PUBLISHED:TARGET[/PROTO], any publish mode), " +
					"endpoint-mode (vip or dnsrr), previous (none or present), previous.image; the lists docker service update's --XXX-add " +
					"and --XXX-rm change, where KEY=VALUE holds when the list has the element and !KEY=VALUE when it " +
					"does not: port, " + keyList(specListKeys) + "; and update.KEY and rollback.KEY for KEY in " +
					"parallelism, failure-action, monitor, max-failure-ratio, order, delay. Update and rollback " +
					"values are the effective ones: a spec that leaves them out gets the engine's defaults " +
					"(parallelism 1, failure-action pause, monitor 5s, max-failure-ratio 0, order stop-first)."},
		},
		{
			Name: "update-state", Kind: Check, Spec: negatable(2, 2), Observe: updateStateCheck, Validate: updateStateArgs,
			Usage: Usage{Args: "NAME STATE", Summary: "the service's UpdateStatus.State is STATE",
				Detail: "STATE is none (never updated), updating, paused, completed, rollback_started, " +
					"rollback_paused or rollback_completed. The message of the update status is shown when it differs."},
		},
		{
			Name: "tasks", Kind: Check, Spec: negatable(1, -1), Observe: tasksCheck, Validate: tasksArgs,
			Usage: Usage{Args: "NAME [image=IMAGE] [state=STATE] [desired=STATE] [error=REGEXP] [count=N|min=N]",
				Summary: "the service's task history holds tasks with these properties",
				Detail: "Counts the tasks, old ones included, that match every given property: image, current " +
					"state (running, starting, shutdown, failed, ...), desired state, and an error matching " +
					"REGEXP (e.g. unhealthy). A state may list alternatives: state=ready|starting. " +
					"Holds when the count is N (count=N) or at least N (min=N, default 1)."},
		},
		{
			Name: "service-containers", Kind: Check, Spec: negatable(1, 1), Observe: serviceContainers,
			Usage: Usage{Args: "NAME", Summary: "containers of service NAME exist, running or not",
				Detail: "Swarm removes a removed service's containers in the background; ! * service-containers " +
					"waits until they are gone, before the images they use can be removed."},
		},
		{
			Name: "published-via-dead-mesh", Kind: Check, Spec: negatable(1, 1), Observe: publishedViaDeadMesh,
			Usage: Usage{Args: "NAME", Summary: "service NAME publishes a port through a routing mesh that does not answer here",
				Detail: "Holds when the service publishes a port in ingress mode (the tutorial's --publish 8000:8000) and " +
					"labrun found the routing mesh dead on this engine (choose-publish's probe, remembered 24 hours): " +
					"nothing will ever answer on that port. Meant for \"## mistakes\"."},
		},
		{
			Name: "image-exists", Kind: Check, Spec: negatable(1, 1), Observe: imageExists,
			Usage: Usage{Args: "IMAGE", Summary: "the engine has the image IMAGE",
				Detail: "When it has not, an image that looks like a mistyped tag is named: the same repository " +
					"under a shorter tag (whoami:2 for whoami:2.0), or with the release label " +
					"(org.opencontainers.image.version) of IMAGE's tag, or an untagged image of that release. " +
					"image-healthcheck says the same."},
		},
		{
			Name: "image-healthcheck", Kind: Check, Spec: negatable(5, 5), Observe: imageHealthcheck, Validate: imageHealthcheckArgs,
			Usage: Usage{Args: "IMAGE INTERVAL TIMEOUT RETRIES TEST-REGEXP", Summary: "the image's HEALTHCHECK has these settings",
				Detail: "TEST-REGEXP must match the healthcheck's command, its words joined by spaces."},
		},
		{
			Name: "whoami-image", Kind: Action, Spec: readsNodeDir(args(2, 2)), Act: whoamiImage,
			Usage: Usage{Args: "IMAGE RELEASE", Summary: "build (or pull) the whoami image of RELEASE (1.0, 2.0) as IMAGE",
				Detail: "The flavour comes from --images: offline builds FROM scratch the Go whoami server " +
					"shipped inside labrun (2.0 carries the deliberate bug that fails its healthcheck); node builds " +
					"the lab's node/RELEASE directory, the tutorial's own files; hub pulls lucj/whoami:RELEASE and tags it."},
		},
		{
			Name: "choose-publish", Kind: Action, Spec: preparer(setter(args(3, 3))), Act: choosePublish,
			Usage: Usage{Args: "VAR PUBLISHED:TARGET PROBE-IMAGE", Summary: "set VAR to the --publish value that works on this engine",
				Detail: "With --publish-mode auto, a short-lived service of PROBE-IMAGE (healthcheck off) is " +
					"published through the routing mesh; if it answers, VAR is PUBLISHED:TARGET as the tutorial " +
					"has it, otherwise mode=host,target=TARGET,published=PUBLISHED, with a notice. The routing " +
					"mesh needs IPVS in the kernel; host mode does not. A dead mesh is remembered for 24 hours per " +
					"engine, kernel and swarm node (in labrun's state directory): the probe costs seconds. A working one " +
					"is probed on every run."},
		},
	}
}

// engineAPIArgs wants MIN to be an API version.
func engineAPIArgs(args []string) error {
	return unlessUnresolved(args[0], func(v string) error {
		if !apiVersion.MatchString(v) {
			return i18n.Errorf("MIN %q: want an API version such as 1.32", v)
		}
		return nil
	})
}

// portFreeArgs wants PORT to be a port number.
func portFreeArgs(args []string) error {
	return unlessUnresolved(args[0], func(v string) error {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 65535 {
			return i18n.Errorf("PORT %q: want a port number, 1 to 65535", v)
		}
		return nil
	})
}

// serviceRunningArgs wants COUNT to be a number of tasks and each KEY=VALUE a
// property of a task.
func serviceRunningArgs(args []string) error {
	if err := unlessUnresolved(args[1], func(v string) error {
		if n, err := strconv.Atoi(v); err != nil || n < 0 {
			return i18n.Errorf("COUNT %q: want a number of tasks", v)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, pair := range resolvedPairs(args[3:]) {
		if _, err := parseProperty(pair, taskKeys); err != nil {
			return err
		}
	}
	return nil
}

// serviceSpecArgs wants each KEY=VALUE to name a field of the spec, with a
// leading ! only for a list.
func serviceSpecArgs(args []string) error {
	for _, pair := range resolvedPairs(args[1:]) {
		key, _, ok := strings.Cut(strings.TrimPrefix(pair, "!"), "=")
		_, listed := specKeysWithPort[key]
		switch {
		case !ok:
			return i18n.Errorf("%q: want KEY=VALUE", pair)
		case listed:
			if _, err := parseProperty(pair, specKeysWithPort); err != nil {
				return err
			}
		case strings.HasPrefix(pair, "!"):
			return i18n.Errorf("%q: only the keys of lists (%s) take a leading !", pair, strings.Join(sortedKeys(specKeysWithPort), ", "))
		default:
			// Read from an empty service, a field fails only when its
			// key is unknown.
			if _, err := specField(&swarm.Service{}, key); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateStateArgs wants STATE to be one of the engine's update states.
func updateStateArgs(args []string) error {
	return unlessUnresolved(args[1], func(v string) error {
		if !slices.Contains(updateStates, v) {
			return i18n.Errorf("STATE %q: want one of %s", v, strings.Join(updateStates, ", "))
		}
		return nil
	})
}

// tasksArgs wants the task filter that tasks runs with.
func tasksArgs(args []string) error {
	_, err := parseTaskFilter(resolvedPairs(args[1:]))
	return err
}

// imageHealthcheckArgs wants INTERVAL and TIMEOUT to be durations, RETRIES a
// number and TEST-REGEXP a pattern.
func imageHealthcheckArgs(args []string) error {
	for i, name := range []string{"INTERVAL", "TIMEOUT"} {
		if err := unlessUnresolved(args[1+i], func(v string) error {
			if _, err := time.ParseDuration(v); err != nil {
				return i18n.Errorf("%s %q: want a duration such as 5s", name, v)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if err := unlessUnresolved(args[3], func(v string) error {
		if n, err := strconv.Atoi(v); err != nil || n < 0 {
			return i18n.Errorf("RETRIES %q: want a number", v)
		}
		return nil
	}); err != nil {
		return err
	}
	if _, err := regexp.Compile(args[4]); err != nil {
		return i18n.Errorf("TEST-REGEXP: %v", err)
	}
	return nil
}

func setter(spec lab.CommandSpec) lab.CommandSpec {
	spec.SetsVar = true
	return spec
}

// readsNodeDir marks whoami-image's use of the lab's node/RELEASE
// directory (--images node), which no argument names.
func readsNodeDir(spec lab.CommandSpec) lab.CommandSpec {
	spec.Reads = func(args []string) []string {
		if len(args) < 2 {
			return nil
		}
		return []string{"node/" + args[1] + "/"}
	}
	return spec
}

func preparer(spec lab.CommandSpec) lab.CommandSpec {
	spec.Prepares = true
	return spec
}

func engineAPI(ctx context.Context, c *Call) error {
	v := c.Engine.APIVersion
	if !engine.VersionAtLeast(v, c.Args[0]) {
		return i18n.Errorf("the engine at %s speaks API %s (Docker %s); this lab needs %s or later", c.Engine.Host, v, c.Engine.Version, c.Args[0])
	}
	c.Saw("engine API %s (Docker %s)", v, c.Engine.Version)
	return nil
}

func swarmManager(ctx context.Context, c *Call) error {
	if err := c.Engine.Refresh(ctx); err != nil {
		return err
	}
	if c.Engine.Swarm != "active" {
		return i18n.Errorf("this node is not in a swarm (state %q): run docker swarm init --advertise-addr 127.0.0.1, or labrun with --init-swarm", c.Engine.Swarm)
	}
	if !c.Engine.Manager {
		return i18n.Errorf("this node is a swarm worker, not a manager: run the lab on a manager node")
	}
	c.Saw("node %s is a swarm manager", c.Engine.NodeID)
	return nil
}

func portFree(ctx context.Context, c *Call) error {
	port, err := strconv.Atoi(c.Args[0])
	if err != nil || port < 1 || port > 65535 {
		return i18n.Errorf("%q is not a port number", c.Args[0])
	}
	user, err := PortUser(ctx, c.Engine, port)
	if err != nil {
		return err
	}
	if user.Removed != "" {
		// The container of a service removed a moment ago (docker service
		// rm, then at once a run): the engine is stopping it, and the port
		// is free once it has. Wait for that, bounded, and say so.
		wait := c.Timeouts().PortRelease
		c.Observer.Notice(i18n.Text(c.Options.Lang, "port-held-by-removed", strconv.Itoa(port), user.Container, user.Removed, wait))
		if user, err = portReleased(ctx, c.Engine, port, wait); err != nil {
			return err
		}
	}
	switch {
	case user.Free():
		c.Saw("port %d is free on %s", port, c.Engine.HTTPHost)
		return nil
	case user.Service:
		return i18n.Errorf("%v: remove it, or choose another port with --set PORT=...", user.Said)
	}
	return i18n.Errorf("%v: stop it, or choose another port with --set PORT=...", user.Said)
}

// portReleased looks at port again until no container of a removed
// service holds it or wait is over, and returns what holds it then.
func portReleased(ctx context.Context, e *engine.Engine, port int, wait time.Duration) (PortHolder, error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			// Say what holds it now, with a context of its own: the wait's
			// is over.
			look, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeouts.Default().Connect)
			defer cancel()
			return PortUser(look, e, port)
		case <-tick.C:
		}
		user, err := PortUser(ctx, e, port)
		if err != nil && ctx.Err() == nil {
			return user, err
		}
		if err == nil && user.Removed == "" {
			return user, nil
		}
	}
}

// PortHolder is what holds a port, as PortUser found it.
type PortHolder struct {
	// Said says what holds it, to word in the run's language; zero when
	// the port is free.
	Said i18n.Sentence
	// Service: a service publishes it.
	Service bool
	// Container is the container that publishes it, when one does, and
	// Removed the service, removed already, whose task it ran: the engine
	// is stopping it.
	Container, Removed string
}

// Free tells whether nothing holds the port.
func (h PortHolder) Free() bool { return h.Said.Format == "" }

// PortUser says what uses port on the engine: a service that publishes it
// (in any mode: a host-mode port is taken on the node even while no task
// runs), a container that publishes it, or something that answers on
// it.
func PortUser(ctx context.Context, e *engine.Engine, port int) (PortHolder, error) {
	var services client.ServiceListResult
	if e.Manager {
		// Only a manager lists services; elsewhere (a node --init-swarm will
		// make one) there are none to see, and the preflight says why.
		var err error
		if services, err = e.Client.ServiceList(ctx, client.ServiceListOptions{}); err != nil {
			return PortHolder{}, err
		}
	}
	for _, s := range services.Items {
		for _, p := range s.Endpoint.Ports {
			if int(p.PublishedPort) == port {
				return PortHolder{Said: i18n.Sprintf("service %s already publishes port %d", s.Spec.Name, port), Service: true}, nil
			}
		}
		// The spec too: the engine fills the endpoint of a service just
		// created a moment later.
		if s.Spec.EndpointSpec != nil {
			for _, p := range s.Spec.EndpointSpec.Ports {
				if int(p.PublishedPort) == port {
					return PortHolder{Said: i18n.Sprintf("service %s already publishes port %d", s.Spec.Name, port), Service: true}, nil
				}
			}
		}
	}
	containers, err := e.Client.ContainerList(ctx, client.ContainerListOptions{})
	if err != nil {
		return PortHolder{}, err
	}
	for _, ct := range containers.Items {
		for _, p := range ct.Ports {
			if int(p.PublicPort) == port {
				name := strings.TrimPrefix(firstName(ct.Names), "/")
				h := PortHolder{Said: i18n.Sprintf("container %s already publishes port %d", name, port), Container: name}
				// A swarm task's container outlives its service for the
				// time the engine takes to stop it.
				if svc := ct.Labels["com.docker.swarm.service.name"]; svc != "" && e.Manager && !listed(services, svc) {
					h.Removed = svc
				}
				return h, nil
			}
		}
	}
	addr := net.JoinHostPort(e.HTTPHost, strconv.Itoa(port))
	if conn, err := (&net.Dialer{Timeout: timeouts.Default().PortDial}).DialContext(ctx, "tcp", addr); err == nil {
		conn.Close()
		return PortHolder{Said: i18n.Sprintf("something already listens on %s", addr)}, nil
	}
	return PortHolder{}, nil
}

// listed tells whether a service of that name is in the list.
func listed(services client.ServiceListResult, name string) bool {
	for _, s := range services.Items {
		if s.Spec.Name == name {
			return true
		}
	}
	return false
}

func firstName(names []string) string {
	if len(names) == 0 {
		return "?"
	}
	return names[0]
}

func serviceExists(ctx context.Context, c *Call) error {
	snap, err := c.Engine.Service(ctx, c.Args[0], engine.SpecOnly)
	if err != nil {
		return err
	}
	if snap.Service == nil {
		return i18n.Errorf("there is no service %s", c.Args[0])
	}
	c.Saw("service %s exists (id %.12s, created %s)", c.Args[0], snap.Service.ID, snap.Service.CreatedAt.Format(time.RFC3339))
	return nil
}

// observeService reads a service as deep as a pure check needs, and
// applies the check to it.
func observeService(ctx context.Context, c *Call, depth engine.Depth, check func(engine.ServiceSnapshot) (i18n.Sentence, error)) error {
	snap, err := c.Engine.Service(ctx, c.Args[0], depth)
	if err != nil {
		return err
	}
	if snap.Service == nil {
		return missingService(ctx, c, snap.Name, "")
	}
	seen, err := check(snap)
	if err == nil {
		c.Saw("%s", seen)
	}
	return err
}

// missingService says that a service does not exist, and which do, since
// a mistyped name is the usual cause: when image is the one the step
// expects and one other service runs it, that service is named as the
// likely mistake, unless the lab creates it itself (swarm-nodes' global
// service runs the same image: removing it is no way out). It is final:
// a service does not appear by waiting, once the command that creates it
// has run.
func missingService(ctx context.Context, c *Call, name, image string) error {
	list, err := c.Engine.Client.ServiceList(ctx, client.ServiceListOptions{})
	if err != nil {
		return Final(i18n.Errorf("there is no service %s", name))
	}
	var names, sameImageNames []string
	for _, s := range list.Items {
		names = append(names, s.Spec.Name)
		if image != "" && s.Spec.TaskTemplate.ContainerSpec != nil && sameImage(s.Spec.TaskTemplate.ContainerSpec.Image, image) && !c.labCreates("service", s.Spec.Name) {
			sameImageNames = append(sameImageNames, s.Spec.Name)
		}
	}
	if len(sameImageNames) == 1 {
		other := sameImageNames[0]
		return Final(i18n.Errorf("there is no service %s, but service %s runs %s: was it meant to be %s? (docker service rm %s, then create it with --name %s)",
			name, other, image, name, other, name))
	}
	here := i18n.Sprintf("there is no service at all")
	if len(names) > 0 {
		here = i18n.Sprintf("services here: %s", strings.Join(names, ", "))
	}
	return Final(i18n.Errorf("there is no service %s (%v); check its name, or if it was removed, create it again or start over with labrun reset", name, here))
}

// labCreates tells whether the lab declares (## creates) an object of
// that kind and name, its variables as this run set them.
func (c *Call) labCreates(kind, name string) bool {
	if c.Lab == nil {
		return false
	}
	for _, r := range c.Lab.Creates {
		if r.Kind == kind && os.Expand(r.Name, c.Env.Getenv) == name {
			return true
		}
	}
	return false
}

func serviceRunning(ctx context.Context, c *Call) error {
	count, err := strconv.Atoi(c.Args[1])
	if err != nil || count < 0 {
		return i18n.Errorf("COUNT %q is not a number of tasks", c.Args[1])
	}
	var props []property
	for _, a := range c.Args[3:] {
		p, err := parseProperty(a, taskKeys)
		if err != nil {
			return err
		}
		props = append(props, p)
	}
	snap, err := c.Engine.Service(ctx, c.Args[0], engine.WithContainers)
	if err != nil {
		return err
	}
	if snap.Service == nil {
		return missingService(ctx, c, snap.Name, c.Args[2])
	}
	files, err := statTaskFiles(ctx, c.Engine, snap, props)
	if err != nil {
		return err
	}
	seen, err := converged(snap, count, c.Args[2], props, files)
	if err == nil {
		c.Saw("%s", seen)
	}
	return err
}

func serviceSpec(ctx context.Context, c *Call) error {
	networkIDs, err := namedNetworks(ctx, c.Engine, c.Args[1:])
	if err != nil {
		return err
	}
	return observeService(ctx, c, engine.SpecOnly, func(s engine.ServiceSnapshot) (i18n.Sentence, error) { return specMatches(s, c.Args[1:], networkIDs) })
}

func updateStateCheck(ctx context.Context, c *Call) error {
	return observeService(ctx, c, engine.SpecOnly, func(s engine.ServiceSnapshot) (i18n.Sentence, error) {
		if s.Service == nil {
			return i18n.Sentence{}, Final(i18n.Errorf("there is no service %s (any more): its update state cannot change; start again with labrun reset", s.Name))
		}
		state, msg := updateState(s.Service)
		if state != c.Args[1] {
			err := i18n.Errorf("update state is %s, want %s", state, c.Args[1])
			if msg != "" {
				err = i18n.Errorf("update state is %s (%s), want %s", state, msg, c.Args[1])
			}
			if why := unreachable(state, c.Args[1]); why != nil {
				return i18n.Sentence{}, Final(i18n.Errorf("%v: %v", err, *why))
			}
			return i18n.Sentence{}, err
		}
		if msg != "" {
			return i18n.Sprintf("update state %s: %s", state, msg), nil
		}
		return i18n.Sprintf("update state %s", state), nil
	})
}

func tasksCheck(ctx context.Context, c *Call) error {
	f, err := parseTaskFilter(c.Args[1:])
	if err != nil {
		return err
	}
	return observeService(ctx, c, engine.WithContainers, func(s engine.ServiceSnapshot) (i18n.Sentence, error) { return matchTasks(s, f) })
}

func imageExists(ctx context.Context, c *Call) error {
	img, err := c.Engine.Client.ImageInspect(ctx, c.Args[0])
	if cerrdefs.IsNotFound(err) {
		if miss := nearMiss(ctx, c, c.Args[0]); miss != "" {
			return said(miss)
		}
		return i18n.Errorf("there is no image %s", c.Args[0])
	}
	if err != nil {
		return err
	}
	c.Saw("image %s exists (%.19s)", c.Args[0], img.ID)
	return nil
}

func imageHealthcheck(ctx context.Context, c *Call) error {
	ref := c.Args[0]
	img, err := c.Engine.Client.ImageInspect(ctx, ref)
	if cerrdefs.IsNotFound(err) {
		if miss := nearMiss(ctx, c, ref); miss != "" {
			return said(miss)
		}
		return i18n.Errorf("there is no image %s", ref)
	}
	if err != nil {
		return err
	}
	if img.Config == nil || img.Config.Healthcheck == nil || len(img.Config.Healthcheck.Test) == 0 {
		return i18n.Errorf("image %s has no HEALTHCHECK", ref)
	}
	hc := img.Config.Healthcheck
	got := healthcheckSettings{hc.Interval, hc.Timeout, hc.Retries, strings.Join(hc.Test, " ")}
	return got.match(c.Args[1:], func(seen string) { c.Saw("image %s: %s", ref, seen) })
}

// serviceContainers looks for the containers of a service on every node
// labrun reaches: each node removes its tasks' containers in its own time.
func serviceContainers(ctx context.Context, c *Call) error {
	var states []string
	for _, e := range append([]*engine.Engine{c.Engine}, c.Engine.Peers()...) {
		list, err := e.Client.ContainerList(ctx, client.ContainerListOptions{
			All:     true,
			Filters: make(client.Filters).Add("label", "com.docker.swarm.service.name="+c.Args[0]),
		})
		if err != nil {
			return err
		}
		for _, ct := range list.Items {
			states = append(states, fmt.Sprintf("%.12s %s", ct.ID, ct.State))
		}
	}
	if len(states) == 0 {
		return i18n.Errorf("no container of service %s is left", c.Args[0])
	}
	c.Saw("%d container(s) of service %s: %s", len(states), c.Args[0], strings.Join(states, ", "))
	return nil
}
