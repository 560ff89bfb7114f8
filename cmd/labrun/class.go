package main

import (
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/labrun/labrun/runner/owner"
)

// newClassCommand builds labrun class, the class board's commands: serve
// (class_serve.go), export, delete and check (class_*.go).
func newClassCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "class COMMAND [flags]",
		Short: "follow a class live: serve the class board, export or delete its results, check students' engines",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("want a command: serve, export, delete or check")
			}
			return usagef("unknown command %q: want serve, export, delete or check", args[0])
		},
		RunE: func(*cobra.Command, []string) error { return nil },
	}
	cmd.AddCommand(newClassServeCommand(), newClassExportCommand(), newClassDeleteCommand(), newClassCheckCommand())
	return cmd
}

// addDBFlag adds --db, the class's database, to the class commands that
// use it.
func addDBFlag(fs *pflag.FlagSet, db *string) {
	fs.StringVar(db, "db", "", "the class's database `FILE` (default: class.db in labrun's state directory, under board/)")
}

// classDB is the database --db names, or the default one.
func classDB(db string) (string, error) {
	if db != "" {
		return db, nil
	}
	state, err := owner.StateDir("")
	if err != nil {
		return "", err
	}
	return filepath.Join(state, "board", "class.db"), nil
}
