package labcmd

import (
	"reflect"
	"testing"

	"github.com/labrun/labrun/runner/lab"
)

// TestTableEntries proves that each command is one complete value: it is
// documented, says what it is, carries what that kind needs to run, and
// leaves to Lookup what follows from its kind, so that no second place can
// disagree with it.
func TestTableEntries(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Table() {
		t.Run(c.Name, func(t *testing.T) {
			if c.Name == "" || seen[c.Name] {
				t.Fatalf("name %q empty or twice in the table", c.Name)
			}
			seen[c.Name] = true
			if c.Usage.Summary == "" {
				t.Error("no Usage.Summary: labrun help format would show nothing")
			}
			switch c.Kind {
			case Check:
				if c.Observe == nil || c.Act != nil {
					t.Error("a check runs with Observe alone")
				}
			case Action:
				if c.Act == nil || c.Observe != nil {
					t.Error("an action runs with Act alone")
				}
				if c.Spec.Negatable {
					t.Error(`an action cannot be negated: "!" would not undo what it changed`)
				}
			case Builtin:
				if c.Act != nil || c.Observe != nil || c.Poll != 0 {
					t.Error("a builtin is testscript's to run: no Observe, Act or Poll")
				}
			default:
				t.Fatalf("Kind %v: want Check, Action or Builtin", c.Kind)
			}
			if c.Spec.Role != 0 || c.Spec.Retryable || c.Spec.Validate != nil {
				t.Error("Spec.Role, Spec.Retryable and Spec.Validate follow from Kind and Validate: leave them zero")
			}
		})
	}
}

// TestValidationInItsEntry proves that the commands whose arguments are
// judged at load carry their validation themselves, and that the loader
// gets it, with the role and retryability of the command's kind.
func TestValidationInItsEntry(t *testing.T) {
	validated := []string{
		"engine-api", "port-free", "service-running", "service-spec", "update-state", "tasks",
		"image-healthcheck", "http-get", "container-file", "probe-check", "network-exists",
	}
	v := NewVocabulary()
	for _, name := range validated {
		c := v[name]
		if c == nil {
			t.Errorf("%s: not in the table", name)
			continue
		}
		if c.Validate == nil {
			t.Errorf("%s: no Validate in its entry", name)
		}
	}
	for name, c := range v {
		spec, ok := v.Lookup(name)
		if !ok {
			t.Fatalf("%s: Lookup does not find it", name)
		}
		if got, want := funcPtr(spec.Validate), funcPtr(c.Validate); got != want {
			t.Errorf("%s: the loader's Validate is not the entry's", name)
		}
		wantRole := map[Kind]lab.Role{Check: lab.Check, Action: lab.Action, Builtin: 0}[c.Kind]
		if spec.Role != wantRole || spec.Retryable != (c.Kind == Check) {
			t.Errorf("%s (%v): loader sees role %v, retryable %t", name, c.Kind, spec.Role, spec.Retryable)
		}
	}
}

func funcPtr(f func([]string) error) uintptr {
	if f == nil {
		return 0
	}
	return reflect.ValueOf(f).Pointer()
}
