package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/class"
	"github.com/labrun/labrun/runner/i18n"
)

// newClassDeleteCommand builds labrun class delete.
func newClassDeleteCommand() *cobra.Command {
	var db, lang string
	cmd := &cobra.Command{
		Use:   "delete [flags]",
		Short: "remove a class's data: its database and the instructor's token (stop its server first)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := classDB(db)
			if err != nil {
				return err
			}
			if class.Running(path) {
				return exitWith(2, i18n.Errorf("%s: a class server is running on it: stop it first", path))
			}
			removed, err := class.Delete(path)
			for _, f := range removed {
				fmt.Fprintln(cmd.OutOrStdout(), i18n.Textf(lang, "removed %s", f))
			}
			if err != nil {
				return exitWith(2, err)
			}
			if len(removed) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), i18n.Textf(lang, "no class at %s", path))
			}
			return nil
		},
	}
	addDBFlag(cmd.Flags(), &db)
	addLangFlag(cmd.Flags(), &lang)
	return cmd
}
