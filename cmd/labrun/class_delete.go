package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/class"
)

// newClassDeleteCommand builds labrun class delete.
func newClassDeleteCommand() *cobra.Command {
	var db string
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
				return exitWith(2, fmt.Errorf("%s: a class server is running on it: stop it first", path))
			}
			removed, err := class.Delete(path)
			for _, f := range removed {
				fmt.Fprintf(cmd.OutOrStdout(), "removed %s\n", f)
			}
			if err != nil {
				return exitWith(2, err)
			}
			if len(removed) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "no class at %s\n", path)
			}
			return nil
		},
	}
	addDBFlag(cmd.Flags(), &db)
	return cmd
}
