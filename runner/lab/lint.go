package lab

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
)

// Finding is one problem lint found in a lab file.
type Finding struct {
	File string
	Line int // 0 when the problem is the whole file's
	// Msg is the problem in English; Said, when set, the same sentence
	// to be worded in the run's language (runner/i18n).
	Msg  string
	Said i18n.Sentence
	// Warning findings are probably mistakes but do not stop the lab from
	// running as written; the others are errors.
	Warning bool
}

// String formats the finding in English (In).
func (f Finding) String() string { return f.In("en") }

// In formats the finding as file:line: message, the message worded in
// lang, with "warning: " (worded too) before the message of a warning.
// The file:line prefix is the same in every language, so that an editor
// or a script finds the line whatever the author reads.
func (f Finding) In(lang string) string {
	msg := f.Msg
	if f.Said.Format != "" {
		msg = f.Said.In(lang)
	}
	if f.Warning {
		msg = i18n.Textf(lang, "warning: %s", msg)
	}
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", f.File, f.Line, msg)
	}
	return fmt.Sprintf("%s: %s", f.File, msg)
}

// Lint checks a lab file without an engine and returns its problems in line
// order. It reports what Load rejects (syntax, step ids, unknown commands,
// argument counts, undeclared variables, missing embedded files) and, as
// errors, texts written in one language but not the other and steps whose
// actions nothing checks; as warnings, variables declared but never used
// and embedded files that nothing refers to. file is the path shown in
// the findings.
func Lint(file string, data []byte, vocab Vocabulary) []Finding {
	l, errs := parse(file, data, vocab)
	var out []Finding
	for _, e := range errs {
		out = append(out, Finding{File: e.File, Line: e.Line, Msg: e.Msg, Said: e.Said})
	}
	if l != nil {
		ln := &linter{lab: l, vocab: vocab}
		out = append(out, ln.run(data)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// linter reads a loaded (possibly partly loaded) lab's script again, for
// what the loader does not keep: where each text is, which variables and
// files the lines refer to.
type linter struct {
	lab   *Lab
	vocab Vocabulary
	out   []Finding

	usedVars map[string]bool
	// fileRefs are the words that may name an embedded file or one of its
	// directories, cleaned.
	fileRefs map[string]bool
	// commands counts each step's command lines by section, rejected
	// ones included: commands[stepLine][Action].
	commands map[int]map[Role]int
	// texts maps each scope (0 for the lab, else the line of its "## step")
	// to the first line of each per-language directive: texts[scope]["title"]["fr"].
	texts map[int]map[string]map[string]int
}

// warnf and errorf add a finding, a sentence of the catalogue
// (runner/i18n) worded when it is printed.
func (ln *linter) warnf(line int, format string, args ...any) {
	said := i18n.Sprintf(format, args...)
	ln.out = append(ln.out, Finding{File: ln.lab.File, Line: line, Msg: said.In("en"), Said: said, Warning: true})
}

func (ln *linter) errorf(line int, format string, args ...any) {
	said := i18n.Sprintf(format, args...)
	ln.out = append(ln.out, Finding{File: ln.lab.File, Line: line, Msg: said.In("en"), Said: said})
}

func (ln *linter) run(data []byte) []Finding {
	ln.usedVars = map[string]bool{}
	ln.fileRefs = map[string]bool{}
	ln.texts = map[int]map[string]map[string]int{0: {}}
	ln.commands = map[int]map[Role]int{}
	ln.scan()
	ln.checkLanguages()
	ln.checkVarDocs()
	ln.checkChecked()
	ln.checkVars()
	ln.checkFiles(data)
	return ln.out
}

// scan reads every script line once, noting text positions, variable
// references and words that may name files.
func (ln *linter) scan() {
	vals := ln.lab.Defaults(nil)
	scope, role := 0, Role(0)
	lastCommand := 0 // the line a "## say" speaks of
	for i, text := range ln.lab.script {
		num := i + 1
		trimmed := strings.TrimSpace(text)
		switch {
		case trimmed == "##" || strings.HasPrefix(trimmed, "## "):
			key, rest, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(trimmed, "##")), " ")
			rest = strings.TrimSpace(rest)
			if base, lang, ok := strings.Cut(key, "."); ok {
				if base != "title" && base != "text" && base != "hint" && base != "say" {
					continue // the loader reported it
				}
				if base == "say" {
					// Each line's say is a text of its own.
					base = fmt.Sprintf("say%s%d", sayLine, lastCommand)
				}
				if ln.texts[scope][base] == nil {
					ln.texts[scope][base] = map[string]int{}
				}
				if _, seen := ln.texts[scope][base][lang]; !seen {
					ln.texts[scope][base][lang] = num
				}
				ln.useRefs(rest)
				continue
			}
			switch key {
			case "step":
				scope, role = num, 0
				ln.texts[scope] = map[string]map[string]int{}
				ln.commands[scope] = map[Role]int{}
			case "actions":
				role = Action
			case "checks":
				role = Check
			case "keeps", "mistakes":
				// Not counted as checks: they may hold before the actions,
				// so they cannot prove that the actions worked.
				role = keepsSection
			case "var":
				// After an optional kind (## var port PORT=8000 ...).
				if first, after, _ := strings.Cut(rest, " "); isKind(first) {
					rest = strings.TrimSpace(after)
				}
				if m := varDeclPattern.FindStringSubmatch(rest); m != nil {
					ln.useRefs(m[2])
				}
			case "fast":
				ln.useRefs(rest)
			case "creates":
				ln.useRefs(rest)
			case "type":
				ln.useRefs(rest)
				if words, _, err := splitWords(rest); err == nil {
					ln.referFiles(words, vals)
				}
			}
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		default:
			lastCommand = num
			if scope > 0 {
				ln.commands[scope][role]++
			}
			words, refs, err := splitWords(text)
			if err != nil {
				continue // the loader reported it
			}
			for _, r := range refs {
				ln.usedVars[r] = true
			}
			ln.referFiles(words, vals)
			ln.referReads(words, vals)
		}
	}
}

// useRefs notes the variables a directive's text refers to.
func (ln *linter) useRefs(s string) {
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		name, n := varRef(s[i+1:])
		if n > 0 {
			ln.usedVars[name] = true
		}
		i += n
	}
}

// referFiles notes the words of a line, expanded with the variables'
// defaults, as possible names of embedded files or directories; the value
// of a --flag=VALUE word counts too.
func (ln *linter) referFiles(words []string, vals map[string]string) {
	for _, w := range words {
		w = Expand(w, vals)
		ln.referFile(w)
		if _, v, ok := strings.Cut(w, "="); ok {
			ln.referFile(v)
		}
	}
}

func (ln *linter) referFile(w string) {
	if w != "" {
		ln.fileRefs[path.Clean(w)] = true
	}
}

// referReads notes the files a command reads by convention
// (CommandSpec.Reads).
func (ln *linter) referReads(words []string, vals map[string]string) {
	cmd := 0
	for cmd < len(words) && (words[cmd] == "!" || words[cmd] == Retry || strings.HasPrefix(words[cmd], "[")) {
		cmd++
	}
	if cmd >= len(words) {
		return
	}
	spec, ok := ln.vocab.Lookup(words[cmd])
	n := len(words) - cmd - 1
	if !ok || spec.Reads == nil || n < spec.MinArgs || spec.MaxArgs >= 0 && n > spec.MaxArgs {
		return // a line the loader rejected: Reads may count on its arguments
	}
	args := make([]string, 0, len(words)-cmd-1)
	for _, a := range words[cmd+1:] {
		args = append(args, Expand(a, vals))
	}
	for _, f := range spec.Reads(args) {
		ln.referFile(f)
	}
}

// checkLanguages reports a title, text or hint written in some languages
// but not in all: the reader of the other language would silently get the
// fallback.
func (ln *linter) checkLanguages() {
	scopes := make([]int, 0, len(ln.texts))
	for s := range ln.texts {
		scopes = append(scopes, s)
	}
	sort.Ints(scopes)
	for _, s := range scopes {
		where := i18n.Sprintf("the lab")
		if st := ln.stepAt(s); st != nil {
			where = i18n.Sprintf("step %q", st.ID)
		}
		bases := make([]string, 0, len(ln.texts[s]))
		for b := range ln.texts[s] {
			bases = append(bases, b)
		}
		sort.Strings(bases)
		for _, key := range bases {
			langs := ln.texts[s][key]
			base, _, _ := strings.Cut(key, sayLine)
			for _, have := range Languages {
				line, ok := langs[have]
				if !ok {
					continue
				}
				for _, want := range Languages {
					if _, ok := langs[want]; !ok {
						ln.errorf(line, "%s has \"## %s.%s\" but no \"## %s.%s\": write every text in %s", where, base, have, base, want, everyLanguage())
					}
				}
				break // report once, at the first language present
			}
		}
	}
}

// everyLanguage names the languages of Languages, "en and fr", worded
// in the finding's language.
func everyLanguage() i18n.Sentence {
	last := len(Languages) - 1
	return i18n.Sprintf("%s and %s", i18n.Join(Languages[:last], ", "), Languages[last])
}

// sayLine separates "say" from the line it speaks of in the linter's
// text keys.
const sayLine = "@"

// checkVarDocs reports variables described in one language but not the
// other: labrun show and the guide list them in the student's language.
func (ln *linter) checkVarDocs() {
	for _, v := range ln.lab.Vars {
		for _, lang := range Languages {
			if v.Doc[lang] == "" {
				ln.errorf(v.Line, "variable %s has no description in %s: add \"## var.%s %s TEXT\" after it", v.Name, lang, lang, v.Name)
			}
		}
	}
}

// keepsSection counts the lines under "## keeps" apart from the checks.
const keepsSection Role = -1

// checkChecked reports steps that change the engine without checking
// that the change happened: nothing would tell a student, or a run, that
// the step failed. It counts the lines under "## actions" and "## checks"
// as written, so that a rejected line does not make its step look empty.
func (ln *linter) checkChecked() {
	for _, s := range ln.lab.Steps {
		if n := ln.commands[s.Line]; n[Action] > 0 && n[Check] == 0 {
			ln.errorf(s.Line, "step %q has actions but no checks: add \"## checks\" lines that prove the actions worked", s.ID)
		}
	}
}

func (ln *linter) stepAt(line int) *Step {
	for _, s := range ln.lab.Steps {
		if s.Line == line {
			return s
		}
	}
	return nil
}

// checkVars reports declared variables that nothing refers to: --set
// would change nothing.
func (ln *linter) checkVars() {
	for _, v := range ln.lab.Vars {
		if !ln.usedVars[v.Name] {
			ln.warnf(v.Line, "variable %s is declared but never used", v.Name)
		}
	}
}

// checkFiles reports embedded files that no line names, by themselves or
// through one of their directories.
func (ln *linter) checkFiles(data []byte) {
	lines := markerLines(data)
	for name, at := range lines {
		for _, dup := range at[1:] {
			ln.errorf(dup, "embedded file %q appears twice (first at line %d): the last one wins", name, at[0])
		}
	}
	names := make([]string, 0, len(ln.lab.Files))
	for name := range ln.lab.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !ln.referred(name) {
			ln.warnf(lines[name][0], "embedded file %q is never used: no command or \"## type\" line names it or its directory", name)
		}
	}
}

func (ln *linter) referred(name string) bool {
	for p := path.Clean(name); ; p = path.Dir(p) {
		if ln.fileRefs[p] {
			return true
		}
		if p == "." || p == "/" {
			return false
		}
	}
}

// markerLines returns the lines of each file's "-- name --" markers, as
// txtar finds them: every marker after the script starts a file.
func markerLines(data []byte) map[string][]int {
	out := map[string][]int{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --") && len(line) >= len("-- x --") {
			if name := strings.TrimSpace(line[3 : len(line)-3]); name != "" {
				out[name] = append(out[name], i+1)
			}
		}
	}
	return out
}
