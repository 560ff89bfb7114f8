package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestCheckEachStep checks every step of the lab before the student's
// command (exit 1, saying what differs) and after it (exit 0), and that
// labrun reset removes what the lab created.
func TestCheckEachStep(t *testing.T) {
	enginetest.Require(t)
	s := newStudent(t, 0)
	defer s.labrun("reset", "whoami-rollback")
	s.check("preflight", 0, "✓ preflight")

	// labrun guide writes the build contexts; q quits at once.
	guide := exec.Command("labrun", append([]string{"guide", "whoami-rollback", "--dir", "."}, s.sets()...)...)
	guide.Dir, guide.Env, guide.Stdin = s.dir, s.env(), strings.NewReader("q\n")
	if out, err := guide.CombinedOutput(); err != nil {
		t.Fatalf("labrun guide: %v\n%s", err, out)
	}
	s.check("build-images", 1, "there is no image "+s.image+":1.0")
	s.sh(s.expand("docker build -q -t $IMAGE:1.0 1.0 && docker build -q -t $IMAGE:2.0 2.0"))
	s.check("build-images", 0, "✓ build-images")

	s.check("create-service", 1, "there is no service "+s.service)
	s.check("request", 1, "connect: connection refused")
	s.check("inspect", 1, "there is no service "+s.service)
	s.sh(s.expand("docker service create --detach --publish mode=host,target=8000,published=$PORT --name $SERVICE $IMAGE:1.0"))
	s.eventually("create-service", time.Minute)
	s.check("request", 0, "✓ request")
	s.check("inspect", 0, "✓ inspect")

	s.check("update", 1, "image is "+s.image+":1.0, want "+s.image+":2.0")
	s.check("observe-failure", 1, "update state is none, want paused")
	s.sh(s.expand("docker service update --detach --image $IMAGE:2.0 $SERVICE"))
	s.check("update", 0, "✓ update")
	s.eventually("observe-failure", time.Minute)

	s.check("rollback", 1, "update state is paused")
	s.check("observe-rollback", 1, "✗ observe-rollback")
	s.sh(s.expand("docker service rollback --detach $SERVICE"))
	s.eventually("rollback", time.Minute)
	s.check("observe-rollback", 0, "✓ observe-rollback")

	s.check("cleanup", 1, "service "+s.service+" exists")
	s.sh(s.expand("docker service rm $SERVICE && until [ -z \"$(docker ps -aq -f label=com.docker.swarm.service.name=$SERVICE)\" ]; do sleep 0.2; done && docker image rm $IMAGE:1.0 $IMAGE:2.0"))
	s.check("cleanup", 0, "✓ cleanup")

	code, out := s.labrun("check", "whoami-rollback")
	if code != 0 || !strings.Contains(out, "Every step of whoami-rollback is done") {
		t.Errorf("labrun check after the last step: %d\n%s", code, out)
	}
	code, out = s.labrun("reset", "whoami-rollback")
	if code != 0 || !regexp.MustCompile(`progress forgotten`).MatchString(out) {
		t.Errorf("labrun reset: %d\n%s", code, out)
	}
	// The guide saved its progress there, and reset keeps the directory:
	// missing, it would mean the test looks in the wrong place.
	assertEmptyDir(t, filepath.Join(s.state, "labrun", "guide"), "progress after reset")
}

// TestMistakes makes the usual mistakes and checks that labrun check names
// each: a wrong service name, a wrong or missing port, a rollback before
// the update paused (which no wait can mend).
func TestMistakes(t *testing.T) {
	enginetest.Require(t)
	s := newStudent(t, 2)
	defer s.labrun("reset", "whoami-rollback")
	// Enter checks preflight, r makes the images, q quits.
	guide := exec.Command("labrun", append([]string{"guide", "whoami-rollback", "--dir", "."}, s.sets()...)...)
	guide.Dir, guide.Env, guide.Stdin = s.dir, s.env(), strings.NewReader("\nr\nq\n")
	if out, err := guide.CombinedOutput(); err != nil || !strings.Contains(string(out), "step done") {
		t.Fatalf("labrun guide: %v\n%s", err, out)
	}
	s.check("create-service", 1, "there is no service "+s.service)

	s.sh(s.expand("docker service create -d --name $SERVICE-typo --publish mode=host,target=8000,published=$PORT $IMAGE:1.0"))
	s.check("create-service", 1, "there is no service "+s.service+" (services here: ")
	s.check("create-service", 1, s.service+"-typo")
	s.sh(s.expand("docker service rm $SERVICE-typo && until [ -z \"$(docker ps -aq -f label=com.docker.swarm.service.name=$SERVICE-typo)\" ]; do sleep 0.2; done"))

	wrong := fmt.Sprint(19140 + 2)
	for _, tc := range []struct{ publish, want string }{
		{"--publish mode=host,target=8000,published=" + wrong, "port is " + wrong + ":8000/tcp, want " + s.port + ":8000/tcp"},
		{"", "port is no published port, want " + s.port + ":8000/tcp"},
	} {
		s.sh(s.expand("docker service create -d --name $SERVICE " + tc.publish + " $IMAGE:1.0"))
		s.eventuallySays("create-service", tc.want, time.Minute)
		s.sh(s.expand("docker service rm $SERVICE && until [ -z \"$(docker ps -aq -f label=com.docker.swarm.service.name=$SERVICE)\" ]; do sleep 0.2; done"))
	}

	s.sh(s.expand("docker service create -d --name $SERVICE --publish mode=host,target=8000,published=$PORT $IMAGE:1.0"))
	s.eventually("create-service", time.Minute)
	s.sh(s.expand("docker service update -d --image $IMAGE:2.0 $SERVICE && docker service rollback -d $SERVICE"))
	s.eventuallySays("observe-failure", "the service was rolled back before its update paused", 30*time.Second)
}
