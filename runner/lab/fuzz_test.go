package lab

import (
	"errors"
	"strings"
	"testing"
)

// FuzzLoad feeds the loader arbitrary files: it must never panic, and a
// rejection must be an ErrorList whose entries name the file.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(goodLab))
	f.Add([]byte(""))
	f.Add([]byte("## step\n"))
	f.Add([]byte("## title.en T\n## step a\n## title.en A\n## checks\nstdout 'x\n"))
	f.Add([]byte("## title.en T\n## step a\n## title.en A\n## checks\n! * probe ${X\n-- f --\n"))
	f.Add([]byte("\xff\xfe## step a"))
	f.Add([]byte("## title.en T\n-- --\r\n"))
	f.Add([]byte(kindsLab))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Load("fuzz.txtar", data, testVocab)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.File != "fuzz.txtar" || e.Line < 0 {
					t.Fatalf("bad position in %v", e)
				}
			}
			return
		}
		_ = l.Script(All, nil)
		// Splice the args variables too, with their fast values.
		vals, err := l.Values(Mode{Fast: true})
		if err != nil {
			t.Fatalf("values: %v", err)
		}
		_ = l.Script(All, vals)
		args := map[string][]string{}
		for _, v := range l.Vars {
			if v.Kind == KindArgs {
				args[v.Name] = strings.Fields(vals[v.Name])
			}
		}
		for _, s := range l.Steps {
			for _, ln := range s.Lines {
				if _, _, err := splitWords(spliceArgs(ln.Text, args)); err != nil {
					t.Fatalf("line %q spliced with %q no longer parses: %v", ln.Text, args, err)
				}
			}
		}
	})
}
