package author

import (
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
)

// TestSkeletonFrench: labrun new --lang fr writes the same lab as in
// English, line for line, but for its comments, which are all French: a
// French skeleton that drifted from the English one would teach another
// lab. It lints clean, as the English one does.
func TestSkeletonFrench(t *testing.T) {
	en, err := SkeletonIn("my-lab", "en")
	if err != nil {
		t.Fatal(err)
	}
	fr, err := SkeletonIn("my-lab", "fr")
	if err != nil {
		t.Fatal(err)
	}
	// split returns the lab's lines and its comments apart.
	split := func(text []byte) (lines, comments []string) {
		for _, l := range strings.Split(string(text), "\n") {
			if strings.HasPrefix(l, "# ") || l == "#" {
				comments = append(comments, l)
			} else {
				lines = append(lines, l)
			}
		}
		return lines, comments
	}
	enLines, enComments := split(en)
	frLines, frComments := split(fr)
	if strings.Join(enLines, "\n") != strings.Join(frLines, "\n") {
		t.Errorf("the French skeleton's lab differs from the English one's:\n%s\n----\n%s", strings.Join(frLines, "\n"), strings.Join(enLines, "\n"))
	}
	if len(frComments) < len(enComments) || len(enComments) == 0 {
		t.Errorf("%d French comment lines, %d English", len(frComments), len(enComments))
	}
	for _, c := range frComments {
		for _, w := range []string{" the ", " and ", " is ", " a step", "Check your"} {
			if strings.Contains(c, w) {
				t.Errorf("English in a French comment (%q): %s", w, c)
			}
		}
	}
	if !strings.Contains(strings.Join(enComments, "\n"), " the ") {
		t.Fatal("the English comments hold no \" the \": the scan above proves nothing")
	}
	for _, f := range lab.Lint("my-lab.txtar", fr, labcmd.NewVocabulary()) {
		t.Error(f)
	}
	// A language labrun does not speak gets the English skeleton.
	if de, err := SkeletonIn("my-lab", "de"); err != nil || string(de) != string(en) {
		t.Errorf("--lang de: %v\n%s", err, de)
	}
}
