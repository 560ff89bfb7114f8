package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner/buildinfo"
)

// version overrides the version the Go toolchain recorded in the build
// when set at build time with -ldflags "-X main.version=...", for a
// packager's own numbering; labrun reads its version from the build
// otherwise (runner/buildinfo).
var version = ""

// newVersionCommand builds labrun version, which ignores its arguments,
// as it always has.
func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print labrun's version",
		Args:  cobra.ArbitraryArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			writeVersion(cmd.OutOrStdout())
		},
	}
}

// writeVersion prints labrun's version, platform and Go release on one
// line, then the revision it was built from, when known: what labrun
// version and labrun --version print.
func writeVersion(w io.Writer) {
	b := currentBuild()
	fmt.Fprintf(w, "labrun %s %s/%s %s\n", b, runtime.GOOS, runtime.GOARCH, runtime.Version())
	if b.Revision != "" {
		modified := ""
		if b.Modified {
			modified = " (modified)"
		}
		fmt.Fprintf(w, "revision %s%s\n", b.Revision, modified)
	}
}

// currentBuild is this labrun's build, with main.version when set.
func currentBuild() buildinfo.Build {
	b := buildinfo.Current()
	if version != "" {
		b.Version = version
	}
	return b
}
