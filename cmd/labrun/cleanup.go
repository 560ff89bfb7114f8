package main

import (
	"context"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/owner"
	"github.com/labrun/labrun/runner/timeouts"
	"github.com/spf13/cobra"
)

// cleanupOptions are the flags of labrun cleanup.
type cleanupOptions struct {
	host, context, lang string
}

// newCleanupCommand builds labrun cleanup.
func newCleanupCommand() *cobra.Command {
	opts := &cleanupOptions{}
	cmd := &cobra.Command{
		Use:   "cleanup [--host URL]",
		Short: "remove what interrupted runs left behind, and only that",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("cleanup takes no arguments")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return interruptible(func(ctx, abort context.Context) error {
				return exitWith(owner.Cleanup(ctx, abort, engine.Choice{Host: opts.host, Context: opts.context}, "", timeouts.Default().Cleanup, opts.lang, cmd.OutOrStdout()))
			})
		},
	}
	addHostFlag(cmd.Flags(), &opts.host)
	addContextFlag(cmd.Flags(), &opts.context)
	addLangFlag(cmd.Flags(), &opts.lang)
	return cmd
}
