package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/labrun/labrun/runner/i18n"
)

// labrun prints its help itself rather than through cobra's templates:
// the layout is the one labrun has always printed, which the docs'
// generated sections (readme_test.go) are rendered from too, in English.
// The command tree holds the English (Short, Long, each flag's usage); the
// help is worded in the language of the command line (helpLang) when it
// is printed, each text looked up in the catalogue by its English
// (runner/i18n/help.go).

// langAnnotation is the root command's annotation that holds the
// language of the command line, which dispatch reads from the arguments
// before cobra parses them: help and the errors of a subcommand without
// --lang are worded in it.
const langAnnotation = "labrun-lang"

// helpLang is the language c's help is printed in: the command line's
// --lang, else the locale's.
func helpLang(c *cobra.Command) string {
	if lang, ok := c.Root().Annotations[langAnnotation]; ok {
		return lang
	}
	return defaultLang()
}

// writeUsage prints labrun's usage in lang: every subcommand, one line
// each.
func writeUsage(w io.Writer, root *cobra.Command, lang string) {
	fmt.Fprintln(w, i18n.Textf(lang, "labrun runs and verifies hands-on Docker labs against a real Docker engine."))
	fmt.Fprintln(w, "\n"+i18n.Textf(lang, "Usage:"))
	commandList(w, root, "  ", lang)
	fmt.Fprintln(w, "\n"+i18n.Textf(lang, "Run \"labrun run -h\" for the flags of run, \"labrun help format\" for the lab file format."))
}

// writeCommandList prints a line per subcommand, in English: its name,
// arguments and summary, each line starting with indent.
func writeCommandList(w io.Writer, root *cobra.Command, indent string) {
	commandList(w, root, indent, "en")
}

// commandList is writeCommandList in lang.
func commandList(w io.Writer, root *cobra.Command, indent, lang string) {
	width := 0
	for _, c := range subcommands(root) {
		width = max(width, len(c.Name()))
	}
	for _, c := range subcommands(root) {
		fmt.Fprintf(w, "%slabrun %-*s %-20s %s\n", indent, width, c.Name(), commandArgs(c), i18n.Help(lang, c.Short))
	}
}

// subcommands returns root's subcommands in the order labrun help lists
// them: the order newRootCommand adds them in, except that cobra adds its
// help command again, last, at each execution; version, which labrun has
// always listed after help, is moved back after it.
func subcommands(root *cobra.Command) []*cobra.Command {
	var listed []*cobra.Command
	var version *cobra.Command
	for _, c := range root.Commands() {
		switch {
		case c.Hidden:
		case c.Name() == "version":
			version = c
		default:
			listed = append(listed, c)
		}
	}
	if version != nil {
		listed = append(listed, version)
	}
	return listed
}

// subcommand returns root's subcommand called name, or nil.
func subcommand(root *cobra.Command, name string) *cobra.Command {
	for _, c := range subcommands(root) {
		if c.Name() == name {
			return c
		}
	}
	return nil
}

// commandArgs is the arguments part of a subcommand's Use line.
func commandArgs(c *cobra.Command) string {
	_, args, _ := strings.Cut(c.Use, " ")
	return args
}

// writeHelp prints a subcommand's help in lang, on -h, --help or labrun
// help CMD: its usage line, what it does, and its flags.
func writeHelp(w io.Writer, c *cobra.Command, lang string) {
	about := i18n.Help(lang, c.Long)
	if about == "" {
		// The summary as a sentence; its first letter may be a
		// multi-byte one in French (écrire).
		short := i18n.Help(lang, c.Short)
		first, size := utf8.DecodeRuneInString(short)
		about = string(unicode.ToUpper(first)) + short[size:] + "."
	}
	// The command's path, so that a nested one says "labrun class check".
	path := c.Name()
	if c.HasParent() {
		path = c.Parent().CommandPath() + " " + c.Name()
	}
	if _, args, ok := strings.Cut(c.Use, " "); ok {
		path += " " + args
	}
	fmt.Fprintf(w, "%s\n\n%s\n", i18n.Textf(lang, "Usage: %s", path), about)
	flags := visibleFlags(c)
	if len(flags) == 0 {
		return
	}
	fmt.Fprintln(w, "\n"+i18n.Textf(lang, "Flags:"))
	for _, f := range flags {
		name, usage := describeFlagIn(f, lang)
		// Go's flag package's layout: a lone letter's usage on its line,
		// any other's indented on the next.
		sep := "\n    \t"
		if len(f.Name) == 1 && !strings.Contains(name, " ") {
			sep = "\t"
		}
		fmt.Fprintf(w, "  %s%s%s\n", name, sep, strings.ReplaceAll(usage, "\n", "\n    \t"))
	}
}

// visibleFlags returns the flags of c that its help lists, in name order;
// -h, which every subcommand takes, is not listed.
func visibleFlags(c *cobra.Command) []*pflag.Flag {
	var flags []*pflag.Flag
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden && f.Name != "help" {
			flags = append(flags, f)
		}
	})
	return flags
}

// describeFlag returns how a flag is written (--json FILE, -v) and what it
// does, in English, with its default when that is not the zero value.
func describeFlag(f *pflag.Flag) (name, usage string) {
	return describeFlagIn(f, "en")
}

// describeFlagIn is describeFlag in lang. The placeholder, between
// backquotes in the usage, is the same word in every language.
func describeFlagIn(f *pflag.Flag, lang string) (name, usage string) {
	worded := *f
	worded.Usage = i18n.Help(lang, f.Usage)
	placeholder, usage := pflag.UnquoteUsage(&worded)
	name = "--" + f.Name
	if len(f.Name) == 1 {
		name = "-" + f.Name
	}
	if placeholder != "" {
		name += " " + placeholder
	}
	// A usage that says where its default comes from (the locale, an
	// environment variable) is not followed by the value it had here.
	if def := flagDefault(f); def != "" && !strings.Contains(f.Usage, "(default") {
		usage += i18n.Textf(lang, " (default %s)", def)
	}
	return name, usage
}

// flagDefault is a flag's default as help shows it, quoted unless it is a
// number, a duration or a boolean, or "" for a zero value, which goes
// without saying.
func flagDefault(f *pflag.Flag) string {
	switch f.DefValue {
	case "", "0", "0s", "false", "[]":
		return ""
	}
	switch f.Value.Type() {
	case "int", "duration", "bool":
		return f.DefValue
	}
	return fmt.Sprintf("%q", f.DefValue)
}
