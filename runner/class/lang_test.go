package class

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnswersInRequestLanguage: the server words its answers in the
// language the request asks for (Accept-Language, which a student's
// labrun sets from its --lang), else in the class's, so that a French
// student told their name is taken reads it in French on an English
// class's server; the board's page comes in the class's language.
func TestAnswersInRequestLanguage(t *testing.T) {
	s := startServer(t, filepath.Join(t.TempDir(), "class.db"), 19252)
	base := strings.TrimSuffix(s.info.Join, "/join/"+filepath.Base(s.info.Join))
	for _, tc := range []struct {
		name, method, url, accept, want string
	}{
		{"a wrong join code, no language asked", "POST", base + "/join/ZZZZZZ", "", "no class has this join code"},
		{"a wrong join code, in French", "POST", base + "/join/ZZZZZZ", "fr", "aucune classe n'a ce code d'inscription"},
		{"a wrong join code, a browser's French", "POST", base + "/join/ZZZZZZ", "fr-FR,fr;q=0.9,en;q=0.8", "aucune classe n'a ce code"},
		{"a wrong join code, a language labrun does not speak", "POST", base + "/join/ZZZZZZ", "de-DE", "no class has this join code"},
		{"the board without the token, in French", "GET", base + "/board", "fr", "demandent le jeton du formateur"},
		{"the board's page, the class's language", "GET", s.info.Board, "fr", `<html lang="en">`},
		{"the join page, in French", "GET", s.info.Join, "fr", `--name "Prénom Nom"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, tc.url, strings.NewReader(`{"v":1,"name":"Zoé"}`))
			if err != nil {
				t.Fatal(err)
			}
			if tc.accept != "" {
				req.Header.Set("Accept-Language", tc.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if !strings.Contains(string(body), tc.want) {
				t.Errorf("%s %s (Accept-Language %q): %s, want %q", tc.method, tc.url, tc.accept, body, tc.want)
			}
		})
	}
}
