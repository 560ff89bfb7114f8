package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestFailureFormat pins the one piece of testscript's text labrun reads:
// the FAIL line that says where a script failed. It runs a real script
// through testscript.RunT, as a run does, with a failing builtin (whose
// failure no labrun command types) and checks what parseFailure makes
// of its log.
func TestFailureFormat(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "lab.txtar")
	if err := os.WriteFile(script, []byte("# a comment\nexists nosuchfile\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st := &scriptT{}
	testscript.RunT(st, testscript.Params{Files: []string{script}, WorkdirRoot: dir})
	if !st.failed {
		t.Fatalf("the script passed; log:\n%s", st.log.String())
	}
	got, ok := parseFailure(st.log.String())
	if !ok {
		t.Fatalf("no FAIL line in testscript's log: its format changed:\n%s", st.log.String())
	}
	if got.file != script || got.line != 2 || got.message != "$WORK/nosuchfile does not exist" {
		t.Errorf("parseFailure = %+v, want {%s 2 $WORK/nosuchfile does not exist}; log:\n%s", got, script, st.log.String())
	}
}

// TestParseFailure: the last FAIL line wins, and a log without one is
// said to have none.
func TestParseFailure(t *testing.T) {
	tests := []struct {
		name, log string
		want      failureAt
		ok        bool
	}{
		{"one", "> exists x\nFAIL: /tmp/l.txtar:7: x does not exist\n", failureAt{"/tmp/l.txtar", 7, "x does not exist"}, true},
		{"last wins", "FAIL: a.txtar:1: first\nFAIL: a.txtar:9: second: with: colons\n", failureAt{"a.txtar", 9, "second: with: colons"}, true},
		{"none", "> exec true\n", failureAt{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseFailure(tc.log)
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseFailure = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestLastBytes(t *testing.T) {
	long := strings.Repeat("0123456789\n", 1000)
	got := lastBytes("en", long, 100)
	if !strings.HasPrefix(got, "[") || !strings.Contains(got, "bytes left out]\n") || len(got) > 130 {
		t.Errorf("lastBytes: %d bytes: %q", len(got), got)
	}
	if kept := strings.SplitN(got, "\n", 2)[1]; !strings.HasPrefix(kept, "0123456789\n") {
		t.Errorf("not cut at a line: %q", kept)
	}
	if lastBytes("en", "short", 100) != "short" {
		t.Error("a short text was changed")
	}
	// A cut inside a multi-byte character moves to its start's end.
	if got := lastBytes("en", strings.Repeat("é", 100), 51); !utf8.ValidString(got) {
		t.Errorf("cut inside a character: %q", got)
	}
}
