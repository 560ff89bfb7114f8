package labcmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
)

// snapshot loads a snapshot recorded from a real run of the whoami lab on
// engine 20.10 (testdata/snapshots, written by marshalling
// engine.ServiceSnapshot at each change of the service's tasks).
func snapshot(t *testing.T, name string) engine.ServiceSnapshot {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "snapshots", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var s engine.ServiceSnapshot
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// holds runs a pure check and reports whether it held; want, when not
// empty, must appear in its message.
func checkResult(t *testing.T, seen fmt.Stringer, err error, wantHold bool, want string) {
	t.Helper()
	if held := err == nil; held != wantHold {
		t.Fatalf("held=%v, want %v (seen %v, err %v)", held, wantHold, seen, err)
	}
	msg := ""
	if seen != nil {
		msg = seen.String()
	}
	if err != nil {
		msg = err.Error()
	}
	if want != "" && !strings.Contains(msg, want) {
		t.Errorf("message %q lacks %q", msg, want)
	}
}

func TestConverged(t *testing.T) {
	tests := []struct {
		snap, image string
		count       int
		hold        bool
		want        string
	}{
		{"converged", "whoami:1.0", 1, true, "1/1 tasks running whoami:1.0 and healthy"},
		{"converged", "whoami:2.0", 1, false, "service whoami runs image whoami:1.0; this step expects whoami:2.0"},
		{"converged", "whoami:1.0", 2, false, "1/2 tasks"},
		{"starting", "whoami:1.0", 1, false, "whoami.1 whoami:1.0 starting (starting)"},
		{"updating", "whoami:2.0", 1, false, "starting (unhealthy)"},
		{"paused", "whoami:2.0", 1, false, "0/1"},
		{"paused", "whoami:1.0", 1, false, "runs image whoami:2.0; this step expects whoami:1.0"},
		{"rollback-starting-healthy", "whoami:1.0", 1, false, "starting (healthy)"},
		{"rollback-completed", "whoami:1.0", 1, true, ""},
		{"absent", "whoami:1.0", 1, false, "there is no service whoami"},
	}
	for _, tc := range tests {
		t.Run(tc.snap+"/"+tc.image, func(t *testing.T) {
			seen, err := converged(snapshot(t, tc.snap), tc.count, tc.image, nil, nil)
			checkResult(t, seen, err, tc.hold, tc.want)
		})
	}
}

func TestMatchTasks(t *testing.T) {
	tests := []struct {
		name, snap string
		filter     []string
		hold       bool
		want       string
	}{
		{"the 1.0 task shut down", "paused", []string{"image=whoami:1.0", "state=shutdown", "desired=shutdown", "count=1"}, true, "1 tasks of whoami:1.0 in state shutdown desired shutdown"},
		{"a 2.0 task failed unhealthy", "paused", []string{"image=whoami:2.0", "state=failed", "error=unhealthy"}, true, ""},
		{"the replacement 2.0 task is on the node", "paused", []string{"image=whoami:2.0", "desired=ready|running", "state=assigned|accepted|preparing|ready|starting"}, true, "1 tasks of whoami:2.0 in state assigned|accepted|preparing|ready|starting desired ready|running"},
		{"no replacement before the update", "converged", []string{"image=whoami:2.0", "desired=ready|running", "state=assigned|accepted|preparing|ready|starting"}, false, "found 0 tasks"},
		{"no running task when paused", "paused", []string{"state=running", "count=0"}, true, ""},
		{"no failed task before the update", "converged", []string{"image=whoami:2.0", "state=failed", "error=unhealthy"}, false, "found 0 tasks of whoami:2.0"},
		{"history is listed", "converged", []string{"state=failed"}, false, "whoami.1 whoami:1.0 running (healthy)"},
		{"a running task while converged", "converged", []string{"state=running", "count=0"}, false, "want exactly 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseTaskFilter(tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			seen, err := matchTasks(snapshot(t, tc.snap), f)
			checkResult(t, seen, err, tc.hold, tc.want)
		})
	}
}

func TestUnreachable(t *testing.T) {
	tests := []struct {
		state, want string
		final       bool
	}{
		{"updating", "paused", false},
		{"none", "paused", false},
		{"rollback_started", "paused", true},
		{"rollback_completed", "paused", true},
		{"completed", "paused", true},
		{"paused", "rollback_completed", false},
		{"rollback_started", "rollback_completed", false},
		{"none", "rollback_completed", true},
	}
	for _, tc := range tests {
		if got := unreachable(tc.state, tc.want) != nil; got != tc.final {
			t.Errorf("unreachable(%s, %s) = %v, want %v", tc.state, tc.want, got, tc.final)
		}
	}
}

func TestParseTaskFilterErrors(t *testing.T) {
	for _, args := range [][]string{{"image"}, {"colour=red"}, {"count=x"}, {"error=("}} {
		if _, err := parseTaskFilter(args); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

func TestSpecMatches(t *testing.T) {
	tests := []struct {
		name, snap string
		pairs      []string
		hold       bool
		want       string
	}{
		{"as created", "converged", []string{"name=whoami", "image=whoami:1.0", "replicas=1", "port=8000:8000/tcp", "previous=none"}, true, ""},
		{"effective update config", "converged", []string{"update.parallelism=1", "update.failure-action=pause", "update.monitor=5s", "update.max-failure-ratio=0", "update.order=stop-first"}, true, ""},
		{"effective rollback config", "converged", []string{"rollback.parallelism=1", "rollback.failure-action=pause", "rollback.monitor=5s", "rollback.order=stop-first"}, true, ""},
		{"wrong image", "converged", []string{"image=whoami:2.0"}, false, "image is whoami:1.0, want whoami:2.0"},
		{"wrong port", "converged", []string{"port=8001:8000"}, false, "port is 8000:8000/tcp, want 8001:8000/tcp"},
		{"after the update", "paused", []string{"image=whoami:2.0", "previous.image=whoami:1.0"}, true, ""},
		{"no previous spec yet", "converged", []string{"previous.image=whoami:1.0"}, false, "previous.image is none"},
		{"after the rollback", "rollback-completed", []string{"image=whoami:1.0", "previous.image=whoami:2.0"}, true, ""},
		{"unknown key", "converged", []string{"colour=red"}, false, "unknown key"},
		{"endpoint mode", "converged", []string{"endpoint-mode=vip"}, true, ""},
		{"endpoint mode is not dnsrr", "converged", []string{"endpoint-mode=dnsrr"}, false, "endpoint-mode is vip, want dnsrr"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen, err := specMatches(snapshot(t, tc.snap), tc.pairs, nil)
			checkResult(t, seen, err, tc.hold, tc.want)
		})
	}
}

// TestEndpointMode: a spec without an endpoint mode gets the engine's, vip.
func TestEndpointMode(t *testing.T) {
	tests := []struct {
		name     string
		endpoint *swarm.EndpointSpec
		want     string
	}{
		{"no endpoint spec", nil, "vip"},
		{"no mode", &swarm.EndpointSpec{}, "vip"},
		{"dnsrr", &swarm.EndpointSpec{Mode: swarm.ResolutionModeDNSRR}, "dnsrr"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc := &swarm.Service{Spec: swarm.ServiceSpec{EndpointSpec: tc.endpoint}}
			got, err := specField(svc, "endpoint-mode")
			if err != nil || got != tc.want {
				t.Errorf("endpoint-mode = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestEffectiveDefaults: a spec that leaves the update config out gets
// the engine's defaults, and one that sets them is read as set.
func TestEffectiveDefaults(t *testing.T) {
	svc := &swarm.Service{}
	svc.Spec.Name = "s"
	for key, want := range map[string]string{
		"update.parallelism": "1", "update.failure-action": "pause", "update.monitor": "5s",
		"update.max-failure-ratio": "0", "update.order": "stop-first", "rollback.monitor": "5s",
	} {
		if got, err := specField(svc, key); err != nil || got != want {
			t.Errorf("%s = %q (err %v), want %q", key, got, err, want)
		}
	}
	svc.Spec.UpdateConfig = &swarm.UpdateConfig{Parallelism: 3, FailureAction: "rollback", Monitor: time.Second, Order: "start-first"}
	for key, want := range map[string]string{
		"update.parallelism": "3", "update.failure-action": "rollback", "update.monitor": "1s", "update.order": "start-first",
	} {
		if got, _ := specField(svc, key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
}

func TestUpdateState(t *testing.T) {
	for snap, want := range map[string]string{
		"converged": "none", "updating": "updating", "paused": "paused",
		"rollback-starting-healthy": "rollback_started", "rollback-completed": "rollback_completed",
	} {
		t.Run(snap, func(t *testing.T) {
			got, msg := updateState(snapshot(t, snap).Service)
			if got != want {
				t.Errorf("state %q (%s), want %q", got, msg, want)
			}
			if want == "paused" && !strings.Contains(msg, "update paused due to failure") {
				t.Errorf("paused message %q", msg)
			}
		})
	}
}

func TestAnsweredByTask(t *testing.T) {
	snap := snapshot(t, "converged")
	var host string
	for _, c := range snap.Containers {
		host = c.Config.Hostname
	}
	if _, err := answeredByTask(snap, host); err != nil {
		t.Errorf("the running container's hostname: %v", err)
	}
	_, err := answeredByTask(snap, "0123456789ab")
	checkResult(t, nil, err, false, "not the hostname of a running task of whoami (whoami.1 is "+host+")")
	_, err = answeredByTask(snapshot(t, "paused"), host)
	checkResult(t, nil, err, false, "has no running task")
}

func TestReplaced(t *testing.T) {
	tests := []struct {
		hostname, former string
		hold             bool
	}{
		{"4f2a9c1d7e3b", "0123456789ab\n", true},
		{"4f2a9c1d7e3b", "4f2a9c1d7e3b\n", false},
		{"4f2a9c1d7e3b", "4f2a9c1d7e3b", false},
	}
	for _, tc := range tests {
		t.Run(tc.hostname+"/"+strings.TrimSpace(tc.former), func(t *testing.T) {
			checkResult(t, nil, replaced(tc.hostname, tc.former), tc.hold, "")
		})
	}
}

func TestSameImage(t *testing.T) {
	tests := []struct {
		ref, want string
		same      bool
	}{
		{"whoami:1.0", "whoami:1.0", true},
		{"whoami:1.0@sha256:8ddf6a1b", "whoami:1.0", true},
		{"docker.io/library/whoami:1.0", "whoami:1.0", true},
		{"lucj/whoami:1.0", "docker.io/lucj/whoami:1.0", true},
		{"whoami", "whoami:latest", true},
		{"whoami:1.0", "whoami:2.0", false},
		{"registry:5000/whoami", "registry:5000/whoami:latest", true},
	}
	for _, tc := range tests {
		if got := sameImage(tc.ref, tc.want); got != tc.same {
			t.Errorf("sameImage(%q, %q) = %v", tc.ref, tc.want, got)
		}
	}
}

func TestVerdict(t *testing.T) {
	differs := errors.New("differs")
	down := fmt.Errorf("inspect: %w", cerrdefs.ErrUnavailable)
	tests := []struct {
		neg  bool
		err  error
		fail bool
	}{
		{false, nil, false}, {false, differs, true}, {true, nil, true}, {true, differs, false},
		// A check that could not look passes neither way.
		{false, Blind(differs), true}, {true, Blind(differs), true}, {true, down, true},
		{true, fmt.Errorf("engine: %w", cerrdefs.ErrInternal), true},
	}
	for _, tc := range tests {
		if got := verdict(context.Background(), tc.neg, tc.err, "seen") != nil; got != tc.fail {
			t.Errorf("verdict(neg=%v, %v) failed=%v, want %v", tc.neg, tc.err, got, tc.fail)
		}
	}
	over, cancel := context.WithCancel(context.Background())
	cancel()
	if verdict(over, true, differs, "") == nil {
		t.Errorf("a negated check whose step's time is over must not pass")
	}
	if err := verdict(context.Background(), true, nil, "service s exists"); !strings.Contains(err.Error(), "service s exists") {
		t.Errorf("a negated check that holds must say what it saw: %v", err)
	}
}

func TestHealthcheckMatch(t *testing.T) {
	h := healthcheckSettings{5 * time.Second, 3 * time.Second, 3, "CMD /whoami healthcheck http://localhost:8000/whoami"}
	noop := func(string) {}
	if err := h.match([]string{"5s", "3s", "3", "localhost:8000/whoami"}, noop); err != nil {
		t.Errorf("tutorial's settings: %v", err)
	}
	err := h.match([]string{"10s", "3s", "5", "curl"}, noop)
	checkResult(t, nil, err, false, "interval is 5s, want 10s; retries is 3, want 5; test is")
}

// TestEngineAPI: the preflight's engine-api check fails on an engine older
// than the lab needs (labrun connects to it all the same, to say so).
func TestEngineAPI(t *testing.T) {
	for _, tc := range []struct {
		api  string
		hold bool
	}{{"1.41", true}, {"1.32", true}, {"1.30", false}} {
		c := &Call{Session: &Session{Engine: &engine.Engine{Host: "unix:///e.sock", APIVersion: tc.api, Version: "x"}}, Args: []string{"1.32"}}
		err := engineAPI(context.Background(), c)
		checkResult(t, i18n.Sprintf("%s", c.seen), err, tc.hold, "")
	}
}

// TestUnreachableHostIsBlind proves that a request that never reached its
// host cannot make "! http-get" pass, while a refused port can.
func TestUnreachableHostIsBlind(t *testing.T) {
	ctx := context.Background()
	_, _, err := get(ctx, "http://no-such-host.invalid:8000/whoami", time.Second)
	if err == nil || verdict(ctx, true, err, "") == nil {
		t.Errorf("a name that does not resolve: %v; a negated check must not pass on it", err)
	}
	l, lerr := net.Listen("tcp", "127.0.0.1:0")
	if lerr != nil {
		t.Fatal(lerr)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: refused
	_, _, err = get(ctx, "http://"+addr+"/whoami", time.Second)
	if err == nil || verdict(ctx, true, err, "") != nil {
		t.Errorf("a refused port: %v; a negated check must pass on it", err)
	}
}

// TestRequestTimeout proves that a check's request is bounded by the
// run's HTTPRequest timeout, and says so: a service that does not answer
// in time is, for a student's curl, not answering.
func TestRequestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx := context.Background()
	_, _, err := get(ctx, srv.URL, 50*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("got %v, want no answer within 50ms", err)
	}
	if verdict(ctx, true, err, "") != nil {
		t.Errorf("a service that does not answer in time: a negated check must pass on it")
	}
}
