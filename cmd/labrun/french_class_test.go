package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/class"
	"github.com/labrun/labrun/runner/engine/enginetest"
)

// classSaid is one thing a class's run said, and what it must contain in
// English and in French.
type classSaid struct {
	what   string
	out    string
	en, fr string
}

// TestClassOneLanguage plays a class in one language, English then
// French (issue 13, "one language per run"): labrun class serve, students
// joining with labrun check --join (joined, joined again under another
// name, a name taken, a wrong join code, the server down), the server's
// answers to a browser, labrun class check on the real engine, class
// export and class delete. Every sentence of labrun's is in the class's
// language: the English run shows the English sentences the scan looks
// for (else the scan proves nothing), the French run none of them, and
// each answer says what it must in French.
func TestClassOneLanguage(t *testing.T) {
	enginetest.Require(t)
	for _, tc := range []struct {
		lang, locale string
		listen, port int // the class server's port, the lab's
	}{
		{"en", "C.UTF-8", 19250, 19200},
		{"fr", "fr_FR.UTF-8", 19251, 19201},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			said := classInOneLanguage(t, tc.lang, tc.locale, tc.listen, tc.port)
			var all strings.Builder
			for _, s := range said {
				all.WriteString(s.out)
				want := s.en
				if tc.lang == "fr" {
					want = s.fr
					if english := englishIn(s.out); len(english) > 0 {
						t.Errorf("%s: English in a French class: %q\n%s", s.what, english, s.out)
					}
				}
				if !strings.Contains(s.out, want) {
					t.Errorf("%s does not say %q:\n%s", s.what, want, s.out)
				}
			}
			if tc.lang == "en" && len(englishIn(all.String())) == 0 {
				t.Errorf("the scan finds no English in the English class: it proves nothing in French\n%s", all.String())
			}
		})
	}
}

// classInOneLanguage runs the class in lang, under the locale, and
// returns what each step said.
func classInOneLanguage(t *testing.T, lang, locale string, listen, port int) []classSaid {
	dir := t.TempDir()
	db := filepath.Join(dir, "class.db")
	env := func(state string) []string {
		return append(os.Environ(), "XDG_STATE_HOME="+state, "LANG="+locale, "LC_ALL=", "LC_MESSAGES=", "COLUMNS=1000")
	}
	instructor := t.TempDir()
	// run runs labrun as the instructor, in the locale's language unless
	// --lang says otherwise, and wants exit code want.
	run := func(want int, args ...string) string {
		t.Helper()
		cmd := exec.Command("labrun", args...)
		cmd.Env = env(instructor)
		out, err := cmd.CombinedOutput()
		code := 0
		if exitErr, ok := err.(*exec.ExitError); ok {
			code = exitErr.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != want {
			t.Errorf("labrun %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
		}
		return string(out)
	}
	var said []classSaid
	say := func(what, out, en, fr string) { said = append(said, classSaid{what, out, en, fr}) }

	// The server, in the foreground of its own process.
	info := filepath.Join(dir, "info.json")
	var served strings.Builder
	serve := exec.Command("labrun", "class", "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", listen), "--db", db,
		"--info", info, "--lang", lang)
	serve.Env, serve.Stdout, serve.Stderr = env(instructor), &served, &served
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		serve.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- serve.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("labrun class serve after SIGTERM: %v\n%s", err, served.String())
			}
		case <-time.After(15 * time.Second):
			serve.Process.Kill()
			t.Errorf("labrun class serve still runs 15s after SIGTERM")
		}
	}
	defer stop()
	var urls class.Info
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		data, err := os.ReadFile(info)
		if err == nil && json.Unmarshal(data, &urls) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("labrun class serve wrote no --info in 15s:\n%s", served.String())
		}
	}
	base := strings.TrimSuffix(urls.Join, "/join/"+filepath.Base(urls.Join))

	// A browser's requests: no Accept-Language, the class's language.
	get := func(url string) string {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return string(data)
	}
	say("GET /", get(base+"/"), "open the board's URL with its token", "ouvrez l'URL du tableau avec son jeton")
	say("GET the board's page", get(urls.Board), "<title>labrun · class board</title>", `<html lang="fr">`)
	say("GET the join URL", get(urls.Join), `--name "Your Name"`, `--name "Prénom Nom"`)
	say("GET the board without the token", get(base+"/board"), "need the instructor's token", "demandent le jeton du formateur")

	// Students, each on their own machine (state directory), following
	// the lab with labrun check --join: the lab's names and port are the
	// test's own, and check changes nothing on the engine.
	students := map[string]*student{}
	studentOf := func(who string) *student {
		if s := students[who]; s != nil {
			return s
		}
		s := &student{t: t, dir: t.TempDir(), state: t.TempDir(), lang: lang,
			service: "labrun-hc-" + lang, image: "labrun-hc-" + lang, port: fmt.Sprint(port)}
		students[who] = s
		t.Cleanup(func() { s.labrun("reset", "whoami-rollback") })
		return s
	}
	join := func(who, url string, want int, name ...string) string {
		t.Helper()
		args := []string{"check", "whoami-rollback", "preflight", "--join", url}
		if len(name) > 0 {
			args = append(args, "--name", name[0])
		}
		code, out := studentOf(who).labrun(args...)
		if code != want && !(want == 0 && code == 1) { // the step's verdict is not the class's business
			t.Errorf("%s: labrun %s: exit %d, want %d\n%s", who, strings.Join(args, " "), code, want, out)
		}
		return out
	}
	say("Zoé joins", join("zoé", urls.Join, 0, "Zoé"), "You joined the class as Zoé.", "Vous avez rejoint la classe sous le nom Zoé.")
	out := join("zoé", urls.Join, 0, "Léa")
	say("Zoé joins again as Léa", out, "you joined this class as Zoé already: --name Léa is ignored",
		"vous avez déjà rejoint cette classe sous le nom Zoé : --name Léa est ignoré")
	say("Zoé joins again as Léa", out, "Class: you are Zoé.", "Classe : vous êtes Zoé.")
	say("another Zoé joins", join("other", urls.Join, 2, "Zoé"),
		`the class refused: the name "Zoé" is taken in this class: choose another with --name`,
		`la classe a refusé : le nom "Zoé" est déjà pris dans cette classe : choisissez-en un autre avec --name`)
	say("a wrong join code", join("wrong", base+"/join/ZZZZZZ", 2, "Tom"),
		"no class has this join code: check the URL the instructor gave",
		"aucune classe n'a ce code d'inscription : vérifiez l'URL donnée par le formateur")

	// The instructor checks an engine, exports and tries to delete.
	hosts := filepath.Join(dir, "hosts.txt")
	engineURL := "unix:///var/run/docker.sock"
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		engineURL = h
	}
	writeFile(t, hosts, engineURL+" Ana\n", 0o600)
	s := studentOf("zoé")
	say("labrun class check", run(0, append([]string{"class", "check", "whoami-rollback", "--hosts", hosts, "--join", urls.Join,
		"--lang", lang}, s.sets()...)...), "Ana: ✓ preflight", "Ana: ✓ preflight")
	say("labrun class export", run(0, "class", "export", "--db", db), "student,lab,step,done", "student,lab,step,done")
	say("labrun class delete, its server running", run(2, "class", "delete", "--db", db),
		"a class server is running on it: stop it first", "un serveur de classe tourne dessus : arrêtez-le d'abord")

	stop()
	say("labrun class serve", served.String(), "students join with", "les élèves rejoignent avec")
	say("labrun class serve, stopped", served.String(), "Server stopped, database closed.", "Serveur arrêté, base fermée.")

	out = join("late", urls.Join, 0, "Max")
	say("Max joins, the server down", out, "the class board cannot be reached (", "tableau de la classe injoignable (")
	say("Max joins, the server down", out, "events kept for the class board", "événements gardés pour le tableau de la classe")

	out = run(0, "class", "delete", "--db", db)
	say("labrun class delete", out, "removed "+db, "supprimé : "+db)
	say("labrun class delete again", run(0, "class", "delete", "--db", db), "no class at "+db, "aucune classe à "+db)
	say("labrun class export, no class", run(2, "class", "export", "--db", db, "--lang", lang), "no class at "+db+": ", "aucune classe à "+db+" : ")
	return said
}
