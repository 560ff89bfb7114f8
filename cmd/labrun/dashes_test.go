package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/i18n"
)

// TestTwoDashes checks which arguments twoDashes rewrites for cobra: the
// long flags Go's flag package read with one dash, and nothing else.
func TestTwoDashes(t *testing.T) {
	run := newRunCommand()
	run.InitDefaultHelpFlag()
	for _, tc := range []struct {
		args, want, oneDash string
	}{
		{"LAB -json r.json", "LAB --json r.json", "json"},
		{"-json=r.json LAB", "--json=r.json LAB", "json"},
		{"LAB -set PORT=1 -set=IMAGE=x -keep-images", "LAB --set PORT=1 --set=IMAGE=x --keep-images", "set keep-images"},
		{"LAB -fast=false -timeout 5m -repeat 2", "LAB --fast=false --timeout 5m --repeat 2", "fast timeout repeat"},
		{"LAB -help", "LAB --help", "help"},
		// Two dashes, one letter, a lone dash: as they were.
		{"LAB --json - -v -q --v -", "LAB --json - -v -q --v -", ""},
		// The value of a flag is not a flag, with one dash or two.
		{"LAB --json -set", "LAB --json -set", ""},
		{"LAB -json -set -set A=1", "LAB --json -set --set A=1", "json set"},
		// A bool flag takes no next argument: -frob is a flag again.
		{"LAB -fast -frob", "LAB --fast --frob", "fast"},
		// Unknown flags get two dashes too, and are refused as before,
		// but the notice is for labrun's flags only.
		{"LAB -frobnicate -vq -x", "LAB --frobnicate --vq -x", ""},
		// --h was -h for Go's flag package.
		{"LAB --h", "LAB -h", ""},
		// "--" ends the flags.
		{"-- LAB -json", "-- LAB -json", ""},
		{"LAB -json r.json -- -json", "LAB --json r.json -- -json", "json"},
		// Each flag named once in the notice.
		{"LAB -set A=1 -set B=2", "LAB --set A=1 --set B=2", "set"},
	} {
		got, oneDash := twoDashes(run.Flags(), strings.Fields(tc.args))
		if !slices.Equal(got, strings.Fields(tc.want)) || !slices.Equal(oneDash, strings.Fields(tc.oneDash)) {
			t.Errorf("twoDashes(%s) = %q, notice for %q; want %q, notice for %q", tc.args, got, oneDash, tc.want, tc.oneDash)
		}
	}

	newCmd := newNewCommand()
	if got, _ := twoDashes(newCmd.Flags(), []string{"NAME", "-o", "-odd.txtar"}); !slices.Equal(got, []string{"NAME", "-o", "-odd.txtar"}) {
		t.Errorf("-o's value was rewritten: %q", got)
	}
}

// TestNoteOneDash checks the notice's wording, for one flag and several,
// in the command line's language.
func TestNoteOneDash(t *testing.T) {
	var b bytes.Buffer
	noteOneDash(&b, "en", nil)
	noteOneDash(&b, "en", []string{"json"})
	noteOneDash(&b, "en", []string{"json", "set"})
	noteOneDash(&b, "fr", []string{"lang"})
	want := "labrun: -json is spelled --json (one dash still works)\n" +
		"labrun: -json, -set are spelled --json, --set (one dash still works)\n" +
		"labrun: " + i18n.Textf("fr", "%s is spelled %s (one dash still works)", "-lang", "--lang") + "\n"
	if b.String() != want {
		t.Errorf("notices:\n%s\nwant:\n%s", &b, want)
	}
	if strings.Contains(want, "spelled --lang") {
		t.Errorf("no French for the one-dash note: %q", want)
	}
}
