package labcmd

import (
	"testing"

	"github.com/labrun/labrun/runner/lab"
)

// vars is an Env of fixed variables, for the pure helpers of a Call.
type vars map[string]string

func (v vars) Getenv(name string) string { return v[name] }
func (v vars) Setenv(name, value string) { v[name] = value }
func (v vars) MkAbs(file string) string  { return file }

// TestLabCreates: the objects a lab declares are matched by kind and by
// name as this run's variables make it, so that the wrong-name detector
// never offers to remove a service of the lab's own.
func TestLabCreates(t *testing.T) {
	c := &Call{Session: &Session{Lab: &lab.Lab{Creates: []lab.Resource{
		{Kind: "service", Name: "$SERVICE"}, {Kind: "service", Name: "$GLOBAL"}, {Kind: "image", Name: "$IMAGE:1.0"},
	}}}, Env: vars{"SERVICE": "nodes-web", "GLOBAL": "nodes-agent", "IMAGE": "whoami"}}
	for _, tc := range []struct {
		kind, name string
		want       bool
	}{
		{"service", "nodes-agent", true},
		{"service", "nodes-web", true},
		{"service", "nodes-webb", false},
		{"service", "whoami:1.0", false},
		{"image", "whoami:1.0", true},
	} {
		if got := c.labCreates(tc.kind, tc.name); got != tc.want {
			t.Errorf("labCreates(%q, %q) = %v, want %v", tc.kind, tc.name, got, tc.want)
		}
	}
	if (&Call{Session: &Session{}}).labCreates("service", "x") {
		t.Error("a call without a lab claims a service")
	}
}
