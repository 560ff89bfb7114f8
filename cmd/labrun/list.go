package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/catalog"
	"github.com/labrun/labrun/runner/exit"
)

// newListCommand builds labrun list, which has no flags: the titles are
// in the locale's language.
func newListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "list the built-in labs",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("list takes no arguments")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runList(cmd.OutOrStdout(), defaultLang())
		},
	}
}

// runList prints a line per built-in lab: its name, padded to the
// longest, its number of steps and its title.
func runList(stdout io.Writer, lang string) error {
	names := labs.Names()
	width := 0
	for _, name := range names {
		width = max(width, len(name))
	}
	for _, name := range names {
		l, _, err := catalog.Load(name)
		if err != nil {
			return exitWith(exit.Error, err)
		}
		fmt.Fprintf(stdout, "%-*s %2d steps  %s\n", width, name, len(l.Steps), l.Title.In(lang))
	}
	return nil
}
