// Package buildinfo says which build of labrun is running, from what the
// Go toolchain records in every executable (runtime/debug.ReadBuildInfo):
// the module's version, and the VCS revision and dirty flag when it was
// built from a checkout. It needs no -ldflags, so that a labrun installed
// with "go install …@v1.2.3" knows its version as well as one built by make.
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Build is one build of labrun. Its JSON form is part of the reports'
// (their "labrun" field): fields are only ever added.
type Build struct {
	// Version is the module's version: a release tag (v1.2.3), a
	// pseudo-version of a commit, or "(devel)" when the toolchain knew
	// none (a test binary, a build outside any checkout).
	Version string `json:"version"`
	// Revision is the VCS commit the build was made from, when built in
	// a checkout; "go install module@version" records none.
	Revision string `json:"revision,omitempty"`
	// Modified is set when the checkout had uncommitted changes.
	Modified bool `json:"modified,omitempty"`
}

// Current is the running labrun's build.
func Current() Build {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Build{Version: "(devel)"}
	}
	return fromInfo(info)
}

// fromInfo reads a Build from the toolchain's record.
func fromInfo(info *debug.BuildInfo) Build {
	b := Build{Version: info.Main.Version}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// String is the build in one word, as labrun version prints it first:
// the version, followed by the short revision and "+dirty" when the
// version does not already say them (Go before 1.24 said "(devel)" for
// every build from a checkout).
func (b Build) String() string {
	s := b.Version
	if b.Revision != "" && !strings.Contains(s, short(b.Revision)) {
		s += "-" + short(b.Revision)
	}
	if b.Modified && !strings.HasSuffix(s, "+dirty") {
		s += "+dirty"
	}
	return s
}

// Describe is the build in full: the version and, when known, the whole
// revision and whether the checkout was modified.
func (b Build) Describe() string {
	if b.Revision == "" {
		return b.String()
	}
	state := ""
	if b.Modified {
		state = ", modified"
	}
	return fmt.Sprintf("%s (revision %s%s)", b.String(), b.Revision, state)
}

// short is a revision's first 12 characters, as Go's pseudo-versions
// spell it.
func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}
