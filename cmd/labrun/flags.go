package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// parseInterspersed parses flags that may come before or after the
// positional arguments (labrun run LAB --json r.json), which the flag
// package alone does not allow.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp && helpOf[fs] != nil {
				helpOf[fs]()
			}
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// helpOf holds each flag set's help, printed on -h.
var helpOf = map[*flag.FlagSet]func(){}

// newFlagSet returns a flag set that reports errors itself, once, with a
// hint at -h, and exits with 2 through its caller.
// -h prints intro (or, when empty, the command's line of labrun help) and
// the flags on help.
func newFlagSet(name string, help io.Writer, intro string) *flag.FlagSet {
	fs := flag.NewFlagSet("labrun "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// flag calls Usage on every parse error too; the help is printed only
	// when asked for (parseInterspersed), the errors by flagError.
	fs.Usage = func() {}
	helpOf[fs] = func() {
		if intro == "" {
			for _, c := range commands() {
				if c.name == name {
					intro = fmt.Sprintf("Usage: labrun %s %s\n\n%s.", c.name, c.args, strings.ToUpper(c.summary[:1])+c.summary[1:])
				}
			}
		}
		fmt.Fprintln(help, intro)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(help, "\nFlags:")
			printDefaults(fs, help)
		}
	}
	return fs
}

// flagError prints a flag error the way every subcommand does.
func flagError(name string, err error, stderr io.Writer) int {
	if err == flag.ErrHelp {
		return 0
	}
	fmt.Fprintf(stderr, "labrun %s: %v\nRun \"labrun %s -h\" for its flags.\n", name, err, name)
	return 2
}

// printDefaults prints a flag set's flags.
func printDefaults(fs *flag.FlagSet, w io.Writer) {
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// setFlag collects repeated --set NAME=VALUE flags.
type setFlag map[string]string

func (s setFlag) String() string { return "" }

func (s setFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	s[name] = value
	return nil
}
