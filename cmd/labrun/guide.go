package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/guide"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/labcmd"
)

// guideOptions are the flags of guide, and those that check and reset
// share with it.
type guideOptions struct {
	lab, step                             string
	dir, flavour, publishMode, lang, host string
	set                                   setValue
	yes                                   bool
	context                               string
	nodes                                 string
	fast                                  bool
	joinOptions
}

// addFlags registers the flags that guide, check and reset take.
func (o *guideOptions) addFlags(fs *pflag.FlagSet) {
	o.set = setValue{}
	addSetFlag(fs, o.set)
	addLangFlag(fs, &o.lang)
	addHostFlag(fs, &o.host)
	addContextFlag(fs, &o.context)
	addNodesFlag(fs, &o.nodes)
	addYesFlag(fs, &o.yes)
	// Hidden, for tests: the lab's fast values, so that a scripted
	// student proves the guide's flow without the tutorial's pace. A
	// student follows the tutorial's timings.
	fs.BoolVar(&o.fast, "fast", false, "use the lab's fast values (for tests)")
	fs.MarkHidden("fast")
}

// runnerOptions are the runner's options for o, writing on stdout.
func (o *guideOptions) runnerOptions(cmd *cobra.Command) guide.Options {
	return guide.Options{Lab: o.lab, Step: o.step, Dir: o.dir, Set: o.set, Flavour: o.flavour, PublishMode: o.publishMode,
		Lang: o.lang, Host: o.host, Context: o.context, Nodes: o.nodes, Fast: o.fast, In: os.Stdin, Out: cmd.OutOrStdout(),
		Trust: trustLabFile(o.yes, false, o.lang, cmd.ErrOrStderr())}
}

// guideArgs checks the arguments of guide, check and reset: LAB, and for
// check an optional STEP.
func guideArgs(maxArgs int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < 1 || len(args) > maxArgs {
			step := ""
			if maxArgs > 1 {
				step = " [STEP]"
			}
			return usagef("want LAB%s, got %d arguments", step, len(args))
		}
		return nil
	}
}

// guideExit is what guide, check and reset return for the runner's code
// and error: the error is printed only when it ended the command (exit
// 2); otherwise the command's output said what happened.
func guideExit(code int, err error) error {
	if code != exit.Error {
		err = nil
	}
	return exitWith(code, err)
}

// newGuideCommand builds labrun guide.
func newGuideCommand() *cobra.Command {
	opts := &guideOptions{}
	cmd := &cobra.Command{
		Use:   "guide LAB [flags]",
		Short: "walk through a lab: you type the commands, labrun checks each step",
		Args:  guideArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.lab = args[0]
			return interruptible(func(ctx, _ context.Context) error {
				return guideExit(opts.inClass(ctx, cmd, opts.runnerOptions(cmd), guide.Run))
			})
		},
	}
	fs := cmd.Flags()
	opts.addFlags(fs)
	opts.addJoinFlags(fs)
	fs.StringVar(&opts.dir, "dir", "", "`directory` for the lab's files (default ./LAB)")
	fs.StringVar(&opts.flavour, "images", images.Offline, "image `flavour` to build: offline or node")
	fs.StringVar(&opts.publishMode, "publish-mode", labcmd.PublishAuto, "`mode` of publishing shown: auto, ingress or host")
	return cmd
}
