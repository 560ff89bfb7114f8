package main

import (
	"strings"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestPortOfRemovedService: right after docker service rm, the removed
// service's container still publishes its port while the engine stops it
// (issue 13, 7). The guide started at that moment waits for it, saying so,
// and its preflight passes, instead of stopping with "stop it".
func TestPortOfRemovedService(t *testing.T) {
	enginetest.Require(t)
	s := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: "labrun-st2-port", image: "labrun-st2-port", port: "18903"}
	defer s.labrun("reset", "whoami-rollback")
	// The image goes once the removed service's container has.
	defer s.sh(s.expand("docker service rm $SERVICE-old >/dev/null 2>&1; for i in $(seq 40); do docker image rm $IMAGE:1.0 >/dev/null 2>&1 && break; sleep 0.5; done; true"))
	if code, out := s.guide("q\n"); code != 0 {
		t.Fatalf("labrun guide: exit %d\n%s", code, out)
	}
	// whoami ignores SIGUSR1 (Go catches it and does nothing): as the stop
	// signal, it keeps the container for the whole grace period, as a
	// slower server would, so the test does not race the engine.
	s.sh(s.expand("docker build -q -t $IMAGE:1.0 1.0 >/dev/null && " +
		"docker service create -d -q --name $SERVICE-old --stop-signal SIGUSR1 --stop-grace-period 6s " +
		"--publish mode=host,target=8000,published=$PORT $IMAGE:1.0 >/dev/null && " +
		"until docker ps -q -f label=com.docker.swarm.service.name=$SERVICE-old -f publish=$PORT | grep -q .; do sleep 0.2; done"))
	s.sh(s.expand("docker service rm $SERVICE-old >/dev/null"))
	start := time.Now()
	code, out := s.guide("\nq\n")
	if code != 0 || !strings.Contains(out, "step done") {
		t.Fatalf("labrun guide right after docker service rm: exit %d\n%s", code, out)
	}
	notice := "of service " + s.service + "-old, which was removed: waiting (at most 30s) for the engine to stop it"
	if !strings.Contains(out, notice) {
		t.Errorf("no notice %q:\n%s", notice, out)
	}
	if took := time.Since(start); took < time.Second || took > 30*time.Second {
		t.Errorf("the guide took %s: it did not wait for the container, or waited past its bound", took)
	}
}
