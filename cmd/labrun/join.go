package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/labrun/labrun/runner/catalog"
	"github.com/labrun/labrun/runner/class"
	"github.com/labrun/labrun/runner/guide"
	"github.com/labrun/labrun/runner/owner"
)

// joinOptions are the flags with which guide and check follow a class.
type joinOptions struct{ join, name string }

// addJoinFlags adds --join and --name to guide and check.
func (o *joinOptions) addJoinFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.join, "join", "", "follow a class: send your progress to its board at this join `URL` (as the instructor gives it)")
	fs.StringVar(&o.name, "name", "", "your `NAME` on the class board (needed the first time you join)")
}

// classSendWait is how long guide or check, when done, lets queued events
// reach a board that answers; what is left is sent by the next --join.
const classSendWait = 2 * time.Second

// inClass runs a guide front-end (guide.Run, guide.Check) with the class's
// member as one more consumer of its events when --join is given;
// without it, run runs exactly as it did.
func (o *joinOptions) inClass(ctx context.Context, cmd *cobra.Command, opts guide.Options, run func(context.Context, guide.Options) (int, error)) (int, error) {
	if o.join == "" {
		if o.name != "" {
			return 2, usagef("--name goes with --join")
		}
		return run(ctx, opts)
	}
	// The lab's steps and titles, for the board; loading touches nothing
	// (the guide asks about a lab file given by path itself).
	l, _, err := catalog.Load(opts.Lab)
	if err != nil {
		return 2, err
	}
	state, err := owner.StateDir(opts.StateDir)
	if err != nil {
		return 2, err
	}
	m, err := class.Join(ctx, class.JoinOptions{URL: o.join, Name: o.name, StateDir: state, Lang: opts.Lang, Lab: l, Out: cmd.ErrOrStderr()})
	if err != nil {
		return 2, err
	}
	defer m.Close(classSendWait)
	opts.Events = m
	return run(ctx, opts)
}
