// Package lab holds the lab file format: its model, its loader and the
// testscript scripts generated from it.
//
// A lab is a txtar archive. Its comment section is a testscript script in
// which lines starting with "## " are labrun directives: they cut the script
// into steps and give each step its id, texts, instructions, actions and
// checks. Directives are plain comments to testscript, so the loader turns a
// lab into a runnable script by rewriting lines in place, never adding or
// removing one: a testscript error at line N is an error at line N of the lab.
package lab

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/timeouts"
)

// Languages are the languages every lab text is written in, the default first.
var Languages = []string{"en", "fr"}

// Role tells what a script line does to the engine.
type Role int

const (
	// Action lines change the engine: the student's commands.
	Action Role = iota + 1
	// Check lines observe the engine and hold or not.
	Check
)

func (r Role) String() string {
	switch r {
	case Action:
		return "action"
	case Check:
		return "check"
	}
	return "none"
}

// Text is a text in several languages, keyed by language code.
type Text map[string]string

// In returns the text in lang, falling back to English, then to any language.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	if s, ok := t["en"]; ok {
		return s
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		return t[keys[0]]
	}
	return ""
}

// add appends one line to the text in lang; consecutive lines form paragraphs.
func (t Text) add(lang, line string) {
	if prev, ok := t[lang]; ok {
		t[lang] = prev + "\n" + line
		return
	}
	t[lang] = line
}

// Var is a variable a lab declares, with the tutorial's value as default.
type Var struct {
	Name    string
	Default string // may refer to variables declared before it
	// Doc describes the variable, by language: "## var" gives the English,
	// "## var.LANG NAME TEXT" another language's.
	Doc  Text
	Line int
	// Kind tells what the value is, for --isolate and for splitting: "" (a
	// plain value), KindName, KindPort or KindArgs.
	Kind string
	// Fast is the value under --fast ("## fast NAME=VALUE"), when HasFast.
	Fast    string
	HasFast bool
}

// Kinds of variables ("## var KIND NAME=DEFAULT DOC").
const (
	// KindName is a name on the engine (a service, an image repository):
	// --isolate appends the run's id to it.
	KindName = "name"
	// KindPort is a published port: --isolate picks a free one.
	KindPort = "port"
	// KindArgs is a list of arguments: "$NAME" alone as a word of a command
	// stands for its words, split at blanks, and for no word when empty.
	KindArgs = "args"
)

// Kinds lists the kinds of variables, in the order the format documents them.
var Kinds = []string{KindName, KindPort, KindArgs}

// Resource is something a lab creates on the engine, declared so that the
// runner can prove before the run that it does not exist yet (so it is not
// someone else's) and remove it afterwards.
type Resource struct {
	Kind string // one of ResourceKinds
	Name string // may hold $VARS
	Line int
}

// ResourceKinds are the kinds of engine objects a lab may declare it
// creates.
var ResourceKinds = []string{"service", "image", "network", "secret", "config", "volume"}

// Line is one script line of a step.
type Line struct {
	Num  int    // line number in the lab file
	Text string // as written
	Role Role
	// Words are the line's words as testscript splits them, without
	// expansion; Cmd indexes the command word within them.
	Words []string
	Cmd   int
	// Prepares is set for actions that only work out values the step's
	// instructions need (CommandSpec.Prepares).
	Prepares bool
	// Keeps is set for the checks under "## keeps": what the actions must
	// leave as it was, and which may therefore hold before them too.
	Keeps bool
	// Mistake is set for the checks under "## mistakes": a state that is
	// a known mistake at this step. The generated script does not run
	// them; the runner looks at them before each check of the step, and
	// the first that holds fails the step at once, with its Say.
	Mistake bool
	// Say is what the student reads, per language, when this check fails
	// or this mistake holds ("## say.LANG" after the line): a hint about
	// this line alone.
	Say Text
}

// Command returns the line's command name.
func (l Line) Command() string { return l.Words[l.Cmd] }

// Step is one stage of a lab: what the student reads and types, what the
// runner does in the student's place, and what must then hold.
type Step struct {
	ID    string
	Num   int // 1-based position in the lab
	Line  int // line of its "## step" directive
	Title Text
	Text  Text
	Hint  Text
	// Type holds the commands the student types, as in the tutorial.
	Type []string
	// Timeout bounds every wait of the step; zero means the lab's default.
	Timeout time.Duration
	// Preflight steps check the environment: their failures are usage or
	// environment errors (exit 2), not lab failures.
	Preflight bool
	Lines     []Line
}

// Actions returns the step's action lines.
func (s *Step) Actions() []Line { return s.linesOf(Action) }

// Checks returns the step's check lines, its mistakes aside.
func (s *Step) Checks() []Line { return s.linesOf(Check) }

// Mistakes returns the step's mistakes: the checks under "## mistakes".
func (s *Step) Mistakes() []Line {
	var out []Line
	for _, l := range s.Lines {
		if l.Mistake {
			out = append(out, l)
		}
	}
	return out
}

// LineAt returns the step's line at number num of the lab file, nil if none.
func (s *Step) LineAt(num int) *Line {
	for i := range s.Lines {
		if s.Lines[i].Num == num {
			return &s.Lines[i]
		}
	}
	return nil
}

func (s *Step) linesOf(role Role) []Line {
	var out []Line
	for _, l := range s.Lines {
		if l.Role == role && !l.Mistake {
			out = append(out, l)
		}
	}
	return out
}

// Lab is a loaded, validated lab file.
type Lab struct {
	Name    string
	File    string // path shown in messages
	Title   Text
	Text    Text
	Vars    []Var
	Creates []Resource
	// Timeout is the default timeout of each step.
	Timeout time.Duration
	Steps   []*Step
	// Files are the embedded files of the archive, by name.
	Files map[string][]byte

	script []string // the comment section, one entry per line
}

// Step returns the step with the given id, or nil.
func (l *Lab) Step(id string) *Step {
	for _, s := range l.Steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Defaults returns the declared variables with their default values,
// each default expanded with the variables before it and the overrides.
func (l *Lab) Defaults(overrides map[string]string) map[string]string {
	vals, _ := l.Values(Mode{Set: overrides})
	return vals
}

// Mode says which values a run gives the lab's variables.
type Mode struct {
	// Set are the values given with --set: they win over everything.
	Set map[string]string
	// Fast gives the variables their "## fast" values.
	Fast bool
	// Isolate, when not nil, gives a name or port variable its value in an
	// isolated run, from the value it would have otherwise. A name variable
	// whose default refers to other variables is left to them.
	Isolate func(v Var, value string) (string, error)
}

// Values returns the value of every declared variable in mode m, each
// default expanded with the variables before it.
func (l *Lab) Values(m Mode) (map[string]string, error) {
	vals := map[string]string{}
	for _, v := range l.Vars {
		if o, ok := m.Set[v.Name]; ok {
			vals[v.Name] = o
			continue
		}
		value := v.Default
		if m.Fast && v.HasFast {
			value = v.Fast
		}
		value = Expand(value, vals)
		isolated := v.Kind == KindPort || v.Kind == KindName && !strings.Contains(v.Default, "$")
		if m.Isolate != nil && isolated {
			var err error
			if value, err = m.Isolate(v, value); err != nil {
				return nil, i18n.Errorf("--isolate %s: %v", v.Name, err)
			}
		}
		vals[v.Name] = value
	}
	return vals, nil
}

// HasFast reports whether --fast changes any of the lab's variables.
func (l *Lab) HasFast() bool {
	for _, v := range l.Vars {
		if v.HasFast {
			return true
		}
	}
	return false
}

// Isolates reports whether --isolate changes any of the lab's variables.
func (l *Lab) Isolates() bool {
	for _, v := range l.Vars {
		if v.Kind == KindName || v.Kind == KindPort {
			return true
		}
	}
	return false
}

// StepTimeout returns the timeout that bounds the waits of step s: the
// step's own "## timeout", else the lab's, else def, the run's
// timeouts.Timeouts.Step (its default when def is zero).
func (l *Lab) StepTimeout(s *Step, def time.Duration) time.Duration {
	switch {
	case s.Timeout > 0:
		return s.Timeout
	case l.Timeout > 0:
		return l.Timeout
	case def > 0:
		return def
	}
	return timeouts.Default().Step
}

// Error is a problem in a lab file, at a line.
type Error struct {
	File string
	Line int
	// Msg is the problem in English; Said, when set, the same sentence
	// to be worded in the run's language (runner/i18n).
	Msg  string
	Said i18n.Sentence
}

func (e *Error) Error() string { return e.In("en") }

// In words the problem in lang, after its file and line.
func (e *Error) In(lang string) string {
	msg := e.Msg
	if e.Said.Format != "" {
		msg = e.Said.In(lang)
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return fmt.Sprintf("%s: %s", e.File, msg)
}

// ErrorList is every problem found in a lab file, in line order.
type ErrorList []*Error

func (l ErrorList) Error() string { return l.In("en") }

// In words every problem in lang, one a line.
func (l ErrorList) In(lang string) string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.In(lang)
	}
	return strings.Join(msgs, "\n")
}
