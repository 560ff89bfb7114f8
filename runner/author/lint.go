package author

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
)

// LintResult counts what Lint found.
type LintResult struct {
	Labs, Errors, Warnings int
}

// labFile is a lab's text and the name its findings show.
type labFile struct {
	name string
	data []byte
}

// Lint checks labs without an engine (lab.Lint) and writes one line per
// finding to w, then a count of them to notes when there are any, both
// worded in lang; a finding keeps its file:line prefix in every language. Each
// argument is a built-in lab's name, a lab file or a directory, whose
// .txtar files are checked. Every argument is read before any lab is
// checked: one that names nothing is a UsageError and nothing is written
// to w. A file that does not end in .txtar is skipped with a note, so that
// `labrun lint labs/*` checks the labs beside the Go files that embed them.
func Lint(w, notes io.Writer, lang string, args []string) (LintResult, error) {
	var files []labFile
	for _, arg := range args {
		found, err := lintInputs(arg, notes, lang)
		if err != nil {
			return LintResult{}, err
		}
		files = append(files, found...)
	}
	if len(files) == 0 {
		return LintResult{}, exit.Usagef("no lab file among %s", strings.Join(args, " "))
	}
	vocab := labcmd.NewVocabulary()
	res := LintResult{Labs: len(files)}
	failed := 0
	for _, f := range files {
		findings := lab.Lint(f.name, f.data, vocab)
		if len(findings) > 0 {
			failed++
		}
		for _, fd := range findings {
			fmt.Fprintln(w, fd.In(lang))
			if fd.Warning {
				res.Warnings++
			} else {
				res.Errors++
			}
		}
	}
	if failed > 0 {
		in := i18n.Sprintf("%d of %d labs", failed, res.Labs)
		if res.Labs == 1 {
			in = i18n.Sprintf("%d of 1 lab", failed)
		}
		fmt.Fprintln(notes, i18n.Textf(lang, "labrun lint: %s, %s in %s",
			count(res.Errors, i18n.Sprintf("0 errors"), i18n.Sprintf("1 error"), i18n.Sprintf("%d errors", res.Errors)),
			count(res.Warnings, i18n.Sprintf("0 warnings"), i18n.Sprintf("1 warning"), i18n.Sprintf("%d warnings", res.Warnings)),
			in))
	}
	return res, nil
}

// lintInputs reads the labs one argument names; a note it writes to
// notes is worded in lang.
func lintInputs(arg string, notes io.Writer, lang string) ([]labFile, error) {
	if data, ok := labs.Read(arg); ok {
		return []labFile{{arg + labs.Ext, data}}, nil
	}
	info, err := os.Stat(arg)
	switch {
	case err != nil && !strings.ContainsAny(arg, `/\`) && !strings.HasSuffix(arg, labs.Ext):
		return nil, exit.Usagef("unknown lab %q: built-in labs are %s; or give a lab file's path", arg, strings.Join(labs.Names(), ", "))
	case err != nil:
		return nil, exit.Usagef("cannot read lab file: %v", err)
	case info.IsDir():
		paths, err := filepath.Glob(filepath.Join(arg, "*"+labs.Ext))
		if err != nil {
			return nil, exit.Usagef("%s: %v", arg, err)
		}
		if len(paths) == 0 {
			return nil, exit.Usagef("%s: no %s lab file in this directory", arg, labs.Ext)
		}
		sort.Strings(paths)
		var out []labFile
		for _, p := range paths {
			f, err := readLabFile(p)
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		return out, nil
	case !strings.HasSuffix(arg, labs.Ext):
		fmt.Fprintln(notes, i18n.Textf(lang, "labrun lint: skipping %s: not a %s lab file", arg, labs.Ext))
		return nil, nil
	}
	f, err := readLabFile(arg)
	if err != nil {
		return nil, err
	}
	return []labFile{f}, nil
}

func readLabFile(path string) (labFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return labFile{}, exit.Usagef("cannot read lab file: %v", err)
	}
	return labFile{filepath.Clean(path), data}, nil
}

// count is n things: the sentence for none, for one or for many, each
// worded from the catalogue where the note is printed, since languages
// do not agree on the plural of 0 (0 errors, aucune erreur).
func count(n int, zero, one, many i18n.Sentence) i18n.Sentence {
	switch n {
	case 0:
		return zero
	case 1:
		return one
	}
	return many
}
