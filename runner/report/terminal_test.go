package report

import "testing"

// TestStyleFor pins how colour and the live status line follow the
// environment's conventions and the stream itself.
func TestStyleFor(t *testing.T) {
	for _, tc := range []struct {
		name             string
		env              map[string]string
		tty              bool
		wantColour, live bool
	}{
		{"terminal", nil, true, true, true},
		{"pipe", nil, false, false, false},
		{"NO_COLOR on a terminal", map[string]string{"NO_COLOR": "1"}, true, false, true},
		{"FORCE_COLOR into a pipe", map[string]string{"FORCE_COLOR": "1"}, false, true, false},
		{"CLICOLOR_FORCE into a pipe", map[string]string{"CLICOLOR_FORCE": "1"}, false, true, false},
		{"FORCE_COLOR=0 is not forcing", map[string]string{"FORCE_COLOR": "0"}, false, false, false},
		{"NO_COLOR beats FORCE_COLOR", map[string]string{"NO_COLOR": "1", "FORCE_COLOR": "1"}, true, false, true},
		{"TERM=dumb: no colour, no status line", map[string]string{"TERM": "dumb"}, true, false, false},
		{"TERM=dumb with FORCE_COLOR: colour, still no status line", map[string]string{"TERM": "dumb", "FORCE_COLOR": "1"}, true, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			colour, live := styleFor(func(k string) string { return tc.env[k] }, tc.tty)
			if colour != tc.wantColour || live != tc.live {
				t.Errorf("styleFor = colour %v, live %v; want %v, %v", colour, live, tc.wantColour, tc.live)
			}
		})
	}
}
