package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/spf13/pflag"
)

// twoDashes rewrites the one-dash long flags that Go's flag package read
// (-json r.json, -set=PORT=8001, -keep-images) to the two dashes that
// cobra reads, before cobra parses args, the arguments after the
// subcommand's name. Go's flag package read any -name as the flag name,
// so every one-dash argument whose name is longer than a letter is
// rewritten, a flag of fs or not: an unknown one is then refused as
// before. One-letter flags (-v, -q, -o, -h) keep their one dash; "--"
// ends the flags, and the value of a flag that takes one is never
// rewritten (-o -weird, --json -).
//
// It returns the rewritten arguments and the names of fs's flags that
// were spelled with one dash, for the notice.
func twoDashes(fs *pflag.FlagSet, args []string) (rewritten, oneDash []string) {
	rewritten = make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return append(rewritten, args[i:]...), oneDash
		}
		if len(arg) < 2 || arg[0] != '-' {
			rewritten = append(rewritten, arg)
			continue
		}
		var f *pflag.Flag
		dashes := "--"
		if arg[1] != '-' {
			dashes = "-"
		}
		name, _, hasValue := strings.Cut(arg[len(dashes):], "=")
		switch {
		case dashes == "-" && len(name) > 1:
			arg = "-" + arg
			if f = fs.Lookup(name); f != nil && !slices.Contains(oneDash, name) {
				oneDash = append(oneDash, name)
			}
		case dashes == "-" && len(name) == 1:
			f = fs.ShorthandLookup(name)
		case len(name) == 1 && fs.Lookup(name) == nil && fs.ShorthandLookup(name) != nil:
			// --h: Go's flag package read any flag with two dashes too;
			// pflag knows -h only as a shorthand.
			arg = arg[1:]
			f = fs.ShorthandLookup(name)
		default:
			f = fs.Lookup(name)
		}
		rewritten = append(rewritten, arg)
		// The next argument is this flag's value, whatever it looks like.
		if f != nil && !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
			i++
			rewritten = append(rewritten, args[i])
		}
	}
	return rewritten, oneDash
}

// noteOneDash tells, once per command line, that long flags take two
// dashes now, so that scripts can be updated while they keep working; in
// lang, the command line's (its -lang fr included).
func noteOneDash(w io.Writer, lang string, names []string) {
	if len(names) == 0 {
		return
	}
	one, two := make([]string, len(names)), make([]string, len(names))
	for i, name := range names {
		one[i], two[i] = "-"+name, "--"+name
	}
	format := "%s is spelled %s (one dash still works)"
	if len(names) > 1 {
		format = "%s are spelled %s (one dash still works)"
	}
	fmt.Fprintln(w, "labrun: "+i18n.Textf(lang, format, strings.Join(one, ", "), strings.Join(two, ", ")))
}
