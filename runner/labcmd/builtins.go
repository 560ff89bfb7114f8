package labcmd

import "github.com/labrun/labrun/runner/lab"

// builtins documents the testscript commands a lab may use. testscript
// runs them; labrun only checks their arguments and documents them.
func builtins() []*Command {
	b := func(name string, spec lab.CommandSpec, synopsis, summary string) *Command {
		return &Command{Name: name, Kind: Builtin, Spec: spec, Usage: Usage{Summary: summary, Args: synopsis}}
	}
	cmpSpec := negatable(2, 2)
	cmpSpec.FileArgs = []int{0, 1}
	execSpec := negatable(1, -1)
	execSpec.Runs = true
	writesAll := func(spec lab.CommandSpec) lab.CommandSpec {
		spec.Writes = func(args []string) []string { return args }
		return spec
	}
	cpSpec := args(2, -1)
	cpSpec.Writes = func(args []string) []string { return args[len(args)-1:] }
	return []*Command{
		b("cd", writesAll(args(1, 1)), "DIR", "change the working directory of the next commands"),
		b("cmp", cmpSpec, "FILE1 FILE2", "the two files (or stdout/stderr) are identical"),
		b("cmpenv", cmpSpec, "FILE1 FILE2", "as cmp, expanding $VARS in FILE2 first"),
		b("cp", cpSpec, "SRC... DST", "copy files; SRC may be stdout or stderr, to keep a command's output for a later step"),
		b("env", args(0, -1), "[NAME=VALUE...]", "set variables for the rest of the run"),
		b("exec", execSpec, "PROGRAM [ARGS...]", "run a program, as the student would type it; its output feeds stdout and stderr"),
		b("exists", negatable(1, -1), "FILE...", "the files exist"),
		b("grep", negatable(2, 2), "REGEXP FILE", "the file has a line matching REGEXP"),
		b("mkdir", writesAll(args(1, -1)), "DIR...", "create directories"),
		b("rm", writesAll(args(1, -1)), "FILE...", "remove files"),
		b("stderr", negatable(1, 1), "REGEXP", "the last command's standard error matches REGEXP (multi-line mode)"),
		b("stdin", args(1, 1), "FILE", "feed FILE to the next command's standard input"),
		b("stdout", negatable(1, 1), "REGEXP", "the last command's standard output matches REGEXP (multi-line mode)"),
		b("skip", args(0, -1), "[MESSAGE]", "end the run here, passing"),
		b("stop", args(0, -1), "[MESSAGE]", "stop the script early, passing"),
	}
}
