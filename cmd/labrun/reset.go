package main

import (
	"context"

	"github.com/labrun/labrun/runner/guide"
	"github.com/spf13/cobra"
)

// newResetCommand builds labrun reset, which takes guide's common flags
// (guideOptions).
func newResetCommand() *cobra.Command {
	opts := &guideOptions{}
	cmd := &cobra.Command{
		Use:   "reset LAB",
		Short: "forget a guided lab's progress and remove what it created",
		Args:  guideArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.lab = args[0]
			return interruptible(func(ctx, _ context.Context) error {
				return guideExit(guide.Reset(ctx, opts.runnerOptions(cmd)))
			})
		},
	}
	opts.addFlags(cmd.Flags())
	return cmd
}
