package main

import (
	"encoding/json"
	"encoding/xml"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/report"
)

// lintedLab is a lab file with problems of every kind lint names: the
// loader's (a bad step id, an unknown variable and command) and the
// linter's own (a text and a variable in one language only, a step whose
// actions nothing checks, unused variables and file).
const lintedLab = `## title.en A bad lab
## var PORT=8000 the port
## var UNUSED=1 never used
## var.fr UNUSED jamais utilisée
## step first
## title.en First
## actions
exec true
## step Bad_Id
## title.en x
## title.fr x
## checks
nosuchcommand $NOPE
-- notes.txt --
hello
`

// shortEnglish are labrun's English labels too short for the
// catalogue's scan (englishIn), yet sure signs of English on a French
// screen or report: lint's, the live view's and the repeat table's.
var shortEnglish = []string{"warning:", "tutorial:", "  passed  ", " median ", "(skipped in", "hint:", "passed, "}

// shortEnglishIn returns the labels of shortEnglish found in out.
func shortEnglishIn(out string) []string {
	var found []string
	for _, w := range shortEnglish {
		if strings.Contains(out, w) {
			found = append(found, w)
		}
	}
	return found
}

// TestFrenchAuthor: labrun lint, new and show speak the chosen language
// (--lang, else the locale) in every finding, note and message, each
// finding keeping its file:line; their exit codes are the same in every
// language. Each case runs in English first, where the scan must find
// labrun's English, else its silence in French would prove nothing.
func TestFrenchAuthor(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.txtar"), []byte(lintedLab), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string // run with --lang en, then --lang fr
		code    int
		english []string // said with --lang en
		french  []string // said with --lang fr
	}{
		{"lint findings", []string{"lint", "bad.txtar", "notes.md"}, 1,
			[]string{
				"bad.txtar:3: warning: variable UNUSED is declared but never used",
				"labrun lint: 7 errors, 3 warnings in 1 of 1 lab",
			},
			[]string{
				"labrun lint : notes.md ignoré : ce n'est pas un fichier de lab .txtar",
				`bad.txtar:1: le lab a "## title.en" mais pas de "## title.fr" : écrivez chaque texte en chacune des langues en et fr`,
				`bad.txtar:2: la variable PORT n'a pas de description dans la langue fr : ajoutez "## var.fr PORT TEXTE" après sa déclaration`,
				"bad.txtar:2: avertissement : la variable PORT est déclarée mais jamais utilisée",
				`bad.txtar:5: l'étape "first" a des actions mais aucune vérification : ajoutez des lignes "## checks"`,
				`bad.txtar:9: identifiant d'étape "Bad_Id" : utilisez des minuscules`,
				`bad.txtar:13: variable inconnue $NOPE : déclarez-la avec "## var NOPE=DEFAULT description"`,
				`bad.txtar:13: commande inconnue "nosuchcommand" (labrun help format les liste)`,
				`bad.txtar:14: avertissement : le fichier intégré "notes.txt" n'est jamais utilisé : aucune commande ni ligne "## type" ne le nomme`,
				"labrun lint : 7 erreurs, 3 avertissements dans 1 lab sur 1",
			}},
		{"lint of no lab", []string{"lint", "nope-lab"}, 2,
			[]string{`labrun: unknown lab "nope-lab": built-in labs are `},
			[]string{`labrun: lab inconnu "nope-lab" : les labs intégrés sont `}},
		{"new", []string{"new", "my-lab", "-o", "LANG.txtar"}, 0,
			[]string{"wrote en.txtar: edit it, then labrun lint en.txtar"},
			[]string{"fr.txtar écrit : modifiez-le, puis labrun lint fr.txtar"}},
		{"new over a file", []string{"new", "my-lab", "-o", "bad.txtar"}, 2,
			[]string{"labrun: bad.txtar already exists: labrun new never overwrites a file"},
			[]string{"labrun: bad.txtar existe déjà : labrun new n'écrase jamais un fichier ; supprimez-le ou choisissez un autre chemin avec -o"}},
		{"new with a bad name", []string{"new", "My_Lab"}, 2,
			[]string{`labrun: lab name "My_Lab": use lower-case letters`},
			[]string{`labrun: nom de lab "My_Lab" : utilisez des minuscules, des chiffres et des tirets`}},
		{"show --all", []string{"show", "whoami-rollback", "--all"}, 0,
			[]string{"Variables (labrun run --set NAME=VALUE changes them):", "labrun runs (lab file lines):", "Files of the lab:"},
			[]string{"Variables (labrun run --set NOM=VALEUR les change) :", "labrun exécute (lignes du fichier de lab) :", "Fichiers du lab :"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range []string{"en", "fr"} {
				args := append([]string{}, tc.args...)
				for i, a := range args {
					args[i] = strings.ReplaceAll(a, "LANG", lang)
				}
				code, out := frenchRun(t, dir, dir, "C.UTF-8", append(args, "--lang", lang)...)
				if code != tc.code {
					t.Errorf("--lang %s: exit %d, want %d\n%s", lang, code, tc.code, out)
				}
				says := tc.english
				if lang == "fr" {
					says = tc.french
				}
				for _, w := range says {
					if !strings.Contains(out, w) {
						t.Errorf("--lang %s does not say %q:\n%s", lang, w, out)
					}
				}
				english := append(englishIn(out), shortEnglishIn(out)...)
				switch {
				case lang == "en" && len(english) == 0:
					t.Errorf("the scan finds no English sentence of labrun's in English:\n%s", out)
				case lang == "fr" && len(english) > 0:
					t.Errorf("English in French: %q\n%s", english, out)
				}
			}
		})
	}

	// The locale chooses when --lang is not given.
	code, out := frenchRun(t, dir, dir, "fr_FR.UTF-8", "lint", "bad.txtar")
	if code != 1 || !strings.Contains(out, "bad.txtar:3: avertissement : la variable UNUSED est déclarée mais jamais utilisée") {
		t.Errorf("lint under LANG=fr_FR.UTF-8: exit %d\n%s", code, out)
	}
	// labrun new comments the skeleton in its language.
	for file, want := range map[string]string{"en.txtar": "Check your work with: labrun lint my-lab.txtar", "fr.txtar": "# Vérifiez votre travail avec : labrun lint my-lab.txtar"} {
		if data, err := os.ReadFile(filepath.Join(dir, file)); err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s does not say %q (%v)", file, want, err)
		}
	}
	// The skeleton labrun new wrote in French lints clean in French.
	if code, out := frenchRun(t, dir, dir, "C.UTF-8", "lint", "--strict", "--lang", "fr", "fr.txtar"); code != 0 || out != "" {
		t.Errorf("lint of the new lab: exit %d\n%s", code, out)
	}
}

// junitFile is what TestFrenchReports reads of a JUnit file: the words
// a CI page shows.
type junitFile struct {
	Suites []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// TestFrenchReports: on the real engine, a French run with --repeat 2,
// --json and --junit words the live view's labels, the repeat table, and
// the errors and words of both reports in French, the hint after
// "indice :", while their keys, elements and attributes stay as they
// are. The runs fail early and cheaply: a preflight whose port is taken
// (exit 2, nothing created), then a run cut by a tiny --timeout (exit 1).
func TestFrenchReports(t *testing.T) {
	enginetest.Require(t)
	dir, state := t.TempDir(), t.TempDir()
	held, err := net.Listen("tcp", "127.0.0.1:19151")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	defer exec.Command("docker", "image", "rm", "labrun-ha-x:1.0", "labrun-ha-x:2.0").Run()
	defer exec.Command("docker", "service", "rm", "labrun-ha-x").Run()

	// reports runs labrun run in lang and returns its exit code, output,
	// and both reports as read back.
	reports := func(lang, port string, more ...string) (int, string, report.Run, string, junitFile) {
		t.Helper()
		js, ju := filepath.Join(dir, lang+".json"), filepath.Join(dir, lang+".xml")
		args := append([]string{"run", "whoami-rollback", "--lang", lang, "--fast", "--repeat", "2", "--json", js, "--junit", ju,
			"--set", "SERVICE=labrun-ha-x", "--set", "IMAGE=labrun-ha-x", "--set", "PORT=" + port}, more...)
		code, out := frenchRun(t, dir, state, "C.UTF-8", args...)
		var rep report.Run
		data, err := os.ReadFile(js)
		if err == nil {
			err = json.Unmarshal(data, &rep)
		}
		if err != nil {
			t.Fatalf("the JSON report: %v\n%s", err, out)
		}
		xmlData, err := os.ReadFile(ju)
		var junit junitFile
		if err == nil {
			err = xml.Unmarshal(xmlData, &junit)
		}
		if err != nil || len(junit.Suites) != 1 {
			t.Fatalf("the JUnit report: %v\n%s", err, xmlData)
		}
		return code, out, rep, string(data) + string(xmlData), junit
	}
	noEnglish := func(what, text string) {
		t.Helper()
		if english := append(englishIn(text), shortEnglishIn(text)...); len(english) > 0 {
			t.Errorf("%s: English in a French run: %q\n%s", what, english, text)
		}
	}
	says := func(what, text string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not say %q:\n%s", what, w, text)
			}
		}
	}

	t.Run("preflight fails", func(t *testing.T) {
		// In English first: the scan sees labrun's English in each.
		code, out, rep, files, _ := reports("en", "19151")
		if code != 2 || rep.Result != report.Error {
			t.Fatalf("--lang en: exit %d, result %q, want 2 and error\n%s", code, rep.Result, out)
		}
		says("the English JSON report", rep.Error, "run 1/2: whoami-rollback.txtar:", "\nhint: ")
		if len(englishIn(out)) == 0 || len(englishIn(rep.Error)) == 0 || len(englishIn(files)) == 0 {
			t.Errorf("the scan finds no English in English:\n%s\n%s", out, files)
		}
		if found := shortEnglishIn(out); len(found) != len(shortEnglish)-1 { // all but lint's "warning:"
			t.Errorf("the English run shows %q of the labels %q:\n%s", found, shortEnglish, out)
		}

		code, out, rep, files, junit := reports("fr", "19151")
		if code != 2 || rep.Result != report.Error {
			t.Fatalf("--lang fr: exit %d, result %q, want 2 and error\n%s", code, rep.Result, out)
		}
		says("the French run", out, "── run 1/2 ──", "tutoriel : docker info", "étape ", "(sautée 1 fois)", "0 réussi, 1 en échec",
			"\nindice : Le port 19151 est pris")
		says("the JSON report's error", rep.Error, "run 1/2 : whoami-rollback.txtar:58: port-free 19151 : quelque chose écoute déjà sur localhost:19151", "\nindice : Le port 19151 est pris")
		if len(rep.Steps) == 0 || rep.Steps[0].Result != report.Error {
			t.Fatalf("the JSON report's steps: %+v", rep.Steps)
		}
		says("the JSON report's step", rep.Steps[0].Error, "whoami-rollback.txtar:58: ", "\nindice : ")
		says("the JUnit suite", junit.Suites[0].Name, "(--fast : délais raccourcis, pas ceux du tutoriel)")
		if c := junit.Suites[0].Cases[0]; c.Error == nil || !strings.Contains(c.Error.Message, "quelque chose écoute déjà") || !strings.Contains(c.Error.Text, "indice : ") {
			t.Errorf("the JUnit error: %+v", c.Error)
		}
		noEnglish("output", out)
		noEnglish("reports", files)
	})

	t.Run("timeout", func(t *testing.T) {
		code, out, rep, files, junit := reports("fr", "19150", "--timeout", "2s")
		if code != 1 || rep.Result != report.Fail || rep.Repeat == nil || len(rep.Repeat.Runs) != 2 {
			t.Fatalf("exit %d, result %q, want 1 and fail after 2 runs\n%s", code, rep.Result, out)
		}
		says("the French run", out, "── run 1/2 ──", "── run 2/2 ──", "0 réussi, 2 en échec", "étape ", "réussie", "médiane")
		says("the JSON report's error", rep.Error, "run 1/2 : whoami-rollback.txtar:", "(le --timeout de 2s du run est écoulé)")
		for _, r := range rep.Repeat.Runs {
			says("a run's error", r.Error, "(le --timeout de 2s du run est écoulé)")
		}
		failed := 0
		for _, c := range junit.Suites[0].Cases {
			if c.Failure != nil {
				failed++
				says("the JUnit failure", c.Failure.Message, "(le --timeout de 2s du run est écoulé)")
			}
		}
		if failed != 1 {
			t.Errorf("%d JUnit failures, want 1", failed)
		}
		noEnglish("output", out)
		noEnglish("reports", files)
	})
}
