package main

import (
	"fmt"
	"io"

	"github.com/labrun/labrun/runner/author"
)

func runShow(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("show", stdout, "")
	lang := fs.String("lang", defaultLang(), "language: en or fr")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError("show", err, stderr)
	}
	if len(positional) != 1 {
		return flagError("show", fmt.Errorf("want one LAB, got %d arguments", len(positional)), stderr)
	}
	if *lang != "en" && *lang != "fr" {
		return flagError("show", fmt.Errorf("--lang %q: want en or fr", *lang), stderr)
	}
	if err := author.Show(stdout, positional[0], *lang); err != nil {
		fmt.Fprintf(stderr, "labrun: %v\n", err)
		return 2
	}
	return 0
}
