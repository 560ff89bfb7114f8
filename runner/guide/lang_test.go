package guide

import (
	"testing"

	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/i18n"
)

// TestStudentErrorWordsOnlyTheMessage: a step's failure as the student
// reads it is its message, already in the guide's language, whatever
// the catalogue is asked: the lab file's line and the hint are not the
// student's to read there (the hint has its own line).
func TestStudentErrorWordsOnlyTheMessage(t *testing.T) {
	failure := &event.StepError{File: "lab.txtar", Line: 12, Step: "s", Message: "le service n'existe pas", Hint: "créez-le"}
	if whole := i18n.In("fr", failure); whole == failure.Message {
		t.Fatalf("the StepError itself words as its message only: %q; the test proves nothing", whole)
	}
	for _, lang := range []string{"en", "fr"} {
		if got := i18n.In(lang, studentError{failure}); got != failure.Message {
			t.Errorf("%s: %q, want %q", lang, got, failure.Message)
		}
		if got := i18n.Textf(lang, "%s: %v", "s", studentError{failure}); got != i18n.Textf(lang, "%s: %v", "s", failure.Message) {
			t.Errorf("%s: in a sentence: %q", lang, got)
		}
	}
}
