package author

import (
	"testing"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
)

// TestBuiltInLabsLintClean proves that every built-in lab passes labrun
// lint with no error and no warning: the labs are the format's examples.
func TestBuiltInLabsLintClean(t *testing.T) {
	for _, name := range labs.Names() {
		t.Run(name, func(t *testing.T) {
			data, _ := labs.Read(name)
			for _, f := range lab.Lint(name+labs.Ext, data, labcmd.NewVocabulary()) {
				t.Error(f)
			}
		})
	}
}
