package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/guide"
	"github.com/labrun/labrun/runner/images"
	"github.com/labrun/labrun/runner/labcmd"
)

// guideOptions are the flags shared by guide, check and reset.
type guideOptions struct {
	dir, flavour, publishMode, lang, host string
	set                                   setFlag
}

func (o *guideOptions) register(fs *flag.FlagSet, name string) {
	fs.Var(o.set, "set", "set a lab variable, `NAME=VALUE` (repeatable)")
	fs.StringVar(&o.lang, "lang", defaultLang(), "language: en or fr (default from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVar(&o.host, "host", "", "engine `URL` (default: as the docker CLI chooses: DOCKER_HOST, DOCKER_CONTEXT, the current context, the local socket)")
	if name == "guide" {
		fs.StringVar(&o.dir, "dir", "", "`directory` for the lab's files (default ./LAB)")
		fs.StringVar(&o.flavour, "images", images.Offline, "image `flavour` to build: offline or node")
		fs.StringVar(&o.publishMode, "publish-mode", labcmd.PublishAuto, "`mode` of publishing shown: auto, ingress or host")
	}
}

// parseGuide parses the flags and arguments of guide, check and reset.
func parseGuide(name string, args []string, maxArgs int, stdout, stderr io.Writer) (*guideOptions, []string, int) {
	o := &guideOptions{set: setFlag{}}
	fs := newFlagSet(name, stdout, "")
	o.register(fs, name)
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, flagError(name, err, stderr)
	}
	if len(positional) < 1 || len(positional) > maxArgs {
		return nil, nil, flagError(name, fmt.Errorf("want LAB%s, got %d arguments", map[bool]string{true: " [STEP]"}[maxArgs > 1], len(positional)), stderr)
	}
	if o.lang != "en" && o.lang != "fr" {
		return nil, nil, flagError(name, fmt.Errorf("--lang %q: want en or fr", o.lang), stderr)
	}
	return o, positional, -1
}

func (o *guideOptions) options(lab string, stdout io.Writer) guide.Options {
	return guide.Options{Lab: lab, Dir: o.dir, Set: o.set, Flavour: o.flavour, PublishMode: o.publishMode,
		Lang: o.lang, Host: o.host, In: os.Stdin, Out: stdout}
}

// reportGuide prints the error that ended guide, check or reset.
func reportGuide(code int, err error, stderr io.Writer, name string) int {
	if err != nil && code == exit.Error {
		fmt.Fprintf(stderr, "labrun: %v\n", err)
		if errors.As(err, new(*exit.FlagError)) {
			fmt.Fprintf(stderr, "Run \"labrun %s -h\" for its flags.\n", name)
		}
	}
	return code
}

func runGuide(args []string, stdout, stderr io.Writer) int {
	o, positional, code := parseGuide("guide", args, 1, stdout, stderr)
	if o == nil {
		return code
	}
	ctx, _, _, stop := interruptible()
	defer stop()
	code, err := guide.Run(ctx, o.options(positional[0], stdout))
	return reportGuide(code, err, stderr, "guide")
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	o, positional, code := parseGuide("check", args, 2, stdout, stderr)
	if o == nil {
		return code
	}
	opts := o.options(positional[0], stdout)
	if len(positional) == 2 {
		opts.Step = positional[1]
	}
	ctx, _, _, stop := interruptible()
	defer stop()
	code, err := guide.Check(ctx, opts)
	return reportGuide(code, err, stderr, "check")
}

func runReset(args []string, stdout, stderr io.Writer) int {
	o, positional, code := parseGuide("reset", args, 1, stdout, stderr)
	if o == nil {
		return code
	}
	ctx, _, _, stop := interruptible()
	defer stop()
	code, err := guide.Reset(ctx, o.options(positional[0], stdout))
	return reportGuide(code, err, stderr, "reset")
}
