package engine

import "testing"

func TestTopologyMatches(t *testing.T) {
	// Three engines on one machine: they share its hostname.
	topo := Topology{Nodes: []Node{
		{ID: "abcdef1234567890", Hostname: "vm", Addr: "10.77.1.2"},
		{ID: "abcdef9876543210", Hostname: "vm", Addr: "10.77.2.2"},
		{ID: "zzzzzz0000000000", Hostname: "node-3", Addr: "10.77.3.2"},
	}}
	tests := []struct {
		ref     string
		matches int
		findOK  bool
	}{
		{"abcdef1234567890", 1, true}, // a full ID
		{"10.77.2.2", 1, true},        // an address
		{"node-3", 1, true},           // a hostname of its own
		{"vm", 2, false},              // a shared hostname: ambiguous
		{"abcdef", 2, false},          // a prefix of two IDs
		{"abcdef12", 1, true},         // a prefix of one
		{"abc", 0, false},             // too short to be a prefix
		{"10.77.9.2", 0, false},
	}
	for _, tc := range tests {
		if got := topo.Matches(tc.ref); len(got) != tc.matches {
			t.Errorf("Matches(%q) = %d nodes, want %d", tc.ref, len(got), tc.matches)
		}
		if _, ok := topo.Find(tc.ref); ok != tc.findOK {
			t.Errorf("Find(%q) ok = %v, want %v", tc.ref, ok, tc.findOK)
		}
	}
}
