// Command labrun runs and verifies hands-on Docker labs against a real
// Docker engine. This package only parses the command line and calls the
// runner; see the README for the commands.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// command is one subcommand: one file each, a run function taking the
// arguments after the subcommand's name.
type command struct {
	name, args, summary string
	run                 func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"run", "LAB [flags]", "run a lab step by step against the engine, checking every step", runRun},
		{"verify", "LAB [flags]", "run a lab and prove that no check holds before its step's actions", runVerify},
		{"guide", "LAB [flags]", "walk through a lab: you type the commands, labrun checks each step", runGuide},
		{"check", "LAB [STEP]", "check a step of a guided lab (default: the next one): exit 0 done, 1 not yet", runCheck},
		{"reset", "LAB", "forget a guided lab's progress and remove what it created", runReset},
		{"doctor", "[LAB] [flags]", "check that this engine can run a lab, item by item, with the fix of each failing item", runDoctor},
		{"list", "", "list the built-in labs", runList},
		{"show", "LAB [--lang fr|en]", "show a lab as a readable tutorial", runShow},
		{"lint", "LAB... [--strict]", "check lab files without an engine: one line per problem, file:line", runLint},
		{"new", "NAME [-o PATH]", "write the skeleton of a new lab to NAME.txtar, ready for lint", runNew},
		{"cleanup", "[--host URL]", "remove what interrupted runs left behind, and only that", runCleanup},
		{"help", "[format]", "this help, or the lab file format and every command", runHelp},
		{"version", "", "print labrun's version", runVersion},
	}
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	if name == "-h" || name == "--help" {
		name = "help"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "labrun: unknown command %q; run \"labrun help\"\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "labrun runs and verifies hands-on Docker labs against a real Docker engine.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  labrun %-8s %-20s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"labrun run -h\" for the flags of run, \"labrun help format\" for the lab file format.")
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
