package owner

import (
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/i18n"
)

// TestForeignErrorInEveryLanguage: an object labrun did not create is
// named in the run's language, its kind and its detail worded too.
func TestForeignErrorInEveryLanguage(t *testing.T) {
	for _, tc := range []struct {
		err  *ForeignError
		lang string
		want []string
	}{
		{&ForeignError{Kind: "network", Name: "n", File: "l.txtar", Line: 3, Detail: i18n.Sprintf("created %s", "2026-12-02T10:00:00Z"), Var: "NET"},
			"en", []string{"l.txtar:3: network n already exists (created 2026-12-02T10:00:00Z) and this run did not create it", "--set NET=..."}},
		{&ForeignError{Kind: "network", Name: "n", File: "l.txtar", Line: 3, Detail: i18n.Sprintf("created %s", "2026-12-02T10:00:00Z"), Var: "NET"},
			"fr", []string{"l.txtar:3 : réseau n existe déjà (création : 2026-12-02T10:00:00Z) et ce run n'en est pas l'auteur", "--set NET=..."}},
		{&ForeignError{Kind: "image", Name: "i:1.0", File: "l.txtar", Line: 4, Detail: i18n.Sprintf("id %.19s", "sha256:0123456789abcdef")},
			"fr", []string{"image i:1.0 existe déjà (id sha256:0123456789ab)"}},
	} {
		got := tc.err.In(tc.lang)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q does not say %q", tc.lang, got, w)
			}
		}
	}
}
