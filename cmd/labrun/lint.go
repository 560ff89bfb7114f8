package main

import (
	"github.com/labrun/labrun/runner/author"
	"github.com/labrun/labrun/runner/exit"
	"github.com/spf13/cobra"
)

// lintOptions are the flags of labrun lint.
type lintOptions struct {
	strict bool
	lang   string
}

// newLintCommand builds labrun lint.
func newLintCommand() *cobra.Command {
	opts := &lintOptions{}
	cmd := &cobra.Command{
		Use:   "lint LAB... [--strict]",
		Short: "check lab files without an engine: one line per problem, file:line",
		Long: `Checks lab files without an engine: syntax, step ids, commands and their
arguments, variables (used but not declared; declared but never used),
embedded files (named but missing; present but never used), texts in both
English and French, and that every step with actions has checks. LAB is a
built-in lab's name, a lab file or a directory of them; files not ending
in .txtar are skipped, so that labrun lint labs/* works.
One line per finding, file:line: message; warnings say "warning:".
Exit status: 0 no errors (warnings allowed, unless --strict), 1 errors
(or warnings with --strict), 2 usage error or unreadable lab.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("want at least one LAB")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := author.Lint(cmd.OutOrStdout(), cmd.ErrOrStderr(), opts.lang, args)
			switch {
			case err != nil:
				return exitWith(exit.Error, err)
			case res.Errors > 0 || opts.strict && res.Warnings > 0:
				return exitWith(exit.Fail, nil)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&opts.strict, "strict", false, "fail (exit 1) on warnings too")
	addLangFlag(cmd.Flags(), &opts.lang)
	return cmd
}
