// Package labcmd holds the commands a lab file may use: the Docker-aware
// checks and actions, which talk to the engine through its API, and the
// testscript builtins a lab may use, documented beside them. One table
// drives the loader's validation, the runner and `labrun help format`.
package labcmd

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/labrun/labrun/runner/lab"
)

// Usage documents a command; `labrun help format` is generated from it.
type Usage struct {
	Summary string // one line
	Args    string // argument synopsis
	Detail  string // what exactly holds, and why
}

// Command is one command of the lab format.
type Command struct {
	Name  string
	Usage Usage
	Spec  lab.CommandSpec
	// Observe runs a check once. It returns nil when the check holds, or an
	// error saying what differs; a check that holds records with Call.Saw
	// what it saw, which a negated check reports when it fails.
	Observe func(ctx context.Context, c *Call) error
	// Act runs an action.
	Act func(ctx context.Context, c *Call) error
	// Poll is how often "*" looks again when no engine event wakes it.
	Poll time.Duration
	// Builtin commands are testscript's: documented here, run by testscript.
	Builtin bool
}

// Table returns every command, sorted by name.
func Table() []*Command {
	cmds := append(append(dockerCommands(), httpCommands()...), builtins()...)
	cmds = append(append(cmds, networkCommands()...), proberCommands()...)
	cmds = append(cmds, containerFileCommands()...)
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
	for _, c := range cmds {
		c.Spec.Validate = argValidators[c.Name]
	}
	return cmds
}

// Vocabulary is the table as the loader sees it.
type Vocabulary map[string]*Command

// NewVocabulary indexes the table by name.
func NewVocabulary() Vocabulary {
	v := Vocabulary{}
	for _, c := range Table() {
		v[c.Name] = c
	}
	return v
}

// Lookup implements lab.Vocabulary.
func (v Vocabulary) Lookup(name string) (lab.CommandSpec, bool) {
	c, ok := v[name]
	if !ok {
		return lab.CommandSpec{}, false
	}
	return c.Spec, true
}

// KnownCondition implements lab.Vocabulary: the lab's own conditions and
// testscript's.
func (v Vocabulary) KnownCondition(cond string) bool {
	switch {
	case cond == "keep-images", strings.HasPrefix(cond, "images:"):
		return true
	case cond == "short", cond == "net", cond == "link", cond == "symlink", cond == "unix", cond == "gc", cond == "gccgo":
		return true
	case strings.HasPrefix(cond, "exec:") && len(cond) > len("exec:"):
		return true
	}
	return knownPlatform[cond]
}

// knownPlatform are the GOOS and GOARCH names testscript accepts as
// conditions; only the common ones, which is what labs need.
var knownPlatform = map[string]bool{
	"linux": true, "darwin": true, "windows": true, "freebsd": true,
	"amd64": true, "arm64": true, "386": true, "arm": true,
}

// check and action build the specs of labcmd's own commands.
func check(min, max int) lab.CommandSpec {
	return lab.CommandSpec{Role: lab.Check, MinArgs: min, MaxArgs: max, Retryable: true, Negatable: true}
}

// notNegatable is for checks whose failure says nothing of the opposite:
// a prober's counts that miss the mark do not prove that requests failed.
func notNegatable(spec lab.CommandSpec) lab.CommandSpec {
	spec.Negatable = false
	return spec
}

func action(min, max int) lab.CommandSpec {
	return lab.CommandSpec{Role: lab.Action, MinArgs: min, MaxArgs: max}
}

// Conditions are the [conditions] a lab may use besides testscript's own.
var Conditions = []Usage{
	{Summary: "the run keeps the images it built (--keep-images)", Args: "keep-images"},
	{Summary: "the run builds the images of flavour NAME (--images NAME)", Args: "images:NAME"},
}
