package labcmd

import (
	"regexp"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
)

// formatTexts are the texts of the lab format's tables that labrun help
// format words: each directive's summary and where it goes (between
// brackets, as it is printed), each
// condition's summary, each command's summary and details.
func formatTexts() []string {
	var texts []string
	for _, d := range lab.Directives {
		texts = append(texts, d.Summary, "("+d.Where+")")
	}
	for _, c := range Conditions {
		texts = append(texts, c.Summary)
	}
	for _, c := range Table() {
		texts = append(texts, c.Usage.Summary, c.Usage.Detail)
	}
	return texts
}

// commandHeader is a command's line in the format reference: its name,
// arguments and kind, the same in every language.
var commandHeader = regexp.MustCompile(`\[(check|action|builtin)\]$`)

// TestFormatInEveryLanguage: labrun help format has every text in every
// language, so that a new directive, condition or command cannot ship
// with an English-only reference: every text of the tables has a
// wording, and no line of words of the English reference (a fixed line
// of WriteFormatIn's too) is in another language's.
func TestFormatInEveryLanguage(t *testing.T) {
	for _, text := range formatTexts() {
		for _, lang := range i18n.Languages[1:] {
			if text != "" && !i18n.Has(text, lang) {
				t.Errorf("no %s wording for %q", lang, text)
			}
		}
	}
	var en strings.Builder
	WriteFormatIn(&en, "en")
	var plain strings.Builder
	WriteFormat(&plain)
	if plain.String() != en.String() {
		t.Error("WriteFormat is not WriteFormatIn in English")
	}
	for _, lang := range i18n.Languages[1:] {
		var other strings.Builder
		WriteFormatIn(&other, lang)
		if other.String() == en.String() {
			t.Fatalf("the reference is the same in %s as in English", lang)
		}
		lines := map[string]bool{}
		for _, line := range strings.Split(other.String(), "\n") {
			lines[strings.TrimSpace(line)] = true
		}
		for _, line := range strings.Split(en.String(), "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !commandHeader.MatchString(line) && lines[line] {
				t.Errorf("%s: English line %q", lang, line)
			}
		}
		// The names a lab is written with are the same in every language.
		for _, c := range Table() {
			if !strings.Contains(other.String(), "\n  "+c.Name+" "+c.Usage.Args+"   ["+c.Kind.String()+"]\n") {
				t.Errorf("%s: no line for command %s", lang, c.Name)
			}
		}
		for _, d := range lab.Directives {
			if !strings.Contains(other.String(), "\n  "+d.Syntax+" ") {
				t.Errorf("%s: no line for directive %s", lang, d.Syntax)
			}
		}
	}
}
