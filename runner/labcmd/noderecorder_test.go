package labcmd

import "testing"

func TestChangesNodes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"docker", "node", "update", "--availability", "drain", "node-22"}, true},
		{[]string{"/usr/bin/docker", "node", "update", "--label-add", "a=b", "n"}, true},
		{[]string{"docker", "node", "ls"}, false},
		{[]string{"docker", "service", "update", "--constraint-add", "node.labels.a==b", "web"}, false},
		{[]string{"echo", "node", "update"}, false},
	} {
		if got := changesNodes(tc.args); got != tc.want {
			t.Errorf("changesNodes(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
