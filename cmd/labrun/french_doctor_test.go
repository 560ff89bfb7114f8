package main

import (
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// doctorEnglish are labrun doctor's own English words too short for the
// catalogue's scan (englishIn), yet sure signs of English on a French
// screen: the heads of a fix and a note, the verdict's marks, the
// classroom's verdicts.
var doctorEnglish = []string{"fix:", "note:", "NOT READY", "ERROR ", "not checked", "can run", "warning"}

// TestFrenchDoctor runs labrun doctor on the real engine in English and
// in French, chosen by --lang fr and by LANG=fr_FR.UTF-8: an engine that
// can run whoami-rollback, a port taken, the JSON checklist, no engine at
// all, and a classroom of the engine and one that does not answer. In
// French every item's title, detail and fix, the verdict and the
// classroom's lines are French, with no English sentence of labrun's,
// while the engine's own words pass through; the exit code and the JSON
// keys are the English run's.
func TestFrenchDoctor(t *testing.T) {
	e := enginetest.Require(t)
	if english := englishIn("a probe service published through the mesh answered"); len(english) == 0 {
		t.Fatal("the scan finds no English in English") // else it proves nothing below
	}
	held, err := net.Listen("tcp", ":19111")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	names := []string{"--set", "SERVICE=labrun-hd-doc", "--set", "IMAGE=labrun-hd-doc"}
	doctor := func(port string, args ...string) []string {
		return append(append([]string{"doctor", "--set", "PORT=" + port}, names...), args...)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		english []string // what the English run says
		french  []string // what each French run says
	}{
		{"the engine can run the lab", doctor("19110"),
			[]string{"  ✓ engine API ", "can run on this engine"},
			[]string{"  ✓ moteur ", "  ✓ API du moteur  API ", ", le lab demande 1.32 ou plus récent (whoami-rollback.txtar:",
				"  ✓ swarm          actif, ce nœud est un manager", "  ✓ nœud ", ": disponibilité active, état ready",
				"  ✓ port 19110     libre sur ", "  ✓ noms           service labrun-hd-doc, image labrun-hd-doc:1.0, image labrun-hd-doc:2.0 : libres",
				"  ✓ images         offline : assemblées ici", " routing mesh ", "  ✓ disque ", "(le répertoire de données du moteur ; 1.0 GiB nécessaires)",
				"OK whoami-rollback peut tourner sur ce moteur"}},
		{"a port taken", doctor("19111"),
			[]string{"fix: stop what uses port 19111", "NOT READY whoami-rollback cannot run on this engine: 1 item to fix"},
			[]string{"  ✗ port 19111     quelque chose écoute déjà sur localhost:19111",
				"    solution : arrêtez ce qui utilise le port 19111, ou choisissez un autre port avec --set PORT=N",
				"PAS PRÊT whoami-rollback ne peut pas tourner sur ce moteur : 1 point à corriger"}},
		{"JSON", doctor("19112", "--json"),
			[]string{`"title": "engine API"`, `"detail": "active, this node is a manager"`},
			[]string{`"lab": "whoami-rollback",`, `"id": "engine-api",`, `"title": "API du moteur",`, `"status": "ok",`,
				`"id": "names",`, `"title": "noms",`, `"detail": "actif, ce nœud est un manager"`, `"id": "routing-mesh",`}},
		{"no engine", []string{"doctor", "--host", "unix:///nonexistent/labrun-hd.sock"},
			[]string{"fix: start the Docker engine", "ERROR cannot reach the Docker engine"},
			[]string{"  ✗ moteur         impossible de joindre le moteur Docker à unix:///nonexistent/labrun-hd.sock : ",
				"    solution : démarrez le moteur Docker (sudo systemctl start docker), ou indiquez le vôtre à labrun avec --host ou DOCKER_HOST",
				"ERREUR impossible de joindre le moteur Docker à unix:///nonexistent/labrun-hd.sock : "}},
		{"a classroom, one engine unreachable", doctor("19113", "--host", e.Host, "--host", "tcp://127.0.0.1:1"),
			[]string{"not checked", "NOT READY 1 of 2 engines can run whoami-rollback"},
			[]string{e.Host + "  ", "  peut lancer le lab", "tcp://127.0.0.1:1  ", "  non vérifié  ",
				"  moteur : impossible de joindre le moteur Docker à tcp://127.0.0.1:1 : ",
				"PAS PRÊT 1 moteur sur 2 peut lancer whoami-rollback"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The three runs at once: each probes the mesh with a
			// service of its own.
			runs := []struct{ name, locale, flag string }{
				{"English", "C.UTF-8", ""}, {"--lang fr", "C.UTF-8", "fr"}, {"LANG=fr_FR.UTF-8", "fr_FR.UTF-8", ""},
			}
			codes, outs := make([]int, len(runs)), make([]string, len(runs))
			var wg sync.WaitGroup
			for i, r := range runs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					args := tc.args
					if r.flag != "" {
						args = append(args[:len(args):len(args)], "--lang", r.flag)
					}
					codes[i], outs[i] = frenchRun(t, t.TempDir(), t.TempDir(), r.locale, args...)
				}()
			}
			wg.Wait()

			english := outs[0]
			if found := englishIn(english); len(found) == 0 {
				t.Errorf("the scan finds no English sentence of labrun's in the English run:\n%s", english)
			}
			for _, w := range tc.english {
				if !strings.Contains(english, w) {
					t.Errorf("the English run does not say %q:\n%s", w, english)
				}
			}
			for i, r := range runs[1:] {
				code, out := codes[i+1], outs[i+1]
				if code != codes[0] {
					t.Errorf("%s: exit %d, the English run's %d\n%s", r.name, code, codes[0], out)
				}
				for _, w := range tc.french {
					if !strings.Contains(out, w) {
						t.Errorf("%s does not say %q:\n%s", r.name, w, out)
					}
				}
				found := englishIn(out)
				for _, w := range doctorEnglish {
					if strings.Contains(out, w) {
						found = append(found, w)
					}
				}
				if len(found) > 0 {
					t.Errorf("%s: English in a French run: %q\n%s", r.name, found, out)
				}
			}
		})
	}
}
