// Package timeouts holds every bound labrun puts on a wait, with its
// default, in one place: labrun promises that every wait has a timeout and
// says what it waited for, and the bounds are easier to weigh against each
// other side by side than scattered over the packages that apply them.
//
// Polling intervals (how often a wait looks again) are not timeouts and
// stay with the code that polls.
package timeouts

import (
	"reflect"
	"time"
)

// Timeouts are labrun's bounds on waits, one field per kind of wait. A
// zero field means the default (see WithDefaults), except Run, whose
// default is no bound.
type Timeouts struct {
	// Step bounds each command of a lab step, and so each of its waits: a
	// retried check ("* CHECK"), probe-start's wait for its prober's first
	// answer. Default 90s: the longest wait of the built-in labs,
	// a start-first update of three replicas that each turn healthy in
	// about 5s, are watched 5s and are 2s apart, takes about 30s on a
	// small VM; three times that leaves room for a slow machine while a
	// student does not stare at a hung step for long. A lab's "## timeout
	// DURATION" overrides it, before its first step for every step or
	// within a step for that step.
	Step time.Duration
	// Run bounds a whole run, its cleanup aside. Default zero, no bound:
	// every step is bounded already, and a run's length depends on its
	// lab. labrun run and verify's --timeout sets it (with --repeat, for
	// each run).
	Run time.Duration
	// Connect bounds the first contact with the engine: ping, version
	// negotiation and info. Default 5s: a local engine answers in
	// milliseconds and an ssh:// one in about a second, and an engine that
	// is down must be reported in seconds, not after a TCP timeout.
	Connect time.Duration
	// SSHConfig bounds ssh -G, which tells the machine an ssh:// engine's
	// host alias stands for. Default 3s: ssh only reads its configuration
	// files; past it, labrun keeps the name as given.
	SSHConfig time.Duration
	// SSHClose is how long closing an ssh:// engine connection waits for
	// docker system dial-stdio to end on its closed input before ssh is
	// killed. Default 1s: it ends at once unless the link is dead.
	SSHClose time.Duration
	// Registry bounds the check, before a run with --images hub or node
	// creates anything, that the engine can get the images' manifests.
	// Default 10s: a registry that does not answer that question within
	// ten seconds would not serve the pulls either, and --images offline
	// needs no registry.
	Registry time.Duration
	// Cleanup bounds the removal of what a run created, at its end, after
	// a failure, an interrupt or --timeout alike. Default 60s: a removed
	// service's containers go in the background, a few seconds each, and
	// the images they use can only go after them; past it, what is left
	// stays in the run's ledger for labrun cleanup.
	Cleanup time.Duration
	// Diagnostics bounds the collection, for a failed step, of what the
	// engine shows of the lab's services: task history, last logs,
	// healthcheck results. Default 10s: the report of a failure must not
	// hang on the struggling engine that may have caused it.
	Diagnostics time.Duration
	// HTTPRequest bounds one request of the http-get and whoami checks and
	// of a routing mesh probe. Default 2s: a service that takes longer to
	// answer is, for a student's curl, not answering; a retried check asks
	// again.
	HTTPRequest time.Duration
	// PortDial bounds port-free's attempt to connect to ENGINE_HOST:PORT.
	// Default 500ms: a port nothing serves refuses at once; a filtered one
	// would hold the check for a TCP timeout.
	PortDial time.Duration
	// ImageLoad bounds the load of an offline image into the engine
	// (whoami-image, the probers' image, doctor's probe). Default 30s: a
	// load takes a second at most, and it is not cut short by an interrupt
	// (the engine could still tag the image after cleanup looked for it),
	// so the bound only guards against a hung engine.
	ImageLoad time.Duration
	// ProbeRequest is how long one request of a prober (probe-start) may
	// take before it counts as failed; the prober gets it as --timeout.
	// Default 1s: a healthy task on the overlay network answers in
	// milliseconds, and a request that hangs longer is, for the users the
	// exercise stands for, an outage that must show in the counts.
	ProbeRequest time.Duration
	// MeshProbe bounds doctor's probe of the routing mesh, from the probe
	// service's creation to its answer. Default 60s: its task starts in
	// seconds on a healthy engine, but doctor runs on engines that may not
	// be.
	MeshProbe time.Duration
	// MeshGrace is how long a routing mesh probe keeps asking once its task
	// runs before it calls the mesh dead. Default 1s: a working mesh may
	// need a moment to program its load balancer, while a dead one refuses
	// at once and for ever.
	MeshGrace time.Duration
	// ProbeRemove bounds the removal of a routing mesh probe's service,
	// done even after an interrupt. Default 10s: a removal is one API
	// call, and a service left behind is still in the run's ledger.
	ProbeRemove time.Duration
	// NetworkSettle is how long the network checks wait for a network the
	// engine shows only in part: a swarm network the manager has stored
	// but not yet given its driver, or a name that answers for two
	// networks. Default 5s: the first lasts milliseconds, more on a
	// manager busy undoing a previous run; past it, the check says it
	// could not tell rather than compare what is not there yet.
	NetworkSettle time.Duration
	// PortRelease is how long port-free waits for a port held by a
	// container of a service that no longer exists (docker service rm, then
	// at once a run): the engine is stopping that container. Default 30s:
	// a task gets its stop grace period, 10s unless the service says
	// otherwise, then the engine removes its container; past it, the port
	// is reported taken.
	PortRelease time.Duration
	// SwarmJoin bounds labrun cluster up's swarm init and each join.
	// Default 30s: dockerd itself gives up a join after 20s ("Timeout was
	// reached before node joined") and says so, which is worth quoting.
	SwarmJoin time.Duration
	// SwarmReady is how long labrun cluster up waits for every node to be
	// ready after the joins. Default 60s: nodes of one machine are ready
	// within seconds, a class's machines within a few more.
	SwarmReady time.Duration
}

// Default returns labrun's timeouts as they are when nothing overrides
// them; each field's comment says why its value.
func Default() Timeouts {
	return Timeouts{
		Step:          90 * time.Second,
		Run:           0,
		Connect:       5 * time.Second,
		SSHConfig:     3 * time.Second,
		SSHClose:      1 * time.Second,
		Registry:      10 * time.Second,
		Cleanup:       60 * time.Second,
		Diagnostics:   10 * time.Second,
		HTTPRequest:   2 * time.Second,
		PortDial:      500 * time.Millisecond,
		ImageLoad:     30 * time.Second,
		ProbeRequest:  1 * time.Second,
		MeshProbe:     60 * time.Second,
		MeshGrace:     1 * time.Second,
		ProbeRemove:   10 * time.Second,
		NetworkSettle: 5 * time.Second,
		PortRelease:   30 * time.Second,
		SwarmJoin:     30 * time.Second,
		SwarmReady:    60 * time.Second,
	}
}

// WithDefaults returns t with each zero field set to its default, so that
// a caller may set only the timeouts it overrides and a zero Timeouts is
// Default().
func (t Timeouts) WithDefaults() Timeouts {
	def := reflect.ValueOf(Default())
	v := reflect.ValueOf(&t).Elem()
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			v.Field(i).Set(def.Field(i))
		}
	}
	return t
}
