package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/labcmd"
)

const (
	formatBegin = "<!-- BEGIN labrun help format -->\n"
	formatEnd   = "<!-- END labrun help format -->"
)

// TestREADMEFormat fails when the README's copy of the lab format reference
// differs from what labrun help format prints. UPDATE_README=1 rewrites it.
func TestREADMEFormat(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	begin, end := strings.Index(readme, formatBegin), strings.Index(readme, formatEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the %q ... %q markers", formatBegin, formatEnd)
	}
	var gen bytes.Buffer
	labcmd.WriteFormat(&gen)
	want := "```\n" + gen.String() + "```\n"
	got := readme[begin+len(formatBegin) : end]
	if got == want {
		return
	}
	if os.Getenv("UPDATE_README") == "1" {
		updated := readme[:begin+len(formatBegin)] + want + readme[end:]
		if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's lab format reference is stale: run UPDATE_README=1 go test ./cmd/labrun -run TestREADMEFormat")
}
