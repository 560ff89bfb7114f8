package author

import (
	"errors"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/exit"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
)

// TestSkeleton proves that labrun new's skeleton lints clean whatever its
// name, and that names outside the id charset are refused.
func TestSkeleton(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string
	}{
		{"a", ""},
		{"my-lab", ""},
		{"my-lab.txtar", ""},
		{"lab2", ""},
		{"", "lab name \"\""},
		{"My-Lab", "lab name \"My-Lab\": use lower-case letters"},
		{"2lab", "lab name \"2lab\""},
		{"a/b", "lab name \"a/b\""},
		{"a b", "lab name \"a b\""},
		{"snake_case", "lab name \"snake_case\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Skeleton(tc.name)
			if tc.wantErr != "" {
				var usage *exit.UsageError
				if err == nil || !errors.As(err, &usage) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want a usage error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			file := strings.TrimSuffix(tc.name, labs.Ext) + labs.Ext
			for _, f := range lab.Lint(file, data, labcmd.NewVocabulary()) {
				t.Error(f)
			}
			l, err := lab.Load(file, data, labcmd.NewVocabulary())
			if err != nil {
				t.Fatal(err)
			}
			var preflight, checked, creates bool
			for _, s := range l.Steps {
				preflight = preflight || s.Preflight
				checked = checked || len(s.Actions()) > 0 && len(s.Checks()) > 0 && !s.Preflight
			}
			creates = len(l.Creates) > 0 && len(l.Vars) > 0
			if !preflight || !checked || !creates || l.Steps[len(l.Steps)-1].ID != "cleanup" {
				t.Errorf("skeleton lacks a preflight step (%v), a checked action step (%v), resources and variables (%v) or a last cleanup step", preflight, checked, creates)
			}
		})
	}
}
