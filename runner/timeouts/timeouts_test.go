package timeouts

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestDefaultsDocumented proves that every timeout has a default (Run
// aside, whose default is no bound) and a comment that says what it bounds
// and why its default: the one place where a reader weighs them.
func TestDefaultsDocumented(t *testing.T) {
	docs := fieldDocs(t)
	def := reflect.ValueOf(Default())
	for i := range def.NumField() {
		name := def.Type().Field(i).Name
		d := def.Field(i).Interface().(time.Duration)
		if d <= 0 && name != "Run" {
			t.Errorf("%s: default %s, want a positive duration", name, d)
		}
		if doc := docs[name]; !strings.Contains(doc, "Default") {
			t.Errorf("%s: its comment %q does not give and explain its default", name, doc)
		}
	}
}

func TestWithDefaults(t *testing.T) {
	if got := (Timeouts{}).WithDefaults(); got != Default() {
		t.Errorf("zero Timeouts with defaults: %+v, want %+v", got, Default())
	}
	got := Timeouts{Step: 5 * time.Second, Run: time.Minute}.WithDefaults()
	want := Default()
	want.Step, want.Run = 5*time.Second, time.Minute
	if got != want {
		t.Errorf("got %+v, want %+v: set fields kept, the others defaulted", got, want)
	}
}

// fieldDocs reads the doc comments of Timeouts' fields from the source.
func fieldDocs(t *testing.T) map[string]string {
	f, err := parser.ParseFile(token.NewFileSet(), "timeouts.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Timeouts" {
			return true
		}
		for _, field := range ts.Type.(*ast.StructType).Fields.List {
			for _, name := range field.Names {
				docs[name.Name] = field.Doc.Text()
			}
		}
		return false
	})
	return docs
}
