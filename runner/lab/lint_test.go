package lab

import (
	"strings"
	"testing"
)

// lintVocab is testVocab with a command that reads a directory by
// convention, as whoami-image reads node/RELEASE.
var lintVocab = func() vocab {
	v := vocab{}
	for k, s := range testVocab {
		v[k] = s
	}
	v["build-from"] = CommandSpec{Role: Action, MinArgs: 1, MaxArgs: 1, Reads: func(args []string) []string {
		return []string{"contexts/" + args[0] + "/"}
	}}
	return v
}()

// lintHead is a lab's head that lint finds nothing wrong with; the cases
// below add a step to it. Its last line is line 4.
const lintHead = `## title.en T
## title.fr T
## var NAME=svc the service
## var.fr NAME le service
`

// lintStep is a step lint finds nothing wrong with, at lines 5 to 11.
const lintStep = `## step one
## title.en One
## title.fr Un
## actions
build $NAME
## checks
probe $NAME
`

func TestLint(t *testing.T) {
	tests := []struct {
		name string
		lab  string
		want []string // the findings, formatted, in order
	}{
		{"clean", lintHead + lintStep, nil},
		{"clean with everything used", lintHead + `## var DIR=ctx the build context
## var.fr DIR le contexte de construction
## var URL=http://x/$NAME derived
## var.fr URL dérivée
## step one
## title.en One $URL
## title.fr Un $URL
## text.en Build from $DIR.
## text.fr Construire depuis $DIR.
## hint.en Look.
## hint.fr Regardez.
## type docker build typed
## actions
build $NAME
exec docker build --file=conf/app.conf $DIR
build-from v1
## checks
probe $NAME
cmp stdout expected
-- expected --
x
-- ctx/Dockerfile --
FROM scratch
-- ctx/sub/file --
-- typed/Dockerfile --
-- conf/app.conf --
-- contexts/v1/index.js --
`, nil},
		{"step title in English only", lintHead + strings.Replace(lintStep, "## title.fr Un\n", "", 1),
			[]string{"good.txtar:6: step \"one\" has \"## title.en\" but no \"## title.fr\": write every text in en and fr"}},
		{"step text in French only", lintHead + lintStep + "## text.fr Seulement en français\n## text.fr sur deux lignes\n",
			[]string{"good.txtar:12: step \"one\" has \"## text.fr\" but no \"## text.en\": write every text in en and fr"}},
		{"lab text in English only", "## text.en Hello\n" + lintHead + lintStep,
			[]string{"good.txtar:1: the lab has \"## text.en\" but no \"## text.fr\": write every text in en and fr"}},
		{"hint in one language", lintHead + lintStep + "## hint.en Look at it\n",
			[]string{"good.txtar:12: step \"one\" has \"## hint.en\" but no \"## hint.fr\": write every text in en and fr"}},
		{"actions without checks", lintHead + strings.TrimSuffix(lintStep, "## checks\nprobe $NAME\n"),
			[]string{"good.txtar:5: step \"one\" has actions but no checks: add \"## checks\" lines that prove the actions worked"}},
		{"actions with only what they keep", lintHead + strings.Replace(lintStep, "## checks\n", "## keeps\n", 1),
			[]string{"good.txtar:5: step \"one\" has actions but no checks: add \"## checks\" lines that prove the actions worked"}},
		{"checks and what the actions keep", lintHead + lintStep + "## keeps\nprobe $NAME\n", nil},
		{"checks without actions", lintHead + strings.Replace(lintStep, "## actions\nbuild $NAME\n", "", 1), nil},
		{"unused variable", lintHead + "## var PORT=8000 never used\n## var.fr PORT jamais utilisé\n" + lintStep,
			[]string{"good.txtar:5: warning: variable PORT is declared but never used"}},
		{"variable only in single quotes", lintHead + "## var RE=x not expanded in quotes\n## var.fr RE x\n" + lintStep + "stdout '$RE'\n",
			[]string{"good.txtar:5: warning: variable RE is declared but never used"}},
		{"variable only in another's default", lintHead + "## var A=1 a\n## var.fr A a\n## var B=$A b\n## var.fr B b\n" + lintStep + "probe $B\n", nil},
		{"variable only in the default of a kind's variable", lintHead + "## var A=1 a\n## var.fr A a\n## var name B=$A-x b\n## var.fr B b\n" + lintStep + "probe $B\n", nil},
		{"variable only in a fast value", lintHead + "## var A=1 a\n## var.fr A a\n## var B=2 b\n## var.fr B b\n## fast B=$A\n" + lintStep + "probe $B\n", nil},
		{"unused file", lintHead + lintStep + "-- notes.txt --\nhello\n",
			[]string{"good.txtar:12: warning: embedded file \"notes.txt\" is never used: no command or \"## type\" line names it or its directory"}},
		{"unused file in a directory", lintHead + lintStep + "exec docker build -t x ctx\n-- ctx/Dockerfile --\n-- other/Dockerfile --\n",
			[]string{"good.txtar:14: warning: embedded file \"other/Dockerfile\" is never used: no command or \"## type\" line names it or its directory"}},
		{"duplicate file", lintHead + lintStep + "cmp stdout f\n-- f --\na\n-- f --\nb\n",
			[]string{"good.txtar:15: embedded file \"f\" appears twice (first at line 13): the last one wins"}},
		{"loader errors pass through", lintHead + lintStep + "probe $NOPE\n",
			[]string{"good.txtar:12: unknown variable $NOPE: declare it with \"## var NOPE=DEFAULT description\""}},
		{"a rejected check still counts as a check", lintHead + strings.Replace(lintStep, "probe $NAME", "probe $NAME extra", 1),
			[]string{"good.txtar:11: probe wants at most 1 argument(s), got 2"}},
		{"rejected actions still need checks", lintHead + "## step one\n## title.en One\n## title.fr Un\n## actions\nbuild $NOPE\n",
			[]string{
				"good.txtar:3: warning: variable NAME is declared but never used",
				"good.txtar:5: step \"one\" has actions but no checks: add \"## checks\" lines that prove the actions worked",
				"good.txtar:9: unknown variable $NOPE: declare it with \"## var NOPE=DEFAULT description\"",
			}},
		{"several defects, in line order", lintHead + "## var UNUSED=1 x\n" + lintStep + lintStep + "cmp stdout missing\n## hint.fr Indice\n",
			[]string{
				"good.txtar:5: variable UNUSED has no description in fr: add \"## var.fr UNUSED TEXT\" after it",
				"good.txtar:5: warning: variable UNUSED is declared but never used",
				"good.txtar:13: duplicate step id \"one\" (first at line 6)",
				"good.txtar:20: cmp: no file \"missing\" in the lab (add a \"-- missing --\" section)",
				"good.txtar:21: step \"one\" has \"## hint.fr\" but no \"## hint.en\": write every text in en and fr",
			}},
		{"variable described in French only", "## title.en T\n## title.fr T\n## var NAME=svc\n## var.fr NAME le service\n" + lintStep,
			[]string{"good.txtar:3: variable NAME has no description in en: add \"## var.en NAME TEXT\" after it"}},
		{"variable described in English only", strings.Replace(lintHead, "## var.fr NAME le service\n", "\n", 1) + lintStep,
			[]string{"good.txtar:3: variable NAME has no description in fr: add \"## var.fr NAME TEXT\" after it"}},
		{"unknown text directive reported once", lintHead + lintStep + "## note.en x\n",
			[]string{"good.txtar:12: unknown directive \"## note.en\" here (see labrun help format)"}},
		{"no lab at all", "", []string{"good.txtar: empty lab file: a lab needs at least one \"## step\""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range Lint("good.txtar", []byte(tc.lab), lintVocab) {
				got = append(got, f.String())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestLintWarningsAreMarked proves that findings tell errors from warnings,
// which decides lint's exit status.
func TestLintWarningsAreMarked(t *testing.T) {
	lab := lintHead + "## var PORT=1 unused\n## var.fr PORT inutilisé\n" + lintStep + "probe $NOPE\n"
	var warnings, errors int
	for _, f := range Lint("good.txtar", []byte(lab), lintVocab) {
		if f.Warning {
			warnings++
		} else {
			errors++
		}
	}
	if warnings != 1 || errors != 1 {
		t.Errorf("%d warnings and %d errors, want 1 and 1", warnings, errors)
	}
}

// FuzzLint feeds lint arbitrary files: it must never panic, and every
// finding must name the file and a line in it.
func FuzzLint(f *testing.F) {
	f.Add([]byte(lintHead + lintStep))
	f.Add([]byte(goodLab))
	f.Add([]byte("## text.en x\n## step\n## actions\nbuild-from v\n-- f --\n-- f --\n-- --\n"))
	f.Add([]byte("## title.en T\n## step a\n## title.en A\n## checks\nstdout 'x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := strings.Count(string(data), "\n") + 1
		for _, fd := range Lint("fuzz.txtar", data, lintVocab) {
			if fd.File != "fuzz.txtar" || fd.Line < 0 || fd.Line > lines || fd.Msg == "" {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}
