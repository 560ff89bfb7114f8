package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// failingLab is a lab file given by path whose one step never holds: its
// service runs release 2.0, whose healthcheck fails, so the run fails and
// shows the engine's diagnostics. Its names and port are the test's own
// (lri, 8391); --fast makes the healthcheck fail within a second.
const failingLab = `## title.en Fails on purpose
## title.fr Échoue exprès
## var name SERVICE=lri the service's name
## var.fr SERVICE le nom du service
## var name IMAGE=lri the image's repository
## var.fr IMAGE le dépôt de l'image
## var port PORT=8391 the published port
## var.fr PORT le port publié
## var args TIMINGS= more flags of docker service create
## var.fr TIMINGS des options de plus pour docker service create
## fast TIMINGS=--health-interval=200ms --health-timeout=1s --health-retries=1 --restart-delay=1s
## creates service $SERVICE
## creates image $IMAGE:2.0
## timeout 5s

## step broken
## title.en Run a service that is never healthy
## title.fr Lancer un service qui n'est jamais sain
## actions
whoami-image $IMAGE:2.0 2.0
exec docker service create --detach $TIMINGS --publish mode=host,target=8000,published=$PORT --name $SERVICE $IMAGE:2.0
## checks
* service-running $SERVICE 1 $IMAGE:2.0
`

// frenchRun runs labrun in dir with state as its state directory, under
// LANG=lang, and returns its exit code and output.
func frenchRun(t *testing.T, dir, state, lang string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command("labrun", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state, "LANG="+lang, "LC_ALL=", "LC_MESSAGES=", "COLUMNS=1000")
	out, err := cmd.CombinedOutput()
	if exitErr, ok := err.(*exec.ExitError); ok {
		return exitErr.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// TestFrenchInputErrors: the errors labrun words before it touches an
// engine (an exit-2 --set, a flag, an --isolate-ports range with no
// port, an engine that does not answer, a lab file's problems) come out whole in the run's language, chosen by --lang or by
// LANG, with no English sentence of labrun's; the same command under an
// English locale says it in English, which proves the scan can see it.
func TestFrenchInputErrors(t *testing.T) {
	lab := filepath.Join(t.TempDir(), "fails.txtar")
	if err := os.WriteFile(lab, []byte(failingLab), 0o600); err != nil {
		t.Fatal(err)
	}
	// A lab file with two problems the loader names with their lines.
	broken := filepath.Join(t.TempDir(), "broken.txtar")
	if err := os.WriteFile(broken, []byte("## title.en Broken\n## nope\n## step s1\n## title.en One\n## checks\nport-free notaport\ntasks svc foo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A lab file with a file marker without a name, found before parsing.
	nameless := filepath.Join(t.TempDir(), "nameless.txtar")
	if err := os.WriteFile(nameless, []byte("## title.en X\n## step s1\n## title.en One\n## checks\nport-free 1\n-- --\nx\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		lang   string // LANG; --lang in args wins
		french []string
	}{
		{"--set of no variable", []string{"run", "whoami-rollback", "--lang", "fr", "--set", "NOPE=1"}, "C.UTF-8",
			[]string{"labrun: --set NOPE : le lab whoami-rollback n'a pas de variable NOPE (il a ", `Lancez "labrun run -h" pour ses options.`}},
		{"--set by LANG", []string{"verify", "whoami-rollback", "--set", "NOPE=1"}, "fr_FR.UTF-8",
			[]string{"--set NOPE : le lab whoami-rollback n'a pas de variable NOPE"}},
		{"--set of a bad port", []string{"run", "whoami-rollback", "--lang", "fr", "--set", "PORT=x"}, "C.UTF-8",
			[]string{"--set PORT=x : pas un numéro de port (1-65535)"}},
		{"--set of a bad name", []string{"check", "whoami-rollback", "--lang", "fr", "--set", "SERVICE=A!"}, "C.UTF-8",
			[]string{"--set SERVICE=A! : utilisez des minuscules"}},
		{"unknown flag", []string{"run", "whoami-rollback", "--lang", "fr", "--nope"}, "C.UTF-8",
			[]string{"labrun run: option donnée mais non définie : -nope", `Lancez "labrun run -h"`}},
		{"bad --images", []string{"run", "whoami-rollback", "--lang", "fr", "--images", "cloud"}, "C.UTF-8",
			[]string{`--images : variante d'images inconnue "cloud"`}},
		{"empty --isolate-ports range", []string{"run", lab, "--lang", "fr", "--yes", "--isolate", "--isolate-ports", "8392-8391"}, "C.UTF-8",
			[]string{`--isolate-ports "8392-8391" : il faut une plage de ports comme 20000-29999`}},
		{"unreachable engine", []string{"run", "whoami-rollback", "--lang", "fr", "--host", "tcp://127.0.0.1:1"}, "C.UTF-8",
			[]string{"impossible de joindre le moteur Docker à tcp://127.0.0.1:1 : ", "dockerd tourne-t-il"}},
		{"unreachable engine, check by LANG", []string{"check", "whoami-rollback", "--host", "tcp://127.0.0.1:1"}, "fr_FR.UTF-8",
			[]string{"impossible de joindre le moteur Docker à tcp://127.0.0.1:1 : "}},
		{"ssh host without a name", []string{"run", "whoami-rollback", "--lang", "fr", "--host", "ssh:///"}, "C.UTF-8",
			[]string{"moteur ssh:/// : un hôte ssh:// demande un nom d'hôte, par exemple ssh://user@host"}},
		{"unknown context", []string{"run", "whoami-rollback", "--lang", "fr", "--context", "labrun-no-such-context"}, "C.UTF-8",
			[]string{`contexte docker "labrun-no-such-context" (d'après --context) : contexte inconnu (connus : `}},
		{"a broken lab file", []string{"run", broken, "--lang", "fr"}, "C.UTF-8",
			[]string{broken + `:2: directive inconnue "## nope" (voir labrun help format)`,
				broken + `:6: port-free : PORT "notaport" : il faut un numéro de port, de 1 à 65535`,
				broken + `:7: tasks : "foo" : attendu CLÉ=VALEUR (image, state, desired, error, count, min)`}},
		{"a nameless file marker", []string{"run", nameless, "--lang", "fr"}, "C.UTF-8",
			[]string{nameless + `:6: "-- --" est un marqueur de fichier sans nom de fichier : écrivez "-- NOM --"`}},
		{"unknown lab", []string{"run", "nope-lab", "--lang", "fr"}, "C.UTF-8",
			[]string{`lab inconnu "nope-lab" : les labs intégrés sont `}},
		{"two arguments", []string{"run", "a", "b", "--lang", "fr"}, "C.UTF-8",
			[]string{"il faut un LAB, reçu 2 arguments"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			code, out := frenchRun(t, dir, dir, tc.lang, tc.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2\n%s", code, out)
			}
			for _, w := range tc.french {
				if !strings.Contains(out, w) {
					t.Errorf("does not say %q:\n%s", w, out)
				}
			}
			if english := englishIn(out); len(english) > 0 {
				t.Errorf("English in a French run: %q\n%s", english, out)
			}
			// The same in English: the scan finds labrun's English there.
			args := strings.Join(tc.args, "\x00")
			args = strings.Replace(args, "--lang\x00fr", "--lang\x00en", 1)
			code, out = frenchRun(t, dir, dir, "C.UTF-8", strings.Split(args, "\x00")...)
			if code != 2 || len(englishIn(out)) == 0 {
				t.Errorf("in English: exit %d, and the scan finds no English sentence of labrun's:\n%s", code, out)
			}
		})
	}
}

// TestFrenchRunMessages: on the real engine, a French run of a lab file
// given by path says the trust notice, a failing step's diagnostics and
// --isolate's "no free port" in French, with the engine's own words
// quoted; a corrupt progress file is named in French by check and reset.
func TestFrenchRunMessages(t *testing.T) {
	enginetest.Require(t)
	dir, state := t.TempDir(), t.TempDir()
	lab := filepath.Join(dir, "fails.txtar")
	if err := os.WriteFile(lab, []byte(failingLab), 0o600); err != nil {
		t.Fatal(err)
	}
	sets := []string{"--set", "SERVICE=lri", "--set", "IMAGE=lri", "--set", "PORT=8391"}
	noEnglish := func(what, out string) {
		t.Helper()
		if english := englishIn(out); len(english) > 0 {
			t.Errorf("%s: English in a French run: %q\n%s", what, english, out)
		}
	}

	t.Run("diagnostics", func(t *testing.T) {
		code, out := frenchRun(t, dir, state, "C.UTF-8", append([]string{"run", lab, "--lang", "fr", "--yes", "--fast"}, sets...)...)
		if code != 1 {
			t.Fatalf("exit %d, want 1\n%s", code, out)
		}
		for _, w := range []string{
			"exécution du fichier de lab " + lab + " : un lab lance des commandes sur cette machine",
			"Ce que montre le moteur :",
		} {
			if !strings.Contains(out, w) {
				t.Errorf("does not say %q:\n%s", w, out)
			}
		}
		if !strings.Contains(out, "healthcheck du conteneur ") && !strings.Contains(out, "derniers logs du conteneur ") {
			t.Errorf("the diagnostics name no container's healthcheck or logs:\n%s", out)
		}
		noEnglish("run", out)
	})

	t.Run("isolate with no free port", func(t *testing.T) {
		// A port of the test's own is the range's only port, and busy.
		ln, err := net.Listen("tcp", ":0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		code, out := frenchRun(t, dir, state, "fr_FR.UTF-8", "run", lab, "--yes", "--isolate", "--isolate-ports", port+"-"+port)
		if code != 2 {
			t.Fatalf("exit %d, want 2\n%s", code, out)
		}
		want := "aucun port libre dans " + port + "-" + port + " après 1 essais : choisissez une autre plage avec --isolate-ports, ou un port avec --set PORT=..."
		if !strings.Contains(out, want) || !strings.Contains(out, "exécution du fichier de lab") {
			t.Errorf("does not say %q:\n%s", want, out)
		}
		noEnglish("run --isolate", out)
	})

	t.Run("corrupt progress file", func(t *testing.T) {
		args := append([]string{"whoami-rollback", "--lang", "fr"}, sets...)
		defer frenchRun(t, dir, state, "fr_FR.UTF-8", append([]string{"reset"}, args...)...)
		if code, out := frenchRun(t, dir, state, "fr_FR.UTF-8", append([]string{"check"}, args...)...); code != 0 {
			t.Fatalf("labrun check (preflight): exit %d\n%s", code, out)
		}
		progress, err := filepath.Glob(filepath.Join(state, "labrun", "guide", "whoami-rollback-*.json"))
		if err != nil || len(progress) != 1 {
			t.Fatalf("progress files: %v %v", progress, err)
		}
		if err := os.WriteFile(progress[0], []byte("{\"done\": ["), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out := frenchRun(t, dir, state, "fr_FR.UTF-8", append([]string{"check"}, args...)...)
		want := progress[0] + " : pas la progression d'un lab guidé (unexpected end of JSON input) : labrun reset whoami-rollback le supprime et repart de zéro"
		if code != 2 || !strings.Contains(out, want) {
			t.Errorf("labrun check: exit %d, want 2 and %q\n%s", code, want, out)
		}
		noEnglish("check", out)
		code, out = frenchRun(t, dir, state, "fr_FR.UTF-8", append([]string{"reset"}, args...)...)
		if code != 0 || !strings.Contains(out, "pas la progression d'un lab guidé") || !strings.Contains(out, "fichier supprimé") {
			t.Errorf("labrun reset: exit %d\n%s", code, out)
		}
		noEnglish("reset", out)
	})
}
