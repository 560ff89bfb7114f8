package i18n

import (
	"regexp"
	"slices"
	"testing"
)

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestCatalogue: every sentence has every language, with the same verbs
// in the same order, so that one set of arguments fits each wording.
func TestCatalogue(t *testing.T) {
	for id, e := range catalogue {
		t.Run(id, func(t *testing.T) {
			want := verb.FindAllString(e["en"], -1)
			for _, lang := range Languages {
				format, ok := e[lang]
				if !ok {
					t.Fatalf("no %s wording", lang)
				}
				if got := verb.FindAllString(format, -1); !slices.Equal(got, want) {
					t.Errorf("%s verbs %v, en %v", lang, got, want)
				}
			}
		})
	}
}

// TestSay: the text is in the language asked for, English when the
// language has none, and the arguments pass through unchanged.
func TestSay(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"fr", "il n'a pas répondu à une sonde à 10:00, ce que labrun retient pendant 24 heures"},
		{"en", "it did not answer a probe at 10:00, which labrun remembers for 24 hours"},
		{"de", "it did not answer a probe at 10:00, which labrun remembers for 24 hours"},
	} {
		m := Say(tc.lang, "mesh-dead-since", "10:00", 24)
		if m.Text != tc.want || m.ID != "mesh-dead-since" || len(m.Args) != 2 {
			t.Errorf("%s: %+v, want %q", tc.lang, m, tc.want)
		}
	}
}
