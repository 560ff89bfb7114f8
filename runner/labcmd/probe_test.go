package labcmd

import (
	"strings"
	"testing"
)

func TestProbeWant(t *testing.T) {
	during := proberCounts{Open: true, Sent: 412, Failed: 0,
		Hosts:    map[string]int{"a": 100, "b": 100, "c": 100, "d": 112},
		Releases: map[string]int{"1.0": 200, "1.1": 212}}
	paused := proberCounts{Open: true, Sent: 363, Hosts: map[string]int{"a": 121, "b": 121, "c": 121}, Releases: map[string]int{"1.1": 363}}
	outage := proberCounts{Open: true, Sent: 211, Failed: 48, LastError: "no such host",
		Hosts: map[string]int{"a": 27, "e": 136}, Releases: map[string]int{"1.0": 136, "1.1": 27}}
	tests := []struct {
		name   string
		counts proberCounts
		pairs  []string
		want   string // "" when it holds, else a part of the error
	}{
		{"a clean rollout", during, []string{"failed=0", "min-sent=100", "releases=1.1,1.0"}, ""},
		{"too few requests", during, []string{"min-sent=500"}, "412 sent, want at least 500"},
		{"both releases answered", during, []string{"releases=1.1"}, "releases 1.0,1.1 answered, want 1.1"},
		{"the three 1.1 tasks kept serving", paused, []string{"failed=0", "hosts=3", "releases=1.1"}, ""},
		{"a fourth container", during, []string{"hosts=3"}, "4 containers answered, want 3"},
		{"an outage is not zero failed", outage, []string{"failed=0"}, "48 failed, want 0"},
		{"an outage", outage, []string{"min-failed=1"}, ""},
		{"no outage", paused, []string{"min-failed=1"}, "0 failed, want at least 1"},
		{"no answer at all", proberCounts{}, []string{"releases=1.1"}, "releases none answered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := parseProbeWant(tc.pairs)
			if err != nil {
				t.Fatal(err)
			}
			err = w.match(tc.counts)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("match: %v, want it to hold", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("match: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestProbeWantMissedRelease(t *testing.T) {
	tests := []struct {
		name     string
		releases string
		seen     map[string]int
		want     bool
	}{
		{"started after the update", "releases=1.0,1.1", map[string]int{"1.1": 300}, true},
		{"started after the stop-first update", "releases=1.0,1.1", map[string]int{"1.0": 30}, true},
		{"saw the update", "releases=1.0,1.1", map[string]int{"1.0": 30, "1.1": 30}, false},
		{"another release", "releases=1.0,1.1", map[string]int{"2.0": 30}, false},
		{"no answer at all", "releases=1.0,1.1", map[string]int{}, false},
		{"one release wanted", "releases=1.1", map[string]int{"1.0": 30}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := parseProbeWant([]string{tc.releases})
			if err != nil {
				t.Fatal(err)
			}
			if got := w.missedRelease(proberCounts{Releases: tc.seen}); got != tc.want {
				t.Errorf("missedRelease(%v) = %t, want %t", tc.seen, got, tc.want)
			}
		})
	}
}

func TestProbeWantErrors(t *testing.T) {
	for _, pairs := range [][]string{{"failed"}, {"failed=none"}, {"failed=-1"}, {"colour=red"}, {"releases="}} {
		if _, err := parseProbeWant(pairs); err == nil {
			t.Errorf("parseProbeWant(%q): no error", pairs)
		}
	}
}

func TestProberCountsString(t *testing.T) {
	tests := []struct {
		counts proberCounts
		want   string
	}{
		{proberCounts{Open: true, Sent: 363, Hosts: map[string]int{"a": 121, "b": 121, "c": 121}, Releases: map[string]int{"1.1": 363}},
			"363 requests, 0 failed; answers from 3 containers, of release 1.1 (363)"},
		{proberCounts{Open: true, Sent: 10, Failed: 4, LastError: "no such host", Hosts: map[string]int{"a": 6}, Releases: map[string]int{"1.0": 2, "1.1": 4}},
			"10 requests, 4 failed; answers from 1 container, of release 1.0 (2), 1.1 (4); last error: no such host"},
		{proberCounts{}, "0 requests, 0 failed"},
	}
	for _, tc := range tests {
		if got := tc.counts.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}
