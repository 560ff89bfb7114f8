package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/catalog"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/labcmd"
)

// Shell completion is cobra's: the scripts that labrun completion prints
// call labrun back (its hidden __complete command), which completes lab
// names, a lab's step ids and the values of the flags that take a few.

// completionShells are the shells labrun completion writes a script for.
var completionShells = []string{"bash", "zsh", "fish"}

// newCompletionCommand builds labrun completion SHELL.
func newCompletionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "completion SHELL",
		Short: "print the shell completion script of labrun for bash, zsh or fish",
		Long: "Prints the script that completes labrun's commands, flags, lab names, step ids and flag values.\n" +
			"  bash: source <(labrun completion bash)            (or save it in /etc/bash_completion.d/labrun)\n" +
			"  zsh:  labrun completion zsh > \"${fpath[1]}/_labrun\"\n" +
			"  fish: labrun completion fish > ~/.config/fish/completions/labrun.fish",
		ValidArgs: completionShells,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 || !slices.Contains(completionShells, args[0]) {
				return usagef("want one shell: %s", strings.Join(completionShells, ", "))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root, w := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(w, true)
			case "zsh":
				return root.GenZshCompletion(w)
			default:
				return root.GenFishCompletion(w, true)
			}
		},
	}
}

// isCompletionRequest reports whether args are a completion script's
// call back, which cobra answers itself.
func isCompletionRequest(args []string) bool {
	return len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
}

// completeLab completes a lab: the built-in labs' names, or a file's
// path when none matches.
func completeLab(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var names []string
	for _, name := range labs.Names() {
		if strings.HasPrefix(name, toComplete) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return []string{strings.TrimPrefix(labs.Ext, ".")}, cobra.ShellCompDirectiveFilterFileExt
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// completeFirstLab completes the first argument as a lab, and no other.
func completeFirstLab(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return completeLab(cmd, args, toComplete)
}

// completeLabStep completes check's LAB, then the step ids of that lab,
// each with its title as a description.
func completeLabStep(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	switch len(args) {
	case 0:
		return completeLab(cmd, args, toComplete)
	case 1:
		l, _, err := catalog.Load(args[0])
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var ids []string
		for _, s := range l.Steps {
			if strings.HasPrefix(s.ID, toComplete) {
				ids = append(ids, s.ID+"\t"+s.Title.In(defaultLang()))
			}
		}
		return ids, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// flagValues are the values of the flags that take one of a few, for
// completion, wherever the flag appears.
var flagValues = map[string][]string{
	"lang":         {"en", "fr"},
	"images":       images.Flavours(),
	"publish-mode": {labcmd.PublishAuto, labcmd.PublishIngress, labcmd.PublishHost},
	"format":       {formatText, formatJSON},
}

// addCompletions gives every subcommand its argument completion and the
// completion of its flags' values.
func addCompletions(root *cobra.Command) {
	args := map[string]cobra.CompletionFunc{
		"run": completeFirstLab, "verify": completeFirstLab, "guide": completeFirstLab,
		"reset": completeFirstLab, "doctor": completeFirstLab, "show": completeFirstLab,
		"lint": completeLab, "check": completeLabStep,
		"help": completeHelpTopic,
	}
	for _, c := range root.Commands() {
		if f, ok := args[c.Name()]; ok {
			c.ValidArgsFunction = f
		} else if c.ValidArgs == nil && c.Name() != "new" {
			c.ValidArgsFunction = cobra.NoFileCompletions
		}
		for name, values := range flagValues {
			if c.Flags().Lookup(name) == nil {
				continue
			}
			if err := c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)); err != nil {
				panic(fmt.Sprintf("completion of --%s of %s: %v", name, c.Name(), err)) // a programming error
			}
		}
	}
}

// completeHelpTopic completes labrun help's topic: format or a command.
func completeHelpTopic(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	topics := []string{"format"}
	for _, c := range subcommands(cmd.Root()) {
		topics = append(topics, c.Name())
	}
	return topics, cobra.ShellCompDirectiveNoFileComp
}
