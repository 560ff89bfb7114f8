package lab

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/labrun/labrun/runner/timeouts"
)

// vocab is a small vocabulary for the loader's tests: one check, one action
// and the builtins the tests use.
type vocab map[string]CommandSpec

func (v vocab) Lookup(name string) (CommandSpec, bool) { s, ok := v[name]; return s, ok }

func (v vocab) KnownCondition(cond string) bool { return cond == "keep" }

var testVocab = vocab{
	"exec":     {MinArgs: 1, MaxArgs: -1, Negatable: true},
	"stdout":   {MinArgs: 1, MaxArgs: 1, Negatable: true},
	"cp":       {MinArgs: 2, MaxArgs: -1},
	"cmp":      {MinArgs: 2, MaxArgs: 2, Negatable: true, FileArgs: []int{0, 1}},
	"env":      {MaxArgs: -1},
	"probe":    {Role: Check, MinArgs: 1, MaxArgs: 1, Retryable: true, Negatable: true},
	"build":    {Role: Action, MinArgs: 1, MaxArgs: 1},
	"set-port": {Role: Action, MinArgs: 1, MaxArgs: 1, SetsVar: true},
}

const goodLab = `## title.en A lab
## title.fr Un lab
## var NAME=svc the service
## var URL=http://x/$NAME derived
## creates service $NAME

## step one
## title.en First
## type docker service create --name $NAME img
## actions
build $NAME
exec docker service create --name $NAME img
stdout '^[a-z0-9]+$'
## checks
* probe $NAME
! probe other
cp stdout saved

## step two
## title.en Second
## timeout 5s
## actions
set-port P
## checks
[!keep] probe $P
! cmp stdout saved
-- data.txt --
hello
`

func TestLoadGood(t *testing.T) {
	l, err := Load("good.txtar", []byte(goodLab), testVocab)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(l.Steps); got != 2 {
		t.Fatalf("steps: got %d, want 2", got)
	}
	one := l.Steps[0]
	if n := len(one.Actions()); n != 3 {
		t.Errorf("step one: %d actions, want 3", n)
	}
	if n := len(one.Checks()); n != 3 {
		t.Errorf("step one: %d checks, want 3", n)
	}
	if got := l.Defaults(nil)["URL"]; got != "http://x/svc" {
		t.Errorf("URL default: got %q", got)
	}
	if got := l.Defaults(map[string]string{"NAME": "other"})["URL"]; got != "http://x/other" {
		t.Errorf("URL with NAME overridden: got %q", got)
	}
	if got := l.StepTimeout(l.Steps[1], time.Minute); got.String() != "5s" {
		t.Errorf("step two timeout: %s, want its own ## timeout", got)
	}
	if got := l.StepTimeout(one, time.Minute); got != time.Minute {
		t.Errorf("step one timeout: %s, want the run's", got)
	}
	if got := l.StepTimeout(one, 0); got != timeouts.Default().Step {
		t.Errorf("step one timeout: %s, want the default", got)
	}
	if string(l.Files["data.txt"]) != "hello\n" {
		t.Errorf("embedded file: %q", l.Files["data.txt"])
	}
	if l.Title.In("fr") != "Un lab" || l.Title.In("de") != "A lab" {
		t.Errorf("titles: %q %q", l.Title.In("fr"), l.Title.In("de"))
	}
}

func TestLoadErrors(t *testing.T) {
	const head = "## title.en T\n"
	tests := []struct {
		name, lab, want string
	}{
		{"empty", "", "empty lab file"},
		{"blank", "\n\n  \n", "empty lab file"},
		{"binary", "\x00\x01\x02", "good.txtar:1: not a text file"},
		{"no steps", head, "no steps"},
		{"no title", "## step a\n## title.en A\n", "good.txtar:1: the lab has no title"},
		{"command outside step", head + "exec true\n", "good.txtar:2: command outside any step"},
		{"command outside section", head + "## step a\n## title.en A\nexec true\n", "good.txtar:4: command before \"## actions\""},
		{"unknown command", head + "## step a\n## title.en A\n## checks\nfrobnicate x\n", "good.txtar:5: unknown command \"frobnicate\""},
		{"unterminated quote", head + "## step a\n## title.en A\n## checks\nstdout 'abc\n", "good.txtar:5: unterminated quoted argument"},
		{"duplicate step", head + "## step a\n## title.en A\n## step a\n## title.en B\n", "good.txtar:4: duplicate step id \"a\" (first at line 2)"},
		{"missing step id", head + "## step\n", "good.txtar:2: ## step needs an id"},
		{"bad step id", head + "## step Bad_Id\n## title.en A\n", "good.txtar:2: step id \"Bad_Id\""},
		{"step without title", head + "## step a\n## checks\n", "good.txtar:2: step \"a\" has no title"},
		{"missing file", head + "## step a\n## title.en A\n## checks\ncmp stdout nothere\n", "good.txtar:5: cmp: no file \"nothere\" in the lab"},
		{"unknown variable", head + "## step a\n## title.en A\n## checks\nprobe $NOPE\n", "good.txtar:5: unknown variable $NOPE"},
		{"unknown variable in type", head + "## step a\n## title.en A\n## type docker run $IMG\n", "good.txtar:4: unknown variable $IMG"},
		{"check under actions", head + "## step a\n## title.en A\n## actions\nprobe x\n", "good.txtar:5: probe is a check"},
		{"action under checks", head + "## step a\n## title.en A\n## checks\nbuild x\n", "good.txtar:5: build changes the engine"},
		{"retry an action", head + "## step a\n## title.en A\n## actions\n* build x\n", "good.txtar:5: build cannot be retried"},
		{"too few args", head + "## step a\n## title.en A\n## checks\nprobe\n", "good.txtar:5: probe wants at least 1 argument"},
		{"too many args", head + "## step a\n## title.en A\n## checks\nprobe a b\n", "good.txtar:5: probe wants at most 1 argument"},
		{"unknown directive", head + "## frob\n", "good.txtar:2: unknown directive \"## frob\""},
		{"unknown language", head + "## title.de T\n", "good.txtar:2: unknown language \"de\""},
		{"bad timeout", head + "## timeout soon\n", "good.txtar:2: ## timeout wants a positive duration"},
		{"var after step", head + "## step a\n## title.en A\n## var X=1 x\n", "good.txtar:4: ## var belongs before the first step"},
		{"bad var", head + "## var x y\n", "good.txtar:2: ## var wants NAME=DEFAULT"},
		{"unknown kind", head + "## var volume X=1 x\n", "good.txtar:2: ## var: unknown kind \"volume\""},
		{"fast before var", head + "## fast X=1\n## var X=2 x\n", "good.txtar:2: ## fast X: declare the variable first"},
		{"fast twice", head + "## var X=2 x\n## fast X=1\n## fast X=0\n", "good.txtar:4: ## fast X: a second fast value"},
		{"fast without value", head + "## var X=2 x\n## fast X\n", "good.txtar:3: ## fast wants NAME=VALUE"},
		{"fast in a step", head + "## var X=2 x\n## step a\n## title.en A\n## fast X=1\n", "good.txtar:5: ## fast belongs before the first step"},
		{"fast refers to unknown", head + "## var X=2 x\n## fast X=$Y\n", "good.txtar:3: unknown variable $Y"},
		{"bad creates", head + "## creates pod v\n", "good.txtar:2: ## creates wants"},
		{"unknown condition", head + "## step a\n## title.en A\n## checks\n[frob] probe x\n", "good.txtar:5: unknown condition [frob]"},
		{"lone bang", head + "## step a\n## title.en A\n## checks\n!\n", "good.txtar:5: no command on this line"},
		{"nameless file marker", head + "## step a\n## title.en A\n-- --\n", "good.txtar:4: \"-- --\" is a file marker without a file name"},
		{"marker used by author", head + "## step a\n## title.en A\n## checks\nlab-step a\n", "unknown command \"lab-step\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("good.txtar", []byte(tc.lab), testVocab)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestScriptKeepsLines proves the generated script has the lab's line
// numbers, so that testscript's "file:line" points into the lab file.
func TestScriptKeepsLines(t *testing.T) {
	l, err := Load("good.txtar", []byte(goodLab), testVocab)
	if err != nil {
		t.Fatal(err)
	}
	labLines := strings.Split(goodLab[:strings.Index(goodLab, "-- data.txt --")], "\n")
	tests := []struct {
		name string
		keep Selector
		want map[string]bool // line texts expected in the script
	}{
		{"all", All, map[string]bool{"build $NAME": true, "* probe $NAME": true}},
		{"checks only", ChecksOnly, map[string]bool{"build $NAME": false, "* probe $NAME": true, "stdout '^[a-z0-9]+$'": false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := txtar.Parse(l.Script(tc.keep, nil))
			lines := strings.Split(string(a.Comment), "\n")
			for text, want := range tc.want {
				num := indexOf(labLines, text)
				if num < 0 {
					t.Fatalf("test bug: %q not in the lab", text)
				}
				if got := lines[num] == text; got != want {
					t.Errorf("line %d %q kept=%v, want %v (script has %q)", num+1, text, got, want, lines[num])
				}
			}
			if got := lines[indexOf(labLines, "## step one")]; got != StepMarker+" one" {
				t.Errorf("step marker: %q", got)
			}
			if got := lines[indexOf(labLines, "exec docker service create --name $NAME img")]; tc.name == "all" && got != ExecCommand+" docker service create --name $NAME img" {
				t.Errorf("exec not rewritten: %q", got)
			}
			if len(a.Files) != 1 || a.Files[0].Name != "data.txt" {
				t.Errorf("files: %v", a.Files)
			}
		})
	}
}

func indexOf(lines []string, text string) int {
	for i, l := range lines {
		if l == text {
			return i
		}
	}
	return -1
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		line  string
		words []string
		refs  []string
	}{
		{"exec docker ps", []string{"exec", "docker", "ps"}, nil},
		{"stdout '^a b$'", []string{"stdout", "^a b$"}, nil},
		{"stdout 'it''s'", []string{"stdout", "it's"}, nil},
		{"probe $NAME ${URL}x", []string{"probe", "$NAME", "${URL}x"}, []string{"NAME", "URL"}},
		{"probe '$NOTEXPANDED'", []string{"probe", "$NOTEXPANDED"}, nil},
		{"probe a # comment $X", []string{"probe", "a"}, nil},
		{"probe ${A@R}", []string{"probe", "${A@R}"}, []string{"A"}},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			words, refs, err := splitWords(tc.line)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(words, "|") != strings.Join(tc.words, "|") {
				t.Errorf("words %q, want %q", words, tc.words)
			}
			if strings.Join(refs, "|") != strings.Join(tc.refs, "|") {
				t.Errorf("refs %q, want %q", refs, tc.refs)
			}
		})
	}
}

// TestVarDocs: "## var" gives a variable's English description and
// "## var.LANG" another language's; an old lab with "## var" alone still
// loads, and a description of an undeclared variable or in an unknown
// language is refused.
func TestVarDocs(t *testing.T) {
	head, step := "## title.en T\n", "## step a\n## title.en A\n"
	l, errs := parse("v.txtar", []byte(head+"## var port P=8000 the port\n## var.fr P le port\n## var Q=1 old style\n"+step), testVocab)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := l.Vars[0].Doc; got["en"] != "the port" || got["fr"] != "le port" {
		t.Errorf("P's descriptions: %q", got)
	}
	if got := l.Vars[1].Doc.In("fr"); got != "old style" {
		t.Errorf("an old lab's description, in French: %q, want the English", got)
	}
	for _, tc := range []struct{ lines, want string }{
		{"## var.fr P le port\n", "declare the variable first"},
		{"## var P=1 p\n## var.de P der Port\n", `unknown language "de"`},
		{"## var P=1 p\n## var.fr P\n", "wants a description"},
	} {
		_, errs := parse("v.txtar", []byte(head+tc.lines+step), testVocab)
		if len(errs) != 1 || !strings.Contains(errs[0].Msg, tc.want) {
			t.Errorf("%q: %v, want one error with %q", tc.lines, errs, tc.want)
		}
	}
}

// TestDirectivesDocumented proves every documented directive is accepted.
func TestDirectivesDocumented(t *testing.T) {
	example := map[string]string{
		"## title.LANG TEXT":             "## title.fr Titre",
		"## text.LANG TEXT":              "## text.en Some text",
		"## var [KIND] NAME=DEFAULT DOC": "## var port X=1 a variable",
		"## var.LANG NAME DOC":           "## var Z=1 z\n## var.fr Z une variable",
		"## fast NAME=VALUE":             "## var Y=1 y\n## fast Y=--a=1 --b 2",
		"## creates KIND NAME":           "## creates image img:1",
		"## timeout DURATION":            "## timeout 30s",
		"## step ID":                     "## step b\n## title.en B",
		"## hint.LANG TEXT":              "## hint.en look here",
		"## type COMMAND":                "## type docker ps",
		"## preflight":                   "## preflight",
		"## actions":                     "## actions",
		"## checks":                      "## checks",
		"## keeps":                       "## keeps",
		"## mistakes":                    "## mistakes\nprobe wrong",
		"## say.LANG TEXT":               "## checks\nprobe x\n## say.fr regardez x",
	}
	for _, d := range Directives {
		t.Run(d.Syntax, func(t *testing.T) {
			line, ok := example[d.Syntax]
			if !ok {
				t.Fatalf("no example for %q: add one", d.Syntax)
			}
			head, tail := "## title.en T\n", "## step a\n## title.en A\n"
			if d.Where == "lab" {
				head += line + "\n"
			} else {
				tail += line + "\n"
			}
			if _, err := Load("d.txtar", []byte(head+tail), testVocab); err != nil {
				t.Errorf("%s rejected: %v", line, err)
			}
		})
	}
}

// TestKeepsSection proves that the lines under "## keeps" are checks,
// marked as what the actions keep, and that a later section ends it.
func TestKeepsSection(t *testing.T) {
	l, err := Load("k.txtar", []byte("## title.en K\n## step s\n## title.en S\n## actions\nbuild x\n## checks\nprobe x\n## keeps\nprobe y\n## actions\nbuild z\n## checks\nprobe z\n"), testVocab)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range l.Steps[0].Lines {
		got = append(got, fmt.Sprintf("%s %v keeps=%v", line.Text, line.Role, line.Keeps))
	}
	want := []string{"build x action keeps=false", "probe x check keeps=false", "probe y check keeps=true", "build z action keeps=false", "probe z check keeps=false"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestMistakesSection: lines under "## mistakes" are checks marked as
// mistakes, kept apart from the step's checks and out of the generated
// script; "## say.LANG" attaches to the line above it, and is refused
// where no check precedes it.
func TestMistakesSection(t *testing.T) {
	l, err := Load("m.txtar", []byte("## title.en M\n## step s\n## title.en S\n## checks\nprobe ok\n## say.en look at ok\n## mistakes\n! probe gone\n## say.en it is gone\n## say.fr il a disparu\n"), testVocab)
	if err != nil {
		t.Fatal(err)
	}
	s := l.Steps[0]
	if got := len(s.Checks()); got != 1 {
		t.Errorf("%d checks, want 1", got)
	}
	m := s.Mistakes()
	if len(m) != 1 || m[0].Text != "! probe gone" || m[0].Say.In("fr") != "il a disparu" {
		t.Fatalf("mistakes: %+v", m)
	}
	if say := s.Checks()[0].Say.In("fr"); say != "look at ok" {
		t.Errorf("the check's say in fr (falling back to en): %q", say)
	}
	if script := string(l.Script(All, nil)); strings.Contains(script, "probe gone") || !strings.Contains(script, "probe ok") {
		t.Errorf("script:\n%s", script)
	}
	for _, tc := range []struct{ name, lab, want string }{
		{"say first", "## title.en M\n## step s\n## title.en S\n## say.en nothing above\n", "m.txtar:4: ## say.en belongs right after a check or a mistake"},
		{"say after an action", "## title.en M\n## step s\n## title.en S\n## actions\nbuild x\n## say.en no\n", "m.txtar:6: ## say.en belongs right after a check"},
		{"retried mistake", "## title.en M\n## step s\n## title.en S\n## mistakes\n* probe x\n", "m.txtar:5: a mistake is looked at once"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("m.txtar", []byte(tc.lab), testVocab)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

const kindsLab = `## title.en Kinds
## var name SERVICE=web the service
## var port PORT=8000 the port
## var PUBLISH=$PORT:80 derived from the port
## var name NET=$SERVICE-net derived from an isolated name
## var MONITOR=5s a timing
## fast MONITOR=1s
## var args FLAGS= extra flags
## fast FLAGS=--update-monitor=$MONITOR --x 'it''s'

## step a
## title.en A
## actions
exec docker service create $FLAGS --name $SERVICE img
exec echo '$FLAGS' x$FLAGS $FLAGS'' ${FLAGS} # $FLAGS
## checks
probe $MONITOR
`

// TestValues proves how --set, --fast and --isolate combine.
func TestValues(t *testing.T) {
	l, err := Load("kinds.txtar", []byte(kindsLab), testVocab)
	if err != nil {
		t.Fatal(err)
	}
	if l.Vars[0].Kind != KindName || l.Vars[1].Kind != KindPort || l.Vars[5].Kind != KindArgs || l.Vars[2].Kind != "" {
		t.Errorf("kinds: %+v", l.Vars)
	}
	isolate := func(v Var, value string) (string, error) {
		if v.Kind == KindPort {
			return "20001", nil
		}
		return value + "-id", nil
	}
	tests := []struct {
		name string
		mode Mode
		want map[string]string
	}{
		{"tutorial", Mode{}, map[string]string{"SERVICE": "web", "PORT": "8000", "PUBLISH": "8000:80", "NET": "web-net", "MONITOR": "5s", "FLAGS": ""}},
		{"fast", Mode{Fast: true}, map[string]string{"MONITOR": "1s", "FLAGS": "--update-monitor=1s --x 'it''s'", "SERVICE": "web"}},
		{"fast with set", Mode{Fast: true, Set: map[string]string{"MONITOR": "2s"}}, map[string]string{"MONITOR": "2s", "FLAGS": "--update-monitor=2s --x 'it''s'"}},
		{"isolate", Mode{Isolate: isolate}, map[string]string{"SERVICE": "web-id", "PORT": "20001", "PUBLISH": "20001:80", "NET": "web-id-net", "MONITOR": "5s"}},
		{"isolate with set", Mode{Isolate: isolate, Set: map[string]string{"SERVICE": "mine", "PORT": "9000"}}, map[string]string{"SERVICE": "mine", "PORT": "9000", "NET": "mine-net"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := l.Values(tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s = %q, want %q", k, got[k], want)
				}
			}
		})
	}
	_, err = l.Values(Mode{Isolate: func(Var, string) (string, error) { return "", errors.New("no free port") }})
	if err == nil || !strings.Contains(err.Error(), "--isolate SERVICE: no free port") {
		t.Errorf("isolate error: %v", err)
	}
	if !l.HasFast() || !l.Isolates() {
		t.Errorf("HasFast %v, Isolates %v", l.HasFast(), l.Isolates())
	}
}

// TestSpliceArgs proves an args variable stands for its words where it is
// a whole unquoted word, and for none when empty.
func TestSpliceArgs(t *testing.T) {
	l, err := Load("kinds.txtar", []byte(kindsLab), testVocab)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		flags     string
		create    string // line 14
		untouched string // line 15
	}{
		{"empty", "", ExecCommand + " docker service create  --name $SERVICE img",
			ExecCommand + " echo '$FLAGS' x$FLAGS $FLAGS''  # $FLAGS"},
		{"words", "--a=1 --b 'c'", ExecCommand + " docker service create '--a=1' '--b' '''c''' --name $SERVICE img",
			ExecCommand + " echo '$FLAGS' x$FLAGS $FLAGS'' '--a=1' '--b' '''c''' # $FLAGS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Split(string(txtar.Parse(l.Script(All, map[string]string{"FLAGS": tc.flags})).Comment), "\n")
			if got[13] != tc.create {
				t.Errorf("line 14:\n got %q\nwant %q", got[13], tc.create)
			}
			if got[14] != tc.untouched {
				t.Errorf("line 15:\n got %q\nwant %q", got[14], tc.untouched)
			}
			words, _, err := splitWords(got[13])
			if err != nil {
				t.Fatal(err)
			}
			if want := 7 + len(strings.Fields(tc.flags)); len(words) != want {
				t.Errorf("%d words %q, want %d", len(words), words, want)
			}
		})
	}
}
