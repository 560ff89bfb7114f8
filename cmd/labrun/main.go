// Command labrun runs and verifies hands-on Docker labs against a real
// Docker engine. This package only parses the command line, with cobra,
// and calls the runner; see docs/commands.md for the commands.
//
// Each subcommand has its file, with newXCommand building its
// *cobra.Command and xOptions holding its flags; flags.go registers the
// flags several subcommands share, errors.go prints every error, and
// signals.go maps stop signals to exit codes.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/images/whoami"
)

func main() {
	// In an offline image, labrun's own executable is /whoami, the lab's
	// server, when no embedded server fits (runner/images/server.go).
	if filepath.Base(os.Args[0]) == "whoami" {
		os.Exit(whoami.Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

// dispatch runs labrun with args, the command line without the program's
// name, and returns the exit status. It is labrun's single entry point:
// main calls it, and so does the test binary when a test runs labrun.
func dispatch(args []string, stdout, stderr io.Writer) int {
	root := newRootCommand()
	root.SetOut(stdout)
	root.SetErr(stderr)
	// The language of help and of the errors cobra meets is the command
	// line's --lang, wherever it stands, even on a command without --lang
	// (labrun help run --lang fr), else the locale's.
	lang := argLang(args)
	root.Annotations = map[string]string{langAnnotation: lang}
	if len(args) == 0 {
		writeUsage(stderr, root, lang)
		return 2
	}
	// A completion script calling back: cobra answers, with no rewriting
	// of one-dash flags (what is being typed is not a command line yet).
	if isCompletionRequest(args) {
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			return 1
		}
		return 0
	}
	// --version is labrun version, as Go tools and most CLIs answer it.
	if args[0] == "--version" {
		args = append([]string{"version"}, args[1:]...)
	}
	args = helpWithoutLang(root, args)
	// The first argument names the subcommand; any other (even a flag
	// but -h) is an unknown command, as it has always been.
	if sub := subcommand(root, args[0]); sub != nil {
		sub.InitDefaultHelpFlag()
		rest, oneDash := twoDashes(sub.Flags(), args[1:])
		noteOneDash(stderr, lang, oneDash)
		args = append([]string{args[0]}, rest...)
	} else if args[0] != "-h" && args[0] != "--help" || len(args) > 1 {
		// labrun -h takes nothing after it: cobra would say so in
		// English, as an unknown command of its own.
		unknown := args[0]
		if len(args) > 1 && (args[0] == "-h" || args[0] == "--help") {
			unknown = args[1]
		}
		fmt.Fprintln(stderr, "labrun: "+i18n.Textf(lang, "unknown command %q; run \"labrun help\"", unknown))
		return 2
	}
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	return exitStatus(cmd, err, stderr)
}

// newRootCommand builds labrun's command tree. Cobra prints nothing of its
// own: errors go through exitStatus, help through writeUsage and
// writeHelp.
func newRootCommand() *cobra.Command {
	// labrun help lists the subcommands in the order they are added here,
	// from running a lab to maintaining labrun, not alphabetically.
	cobra.EnableCommandSorting = false
	root := &cobra.Command{
		Use:               "labrun",
		Short:             "run and verify hands-on Docker labs against a real Docker engine",
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.AddCommand(
		newRunCommand(),
		newVerifyCommand(),
		newGuideCommand(),
		newCheckCommand(),
		newResetCommand(),
		newDoctorCommand(),
		newListCommand(),
		newShowCommand(),
		newLintCommand(),
		newNewCommand(),
		newCleanupCommand(),
		newClassCommand(),
		newClusterCommand(),
		newVersionCommand(),
		newCompletionCommand(),
	)
	root.SetHelpCommand(newHelpCommand())
	// Cobra adds the help command when it executes; adding it now lets
	// dispatch find it by name.
	root.InitDefaultHelpCmd()
	root.SetHelpFunc(func(c *cobra.Command, _ []string) {
		if c == root {
			writeUsage(c.OutOrStdout(), root, helpLang(c))
			return
		}
		writeHelp(c.OutOrStdout(), c, helpLang(c))
	})
	root.SetFlagErrorFunc(flagParseError)
	addCompletions(root)
	return root
}
