package labs_test

import (
	"os"
	"strings"
	"testing"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
)

// seed is the French tutorial the whoami labs come from, beside the
// repository as in CI.
const seed = "../../shared/seed/000_dc74c7eabeb88efe.txt"

// TestBuiltInLabsLoad proves every built-in lab is valid and speaks both
// languages in every title.
func TestBuiltInLabsLoad(t *testing.T) {
	names := labs.Names()
	if len(names) == 0 {
		t.Fatal("no built-in lab")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, _ := labs.Read(name)
			l, err := lab.Load(name+labs.Ext, data, labcmd.NewVocabulary())
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range l.Steps {
				for _, lang := range lab.Languages {
					if _, ok := s.Title[lang]; !ok {
						t.Errorf("step %s has no title in %s", s.ID, lang)
					}
					if _, ok := s.Text[lang]; !ok {
						t.Errorf("step %s has no text in %s", s.ID, lang)
					}
				}
			}
		})
	}
}

// TestNodeFilesAreTheTutorials proves the node flavour builds the
// tutorial's own files, byte for byte: 1.0 is the tutorial's index.js,
// package.json and Dockerfile; 2.0 differs only by its bug in index.js.
func TestNodeFilesAreTheTutorials(t *testing.T) {
	text, err := os.ReadFile(seed)
	if err != nil {
		t.Fatalf("the tutorial is not beside the repository: %v", err)
	}
	// The tutorial's first three code blocks are the three files.
	parts := strings.Split(string(text), "```\n")
	if len(parts) < 7 {
		t.Fatalf("the tutorial has %d code blocks, want at least 3", len(parts)/2)
	}
	want := map[string]string{"index.js": parts[1], "package.json": parts[3], "Dockerfile": parts[5]}
	data, _ := labs.Read("whoami-rollback")
	l, err := lab.Load("whoami-rollback.txtar", data, labcmd.NewVocabulary())
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range want {
		if got := string(l.Files["node/1.0/"+name]); got != content {
			t.Errorf("node/1.0/%s differs from the tutorial's:\n%s\nwant:\n%s", name, got, content)
		}
		got := string(l.Files["node/2.0/"+name])
		if name != "index.js" && got != content {
			t.Errorf("node/2.0/%s differs from the tutorial's", name)
		}
		if name == "index.js" && (got == content || !strings.Contains(got, "deliberate bug")) {
			t.Errorf("node/2.0/index.js must be the tutorial's with its deliberate bug:\n%s", got)
		}
	}
}
