// Package exit holds labrun's exit codes and the errors that map to them,
// shared by every front-end (run, verify, guide, doctor, classroom) and
// the command line, so that a usage mistake is exit 2 wherever it is made.
package exit

import "github.com/labrun/labrun/runner/i18n"

// Exit codes of labrun's commands.
const (
	Pass        = 0
	Fail        = 1
	Error       = 2   // usage, lab file or environment: nothing was created
	Hangup      = 129 // SIGHUP: the terminal or ssh session closed
	Interrupted = 130 // SIGINT (Ctrl-C)
	Terminated  = 143 // SIGTERM
)

// UsageError is a mistake in the command line, a lab file or the
// environment: exit 2, before anything is created on the engine.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError, a sentence of the catalogue (runner/i18n)
// worded in the run's language where it is printed.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: i18n.Errorf(format, args...)}
}

// FlagError is a usage error in the value of a flag: the command line
// points the user at -h.
type FlagError struct{ UsageError }

// Flagf returns a FlagError, a sentence of the catalogue worded where it
// is printed.
func Flagf(format string, args ...any) error {
	return &FlagError{UsageError{Err: i18n.Errorf(format, args...)}}
}
