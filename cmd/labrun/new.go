package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/author"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
)

// newOptions are the flags of labrun new.
type newOptions struct {
	out  string
	lang string
}

// newNewCommand builds labrun new.
func newNewCommand() *cobra.Command {
	opts := &newOptions{}
	cmd := &cobra.Command{
		Use:   "new NAME [-o PATH]",
		Short: "write the skeleton of a new lab to NAME.txtar, ready for lint",
		Long: `Writes NAME.txtar (or PATH), the commented skeleton of a lab that
labrun lint finds clean and labrun run can run: both languages, a
preflight step, a step with actions and checks, a cleanup step. NAME
is lower-case letters, digits and dashes. An existing file is never
overwritten. Exit status: 0 written, 2 usage error or existing file.`,
		Args: exactlyOne("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := strings.TrimSuffix(args[0], labs.Ext)
			path := opts.out
			if path == "" {
				path = name + labs.Ext
			}
			if err := author.NewLab(name, path, opts.lang); err != nil {
				return exitWith(exit.Error, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), i18n.Textf(opts.lang, "wrote %s: edit it, then labrun lint %s", path, path))
			return nil
		},
	}
	// -o is a lone letter, as in cc -o: name and shorthand (see addShortBool).
	cmd.Flags().StringVarP(&opts.out, "o", "o", "", "write the lab to `PATH` (default NAME.txtar)")
	addLangFlag(cmd.Flags(), &opts.lang)
	return cmd
}
