package main

import (
	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/author"
	"github.com/labrun/labrun/runner/exit"
)

// showOptions are the flags of labrun show.
type showOptions struct {
	lang   string
	format string
	all    bool
}

// newShowCommand builds labrun show.
func newShowCommand() *cobra.Command {
	opts := &showOptions{}
	cmd := &cobra.Command{
		Use:   "show LAB [flags]",
		Short: "show a lab as a readable tutorial",
		Args:  exactlyOne("LAB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.format == formatJSON {
				err = author.ShowJSON(cmd.OutOrStdout(), args[0], opts.lang, opts.all)
			} else {
				err = author.Show(cmd.OutOrStdout(), args[0], opts.lang, opts.all)
			}
			if err != nil {
				return exitWith(exit.Error, err)
			}
			return nil
		},
	}
	addLangFlag(cmd.Flags(), &opts.lang)
	addFormatFlag(cmd.Flags(), &opts.format)
	cmd.Flags().BoolVar(&opts.all, "all", false, "also show every line the lab runs and every file it holds")
	return cmd
}
