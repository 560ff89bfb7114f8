// Package labcmd holds the commands a lab file may use: the Docker-aware
// checks and actions, which talk to the engine through its API, and the
// testscript builtins a lab may use, documented beside them. One table
// drives the loader's validation, the runner and `labrun help format`.
package labcmd

import (
	"context"
	"fmt"
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

// Kind says what a command is, which decides where a lab may use it and
// who runs it.
type Kind int

const (
	// Check observes the engine without changing it: it belongs under
	// "## checks" or "## keeps", and "*" may retry it.
	Check Kind = iota + 1
	// Action changes the engine: it belongs under "## actions".
	Action
	// Builtin is testscript's own command (stdout, cp, exec...): labrun
	// documents it and judges its arguments, testscript runs it, in
	// whichever section it appears.
	Builtin
)

// String is the kind as `labrun help format` prints it.
func (k Kind) String() string {
	switch k {
	case Check:
		return "check"
	case Action:
		return "action"
	case Builtin:
		return "builtin"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// role is the loader's name for the section a kind belongs to: none for a
// builtin, which goes anywhere.
func (k Kind) role() lab.Role {
	switch k {
	case Check:
		return lab.Check
	case Action:
		return lab.Action
	}
	return 0
}

// Command is one command of the lab format: everything about it in one
// value, from its documentation to its implementation.
type Command struct {
	Name string
	// Kind is what the command is. The loader's Role and whether "*" may
	// retry it (checks only) follow from it.
	Kind  Kind
	Usage Usage
	// Spec is what the loader needs besides Kind and Validate: how many
	// arguments, which name files or set a variable, whether "!" may
	// precede it. Its Role, Retryable and Validate are not the entry's to
	// set: Lookup derives them from Kind and Validate.
	Spec lab.CommandSpec
	// Validate, when set, judges the arguments when the lab loads (keys,
	// numbers, durations, patterns), with the parser the command runs
	// with, so that what loads is what runs: see lab.CommandSpec.Validate.
	Validate func(args []string) error
	// Observe runs a check once. It returns nil when the check holds, or an
	// error saying what differs; a check that holds records with Call.Saw
	// what it saw, which a negated check reports when it fails.
	Observe func(ctx context.Context, c *Call) error
	// Act runs an action.
	Act func(ctx context.Context, c *Call) error
	// Poll is how often "*" looks again when no engine event wakes it.
	Poll time.Duration
}

// Table returns every command, sorted by name.
func Table() []*Command {
	cmds := append(append(dockerCommands(), httpCommands()...), builtins()...)
	cmds = append(append(cmds, networkCommands()...), proberCommands()...)
	cmds = append(append(cmds, containerFileCommands()...), nodeCommands()...)
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
	return cmds
}

// loaderSpec is the command as the loader sees it: its Spec, with the Role
// and retryability of its Kind and its Validate.
func (c *Command) loaderSpec() lab.CommandSpec {
	spec := c.Spec
	spec.Role = c.Kind.role()
	spec.Retryable = c.Kind == Check
	spec.Validate = c.Validate
	return spec
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
	return c.loaderSpec(), true
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

// args bounds a command's arguments; max < 0 means no upper bound.
func args(min, max int) lab.CommandSpec {
	return lab.CommandSpec{MinArgs: min, MaxArgs: max}
}

// negatable bounds the arguments of a command that "!" may precede: every
// check whose failure proves the opposite holds, and the builtins that
// test something.
func negatable(min, max int) lab.CommandSpec {
	spec := args(min, max)
	spec.Negatable = true
	return spec
}

// Conditions are the [conditions] a lab may use besides testscript's own.
var Conditions = []Usage{
	{Summary: "the run keeps the images it built (--keep-images)", Args: "keep-images"},
	{Summary: "the run builds the images of flavour NAME (--images NAME)", Args: "images:NAME"},
}
