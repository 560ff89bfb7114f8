package nodemap

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/exit"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []Entry
		err        string // the error's text, file:line first
	}{
		{name: "empty", file: "", want: nil},
		{name: "comments and blank lines", file: "# the class's swarm\n\n   \n10.77.12.2 tcp://10.77.12.2:2375 # worker 1\n",
			want: []Entry{{Node: "10.77.12.2", URL: "tcp://10.77.12.2:2375", File: "nodes", Line: 4}}},
		{name: "address ID hostname", file: "10.0.0.2\ttcp://10.0.0.2:2376\nabc123def456 ssh://u@node2\nnode-3   unix:///run/n3.sock\n",
			want: []Entry{
				{Node: "10.0.0.2", URL: "tcp://10.0.0.2:2376", File: "nodes", Line: 1},
				{Node: "abc123def456", URL: "ssh://u@node2", File: "nodes", Line: 2},
				{Node: "node-3", URL: "unix:///run/n3.sock", File: "nodes", Line: 3},
			}},
		{name: "no URL", file: "# x\nnode-2\n", err: "nodes:2: want a node and its engine's URL (NODE URL), got 1 words"},
		{name: "three words", file: "node-2 tcp://a:1 extra\n", err: "nodes:1: want a node and its engine's URL (NODE URL), got 3 words"},
		{name: "http scheme", file: "node-2 http://a:2375\n", err: "nodes:1: http://a:2375: want a unix://, tcp:// or ssh:// URL, as for --host"},
		{name: "tcp without port", file: "node-2 tcp://10.0.0.2\n", err: "nodes:1: tcp://10.0.0.2: a tcp:// URL needs a host and a port"},
		{name: "ssh without host", file: "node-2 ssh://\n", err: "nodes:1: ssh://: an ssh:// URL needs a host name"},
		{name: "unix without path", file: "node-2 unix://\n", err: "nodes:1: unix://: a unix:// URL needs a socket path"},
		{name: "twice", file: "n tcp://a:1\n\nn tcp://b:1\n", err: "nodes:3: node n is already listed on line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse("nodes", strings.NewReader(tc.file))
			if tc.err != "" {
				var usage *exit.UsageError
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) || !errors.As(err, &usage) {
					t.Fatalf("err %v, want a usage error starting %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestReadMissing(t *testing.T) {
	_, err := Read(t.TempDir() + "/absent")
	var usage *exit.UsageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--nodes") {
		t.Fatalf("err %v, want a usage error naming --nodes", err)
	}
}
