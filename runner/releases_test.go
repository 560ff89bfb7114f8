package runner

import (
	"reflect"
	"testing"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
)

// TestGuideReleases: the guide writes a build context for each release
// the lab builds, in the lab's order, once each.
func TestGuideReleases(t *testing.T) {
	tests := []struct {
		lab  string
		want []string
	}{
		{"whoami-rollback", []string{"1.0", "2.0"}},
		{"whoami-zero-downtime", []string{"1.0", "1.1", "2.0"}},
	}
	for _, tc := range tests {
		t.Run(tc.lab, func(t *testing.T) {
			data, ok := labs.Read(tc.lab)
			if !ok {
				t.Fatalf("no built-in lab %s", tc.lab)
			}
			l, err := lab.Load(tc.lab+labs.Ext, data, labcmd.NewVocabulary())
			if err != nil {
				t.Fatal(err)
			}
			if got := WhoamiReleases(l); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("releases = %q, want %q", got, tc.want)
			}
		})
	}
}
