package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// argLang is the language the command line asks for with --lang (or
// -lang, --lang=fr, -lang=fr; the last one given wins, as when pflag
// parses it), read before cobra parses anything, so that help and the
// errors met before --lang is parsed, or on a subcommand without --lang,
// are worded in it; the locale's language when the command line gives
// none, or none labrun speaks (its error comes when --lang is parsed).
func argLang(args []string) string {
	lang := defaultLang()
	for i, arg := range args {
		if arg == "--" {
			break
		}
		value, ok := "", false
		switch {
		case arg == "--lang" || arg == "-lang":
			if i+1 < len(args) {
				value, ok = args[i+1], true
			}
		case strings.HasPrefix(arg, "--lang="):
			value, ok = strings.TrimPrefix(arg, "--lang="), true
		case strings.HasPrefix(arg, "-lang="):
			value, ok = strings.TrimPrefix(arg, "-lang="), true
		}
		if ok && (value == "en" || value == "fr") {
			lang = value
		}
	}
	return lang
}

// helpWithoutLang returns args without their --lang when they ask for
// help (labrun help ..., -h, --help) of a command that has no --lang
// (labrun -h, labrun help, labrun list -h): argLang has read it, and
// cobra would refuse it as an unknown flag instead of printing the help.
// A command with --lang parses it as usual.
func helpWithoutLang(root *cobra.Command, args []string) []string {
	if !askHelp(args) {
		return args
	}
	if c, _, err := root.Find(args); err == nil && c.Flags().Lookup("lang") != nil {
		return args
	}
	kept := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			return append(kept, args[i:]...)
		case arg == "--lang" || arg == "-lang":
			i++ // its value
		case strings.HasPrefix(arg, "--lang=") || strings.HasPrefix(arg, "-lang="):
		default:
			kept = append(kept, arg)
		}
	}
	return kept
}

// askHelp tells whether args ask for help: labrun help, or -h or --help
// (one dash or two) before "--".
func askHelp(args []string) bool {
	if len(args) > 0 && args[0] == "help" {
		return true
	}
	for _, arg := range args {
		switch arg {
		case "--":
			return false
		case "-h", "--h", "-help", "--help":
			return true
		}
	}
	return false
}

// noArgs refuses any argument, in labrun's words in the command line's
// language, where cobra.NoArgs would say "unknown command" in English.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments", strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" "))
	}
	return nil
}
