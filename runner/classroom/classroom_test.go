package classroom

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/exit"
)

func TestParseHosts(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
		wantErr    string
	}{
		{name: "urls, comments and blank lines",
			text: "# room 101\ntcp://10.77.1.2:2375\n\n   unix:///run/e2/docker.sock  \n# off today: tcp://10.77.3.2:2375\nssh://student@pc4:2222\n",
			want: []string{"tcp://10.77.1.2:2375", "unix:///run/e2/docker.sock", "ssh://student@pc4:2222"}},
		{name: "no scheme", text: "tcp://a:2375\n10.77.1.2:2375\n", wantErr: "room.txt:2: \"10.77.1.2:2375\" is not an engine URL"},
		{name: "unknown scheme", text: "http://a:2375\n", wantErr: "room.txt:1: \"http://a:2375\": scheme http: want unix, tcp or ssh"},
		{name: "unix without a path", text: "# x\n\nunix://\n", wantErr: "room.txt:3: \"unix://\": a unix:// URL needs a socket path"},
		{name: "tcp without a host", text: "tcp://:2375\n", wantErr: "room.txt:1: \"tcp://:2375\": no host name"},
		{name: "two URLs on a line", text: "tcp://a:1 tcp://b:2\n", wantErr: "room.txt:1: \"tcp://a:1 tcp://b:2\" is not an engine URL"},
		{name: "twice", text: "tcp://a:1\ntcp://b:2\ntcp://a:1\n", wantErr: "room.txt:3: engine tcp://a:1 is already on line 1"},
		{name: "empty", text: "# nobody\n\n", wantErr: "room.txt: no engine in it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseHosts("room.txt", []byte(tc.text))
			if tc.wantErr != "" {
				var ue *exit.UsageError
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.As(err, &ue) {
					t.Fatalf("ParseHosts = %q, %v; want a usage error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("ParseHosts = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestCheckHosts(t *testing.T) {
	tests := []struct {
		hosts   []string
		wantErr string
	}{
		{[]string{"tcp://a:1", "unix:///s", "ssh://h"}, ""},
		{nil, "no engine given"},
		{[]string{"tcp://a:1", "tcp://a:1"}, "engine tcp://a:1 is given twice"},
		{[]string{"tcp://a:1", "a:1"}, "--host: \"a:1\" is not an engine URL"},
	}
	for _, tc := range tests {
		err := CheckHosts(tc.hosts)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("CheckHosts(%q) = %v, want %q", tc.hosts, err, tc.wantErr)
		}
	}
}

func TestClassroomCode(t *testing.T) {
	tests := []struct {
		codes []int
		want  int
	}{
		{[]int{0, 0, 0}, exit.Pass},
		{[]int{0, 1, 0}, exit.Fail},
		{[]int{1, 2, 0}, exit.Error},
		{[]int{2, 130, 1}, exit.Interrupted},
	}
	for _, tc := range tests {
		if got := classroomCode(tc.codes); got != tc.want {
			t.Errorf("classroomCode(%v) = %d, want %d", tc.codes, got, tc.want)
		}
	}
}

func TestEngineLabels(t *testing.T) {
	got := engineLabels([]string{"tcp://10.77.1.2:2375", "unix:///run/labrun-engines/2/docker.sock", "ssh://student@pc3"})
	want := []string{"10.77.1.2:2375", "/run/labrun-engines/2/docker.sock", "student@pc3"}
	if !slices.Equal(got, want) {
		t.Errorf("engineLabels = %q, want %q", got, want)
	}
}

// TestParseEntries: labrun cluster's hosts files take an optional second
// column, the advertise address; a classroom run's take none, and the
// same URL checks and file:line apply to both.
func TestParseEntries(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		advertise  bool
		want       string // the entries, or the error
	}{
		{"two columns", "# class\ntcp://10.0.0.5:2375\n\nunix:///run/d.sock 10.0.0.6\n", true,
			"[{tcp://10.0.0.5:2375  2} {unix:///run/d.sock 10.0.0.6 4}]"},
		{"interface name", "ssh://pc2 eth0\n", true, "[{ssh://pc2 eth0 1}]"},
		{"three words", "tcp://10.0.0.5:2375\ntcp://10.0.0.6:2375 10.0.0.6 x\n", true, "f:2: want URL [ADVERTISE-ADDR], got 3 words"},
		{"a port", "tcp://10.0.0.5:2375 10.0.0.5:2377\n", true, `f:1: "10.0.0.5:2377" is not an advertise address: want an IP address or an interface name, without a port`},
		{"a URL as address", "tcp://10.0.0.5:2375 tcp://10.0.0.5\n", true, `f:1: "tcp://10.0.0.5" is not an advertise address: want an IP address or an interface name, without a port`},
		{"IPv6", "tcp://[fd00::5]:2375 fd00::5\n", true, "[{tcp://[fd00::5]:2375 fd00::5 1}]"},
		{"bad URL first", "10.0.0.5:2375 10.0.0.5\n", true, `f:1: "10.0.0.5:2375" is not an engine URL: want unix:///path, tcp://host:port or ssh://[user@]host`},
		{"one column only", "tcp://10.0.0.5:2375 10.0.0.5\n", false, `f:1: "tcp://10.0.0.5:2375 10.0.0.5" is not an engine URL: want unix:///path, tcp://host:port or ssh://[user@]host`},
		{"twice", "tcp://10.0.0.5:2375\ntcp://10.0.0.5:2375 10.0.0.5\n", true, "f:2: engine tcp://10.0.0.5:2375 is already on line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseEntries("f", []byte(tc.data), tc.advertise)
			s := fmt.Sprint(got)
			if err != nil {
				s = err.Error()
			}
			if s != tc.want {
				t.Errorf("got %s\nwant %s", s, tc.want)
			}
		})
	}
}
