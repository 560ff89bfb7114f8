package author

import (
	"bytes"
	"strings"
	"testing"

	"github.com/labrun/labrun/labs"
)

// TestShowWrapped: labrun show off a terminal wraps its title, headings
// and paragraphs at 80 columns between words, for every built-in lab in
// either language, and lists the variables described in the language
// asked for (issue 13, 5).
func TestShowWrapped(t *testing.T) {
	t.Setenv("COLUMNS", "")
	docs := map[string]string{
		"en": "SERVICE=whoami  the swarm service's name",
		"fr": "SERVICE=whoami  le nom du service swarm",
	}
	for _, name := range labs.Names() {
		for _, lang := range []string{"en", "fr"} {
			t.Run(name+"/"+lang, func(t *testing.T) {
				var b bytes.Buffer
				if err := Show(&b, name, lang, false); err != nil {
					t.Fatal(err)
				}
				out := b.String()
				if name == "whoami-rollback" && !strings.Contains(out, docs[lang]) {
					t.Errorf("no %q in:\n%s", docs[lang], out)
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
}

// TestStepHeading: a step's heading wraps under its title's first word,
// and its [ID] ends the last line or, when it does not fit, has its own.
func TestStepHeading(t *testing.T) {
	for _, tc := range []struct {
		title string
		width int
		want  string
	}{
		{"Build the images", 80, "3. Build the images  [build-images]"},
		{"Update a good release stop-first and watch requests fail", 40,
			"3. Update a good release stop-first and\n   watch requests fail  [build-images]"},
		{"Update a good release stop-first and watch", 40,
			"3. Update a good release stop-first and\n   watch  [build-images]"},
		{"Update a good release stop-first and watch requests fail badly", 40,
			"3. Update a good release stop-first and\n   watch requests fail badly\n   [build-images]"},
	} {
		if got := stepHeading(3, tc.title, "build-images", tc.width); got != tc.want {
			t.Errorf("stepHeading(%q, %d) =\n%s\nwant\n%s", tc.title, tc.width, got, tc.want)
		}
	}
}
