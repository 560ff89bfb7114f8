package main

import (
	"strings"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestPortOfRemovedService: right after docker service rm, the removed
// service's container still publishes its port while the engine stops it
// (issue 13, 7). A guide or a run started at that moment waits for it,
// saying so, and its preflight passes, instead of stopping with "stop it".
func TestPortOfRemovedService(t *testing.T) {
	enginetest.Require(t)
	s := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: "labrun-st2-port", image: "labrun-st2-port", port: "18903"}
	defer s.labrun("reset", "whoami-rollback")
	// The image goes once the removed service's container has.
	defer s.sh(s.expand("docker service rm $SERVICE-old >/dev/null 2>&1; for i in $(seq 40); do docker image rm $IMAGE-old:1.0 >/dev/null 2>&1 && break; sleep 0.5; done; true"))
	if code, out := s.guide("q\n"); code != 0 {
		t.Fatalf("labrun guide: exit %d\n%s", code, out)
	}
	s.sh(s.expand("docker build -q -t $IMAGE-old:1.0 1.0 >/dev/null"))
	for _, tc := range []struct {
		name   string
		start  func(*student) (int, string)
		passed string
	}{
		{"guide", func(s *student) (int, string) { return s.guide("\nq\n") }, "step done"},
		{"run", func(s *student) (int, string) { return s.labrun("run", "whoami-rollback", "--fast") }, "PASS whoami-rollback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := *s
			s.t = t
			// whoami ignores SIGUSR1 (Go catches it and does nothing): as
			// the stop signal, it keeps the container for the whole grace
			// period, as a slower server would, so the test does not race
			// the engine.
			s.sh(s.expand("docker service create -d -q --name $SERVICE-old --stop-signal SIGUSR1 --stop-grace-period 6s " +
				"--publish mode=host,target=8000,published=$PORT $IMAGE-old:1.0 >/dev/null && " +
				"until docker ps -q -f label=com.docker.swarm.service.name=$SERVICE-old -f publish=$PORT | grep -q .; do sleep 0.2; done"))
			s.sh(s.expand("docker service rm $SERVICE-old >/dev/null"))
			start := time.Now()
			code, out := tc.start(&s)
			if code != 0 || !strings.Contains(out, tc.passed) {
				t.Fatalf("labrun %s right after docker service rm: exit %d\n%s", tc.name, code, out)
			}
			notice := "of service " + s.service + "-old, which was removed: waiting (at most 30s) for the engine to stop it"
			if !strings.Contains(out, notice) {
				t.Errorf("no notice %q:\n%s", notice, out)
			}
			if took := time.Since(start); tc.name == "guide" && took < time.Second {
				// The guide's preflight alone takes far less: only the
				// wait makes it last (a run builds images anyway).
				t.Errorf("labrun %s took %s: it did not wait for the container", tc.name, took)
			}
			// Nothing of the removed service's is left to hold the port.
			s.sh(s.expand("until [ -z \"$(docker ps -aq -f label=com.docker.swarm.service.name=$SERVICE-old)\" ]; do sleep 0.2; done"))
		})
	}
}
