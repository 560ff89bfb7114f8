package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sourceCalls are the calls, anywhere in labrun, whose argument at the
// index is the English format of a sentence of the catalogue.
var sourceCalls = map[string]int{
	"i18n.Errorf": 0, "i18n.Sprintf": 0, "i18n.Textf": 1, "Textf": 1, "Errorf": 0, "Sprintf": 0,
	"c.Saw": 0, "Saw": 0,
	"exit.Usagef": 0, "exit.Flagf": 0, "usagef": 0,
	// A lab file's problems (runner/lab's parser).
	"p.errorf": 1, "fail": 0, "s.fail": 1,
	// labrun lint's findings (runner/lab's linter).
	"ln.errorf": 1, "ln.warnf": 1,
	// labrun cluster's messages (runner/cluster).
	"o.errorf": 0, "o.say": 0,
	// A class member's notices to the student (runner/class).
	"m.say": 0,
}

// sentenceWord is a run of two or more lower-case letters: a format made
// of verbs, punctuation and names in capitals has nothing to translate.
var sentenceWord = regexp.MustCompile(`(^|[^%a-zA-Z])[a-z]{2,}`)

// sourceSentences lists the English formats labrun's source hands to the
// catalogue, with their positions. Errorf and Sprintf without a package
// count only in package i18n itself, where they are its own.
func sourceSentences(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	fset := token.NewFileSet()
	for _, root := range []string{"../../runner", "../../cmd/labrun"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			inI18n := f.Name.Name == "i18n"
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				var fn string
				switch f := call.Fun.(type) {
				case *ast.SelectorExpr:
					if x, ok := f.X.(*ast.Ident); ok {
						fn = x.Name + "." + f.Sel.Name
					}
				case *ast.Ident:
					fn = f.Name
					if (fn == "Errorf" || fn == "Sprintf" || fn == "Textf") && !inI18n {
						return true
					}
				}
				i, ok := sourceCalls[fn]
				if !ok || len(call.Args) <= i {
					return true
				}
				if s, ok := literal(call.Args[i]); ok {
					found[s] = fset.Position(call.Pos()).String()
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(found) < 100 {
		t.Fatalf("found %d sentences: the scan misses the calls", len(found))
	}
	return found
}

// literal returns the string constant e spells, literals joined by +.
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		x, ok1 := literal(e.X)
		y, ok2 := literal(e.Y)
		return x + y, ok1 && ok2 && e.Op == token.ADD
	}
	return "", false
}

// TestEverySourceSentenceInEveryLanguage: every sentence labrun's source
// builds through the catalogue (an error, a notice, an input error of
// exit 2) has a wording in every language, so that a run in one never
// shows a sentence of labrun's in another.
func TestEverySourceSentenceInEveryLanguage(t *testing.T) {
	for s, pos := range sourceSentences(t) {
		if !sentenceWord.MatchString(s) {
			continue
		}
		for _, lang := range Languages[1:] {
			if !Has(s, lang) {
				t.Errorf("%s: no %s wording for %q", pos, lang, s)
			}
		}
	}
}
