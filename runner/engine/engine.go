// Package engine connects labrun to a Docker engine through the Engine API
// and reads the state that lab checks look at.
package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/timeouts"
)

// Engine is a connected Docker engine and what labrun needs to know of it.
type Engine struct {
	// Client is the Engine API client, negotiated to the engine's version.
	Client *client.Client
	// Host is the engine's address as dialled, e.g. unix:///var/run/docker.sock.
	Host string
	// Endpoint says how Host was chosen (flag, environment, context) and
	// carries a context's TLS settings.
	Endpoint Endpoint
	// APIVersion is the API version in use (negotiated); Version the engine's.
	APIVersion, Version string
	// Arch is the engine's CPU architecture as it names it (x86_64,
	// aarch64); runner/images maps it to its own names.
	Arch string
	// HTTPHost is where the engine's published ports answer: localhost for
	// a local engine, the engine's host name otherwise.
	HTTPHost string
	// Swarm is the node's swarm membership; NodeID is empty outside a swarm.
	Swarm   swarm.LocalNodeState
	NodeID  string
	Manager bool
	// ID and Kernel identify the engine and its kernel, which decides
	// whether the routing mesh can work (it needs IPVS). Name is the
	// machine's host name.
	ID, Kernel, Name string
	// ClusterID is the swarm's, as a manager sees it; empty otherwise.
	ClusterID string
	// Clock is the engine's clock at connection time minus ours: the
	// ownership of services is judged on the engine's clock.
	ClockSkew time.Duration
	// peers are the engines of the swarm's other nodes that labrun
	// reaches, by node ID: a task's container lives on its node, and only
	// that node's engine can inspect it.
	peers map[string]*Engine
}

// SetPeers gives a manager the engines of the swarm's other nodes
// (runner/nodemap finds them), through which the containers of tasks
// placed there are inspected.
func (e *Engine) SetPeers(others []*Engine) {
	e.peers = make(map[string]*Engine, len(others))
	for _, o := range others {
		e.peers[o.NodeID] = o
	}
}

// Peers returns the engines of the swarm's other nodes that labrun
// reaches, as SetPeers gave them.
func (e *Engine) Peers() []*Engine {
	out := make([]*Engine, 0, len(e.peers))
	for _, o := range e.peers {
		out = append(out, o)
	}
	return out
}

// OnNode returns the engine of the node of that ID: e itself for its own
// node, and for a node whose engine labrun does not reach (its containers
// are then not found, as a manager cannot see them).
func (e *Engine) OnNode(nodeID string) *Engine {
	if o, ok := e.peers[nodeID]; ok {
		return o
	}
	return e
}

// UnreachableError means no engine answered at Host.
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string { return e.In("en") }

// In words the error in lang; the dialer's own error is quoted.
func (e *UnreachableError) In(lang string) string {
	return i18n.Textf(lang, "cannot reach the Docker engine at %s: %v\n"+
		"Is dockerd running (sudo systemctl start docker), and is DOCKER_HOST right?", e.Host, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// Connect reaches the engine named by host, or when host is empty the one
// the docker CLI would use (DOCKER_HOST, DOCKER_CONTEXT, the current
// context: see Resolve), and negotiates the API version.
func Connect(ctx context.Context, host string) (*Engine, error) {
	return ConnectChoice(ctx, Choice{Host: host})
}

// ConnectChoice reaches the engine the command line chose (--host or
// --context), else the environment's, as the docker CLI does.
func ConnectChoice(ctx context.Context, c Choice) (*Engine, error) {
	ep, err := ResolveChoice(c, os.Getenv)
	if err != nil {
		return nil, err
	}
	return ConnectTo(ctx, ep)
}

// ConnectTo reaches the engine at ep and negotiates the API version.
// DOCKER_API_VERSION applies to every engine; DOCKER_TLS_VERIFY and
// DOCKER_CERT_PATH to the default context's only, as for the docker CLI:
// a named context carries its own TLS material.
func ConnectTo(ctx context.Context, ep Endpoint) (*Engine, error) {
	host := ep.Host
	opts, err := clientOptions(ep)
	if err != nil {
		return nil, i18n.Errorf("engine %s: %v", host, err)
	}
	cli, err := client.New(opts...)
	if err != nil {
		return nil, i18n.Errorf("engine %s: %v", host, err)
	}
	// Nothing overrides the bound of the first contact: the default's.
	connectTimeout := timeouts.Default().Connect
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	// Ping without negotiation first: the client refuses to negotiate below
	// its own minimum (1.40), while labs support engines from 1.32 (Docker
	// 17.09, the first with docker service rollback): below 1.40 the client
	// is pinned to the engine's own version.
	ping, err := cli.Ping(ctx, client.PingOptions{})
	if err != nil {
		cli.Close()
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = i18n.Errorf("no answer within %s", connectTimeout)
		}
		return nil, &UnreachableError{Host: host, Err: err}
	}
	// An engine too old for a lab is not refused here: the lab's own
	// preflight (engine-api) says what it needs and why, with its hint.
	if versionLess(ping.APIVersion, client.MinAPIVersion) {
		cli.Close()
		if cli, err = client.New(append(opts, client.WithAPIVersion(ping.APIVersion))...); err != nil {
			return nil, i18n.Errorf("engine %s: %v", host, err)
		}
	} else if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		cli.Close()
		return nil, &UnreachableError{Host: host, Err: err}
	}
	e := &Engine{Client: cli, Host: host, Endpoint: ep, APIVersion: cli.ClientVersion()}
	before := time.Now()
	info, err := cli.Info(ctx, client.InfoOptions{})
	if err != nil {
		cli.Close()
		return nil, &UnreachableError{Host: host, Err: err}
	}
	if t, perr := time.Parse(time.RFC3339Nano, info.Info.SystemTime); perr == nil {
		e.ClockSkew = t.Sub(before)
	}
	e.Version = info.Info.ServerVersion
	e.ID, e.Kernel, e.Name = info.Info.ID, info.Info.KernelVersion, info.Info.Name
	e.Arch = info.Info.Architecture
	e.setSwarm(info.Info.Swarm)
	e.HTTPHost = httpHost(host)
	return e, nil
}

// setSwarm records the node's swarm membership.
func (e *Engine) setSwarm(s swarm.Info) {
	e.Swarm, e.NodeID, e.Manager, e.ClusterID = s.LocalNodeState, s.NodeID, s.ControlAvailable, ""
	if s.Cluster != nil {
		e.ClusterID = s.Cluster.ID
	}
}

// Close releases the connection.
func (e *Engine) Close() error { return e.Client.Close() }

// Now returns the engine's current time as best known.
func (e *Engine) Now() time.Time { return time.Now().Add(e.ClockSkew) }

// Refresh re-reads the node's swarm membership, after a swarm init or leave.
func (e *Engine) Refresh(ctx context.Context) error {
	info, err := e.Client.Info(ctx, client.InfoOptions{})
	if err != nil {
		return err
	}
	e.setSwarm(info.Info.Swarm)
	return nil
}

// httpHost returns the host at which the engine's published ports answer.
func httpHost(host string) string {
	u, err := url.Parse(host)
	if err != nil || u.Scheme == "unix" || u.Scheme == "npipe" || u.Hostname() == "" {
		return "localhost"
	}
	if u.Scheme == "ssh" {
		return sshHostName(u.Hostname())
	}
	return u.Hostname()
}

// sshHostName is the machine an ssh:// engine's name stands for: ssh's
// configuration may make it an alias ("Host pc3" with "HostName
// 10.0.0.13"), which only ssh resolves. It asks ssh -G, and keeps the name
// when ssh cannot say.
func sshHostName(name string) string {
	ctx, cancel := context.WithTimeout(context.Background(), timeouts.Default().SSHConfig)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ssh", "-G", "--", name).Output()
	if err != nil {
		return name
	}
	return sshConfigHostName(string(out), name)
}

// sshConfigHostName reads the hostname line of ssh -G's output.
func sshConfigHostName(config, name string) string {
	for _, line := range strings.Split(config, "\n") {
		if key, value, ok := strings.Cut(strings.TrimSpace(line), " "); ok && key == "hostname" && value != "" {
			return value
		}
	}
	return name
}

// versionLess compares API versions such as "1.32" and "1.41".
func versionLess(a, b string) bool {
	amaj, amin := splitVersion(a)
	bmaj, bmin := splitVersion(b)
	return amaj < bmaj || amaj == bmaj && amin < bmin
}

// VersionAtLeast reports whether API version v is at least min.
func VersionAtLeast(v, min string) bool { return !versionLess(v, min) }

func splitVersion(v string) (major, minor int) {
	fmt.Sscanf(v, "%d.%d", &major, &minor)
	return major, minor
}
