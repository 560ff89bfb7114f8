package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/class"
)

// classServeOptions are the flags of labrun class serve.
type classServeOptions struct {
	listen, db, info, publicURL, tlsCert, tlsKey, lang string
	stuck                                              time.Duration
}

// newClassServeCommand builds labrun class serve.
func newClassServeCommand() *cobra.Command {
	o := &classServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "serve the class board until stopped: students join with labrun guide LAB --join URL",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runClassServe(cmd, o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8400", "`ADDR:PORT` to listen on (0.0.0.0:PORT for a class on a LAN, with --public-url)")
	addDBFlag(fs, &o.db)
	fs.StringVar(&o.info, "info", "", "write the join, board and export URLs as JSON to `FILE` once the server accepts connections")
	fs.StringVar(&o.publicURL, "public-url", "", "the `URL` students and you reach the server at, in the URLs printed (default: from --listen)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `FILE` (PEM), with --tls-key")
	fs.StringVar(&o.tlsKey, "tls-key", "", "the certificate's private key `FILE` (PEM)")
	fs.DurationVar(&o.stuck, "stuck", 5*time.Minute, "mark a student stuck after this long on one step")
	addLangFlag(fs, &o.lang)
	return cmd
}

// runClassServe runs the server in the foreground. A stop signal is how a
// server ends: once the database is closed, labrun exits 0, not 128+N.
func runClassServe(cmd *cobra.Command, o *classServeOptions) error {
	if o.stuck <= 0 {
		return usagef("--stuck %s: want a positive duration", o.stuck)
	}
	db, err := classDB(o.db)
	if err != nil {
		return err
	}
	var served error
	err = interruptible(func(ctx, _ context.Context) error {
		served = class.Serve(ctx, class.ServeOptions{Listen: o.listen, DB: db, Info: o.info, PublicURL: o.publicURL,
			TLSCert: o.tlsCert, TLSKey: o.tlsKey, Lang: o.lang, Stuck: o.stuck, Out: cmd.OutOrStdout()})
		return served
	})
	if served == nil {
		return nil
	}
	return exitWith(2, served)
}
