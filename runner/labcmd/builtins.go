package labcmd

import "github.com/labrun/labrun/runner/lab"

// builtins documents the testscript commands a lab may use. testscript
// runs them; labrun only checks their arguments and documents them.
func builtins() []*Command {
	either := func(min, max int, neg bool) lab.CommandSpec {
		return lab.CommandSpec{MinArgs: min, MaxArgs: max, Negatable: neg}
	}
	b := func(name string, spec lab.CommandSpec, args, summary string) *Command {
		return &Command{Name: name, Spec: spec, Builtin: true, Usage: Usage{Summary: summary, Args: args}}
	}
	cmpSpec := either(2, 2, true)
	cmpSpec.FileArgs = []int{0, 1}
	return []*Command{
		b("cd", either(1, 1, false), "DIR", "change the working directory of the next commands"),
		b("cmp", cmpSpec, "FILE1 FILE2", "the two files (or stdout/stderr) are identical"),
		b("cmpenv", cmpSpec, "FILE1 FILE2", "as cmp, expanding $VARS in FILE2 first"),
		b("cp", either(2, -1, false), "SRC... DST", "copy files; SRC may be stdout or stderr, to keep a command's output for a later step"),
		b("env", either(0, -1, false), "[NAME=VALUE...]", "set variables for the rest of the run"),
		b("exec", either(1, -1, true), "PROGRAM [ARGS...]", "run a program, as the student would type it; its output feeds stdout and stderr"),
		b("exists", either(1, -1, true), "FILE...", "the files exist"),
		b("grep", either(2, 2, true), "REGEXP FILE", "the file has a line matching REGEXP"),
		b("mkdir", either(1, -1, false), "DIR...", "create directories"),
		b("rm", either(1, -1, false), "FILE...", "remove files"),
		b("stderr", either(1, 1, true), "REGEXP", "the last command's standard error matches REGEXP (multi-line mode)"),
		b("stdin", either(1, 1, false), "FILE", "feed FILE to the next command's standard input"),
		b("stdout", either(1, 1, true), "REGEXP", "the last command's standard output matches REGEXP (multi-line mode)"),
		b("skip", either(0, -1, false), "[MESSAGE]", "end the run here, passing"),
		b("stop", either(0, -1, false), "[MESSAGE]", "stop the script early, passing"),
	}
}
