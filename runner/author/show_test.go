package author

import (
	"bytes"
	"strings"
	"testing"
)

// TestShowWrapped: labrun show off a terminal wraps its paragraphs at 80
// columns between words, in either language, and lists the variables
// described in the language asked for (issue 13, 5).
func TestShowWrapped(t *testing.T) {
	t.Setenv("COLUMNS", "")
	for _, tc := range []struct{ lang, doc string }{
		{"en", "SERVICE=whoami  the swarm service's name"},
		{"fr", "SERVICE=whoami  le nom du service swarm"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var b bytes.Buffer
			if err := Show(&b, "whoami-rollback", tc.lang, false); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !strings.Contains(out, tc.doc) {
				t.Errorf("no %q in:\n%s", tc.doc, out)
			}
			long := 0
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "   $ ") {
					continue // a command to type, kept on one line to be copied
				}
				if n := len([]rune(l)); n > 80 {
					t.Errorf("a line of %d columns: %q", n, l)
				}
				if len([]rune(l)) > 60 {
					long++
				}
			}
			if long < 5 {
				t.Errorf("only %d lines fill the width: the text is not wrapped as one paragraph", long)
			}
		})
	}
}
