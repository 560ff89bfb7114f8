package main

import (
	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/author"
	"github.com/labrun/labrun/runner/exit"
)

// showOptions are the flags of labrun show.
type showOptions struct {
	lang string
	all  bool
}

// newShowCommand builds labrun show.
func newShowCommand() *cobra.Command {
	opts := &showOptions{}
	cmd := &cobra.Command{
		Use:   "show LAB [--lang fr|en]",
		Short: "show a lab as a readable tutorial",
		Args:  exactlyOne("LAB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := author.Show(cmd.OutOrStdout(), args[0], opts.lang, opts.all); err != nil {
				return exitWith(exit.Error, err)
			}
			return nil
		},
	}
	addLangFlag(cmd.Flags(), &opts.lang)
	cmd.Flags().BoolVar(&opts.all, "all", false, "also show every line the lab runs and every file it holds")
	return cmd
}
