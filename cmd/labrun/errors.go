package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Subcommands do not print the error that ends them: they return it, and
// exitStatus, called once by dispatch, prints it and chooses the exit
// status. Two kinds of error come back: a usageError (the command line is
// wrong) and an exitError (the runner's verdict).

// usageError is a mistake on the command line: a flag, its value, the
// number of arguments. It is printed as "labrun CMD: message" with a hint
// at -h, and labrun exits 2.
type usageError struct{ err error }

// Error returns the mistake, without the subcommand's name.
func (e *usageError) Error() string { return e.err.Error() }

// Unwrap returns the mistake.
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usageError, a sentence of the catalogue (runner/i18n)
// worded in the subcommand's language when it is printed.
func usagef(format string, args ...any) error {
	return &usageError{i18n.Errorf(format, args...)}
}

// exitError ends labrun with an exit status chosen by the runner, after
// printing err, if any, as "PREFIX: err" (one line per error when err
// joins several). A exit.FlagError adds the hint at -h.
type exitError struct {
	code int
	// err is nil when the subcommand's own output already said what
	// happened (a failing step, a lint finding).
	err error
	// prefix is "labrun" unless the subcommand names itself, as doctor
	// has always done.
	prefix string
}

// Error returns the error, or the exit status when the output said it.
func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

// Unwrap returns the runner's error, if any.
func (e *exitError) Unwrap() error { return e.err }

// exitWith turns a runner's exit code and error into what a subcommand
// returns: nil for success with nothing to say.
func exitWith(code int, err error) error {
	if code == 0 && err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

// exitStatus prints the error that ended cmd, the one place where labrun
// prints an error, and returns labrun's exit status.
func exitStatus(cmd *cobra.Command, err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	// A subcommand's subcommand (class serve) is named in full.
	name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	lang := commandLang(cmd)
	hint := func() { fmt.Fprintln(stderr, i18n.Textf(lang, "Run \"labrun %s -h\" for its flags.", name)) }
	var usage *usageError
	if errors.As(err, &usage) {
		fmt.Fprintf(stderr, "labrun %s: %s\n", name, i18n.In(lang, usage.err))
		hint()
		return 2
	}
	var e *exitError
	if !errors.As(err, &e) {
		e = &exitError{code: exit.Error, err: err}
	}
	prefix := e.prefix
	if prefix == "" {
		prefix = "labrun"
	}
	errs := []error{e.err}
	if joined, ok := e.err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	for _, err := range errs {
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", prefix, i18n.In(lang, err))
		}
	}
	if errors.As(e.err, new(*exit.FlagError)) {
		hint()
	}
	return e.code
}

// commandLang is the language cmd's errors are worded in: its --lang, as
// parsed, else the command line's (helpLang: dispatch read it before
// cobra parsed anything, so that a flag error met before --lang, or on a
// subcommand without --lang, is worded in it too), else the locale's.
func commandLang(cmd *cobra.Command) string {
	if f := cmd.Flags().Lookup("lang"); f != nil && f.Changed {
		return f.Value.String()
	}
	return helpLang(cmd)
}

// flagParseError is cobra's FlagErrorFunc: pflag's parse errors become
// usage errors, worded as Go's flag package worded them, which labrun
// printed for years and which scripts and tests match, in the command
// line's language: every error pflag returns has its case here.
func flagParseError(_ *cobra.Command, err error) error {
	var notExist *pflag.NotExistError
	var needsValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	var syntax *pflag.InvalidSyntaxError
	switch {
	case errors.As(err, &syntax):
		err = i18n.Errorf("bad flag syntax: %s", syntax.GetSpecifiedFlag())
	case errors.As(err, &notExist):
		err = i18n.Errorf("flag provided but not defined: -%s", notExist.GetSpecifiedName())
	case errors.As(err, &needsValue):
		err = i18n.Errorf("flag needs an argument: -%s", needsValue.GetFlag().Name)
	case errors.As(err, &invalid):
		err = invalidValue(invalid)
	}
	return &usageError{err}
}

// invalidValue words a bad flag value as Go's flag package did.
func invalidValue(e *pflag.InvalidValueError) error {
	f, cause := e.GetFlag(), errors.Unwrap(e)
	if verdict, ok := cause.(*flagVerdict); ok {
		return verdict
	}
	// Go's flag package said only "parse error" or "value out of range"
	// of the values it parsed itself; a Value of labrun's says its own.
	var num *strconv.NumError
	switch {
	case errors.As(cause, &num) && num.Err == strconv.ErrRange:
		cause = i18n.Errorf("value out of range")
	case errors.As(cause, &num) || f.Value.Type() == "duration":
		cause = i18n.Errorf("parse error")
	}
	if f.Value.Type() == "bool" {
		return i18n.Errorf("invalid boolean value %q for -%s: %v", e.GetValue(), f.Name, cause)
	}
	return i18n.Errorf("invalid value %q for flag -%s: %v", e.GetValue(), f.Name, cause)
}
