package main

import (
	"github.com/labrun/labrun/runner/author"
	"github.com/labrun/labrun/runner/exit"
	"github.com/spf13/cobra"
)

// showOptions are the flags of labrun show.
type showOptions struct {
	lang   string
	format string
}

// newShowCommand builds labrun show.
func newShowCommand() *cobra.Command {
	opts := &showOptions{}
	cmd := &cobra.Command{
		Use:   "show LAB [flags]",
		Short: "show a lab as a readable tutorial",
		Args:  exactlyOne("LAB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			show := author.Show
			if opts.format == formatJSON {
				show = author.ShowJSON
			}
			if err := show(cmd.OutOrStdout(), args[0], opts.lang); err != nil {
				return exitWith(exit.Error, err)
			}
			return nil
		},
	}
	addLangFlag(cmd.Flags(), &opts.lang)
	addFormatFlag(cmd.Flags(), &opts.format)
	return cmd
}
