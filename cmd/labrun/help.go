package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/labcmd"
)

// newHelpCommand builds labrun help, which replaces cobra's: it prints
// labrun's usage, a subcommand's help, or the lab file format.
func newHelpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [format|COMMAND]",
		Short: "this help, a command's help, or the lab file format and every command",
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch {
			case len(args) == 0:
				return root.Help()
			case len(args) == 1 && args[0] == "format":
				// The runner's command table writes the format, so that
				// it cannot drift from what the loader reads.
				labcmd.WriteFormatIn(cmd.OutOrStdout(), helpLang(cmd))
				return nil
			case len(args) == 1 && subcommand(root, args[0]) != nil:
				return subcommand(root, args[0]).Help()
			}
			var names []string
			for _, c := range subcommands(root) {
				names = append(names, c.Name())
			}
			return &exitError{code: exit.Error, prefix: "labrun help",
				err: i18n.Errorf("unknown topic %q; topics: format, %s", args[0], strings.Join(names, ", "))}
		},
	}
}
