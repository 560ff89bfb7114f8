package labcmd

import "testing"

// TestSameReference: a service's image matches the step's whether or not
// the CLI pinned its digest or spelled Docker Hub's implicit prefix.
func TestSameReference(t *testing.T) {
	for _, tc := range []struct {
		spec, ref string
		want      bool
	}{
		{"whoami:1.0", "whoami:1.0", true},
		{"whoami:1.0@sha256:0123abcd", "whoami:1.0", true},
		{"docker.io/library/whoami:1.0", "whoami:1.0", true},
		{"whoami:2.0", "whoami:1.0", false},
		{"whoami", "whoami:1.0", false},
		{"lucj/whoami:1.0", "whoami:1.0", false},
	} {
		if got := sameReference(tc.spec, tc.ref); got != tc.want {
			t.Errorf("sameReference(%q, %q) = %v, want %v", tc.spec, tc.ref, got, tc.want)
		}
	}
}
