package labcmd

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/i18n"
)

// sentenceCalls are the calls whose first string literal (after the
// language, for Textf) is an English sentence of the catalogue.
var sentenceCalls = map[string]int{"i18n.Errorf": 0, "i18n.Sprintf": 0, "i18n.Textf": 1, "c.Saw": 0, "Saw": 0}

// word is a run of two or more lower-case letters: a format made of
// verbs, punctuation and names in capitals (GET, HEALTHCHECK) has
// nothing to translate.
var word = regexp.MustCompile(`(^|[^%a-zA-Z])[a-z]{2,}`)

// sentences lists the English sentences the package's source builds,
// read from its calls to package i18n, with their positions.
func sentences(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			// &i18n.Sentence{Format: "..."}
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Format" {
					if s, ok := literal(kv.Value); ok {
						found[s] = fset.Position(kv.Pos()).String()
					}
				}
				return true
			}
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
			}
			i, ok := sentenceCalls[fn]
			if !ok || len(call.Args) <= i {
				return true
			}
			if s, ok := literal(call.Args[i]); ok {
				found[s] = fset.Position(call.Pos()).String()
			}
			return true
		})
	}
	if len(found) < 50 {
		t.Fatalf("found %d sentences: the scan misses the calls", len(found))
	}
	return found
}

// TestEverySentenceInFrench: every sentence the checks build has a French
// wording in the catalogue, so that a French run never shows one of
// labrun's sentences in English.
func TestEverySentenceInFrench(t *testing.T) {
	for s, pos := range sentences(t) {
		if !word.MatchString(s) {
			continue
		}
		if !i18n.Has(s, "fr") {
			t.Errorf("%s: no French for %q", pos, s)
		}
	}
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

// TestSaidInFrench: the checks' messages, built by the checks themselves
// from recorded snapshots, are worded whole in French, and the engine's
// own text they quote stays as the engine said it.
func TestSaidInFrench(t *testing.T) {
	_, wrongImage := converged(snapshot(t, "paused"), 1, "whoami:1.0", nil, nil)
	_, notYet := converged(snapshot(t, "paused"), 1, "whoami:2.0", nil, nil)
	_, tasks := matchTasks(snapshot(t, "paused"), taskFilter{image: "whoami:9.9", count: 1})
	engineSaid := errors.New("Bind for 0.0.0.0:8000 failed: port is already allocated")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"wrong image", wrongImage, "le service whoami utilise l'image whoami:2.0 ; cette étape attend whoami:1.0"},
		{"not converged", notYet, "0/1 tâches exécutant whoami:2.0 et saines ; "},
		{"tasks", tasks, "trouvé 0 tâches de whoami:9.9, attendu exactement 1 (tâches, des plus récentes aux plus anciennes : "},
		{"replaced", replaced("0ec9164a5925", "0ec9164a5925"), `a répondu "0ec9164a5925" de nouveau : le même conteneur qu'avant répond, il n'a pas été remplacé`},
		{"wait over", (&Session{Ctx: context.Background(), Options: Options{Lang: "fr"}}).waitError(i18n.Errorf("update state is %s, want %s", "updating", "paused"), 0),
			"toujours pas au bout du délai de l'étape (" /* the step's default */},
		{"the engine's words", i18n.Errorf("%v: stop it, or choose another port with --set PORT=...", engineSaid),
			"Bind for 0.0.0.0:8000 failed: port is already allocated : arrêtez-le, ou choisissez un autre port avec --set PORT=..."},
		{"final, worded beneath", Final(i18n.Errorf("there is no service %s", "whoam")), "il n'y a pas de service whoam"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("the check held")
			}
			got := i18n.In("fr", tc.err)
			if !strings.Contains(got, tc.want) {
				t.Errorf("got  %q\nwant %q in it", got, tc.want)
			}
			if en := tc.err.Error(); en == got {
				t.Errorf("not worded in French: %q", got)
			}
		})
	}
}
