package lab

import (
	"regexp"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// The commands that the generated script calls in place of directives.
// They are the runner's, never a lab author's: the loader rejects them.
const (
	// StepMarker "lab-step ID" replaces "## step ID": the step begins.
	StepMarker = "lab-step"
	// ExecCommand replaces exec in the generated script, so that the runner
	// reports each command as it runs; it then runs it as exec does.
	ExecCommand = "lab-exec"
)

var execWord = regexp.MustCompile(`(^|[ \t])exec([ \t]|$)`)

// Selector chooses the script lines of a run: the runner uses it to run
// only the checks, or only some steps.
type Selector func(*Step, Line) bool

// All selects every line.
func All(*Step, Line) bool { return true }

// ChecksOnly selects the checks, for a student who types the actions.
func ChecksOnly(_ *Step, l Line) bool { return l.Role == Check }

// InStep narrows a selector to one step's lines.
func InStep(id string, keep Selector) Selector {
	return func(s *Step, l Line) bool { return s.ID == id && keep(s, l) }
}

// Preparing selects the actions that prepare a step's instructions.
func Preparing(_ *Step, l Line) bool { return l.Prepares }

// ActionsOnly selects the actions: what a student would type.
func ActionsOnly(_ *Step, l Line) bool { return l.Role == Action }

// Script returns the lab as a testscript archive that runs the lines keep
// selects. Every other line becomes blank, so the script has the lab's
// line numbers. vals are the run's values of the variables: those of the
// args kind are spliced into the lines, word by word, since testscript
// expands a variable into one word.
func (l *Lab) Script(keep Selector, vals map[string]string) []byte {
	args := map[string][]string{}
	for _, v := range l.Vars {
		if v.Kind == KindArgs {
			args[v.Name] = strings.Fields(vals[v.Name])
		}
	}
	byLine := map[int]*Step{}
	lines := map[int]Line{}
	// A step's marker is kept when the script runs any of its lines (or it
	// has none), so that partial scripts announce only their own steps.
	marked := map[*Step]bool{}
	for _, s := range l.Steps {
		byLine[s.Line] = s
		marked[s] = len(s.Lines) == 0
		for _, ln := range s.Lines {
			lines[ln.Num] = ln
			byLine[ln.Num] = s
			marked[s] = marked[s] || keep(s, ln) && !ln.Mistake
		}
	}
	out := make([]string, len(l.script))
	for i, text := range l.script {
		num := i + 1
		trimmed := strings.TrimSpace(text)
		switch {
		case strings.HasPrefix(trimmed, "## step ") && byLine[num] != nil:
			if marked[byLine[num]] {
				out[i] = StepMarker + " " + byLine[num].ID
			}
		default:
			ln, isCommand := lines[num]
			// Mistakes are the session's to look at, before each check.
			if isCommand && !ln.Mistake && keep(byLine[num], ln) {
				out[i] = spliceArgs(rewriteExec(ln), args)
			}
		}
	}
	a := &txtar.Archive{Comment: []byte(strings.Join(out, "\n") + "\n")}
	names := make([]string, 0, len(l.Files))
	for name := range l.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a.Files = append(a.Files, txtar.File{Name: name, Data: l.Files[name]})
	}
	return txtar.Format(a)
}

// rewriteExec turns the line's exec command into ExecCommand.
func rewriteExec(l Line) string {
	if l.Command() != "exec" {
		return l.Text
	}
	loc := execWord.FindStringSubmatchIndex(l.Text)
	if loc == nil {
		return l.Text
	}
	start := loc[3] // end of the blank before "exec"
	return l.Text[:start] + ExecCommand + l.Text[start+len("exec"):]
}

// spliceArgs replaces every unquoted word of line that is exactly $NAME or
// ${NAME}, for NAME in args, with the words of its value, each quoted; a
// variable without words leaves no word at all. Quoted text and words that
// only contain a reference are left to testscript's expansion.
func spliceArgs(line string, args map[string][]string) string {
	if len(args) == 0 || !strings.Contains(line, "$") {
		return line
	}
	var out strings.Builder
	quoted := false
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case quoted:
			if c == '\'' {
				quoted = false
			}
		case c == '\'':
			quoted = true
		case c == '#':
			out.WriteString(line[i:])
			return out.String()
		case c == '$' && (i == 0 || strings.ContainsRune(" \t\r", rune(line[i-1]))):
			// An unquoted word that starts with a reference: look at it whole.
			end := i
			for end < len(line) && !strings.ContainsRune(" \t\r'#", rune(line[end])) {
				end++
			}
			word := line[i:end]
			name, _ := varRef(word[1:])
			words, ok := args[name]
			if !ok || word != "$"+name && word != "${"+name+"}" || end < len(line) && line[end] == '\'' {
				out.WriteString(word)
				i = end
				continue
			}
			for j, w := range words {
				if j > 0 {
					out.WriteByte(' ')
				}
				out.WriteString("'" + strings.ReplaceAll(w, "'", "''") + "'")
			}
			i = end
			continue
		}
		out.WriteByte(c)
		i++
	}
	return out.String()
}
