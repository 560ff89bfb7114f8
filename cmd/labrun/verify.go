package main

import "github.com/spf13/cobra"

// newVerifyCommand builds labrun verify, which takes the flags of run
// (runOptions) and runs the lab through runLab, with one more proof.
func newVerifyCommand() *cobra.Command {
	opts := &runOptions{verify: true}
	cmd := &cobra.Command{
		Use:   "verify LAB [flags]",
		Short: "run a lab and prove that no check holds before its step's actions",
		Long: "Runs LAB as labrun run does, and first proves, before the actions of each step, that the\n" +
			"checks of that step and of the observation steps after it fail: a check that already holds is a lab defect.\n" +
			"Exit status: 0 every check behaves, 1 a defect or a failing step, 2 usage or environment error,\n" +
			"130 interrupted (143 for SIGTERM, 129 for SIGHUP).",
		Args: exactlyOne("LAB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.lab = args[0]
			return runLab(cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
		},
	}
	opts.addFlags(cmd.Flags())
	return cmd
}
