package main

import (
	"context"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/class"
	"github.com/labrun/labrun/runner/i18n"
)

// classExportOptions are the flags of labrun class export.
type classExportOptions struct {
	db, format, output, lang string
}

// newClassExportCommand builds labrun class export, which reads the
// database itself: it works with the server running or stopped.
func newClassExportCommand() *cobra.Command {
	o := &classExportOptions{}
	cmd := &cobra.Command{
		Use:   "export [flags]",
		Short: "write a class's results per student, lab and step, as CSV or JSON",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.format != class.FormatCSV && o.format != class.FormatJSON {
				return usagef("--format %q: want csv or json", o.format)
			}
			db, err := classDB(o.db)
			if err != nil {
				return err
			}
			if _, err := os.Stat(db); err != nil {
				return exitWith(2, i18n.Errorf("no class at %s: %v", db, err))
			}
			store, _, err := class.Open(db)
			if err != nil {
				return exitWith(2, err)
			}
			defer store.Close()
			b, err := store.Board(context.Background(), o.lang, 0)
			if err != nil {
				return exitWith(2, err)
			}
			var w io.Writer = cmd.OutOrStdout()
			if o.output != "" && o.output != "-" {
				f, err := os.Create(o.output)
				if err != nil {
					return exitWith(2, err)
				}
				defer f.Close()
				w = f
			}
			return exitWith(0, class.WriteExport(w, o.format, b.Rows()))
		},
	}
	fs := cmd.Flags()
	addDBFlag(fs, &o.db)
	fs.StringVar(&o.format, "format", class.FormatCSV, "`csv` or json")
	fs.StringVarP(&o.output, "output", "o", "", "write to `FILE` (default: standard output)")
	addLangFlag(fs, &o.lang)
	return cmd
}
