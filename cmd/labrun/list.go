package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/author"
	"github.com/labrun/labrun/runner/catalog"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
)

// newListCommand builds labrun list; the titles are in --lang's
// language, the locale's by default.
func newListCommand() *cobra.Command {
	var format, lang string
	cmd := &cobra.Command{
		Use:   "list [flags]",
		Short: "list the built-in labs",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("list takes no arguments")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runList(cmd.OutOrStdout(), lang, format)
		},
	}
	addFormatFlag(cmd.Flags(), &format)
	addLangFlag(cmd.Flags(), &lang)
	return cmd
}

// runList prints a line per built-in lab: its name, padded to the
// longest, its number of steps and its title; or, as JSON, each lab's
// name, title and steps.
func runList(stdout io.Writer, lang, format string) error {
	names := labs.Names()
	if format == formatJSON {
		list := author.ListJSON{Labs: []author.LabJSON{}}
		for _, name := range names {
			l, _, err := catalog.Load(name)
			if err != nil {
				return exitWith(exit.Error, err)
			}
			list.Labs = append(list.Labs, author.Summarize(l, lang))
		}
		return author.WriteJSON(stdout, list)
	}
	width := 0
	for _, name := range names {
		width = max(width, len(name))
	}
	for _, name := range names {
		l, _, err := catalog.Load(name)
		if err != nil {
			return exitWith(exit.Error, err)
		}
		fmt.Fprintf(stdout, "%-*s %s  %s\n", width, name, i18n.Textf(lang, "%2d steps", len(l.Steps)), l.Title.In(lang))
	}
	return nil
}
