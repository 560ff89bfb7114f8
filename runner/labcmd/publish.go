package labcmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labrun/labrun/runner/i18n"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/timeouts"
)

// Publish modes of --publish-mode.
const (
	PublishAuto    = "auto"
	PublishIngress = "ingress"
	PublishHost    = "host"
)

func choosePublish(ctx context.Context, c *Call) error {
	name, ports, probeImage := c.Args[0], c.Args[1], c.Args[2]
	published, target, ok := strings.Cut(ports, ":")
	pub, err1 := strconv.Atoi(published)
	tgt, err2 := strconv.Atoi(target)
	if !ok || err1 != nil || err2 != nil || pub < 1 || pub > 65535 || tgt < 1 || tgt > 65535 {
		return i18n.Errorf("%q: want PUBLISHED:TARGET port numbers such as 8000:8000", ports)
	}
	hostMode := fmt.Sprintf("mode=host,target=%d,published=%d", tgt, pub)
	mode := c.Options.PublishMode
	if mode == PublishAuto || mode == "" {
		cache := meshCache{dir: c.Options.StateDir}
		key := meshKey(c.Engine)
		since := cache.deadSince(key)
		answers := since.IsZero()
		if answers {
			name := "labrun-mesh-probe-" + c.Labels["labrun.run"]
			if err := c.Recorder.Creating("service", name); err != nil {
				return err
			}
			var err error
			probe := MeshProbe{Engine: c.Engine, Name: name, Image: probeImage, Target: uint32(tgt), Labels: c.Labels, Timeouts: c.Timeouts(), Lang: c.Options.Lang,
				Waiting: func(last string) { c.Observer.Waiting(c.Step(), "choose-publish", last, 0, 0) }}
			if answers, err = ProbeMesh(ctx, probe); err != nil {
				return i18n.Errorf("probing the routing mesh: %v", err)
			}
			if !answers {
				cache.rememberDead(key)
			}
		}
		mode = PublishIngress
		if !answers {
			mode = PublishHost
			lang := c.Options.Lang
			seen := i18n.Text(lang, "mesh-dead-now")
			if !since.IsZero() {
				seen = i18n.Text(lang, "mesh-dead-since", since.Format("15:04"), int(meshMemory.Hours()))
			}
			c.Observer.Notice(i18n.Text(lang, "mesh-dead", seen, hostMode))
		}
	}
	value := ports
	if mode == PublishHost {
		value = hostMode
	}
	c.Setvar(name, value)
	fmt.Fprintf(&c.Out, "%s=%s\n", name, value)
	return nil
}

// MeshProbe is a short-lived service published through the routing mesh,
// to learn whether the mesh answers on an engine.
type MeshProbe struct {
	Engine *engine.Engine
	// Name is the probe service's name; the caller records it for cleanup
	// before the probe creates it.
	Name string
	// Image runs a server on Target; its healthcheck is turned off.
	Image  string
	Target uint32
	Labels map[string]string
	// Waiting, when set, is told what the probe waits for, as it waits.
	Waiting func(last string)
	// Lang is the language Waiting is told in.
	Lang string
	// Timeouts bound the probe's requests, its grace and its removal
	// (HTTPRequest, MeshGrace, ProbeRemove); a zero field is its default.
	Timeouts timeouts.Timeouts
}

// ProbeMesh publishes p's service through the routing mesh, on a port the
// engine chooses, and reports whether it answers. The service is removed
// before returning; its containers go in the background, and cleanup waits
// for them through their labels.
func ProbeMesh(ctx context.Context, p MeshProbe) (bool, error) {
	name, t := p.Name, p.Timeouts.WithDefaults()
	replicas := uint64(1)
	spec := swarm.ServiceSpec{
		Annotations: swarm.Annotations{Name: name, Labels: p.Labels},
		TaskTemplate: swarm.TaskSpec{
			ContainerSpec: &swarm.ContainerSpec{
				Image:       p.Image,
				Labels:      p.Labels,
				Healthcheck: &container.HealthConfig{Test: []string{"NONE"}},
			},
			RestartPolicy: &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionNone},
		},
		Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &replicas}},
		EndpointSpec: &swarm.EndpointSpec{Ports: []swarm.PortConfig{{TargetPort: p.Target, PublishMode: swarm.PortConfigPublishModeIngress}}},
	}
	created, err := p.Engine.Client.ServiceCreate(ctx, client.ServiceCreateOptions{Spec: spec})
	if err != nil {
		return false, err
	}
	defer func() {
		// Removed even when ctx is cancelled, but not waited on forever: a
		// service left behind is still in the caller's ledger.
		rmCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.ProbeRemove)
		defer cancel()
		p.Engine.Client.ServiceRemove(rmCtx, created.ID, client.ServiceRemoveOptions{})
	}()

	var port uint32
	var runningSince time.Time
	for {
		snap, err := p.Engine.Service(ctx, name, engine.WithTasks)
		if err != nil {
			return false, err
		}
		if port == 0 && snap.Service != nil {
			for _, pc := range snap.Service.Endpoint.Ports {
				port = pc.PublishedPort
			}
		}
		if port != 0 && running(snap.Tasks) {
			if runningSince.IsZero() {
				runningSince = time.Now()
			}
			url := fmt.Sprintf("http://%s:%d/", p.Engine.HTTPHost, port)
			if _, _, err := get(ctx, url, t.HTTPRequest); err == nil {
				return true, nil
			}
			// A working mesh may need a moment to program its load
			// balancer; a dead one refuses at once and for ever.
			if time.Since(runningSince) > t.MeshGrace {
				return false, nil
			}
		}
		if p.Waiting != nil {
			p.Waiting(i18n.Textf(p.Lang, "probe service %s starting", name))
		}
		select {
		case <-ctx.Done():
			return false, i18n.Errorf("the probe service %s did not start: %v", name, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func running(tasks []swarm.Task) bool {
	for _, t := range tasks {
		if t.Status.State == swarm.TaskStateRunning {
			return true
		}
	}
	return false
}

// meshMemory is how long a dead routing mesh is remembered. Only a dead
// mesh is: host mode works on every engine, so a stale "dead" costs nothing
// but the tutorial's exact --publish, while a stale "works" would fail the
// lab. The probe costs seconds of every run; the kernel rarely changes.
const meshMemory = 24 * time.Hour

// meshCache remembers, per engine, kernel and swarm node, when the routing
// mesh was last found dead.
type meshCache struct{ dir string }

func (m meshCache) path() string { return filepath.Join(m.dir, "mesh.json") }

// meshMu serialises the cache's reads and writes: a classroom run probes
// several engines at once.
var meshMu sync.Mutex

func (m meshCache) read() map[string]time.Time {
	meshMu.Lock()
	defer meshMu.Unlock()
	return m.readLocked()
}

func (m meshCache) readLocked() map[string]time.Time {
	seen := map[string]time.Time{}
	if m.dir == "" {
		return seen
	}
	if data, err := os.ReadFile(m.path()); err == nil {
		json.Unmarshal(data, &seen)
	}
	return seen
}

// deadSince returns when the mesh of key was found dead, or zero when it
// was not, or too long ago.
func (m meshCache) deadSince(key string) time.Time {
	t := m.read()[key]
	if time.Since(t) > meshMemory {
		return time.Time{}
	}
	return t
}

// meshKey identifies what decides whether the mesh works: the engine, its
// kernel and the swarm node.
func meshKey(e *engine.Engine) string { return e.ID + " " + e.Kernel + " " + e.NodeID }

// RememberMesh records a probe's verdict on e's routing mesh in the cache
// that choose-publish reads, in labrun's state directory dir: a dead mesh
// is remembered for 24 hours; a working one clears an earlier "dead", so
// that the next run probes again rather than fall back to host mode.
func RememberMesh(dir string, e *engine.Engine, answers bool) {
	cache := meshCache{dir: dir}
	if !answers {
		cache.rememberDead(meshKey(e))
		return
	}
	if cache.deadSince(meshKey(e)).IsZero() {
		return
	}
	seen := cache.read()
	delete(seen, meshKey(e))
	cache.write(seen)
}

// rememberDead records that the mesh of key is dead, as of now. Failing to
// remember only costs the next run a probe.
func (m meshCache) rememberDead(key string) {
	if m.dir == "" {
		return
	}
	meshMu.Lock()
	defer meshMu.Unlock()
	seen := m.readLocked()
	seen[key] = time.Now()
	m.write(seen)
}

// write saves the verdicts; failing to only costs the next run a probe.
func (m meshCache) write(seen map[string]time.Time) {
	if m.dir == "" {
		return
	}
	if data, err := json.Marshal(seen); err == nil && os.MkdirAll(m.dir, 0o700) == nil {
		os.WriteFile(m.path(), data, 0o600)
	}
}
