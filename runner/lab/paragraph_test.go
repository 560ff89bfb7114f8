package lab

import (
	"strings"
	"testing"
)

// TestWrap: lines break between words only, within the width, with the
// first line's lead and the others' indent; a word longer than a line is
// kept whole.
func TestWrap(t *testing.T) {
	text := "Le routing mesh du swarm ne fonctionne pas sur ce moteur : le service est publié en mode host à la place."
	for _, width := range []int{20, 33, 40, 80} {
		got := Wrap(text, width, "  ✗ ", "    ")
		lines := strings.Split(got, "\n")
		for i, l := range lines {
			if n := len([]rune(l)); n > width {
				t.Errorf("width %d: line %d is %d wide: %q", width, i, n, l)
			}
			if i > 0 && !strings.HasPrefix(l, "    ") {
				t.Errorf("width %d: line %d not indented: %q", width, i, l)
			}
		}
		if !strings.HasPrefix(got, "  ✗ Le") {
			t.Errorf("width %d: first line %q", width, lines[0])
		}
		if joined := strings.Join(strings.Fields(strings.TrimPrefix(got, "  ✗ ")), " "); joined != text {
			t.Errorf("width %d: words changed: %q", width, joined)
		}
	}
	if got := Wrap("a supercalifragilistic b", 10, "", ""); got != "a\nsupercalifragilistic\nb" {
		t.Errorf("a long word: %q", got)
	}
	// French punctuation stays with its word: no line starts with it.
	for _, tc := range []struct{ text, want string }{
		{"Docker 17.09 ou plus récent : c'est la version", "Docker 17.09 ou\nplus récent :\nc'est la version"},
		{"prêt ? oui ! « le » mot ; fin", "prêt ? oui !\n« le » mot ; fin"},
	} {
		if got := Wrap(tc.text, 16, "", ""); got != tc.want {
			t.Errorf("Wrap(%q, 16) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
