package lab

import (
	"bytes"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/rogpeppe/go-internal/txtar"
)

// CommandSpec is what the loader needs to know of a command to validate a
// line that uses it.
type CommandSpec struct {
	// Role is Action or Check; zero for testscript builtins such as stdout
	// or env, which belong to whichever section they appear in.
	Role Role
	// MinArgs and MaxArgs bound the number of arguments; MaxArgs < 0 means
	// no upper bound.
	MinArgs, MaxArgs int
	// SetsVar means the first argument names a variable the command sets.
	SetsVar bool
	// Retryable commands may follow "*": they observe without changing
	// anything, so running them again is harmless.
	Retryable bool
	// Negatable commands may follow "!".
	Negatable bool
	// FileArgs are the indexes of arguments naming files of the lab.
	FileArgs []int
	// Prepares marks an action that only works out values the step's
	// instructions need (such as how to publish a port): a guided student
	// cannot type it, so labrun runs it before showing the step.
	Prepares bool
	// Runs marks a command that runs a program on this machine (exec):
	// checks only observe, so none may stand under "## checks".
	Runs bool
	// Writes, when set, returns the arguments of a line that name files
	// or directories the command writes or moves into (cp, mkdir, rm,
	// cd): under "## checks" they must stay inside the run's work
	// directory.
	Writes func(args []string) []string
	// Reads, when set, names the embedded files or directories (ending in
	// "/") that a line with these arguments reads besides its FileArgs, for
	// commands that find their files by convention: lint would otherwise
	// call them unused. It is called only with a number of arguments
	// within MinArgs and MaxArgs.
	Reads func(args []string) []string
	// Validate, when set, judges the arguments before anything runs (keys,
	// numbers, durations, patterns), so that a typo is a load error with
	// its line, not a failure minutes into a run, nor a negated check that
	// passes because it cannot hold. $VARS are expanded with their
	// defaults; the runner's own variables stay as ${NAME}. It is called
	// only with a number of arguments within MinArgs and MaxArgs.
	Validate func(args []string) error
}

// Vocabulary tells the loader which commands and conditions a lab may use.
type Vocabulary interface {
	Lookup(name string) (CommandSpec, bool)
	// KnownCondition reports whether [cond] (without brackets or "!") exists.
	KnownCondition(cond string) bool
}

// RunnerVars are the variables the runner defines in every run, besides
// the lab's own: testscript's, and ENGINE_HOST, the host name or address at
// which the engine's published ports answer.
var RunnerVars = []string{"WORK", "HOME", "PATH", "TMPDIR", "devnull", "exe", "/", ":", "$", "ENGINE_HOST", "LAB"}

// Retry is the prefix that retries a check until it holds or the step's
// timeout runs out; "! *" retries until it does not hold.
const Retry = "*"

var (
	stepIDPattern  = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	varDeclPattern = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=(\S*)\s*(.*)$`)
)

// maxErrors bounds the errors reported for one file: past a few, the rest
// are usually echoes of the first (a binary file fails on every line).
const maxErrors = 10

// Load parses a lab file and validates it against vocab. file is the path
// shown in messages. The error, if any, is an ErrorList whose entries carry
// file:line.
func Load(file string, data []byte, vocab Vocabulary) (*Lab, error) {
	l, errs := parse(file, data, vocab)
	if len(errs) > 0 {
		return nil, errs
	}
	return l, nil
}

// parse is Load, but it returns what it could build of the lab along with
// the errors, so that lint goes on looking for the problems the loader does
// not check. The lab is nil only when the file is no lab at all.
func parse(file string, data []byte, vocab Vocabulary) (*Lab, ErrorList) {
	p := &parser{file: file, vocab: vocab, known: map[string]bool{}, made: map[string]bool{}}
	return p.parse(data)
}

type parser struct {
	file  string
	vocab Vocabulary
	lab   *Lab
	step  *Step
	role  Role // section of the current step, zero before ## actions / ## checks
	keeps bool // the section is ## keeps: checks that may hold before the actions
	// mistakes: the section is ## mistakes, checks of known mistakes.
	mistakes bool
	known    map[string]bool
	// made are the files that earlier lines create (cp's destination).
	made map[string]bool
	errs ErrorList
}

func (p *parser) errorf(line int, format string, args ...any) {
	if len(p.errs) < maxErrors {
		said := i18n.Sprintf(format, args...)
		p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: said.In("en"), Said: said})
	}
}

func (p *parser) parse(data []byte) (*Lab, ErrorList) {
	if len(bytes.TrimSpace(data)) == 0 {
		said := i18n.Sprintf("empty lab file: a lab needs at least one \"## step\"")
		return nil, ErrorList{{File: p.file, Msg: said.In("en"), Said: said}}
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		said := i18n.Sprintf("not a text file: a lab file is a txtar archive in UTF-8")
		return nil, ErrorList{{File: p.file, Line: 1, Msg: said.In("en"), Said: said}}
	}
	if num := namelessMarker(data); num > 0 {
		said := i18n.Sprintf("\"-- --\" is a file marker without a file name: write \"-- NAME --\"")
		return nil, ErrorList{{File: p.file, Line: num, Msg: said.In("en"), Said: said}}
	}
	a := txtar.Parse(data)
	name := strings.TrimSuffix(filepath.Base(p.file), filepath.Ext(p.file))
	p.lab = &Lab{
		Name:   name,
		File:   p.file,
		Title:  Text{},
		Text:   Text{},
		Files:  map[string][]byte{},
		script: strings.Split(strings.TrimSuffix(string(a.Comment), "\n"), "\n"),
	}
	for _, f := range a.Files {
		if err := safeFileName(f.Name); err != nil {
			said := i18n.Sprintf("%v", err)
			return nil, ErrorList{{File: p.file, Line: fileMarkerLine(data, f.Name), Msg: said.In("en"), Said: said}}
		}
		p.lab.Files[f.Name] = f.Data
	}
	for _, v := range RunnerVars {
		p.known[v] = true
	}
	for i, text := range p.lab.script {
		num := i + 1
		trimmed := strings.TrimSpace(text)
		switch {
		case trimmed == "##" || strings.HasPrefix(trimmed, "## "):
			p.directive(num, strings.TrimSpace(strings.TrimPrefix(trimmed, "##")))
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			// Narrative for the lab's author; testscript ignores it too.
		default:
			p.command(num, text)
		}
	}
	p.finish()
	return p.lab, p.errs
}

// texts maps the keys of per-language directives to the text they fill.
func (p *parser) texts(key string) (Text, bool) {
	if p.step == nil {
		switch key {
		case "title":
			return p.lab.Title, true
		case "text":
			return p.lab.Text, true
		}
		return nil, false
	}
	switch key {
	case "title":
		return p.step.Title, true
	case "text":
		return p.step.Text, true
	case "hint":
		return p.step.Hint, true
	case "say":
		// What the line just above says to the student: it must be a
		// check, or a mistake.
		n := len(p.step.Lines)
		if n == 0 || p.step.Lines[n-1].Role != Check {
			return nil, false
		}
		if p.step.Lines[n-1].Say == nil {
			p.step.Lines[n-1].Say = Text{}
		}
		return p.step.Lines[n-1].Say, true
	}
	return nil, false
}

func (p *parser) directive(num int, d string) {
	key, rest, _ := strings.Cut(d, " ")
	rest = strings.TrimSpace(rest)
	if base, lang, ok := strings.Cut(key, "."); ok && base == "var" {
		p.varDoc(num, lang, rest)
		return
	}
	if base, lang, ok := strings.Cut(key, "."); ok {
		t, known := p.texts(base)
		switch {
		case !known && base == "say":
			p.errorf(num, "## %s belongs right after a check or a mistake: it is what the student reads about that line", key)
		case !known:
			p.errorf(num, "unknown directive %q here (see labrun help format)", "## "+key)
		case !isLanguage(lang):
			p.errorf(num, "unknown language %q in %q: use one of %s", lang, "## "+key, strings.Join(Languages, ", "))
		default:
			p.checkRefs(num, rest)
			t.add(lang, rest)
		}
		return
	}
	switch key {
	case "step":
		p.startStep(num, rest)
	case "var":
		p.declareVar(num, rest)
	case "fast":
		p.fastValue(num, rest)
	case "creates":
		kind, name, _ := strings.Cut(rest, " ")
		name = strings.TrimSpace(name)
		if !slices.Contains(ResourceKinds, kind) || name == "" || strings.ContainsAny(name, " \t") {
			p.errorf(num, "## creates wants a kind (%s) and a name, got %q", strings.Join(ResourceKinds, ", "), rest)
			return
		}
		p.checkRefs(num, name)
		p.lab.Creates = append(p.lab.Creates, Resource{Kind: kind, Name: name, Line: num})
	case "timeout":
		d, err := time.ParseDuration(rest)
		if err != nil || d <= 0 {
			p.errorf(num, "## timeout wants a positive duration such as 90s or 2m, got %q", rest)
			return
		}
		if p.step != nil {
			p.step.Timeout = d
		} else {
			p.lab.Timeout = d
		}
	case "type":
		if p.inStep(num, key) {
			p.checkRefs(num, rest)
			p.step.Type = append(p.step.Type, rest)
		}
	case "preflight":
		if p.inStep(num, key) {
			p.step.Preflight = true
		}
	case "actions":
		if p.inStep(num, key) {
			p.role, p.keeps, p.mistakes = Action, false, false
		}
	case "checks", "keeps", "mistakes":
		if p.inStep(num, key) {
			p.role, p.keeps, p.mistakes = Check, key == "keeps", key == "mistakes"
		}
	default:
		p.errorf(num, "unknown directive %q (see labrun help format)", "## "+key)
	}
}

func (p *parser) inStep(num int, key string) bool {
	if p.step == nil {
		p.errorf(num, "## %s belongs to a step: put it after a \"## step ID\" line", key)
		return false
	}
	return true
}

func (p *parser) startStep(num int, id string) {
	p.endStep()
	switch {
	case id == "":
		p.errorf(num, "## step needs an id, such as \"## step create-service\"")
	case !stepIDPattern.MatchString(id):
		p.errorf(num, "step id %q: use lower-case letters, digits and dashes, starting with a letter", id)
	default:
		if prev := p.lab.Step(id); prev != nil {
			p.errorf(num, "duplicate step id %q (first at line %d)", id, prev.Line)
		}
	}
	p.step = &Step{ID: id, Num: len(p.lab.Steps) + 1, Line: num, Title: Text{}, Text: Text{}, Hint: Text{}}
	p.lab.Steps = append(p.lab.Steps, p.step)
	p.role, p.mistakes = 0, false
}

func (p *parser) endStep() {
	if p.step != nil && len(p.step.Title) == 0 {
		p.errorf(p.step.Line, "step %q has no title: add \"## title.en ...\"", p.step.ID)
	}
}

func (p *parser) declareVar(num int, decl string) {
	if p.step != nil {
		p.errorf(num, "## var belongs before the first step")
		return
	}
	kind := ""
	if first, rest, _ := strings.Cut(decl, " "); !strings.Contains(first, "=") && strings.Contains(rest, "=") {
		if !isKind(first) {
			p.errorf(num, "## var: unknown kind %q: use %s", first, strings.Join(Kinds, ", "))
			return
		}
		kind, decl = first, strings.TrimSpace(rest)
	}
	m := varDeclPattern.FindStringSubmatch(decl)
	if m == nil {
		p.errorf(num, "## var wants NAME=DEFAULT followed by a description, optionally after a kind (%s), got %q", strings.Join(Kinds, ", "), decl)
		return
	}
	if p.known[m[1]] {
		p.errorf(num, "variable %s is declared twice or is reserved", m[1])
		return
	}
	p.checkRefs(num, m[2])
	p.known[m[1]] = true
	p.lab.Vars = append(p.lab.Vars, Var{Name: m[1], Default: m[2], Doc: Text{"en": m[3]}, Line: num, Kind: kind})
}

// varDoc reads "## var.LANG NAME TEXT": the description of a variable
// declared before, in LANG.
func (p *parser) varDoc(num int, lang, rest string) {
	name, doc, _ := strings.Cut(rest, " ")
	doc = strings.TrimSpace(doc)
	var v *Var
	for i := range p.lab.Vars {
		if p.lab.Vars[i].Name == name {
			v = &p.lab.Vars[i]
		}
	}
	switch {
	case !isLanguage(lang):
		p.errorf(num, "unknown language %q in %q: use one of %s", lang, "## var."+lang, strings.Join(Languages, ", "))
	case v == nil:
		p.errorf(num, "## var.%s %s: declare the variable first with \"## var %s=DEFAULT description\"", lang, name, name)
	case doc == "":
		p.errorf(num, "## var.%s %s wants a description after the name", lang, name)
	default:
		v.Doc[lang] = doc
	}
}

func isKind(word string) bool {
	for _, k := range Kinds {
		if k == word {
			return true
		}
	}
	return false
}

// fastValue reads "## fast NAME=VALUE": VALUE is the rest of the line.
func (p *parser) fastValue(num int, decl string) {
	if p.step != nil {
		p.errorf(num, "## fast belongs before the first step")
		return
	}
	name, value, ok := strings.Cut(decl, "=")
	var v *Var
	for i := range p.lab.Vars {
		if p.lab.Vars[i].Name == name {
			v = &p.lab.Vars[i]
		}
	}
	switch {
	case !ok || name == "":
		p.errorf(num, "## fast wants NAME=VALUE, got %q", decl)
	case v == nil:
		p.errorf(num, "## fast %s: declare the variable first with \"## var %s=DEFAULT description\"", name, name)
	case v.HasFast:
		p.errorf(num, "## fast %s: a second fast value", name)
	default:
		p.checkRefs(num, value)
		v.Fast, v.HasFast = strings.TrimSpace(value), true
	}
}

// checkRefs reports references to variables that nothing defines.
func (p *parser) checkRefs(num int, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		name, n := varRef(s[i+1:])
		if n > 0 && !p.known[name] {
			p.errorf(num, "unknown variable $%s: declare it with \"## var %s=DEFAULT description\"", name, name)
		}
		i += n
	}
}

func (p *parser) command(num int, text string) {
	words, refs, err := splitWords(text)
	if err != nil {
		p.errorf(num, "%v", err)
		return
	}
	if len(words) == 0 {
		return
	}
	for _, r := range refs {
		if !p.known[r] {
			p.errorf(num, "unknown variable $%s: declare it with \"## var %s=DEFAULT description\"", r, r)
		}
	}
	if p.step == nil {
		p.errorf(num, "command outside any step: start one with \"## step ID\"")
		return
	}
	if p.role == 0 {
		p.errorf(num, "command before \"## actions\" or \"## checks\" in step %q: the runner must know whether it changes the engine or checks it", p.step.ID)
		return
	}
	cmd, negated, retried := 0, false, false
	for cmd < len(words) {
		w := words[cmd]
		switch {
		case strings.HasPrefix(w, "[") && strings.HasSuffix(w, "]") && !negated && !retried:
			cond := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(w[1:len(w)-1]), "!"))
			if !p.vocab.KnownCondition(cond) {
				p.errorf(num, "unknown condition [%s] (labrun help format lists them)", cond)
				return
			}
		case w == "!" && !negated && !retried:
			negated = true
		case w == Retry && !retried:
			retried = true
		default:
			goto found
		}
		cmd++
	}
	p.errorf(num, "no command on this line")
	return
found:
	if p.mistakes && retried {
		p.errorf(num, "a mistake is looked at once, before each check of the step: drop the %q", Retry)
		return
	}
	line := Line{Num: num, Text: text, Role: p.role, Words: words, Cmd: cmd, Keeps: p.keeps, Mistake: p.mistakes}
	if spec, ok := p.vocab.Lookup(words[cmd]); ok {
		line.Prepares = spec.Prepares
	}
	if p.validateCommand(line, negated, retried) {
		p.step.Lines = append(p.step.Lines, line)
	}
}

// withDefaults expands the lab's variables in args with their defaults.
func (p *parser) withDefaults(args []string) []string {
	vals := map[string]string{}
	for _, v := range p.lab.Vars {
		vals[v.Name] = Expand(v.Default, vals)
	}
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = Expand(a, vals)
	}
	return out
}

func (p *parser) validateCommand(l Line, negated, retried bool) bool {
	name, args := l.Words[l.Cmd], l.Words[l.Cmd+1:]
	spec, ok := p.vocab.Lookup(name)
	if !ok {
		p.errorf(l.Num, "unknown command %q (labrun help format lists them)", name)
		return false
	}
	ok = true
	fail := func(format string, a ...any) {
		p.errorf(l.Num, format, a...)
		ok = false
	}
	switch {
	case spec.Role == Check && l.Role == Action:
		fail("%s is a check: put it under \"## checks\"", name)
	case spec.Role == Action && l.Role == Check:
		fail("%s changes the engine: put it under \"## actions\"", name)
	case retried && !spec.Retryable:
		fail("%s cannot be retried with %q: only checks that observe the engine can", name, Retry)
	case negated && !spec.Negatable:
		fail("%s cannot be negated with \"!\"", name)
	case len(args) < spec.MinArgs:
		fail("%s wants at least %d argument(s), got %d", name, spec.MinArgs, len(args))
	case spec.MaxArgs >= 0 && len(args) > spec.MaxArgs:
		fail("%s wants at most %d argument(s), got %d", name, spec.MaxArgs, len(args))
	}
	if l.Role == Check && spec.Runs {
		fail("%s runs a program, and checks only observe: put it under \"## actions\", or check with one of labrun's checks (labrun help format)", name)
	}
	if l.Role == Check && spec.Writes != nil {
		for _, path := range spec.Writes(args) {
			if err := insideWorkDir(path); err != nil {
				fail("%s %s: %v: under \"## checks\" a command writes only inside the run's work directory", name, path, err)
			}
		}
	}
	if ok && spec.Validate != nil {
		if err := spec.Validate(p.withDefaults(args)); err != nil {
			fail("%s: %v", name, err)
		}
	}
	for _, i := range spec.FileArgs {
		if i < len(args) && !strings.Contains(args[i], "$") && args[i] != "stdout" && args[i] != "stderr" {
			if _, found := p.lab.Files[args[i]]; !found && !p.made[args[i]] {
				fail("%s: no file %q in the lab (add a \"-- %s --\" section)", name, args[i], args[i])
			}
		}
	}
	if spec.SetsVar && len(args) > 0 {
		p.known[args[0]] = true
	}
	if name == "cp" && len(args) > 0 {
		p.made[args[len(args)-1]] = true
	}
	if name == "env" {
		for _, a := range args {
			if k, _, found := strings.Cut(a, "="); found {
				p.known[k] = true
			}
		}
	}
	return ok
}

func (p *parser) finish() {
	p.endStep()
	if len(p.lab.Steps) == 0 && len(p.errs) == 0 {
		p.errorf(0, "no steps: a lab needs at least one \"## step ID\"")
	}
	if len(p.lab.Title) == 0 && len(p.errs) == 0 {
		p.errorf(1, "the lab has no title: add \"## title.en ...\" before the first step")
	}
}

func isLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// ValidID reports whether id may name a step or a lab: lower-case letters,
// digits and dashes, starting with a letter.
func ValidID(id string) bool { return stepIDPattern.MatchString(id) }

// namelessMarker returns the number of the first line that is exactly
// "-- --", or 0. txtar's parser panics on such a line (its marker's start
// and end overlap), so the loader rejects it first.
func namelessMarker(data []byte) int {
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSuffix(line, "\r") == "-- --" {
			return i + 1
		}
	}
	return 0
}

// insideWorkDir tells whether a path a command writes stays inside the
// script's work directory: relative, with no way up, and no variable
// that could lead elsewhere.
func insideWorkDir(path string) error {
	clean := filepath.ToSlash(filepath.Clean(path))
	switch {
	case strings.Contains(path, "$"):
		return i18n.Errorf("a variable may lead outside the work directory")
	case filepath.IsAbs(path) || strings.HasPrefix(path, "/"):
		return i18n.Errorf("an absolute path")
	case clean == ".." || strings.HasPrefix(clean, "../"):
		return i18n.Errorf("a path out of the work directory")
	}
	return nil
}

// safeFileName tells whether a file of the archive stays inside the
// lab's directory when written: a relative path with no way up.
func safeFileName(name string) error {
	clean := filepath.ToSlash(filepath.Clean(name))
	switch {
	case filepath.IsAbs(name) || strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`):
		return i18n.Errorf("file %q: an absolute path; a lab's files stay inside its directory", name)
	case clean == ".." || strings.HasPrefix(clean, "../"):
		return i18n.Errorf("file %q: a path out of the lab's directory; a lab's files stay inside it", name)
	case strings.Contains(name, `\`):
		return i18n.Errorf("file %q: write paths with /", name)
	}
	return nil
}

// fileMarkerLine is the line of a file's "-- NAME --" marker, for errors.
func fileMarkerLine(data []byte, name string) int {
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "-- "+name+" --" {
			return i + 1
		}
	}
	return 1
}
