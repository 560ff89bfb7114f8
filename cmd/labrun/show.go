package main

import (
	"github.com/labrun/labrun/runner/author"
	"github.com/labrun/labrun/runner/exit"
	"github.com/spf13/cobra"
)

// showOptions are the flags of labrun show.
type showOptions struct {
	lang string
}

// newShowCommand builds labrun show.
func newShowCommand() *cobra.Command {
	opts := &showOptions{}
	cmd := &cobra.Command{
		Use:   "show LAB [--lang fr|en]",
		Short: "show a lab as a readable tutorial",
		Args:  exactlyOne("LAB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := author.Show(cmd.OutOrStdout(), args[0], opts.lang); err != nil {
				return exitWith(exit.Error, err)
			}
			return nil
		},
	}
	addLangFlag(cmd.Flags(), &opts.lang)
	return cmd
}
