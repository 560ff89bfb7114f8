package runner

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/owner"
	"github.com/labrun/labrun/runner/timeouts"
)

// proxy relays a unix socket to the engine's, optionally slowly, and can
// be closed to play an engine that goes away in the middle of a run.
type proxy struct {
	path, target string
	delay        time.Duration
	ln           net.Listener
	mu           sync.Mutex
	conns        []net.Conn
}

func startProxy(t *testing.T, path, target string, delay time.Duration) *proxy {
	t.Helper()
	p := &proxy{path: path, target: target, delay: delay}
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	p.ln = ln
	go p.serve()
	t.Cleanup(p.Close)
	return p
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("unix", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go p.relay(up, c)
		go p.relay(c, up)
	}
}

// relay copies src to dst, sleeping before each chunk when slow.
func (p *proxy) relay(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			time.Sleep(p.delay)
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	dst.Close()
	src.Close()
}

// Close stops accepting and cuts every relayed connection.
func (p *proxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// engineSocket returns the local engine's socket. Without an engine, or
// with one that is not behind a unix socket (which the proxy relays), the
// test is skipped, or fails under CI=true, by enginetest's rule.
func engineSocket(t *testing.T) string {
	t.Helper()
	e := enginetest.Require(t)
	if !strings.HasPrefix(e.Host, "unix://") {
		enginetest.SkipOrFail(t, "the fault tests relay a unix socket, and the engine is at %s", e.Host)
	}
	return strings.TrimPrefix(e.Host, "unix://")
}

// TestEngineLostMidStep closes the engine's socket while a step waits: the
// step fails within its timeout with a clear message, the run ends (exit
// 1) with no goroutine left behind, says what it could not clean up, and a
// later cleanup through the restored socket removes it.
func TestEngineLostMidStep(t *testing.T) {
	target := engineSocket(t)
	dir := t.TempDir()
	sock := filepath.Join(dir, "engine.sock")
	p := startProxy(t, sock, target, 0)
	host := "unix://" + sock
	direct, err := client.New(client.WithHost("unix://" + target))
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()

	before := runtime.NumGoroutine()
	type result struct {
		code int
		err  error
		out  string
		left []string
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		var out bytes.Buffer
		rep, code, err := Execute(context.Background(), Options{Lab: "testdata/lost.txtar", Host: host, StateDir: dir, Out: &out}, AllSteps)
		done <- result{code, err, out.String(), rep.Leftovers}
	}()
	ctx := context.Background()
	for {
		if _, err := direct.ServiceInspect(ctx, "labrun-lost", client.ServiceInspectOptions{}); err == nil {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatal("the run never created its service")
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.Close()
	lost := time.Now()
	var res result
	select {
	case res = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the run hangs 30 s after the engine went away")
	}
	if took := time.Since(lost); took > 8*time.Second+cleanupGrace {
		t.Errorf("the run ended %s after the engine went away; the step's timeout is 8 s", took)
	}
	if res.code != exit.Fail {
		t.Errorf("exit code %d, want %d (%v)\n%s", res.code, exit.Fail, res.err, res.out)
	}
	msg := ""
	if res.err != nil {
		msg = res.err.Error()
	}
	for _, want := range []string{"lost.txtar:18: * service-running labrun-lost 1 labrun-lost:1.0: still not so when the step's 8s timeout ran out", "the engine at unix://" + sock + " does not answer"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if len(res.left) == 0 || !strings.Contains(strings.Join(res.left, "\n"), "labrun cleanup") {
		t.Errorf("leftovers not reported: %q", res.left)
	}
	waitGoroutines(t, before)

	// The engine is back: cleanup from the ledger removes what the run made.
	startProxy(t, sock, target, 0)
	e, err := engine.Connect(ctx, host)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	// The run's process (this test) is alive, so its ledger is no leftover
	// for labrun cleanup: clean it as labrun cleanup does.
	l := readLedger(t, filepath.Join(dir, "runs"))
	if left := owner.Release(ctx, e, l, time.Minute).Left; len(left) > 0 {
		t.Errorf("cleanup after the engine came back left %q", left)
	}
	if _, err := direct.ServiceInspect(ctx, "labrun-lost", client.ServiceInspectOptions{}); !cerrdefs.IsNotFound(err) {
		t.Errorf("service labrun-lost is left: %v", err)
	}
	if _, err := direct.ImageInspect(ctx, "labrun-lost:1.0"); !cerrdefs.IsNotFound(err) {
		t.Errorf("image labrun-lost:1.0 is left: %v", err)
	}
}

// cleanupGrace is what a run may take past its step's timeout to try its
// cleanup against an engine that is gone: each call fails at once.
const cleanupGrace = 5 * time.Second

// readLedger reads the one ledger in dir.
func readLedger(t *testing.T, dir string) *owner.Ledger {
	t.Helper()
	all, _, err := owner.All(dir)
	if err != nil || len(all) != 1 {
		t.Fatalf("want one ledger in %s, got %d (%v)", dir, len(all), err)
	}
	return all[0]
}

// waitGoroutines fails when the goroutines a run started outlive it. It
// counts the whole process's, so the tests that use it do not run in
// parallel.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before+2 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Errorf("goroutines: %d after the run, %d before\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSlowEngine runs the whole lab through a proxy that delays every
// chunk of every connection: it still passes within the steps' timeouts.
func TestSlowEngine(t *testing.T) {
	target := engineSocket(t)
	dir := t.TempDir()
	sock := filepath.Join(dir, "slow.sock")
	startProxy(t, sock, target, 25*time.Millisecond)
	before := runtime.NumGoroutine()
	var out bytes.Buffer
	rep, code, err := Execute(context.Background(), Options{
		Lab: "whoami-rollback", Host: "unix://" + sock, StateDir: dir, Out: &out,
		Set: map[string]string{"SERVICE": "labrun-slow", "IMAGE": "labrun-slow", "PORT": "18071"},
	}, AllSteps)
	if code != exit.Pass {
		t.Fatalf("exit %d (%v)\n%s", code, err, out.String())
	}
	if len(rep.Leftovers) > 0 {
		t.Errorf("leftovers: %q", rep.Leftovers)
	}
	waitGoroutines(t, before)
}

// TestUnreachableEngine: an engine that accepts connections but never
// answers is reported within the connection timeout, naming the host, with
// exit 2 and nothing else tried.
func TestUnreachableEngine(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "mute.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, answer nothing
		}
	}()
	start := time.Now()
	_, code, err := Execute(context.Background(), Options{Lab: "whoami-rollback", Host: "unix://" + sock, StateDir: t.TempDir()}, AllSteps)
	if took := time.Since(start); took > timeouts.Default().Connect+time.Second {
		t.Errorf("took %s, want at most %s", took, timeouts.Default().Connect+time.Second)
	}
	if code != exit.Error || err == nil || !strings.Contains(err.Error(), "cannot reach the Docker engine at unix://"+sock+": no answer within 5s") {
		t.Errorf("code %d, err %v", code, err)
	}
}
