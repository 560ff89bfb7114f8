package main

import (
	"strings"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/i18n"
)

// guideEnglish are the guide's own English words too short for the
// catalogue's scan, yet sure signs of English on a French screen.
var guideEnglish = []string{"step done", "not yet:", "hint:", "Type, in another terminal", "[Enter] check"}

// englishIn returns the English sentences of labrun's found in out, read
// across the lines labrun or the terminal wrapped them on.
func englishIn(out string) []string {
	var found []string
	out = strings.Join(strings.Fields(out), " ")
	for _, part := range append(i18n.Unsaid("fr", 3), guideEnglish...) {
		if strings.Contains(out, strings.Join(strings.Fields(part), " ")) {
			found = append(found, part)
		}
	}
	return found
}

// TestFrenchOneLanguage plays a French-speaking student through several
// steps of whoami-rollback and the usual mistakes, on the real engine,
// with the guide and labrun check (issue 13, 4): every answer is in
// French, with no English sentence of labrun's, while the engine's own
// words pass through as the engine said them.
func TestFrenchOneLanguage(t *testing.T) {
	enginetest.Require(t)
	if english := englishIn("there is no service x (services here: y);\n   check its name"); len(english) == 0 {
		t.Fatal("the scan finds no English in English") // else it proves nothing below
	}
	s := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: "labrun-st2-fr", image: "labrun-st2-fr", port: "18901", lang: "fr"}
	defer s.labrun("reset", "whoami-rollback")
	defer s.sh(s.expand("docker image rm $IMAGE:2 >/dev/null 2>&1 || true"))
	var outs []string
	said := func(what string, code, want int, out string, wants ...string) {
		t.Helper()
		outs = append(outs, out)
		if code != want {
			t.Fatalf("%s: exit %d, want %d\n%s", what, code, want, out)
		}
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("%s does not say %q:\n%s", what, w, out)
			}
		}
	}
	check := func(step string, want int, wants ...string) {
		t.Helper()
		code, out := s.labrun("check", "whoami-rollback", step)
		said("labrun check "+step, code, want, out, wants...)
	}

	code, out := s.guide("\nq\n")
	said("labrun guide (preflight)", code, 0, out, "étape réussie")
	s.sh(s.expand("docker build -q -t $IMAGE:1.0 1.0 && docker build -q -t $IMAGE:2 2.0"))
	check("build-images", 1, "il n'y a pas d'image "+s.image+":2.0 ; "+s.image+":2 existe")
	s.sh(s.expand("docker image rm $IMAGE:2"))
	code, out = s.guide("r\nq\n")
	said("labrun guide (r at build-images)", code, 0, out, "étape réussie")
	check("create-service", 1, "il n'y a pas de service "+s.service)

	if meshDead(t) {
		s.sh(s.expand("docker service create -d --name $SERVICE --publish $PORT:8000 $IMAGE:1.0"))
		start := time.Now()
		code, out = s.guide("\nq\n")
		said("labrun guide after --publish "+s.port+":8000", code, 0, out, "routing mesh")
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("the dead-mesh mistake took %s to be named", took)
		}
		s.removeService(s.service)
	}

	s.sh(s.expand("docker service create -d --name $SERVICE-typo --publish mode=host,target=8000,published=$PORT $IMAGE:1.0"))
	check("create-service", 1, "il n'y a pas de service "+s.service+", mais le service "+s.service+"-typo exécute "+s.image+":1.0 : devait-il s'appeler "+s.service+" ?")
	s.removeService(s.service + "-typo")

	s.sh(s.expand("docker service create -d --name $SERVICE --publish mode=host,target=8000,published=18902 $IMAGE:1.0"))
	s.eventuallySays("create-service", "port vaut 18902:8000/tcp, attendu "+s.port+":8000/tcp", time.Minute)
	s.removeService(s.service)

	s.sh(s.expand("docker service create -d --name $SERVICE --publish mode=host,target=8000,published=$PORT $IMAGE:1.0"))
	s.eventually("create-service", time.Minute)
	s.sh(s.expand("docker tag $IMAGE:2.0 $IMAGE:2 && docker service update -d --image $IMAGE:2 $SERVICE"))
	s.eventuallySays("update", "image vaut "+s.image+":2, attendu "+s.image+":2.0", 30*time.Second)
	check("update", 1, "image vaut "+s.image+":2")
	s.removeService(s.service)
	check("request", 1)

	for _, out := range outs {
		if english := englishIn(out); len(english) > 0 {
			t.Errorf("English in a French run: %q\n%s", english, out)
		}
	}
}
