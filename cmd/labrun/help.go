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
			case len(args) >= 1 && subcommand(root, args[0]) != nil:
				// A nested command (labrun help class serve) is found
				// word by word, as labrun class serve -h finds it.
				c := subcommand(root, args[0])
				for _, name := range args[1:] {
					sub := subcommand(c, name)
					if sub == nil {
						return &exitError{code: exit.Error, prefix: "labrun help",
							err: i18n.Errorf("unknown topic %q; topics: format, %s", strings.Join(args, " "), strings.Join(commandNames(root), ", "))}
					}
					c = sub
				}
				return c.Help()
			}
			return &exitError{code: exit.Error, prefix: "labrun help",
				err: i18n.Errorf("unknown topic %q; topics: format, %s", args[0], strings.Join(commandNames(root), ", "))}
		},
	}
}

// commandNames are the names of the subcommands of c, as help lists them.
func commandNames(c *cobra.Command) []string {
	var names []string
	for _, sub := range subcommands(c) {
		names = append(names, sub.Name())
	}
	return names
}
