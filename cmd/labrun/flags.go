package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The flags that several subcommands take are registered here, one helper
// each, so that a flag is spelled, explained and checked the same way
// wherever it appears.

// hostUsage is the help of --host, said once for every subcommand.
const hostUsage = "engine `URL` (default: as the docker CLI chooses: DOCKER_HOST, DOCKER_CONTEXT, the current context, the local socket)"

// addHostFlag adds --host, one engine, to a subcommand that talks to one.
func addHostFlag(fs *pflag.FlagSet, host *string) {
	fs.StringVar(host, "host", "", hostUsage)
}

// addHostsFlag adds --host to run and verify, where each --host adds an
// engine: several make a classroom.
func addHostsFlag(fs *pflag.FlagSet, hosts *[]string) {
	fs.Var((*hostsValue)(hosts), "host", hostUsage+"; repeat it to run the lab on several engines at once")
}

// addContextFlag adds --context, a docker CLI context, beside --host: as
// in the docker CLI, it comes before DOCKER_HOST and DOCKER_CONTEXT, and
// giving both --host and --context is an error.
func addContextFlag(fs *pflag.FlagSet, name *string) {
	fs.StringVar(name, "context", "", "docker CLI context `NAME` to use (docker context ls lists them), instead of --host")
}

// addNodesFlag adds --nodes FILE to the subcommands that run a lab or
// look at the engine it runs on (run, verify, doctor, guide): the engine
// of each node of a multi-node swarm, where labrun puts the lab's images.
func addNodesFlag(fs *pflag.FlagSet, file *string) {
	fs.StringVar(file, "nodes", "", "on a multi-node swarm, the engine of each node, listed in `FILE`: one \"NODE URL\" a line (NODE: its address, ID or hostname; URL as for --host; # comments); labrun puts the lab's images on every node (default: tried at the manager's tcp:// scheme and port on each node's address)")
}

// addRegistryFlag adds --registry HOST:PORT to run and verify: the
// registry the swarm's nodes pull the lab's images from.
func addRegistryFlag(fs *pflag.FlagSet, reg *string) {
	fs.StringVar(reg, "registry", "", "on a multi-node swarm, push the images labrun makes to the registry at `HOST:PORT` (HTTPS, else plain HTTP), name them after it, let the nodes pull them, and delete the pushed tags at the end")
}

// addOnlyImageNodesFlag adds --only-image-nodes to run and verify.
func addOnlyImageNodesFlag(fs *pflag.FlagSet, only *bool) {
	fs.BoolVar(only, "only-image-nodes", false, "on a multi-node swarm, keep the lab's services off the nodes labrun cannot give the images (a --constraint node.id!=ID added to each docker service create, shown in the command), instead of stopping")
}

// addLangFlag adds --lang, whose default follows the locale and whose
// value is checked as it is parsed, so that every subcommand refuses
// --lang de with the same words.
func addLangFlag(fs *pflag.FlagSet, lang *string) {
	*lang = defaultLang()
	fs.Var((*langValue)(lang), "lang", "language of labrun's messages and the lab's texts: en or fr (default from LC_ALL, LC_MESSAGES, LANG)")
}

// addSetFlag adds --set NAME=VALUE, repeatable, into set.
func addSetFlag(fs *pflag.FlagSet, set map[string]string) {
	fs.Var(setValue(set), "set", "set a lab variable, `NAME=VALUE` (repeatable; labrun show LAB lists a lab's variables), e.g. --set PORT=8001")
}

// addYesFlag adds --yes to the subcommands that load a lab file, which
// runs commands on this machine: on a terminal they ask first.
func addYesFlag(fs *pflag.FlagSet, yes *bool) {
	fs.BoolVar(yes, "yes", false, "use a lab file given by path without asking first (a lab runs commands on this machine)")
}

// trustLabFile is the runner's Trust for a subcommand: the notice that a
// lab file given by path runs commands goes to stderr when no live view
// shows it (quiet), and on a terminal the user must answer yes, unless
// --yes, asked in lang. stdin is read a line at most: the guide reads its
// keys after.
func trustLabFile(yes, quiet bool, lang string, stderr io.Writer) func(string) error {
	return func(notice string) error {
		if quiet {
			fmt.Fprintf(stderr, "labrun: %s\n", notice)
		}
		if yes || !isatty.IsTerminal(os.Stdin.Fd()) {
			return nil
		}
		fmt.Fprint(stderr, i18n.Textf(lang, "Use this lab file? [y/N] "))
		buf := make([]byte, 64)
		n, _ := os.Stdin.Read(buf)
		switch strings.ToLower(strings.TrimSpace(string(buf[:n]))) {
		case "y", "yes", "o", "oui":
			return nil
		}
		return i18n.Errorf("not confirmed: the lab file was not used (answer y, or pass --yes)")
	}
}

// addShortBool adds a one-letter flag such as -v. pflag reads a lone
// letter after one dash only as a shorthand, so the letter is both name
// and shorthand: -v and --v work, as both did with Go's flag package.
func addShortBool(fs *pflag.FlagSet, p *bool, letter, usage string) {
	fs.BoolVarP(p, letter, letter, false, usage)
}

// defaultLang picks the language of lab texts from the locale, as
// gettext does: LC_ALL, then LC_MESSAGES, then LANG.
func defaultLang() string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(name); v != "" {
			if strings.HasPrefix(v, "fr") {
				return "fr"
			}
			return "en"
		}
	}
	return "en"
}

// flagVerdict is an error that a flag's value gives in full ("--lang "de":
// want en or fr"), printed as it is rather than wrapped in "invalid value
// ... for flag ...", in the run's language.
type flagVerdict struct{ said i18n.Sentence }

// Error returns the verdict in English.
func (e *flagVerdict) Error() string { return e.said.In("en") }

// In returns the verdict in lang, as it is printed.
func (e *flagVerdict) In(lang string) string { return e.said.In(lang) }

// langValue is --lang: en or fr.
type langValue string

// String returns the language.
func (l *langValue) String() string { return string(*l) }

// Type is what help shows as the flag's value: --lang en|fr.
func (l *langValue) Type() string { return "en|fr" }

// Set takes en or fr, and refuses any other language.
func (l *langValue) Set(v string) error {
	if v != "en" && v != "fr" {
		return &flagVerdict{i18n.Sprintf("--lang %q: want en or fr", v)}
	}
	*l = langValue(v)
	return nil
}

// setValue collects repeated --set NAME=VALUE flags.
type setValue map[string]string

// String is empty: --set has no default to show.
func (s setValue) String() string { return "" }

// Type is what help shows as the flag's value.
func (s setValue) Type() string { return "NAME=VALUE" }

// Set adds one NAME=VALUE.
func (s setValue) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return i18n.Errorf("want NAME=VALUE, got %q", v)
	}
	s[name] = value
	return nil
}

// hostsValue collects repeated --host flags.
type hostsValue []string

// String returns the engines given so far.
func (h *hostsValue) String() string { return strings.Join(*h, ",") }

// Type is what help shows as the flag's value.
func (h *hostsValue) Type() string { return "URL" }

// Set adds an engine.
func (h *hostsValue) Set(v string) error {
	*h = append(*h, v)
	return nil
}

// exactlyOne checks that a subcommand got one positional argument, what
// (LAB, NAME), with the message labrun has always given.
func exactlyOne(what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("want one %s, got %d arguments", what, len(args))
		}
		return nil
	}
}

// Output formats of --format.
const (
	formatText = "text"
	formatJSON = "json"
)

// formatValue is --format: text (for people) or json (for scripts).
type formatValue string

// String returns the format.
func (f *formatValue) String() string { return string(*f) }

// Type is what help shows as the flag's value.
func (f *formatValue) Type() string { return "text|json" }

// Set takes text or json.
func (f *formatValue) Set(v string) error {
	if v != formatText && v != formatJSON {
		return &flagVerdict{i18n.Sprintf("--format %q: want text or json", v)}
	}
	*f = formatValue(v)
	return nil
}

// addFormatFlag adds --format to list, show and doctor, whose JSON
// shapes the docs describe.
func addFormatFlag(fs *pflag.FlagSet, format *string) {
	*format = formatText
	fs.Var((*formatValue)(format), "format", "output `text|json`: text for people, json for scripts (docs/reports.md shows its shape)")
}
