package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/class"
	"github.com/labrun/labrun/runner/owner"
)

// classCheckOptions are the flags of labrun class check.
type classCheckOptions struct {
	hosts, join, lang string
	set               setValue
	every             time.Duration
	yes               bool
}

// newClassCheckCommand builds labrun class check, the pull mode: for a
// class whose students do not run the guide, the instructor's labrun
// checks their engines and feeds the same board.
func newClassCheckCommand() *cobra.Command {
	o := &classCheckOptions{set: setValue{}}
	cmd := &cobra.Command{
		Use:   "check LAB --hosts FILE --join URL [flags]",
		Short: "check the next unfinished step on each student's engine, changing nothing there, and feed the class board",
		Args:  exactlyOne("LAB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.hosts == "" || o.join == "" {
				return usagef("want --hosts FILE and --join URL")
			}
			if o.every < 0 {
				return usagef("--every %s: want a positive duration, or 0 for one round", o.every)
			}
			hosts, err := class.ReadHostsFile(o.hosts)
			if err != nil {
				return exitWith(2, err)
			}
			state, err := owner.StateDir("")
			if err != nil {
				return exitWith(2, err)
			}
			return interruptible(func(ctx, _ context.Context) error {
				return exitWith(class.Pull(ctx, class.PullOptions{Lab: args[0], Hosts: hosts, Join: o.join, Set: o.set,
					Lang: o.lang, StateDir: state, Every: o.every, Trust: trustLabFile(o.yes, false, o.lang, cmd.ErrOrStderr()),
					Out: cmd.OutOrStdout()}))
			})
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.hosts, "hosts", "", "the students' engines, one a line in `FILE`: URL, then the student's name (default: the URL)")
	fs.StringVar(&o.join, "join", "", "the class's join `URL`, as labrun class serve prints it")
	fs.DurationVar(&o.every, "every", 0, "check again at this interval until stopped (default: once)")
	addSetFlag(fs, o.set)
	addLangFlag(fs, &o.lang)
	addYesFlag(fs, &o.yes)
	return cmd
}
