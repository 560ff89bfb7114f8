package main

import (
	"context"

	"github.com/labrun/labrun/runner/guide"
	"github.com/spf13/cobra"
)

// newCheckCommand builds labrun check, which takes guide's common flags
// (guideOptions).
func newCheckCommand() *cobra.Command {
	opts := &guideOptions{}
	cmd := &cobra.Command{
		Use:   "check LAB [STEP]",
		Short: "check a step of a guided lab (default: the next one): exit 0 done, 1 not yet",
		Args:  guideArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.lab = args[0]
			if len(args) == 2 {
				opts.step = args[1]
			}
			return interruptible(func(ctx, _ context.Context) error {
				return guideExit(opts.inClass(ctx, cmd, opts.runnerOptions(cmd), guide.Check))
			})
		},
	}
	opts.addFlags(cmd.Flags())
	opts.addJoinFlags(cmd.Flags())
	return cmd
}
