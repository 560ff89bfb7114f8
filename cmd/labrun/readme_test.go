package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/labcmd"
)

// README.md has sections generated from the code, each between
// "<!-- BEGIN labrun NAME -->" and "<!-- END labrun NAME -->": the lab
// format (labrun help format), the list of commands (labrun help) and the
// flags of each command (labrun CMD -h), the last two rendered from the
// cobra command tree. A test fails when a section is stale;
//
//	go test ./cmd/labrun -run TestREADME -update
//
// (or UPDATE_README=1 go test ./cmd/labrun -run TestREADME) rewrites them.

var update = flag.Bool("update", false, "rewrite README.md's generated sections")

const readmePath = "../../README.md"

// TestREADMEFormat fails when the README's copy of the lab format reference
// differs from what labrun help format prints.
func TestREADMEFormat(t *testing.T) {
	var gen bytes.Buffer
	labcmd.WriteFormat(&gen)
	checkREADME(t, "help format", "```\n"+gen.String()+"```\n")
}

// TestREADMECommands fails when the README's list of commands differs
// from labrun help's.
func TestREADMECommands(t *testing.T) {
	checkREADME(t, "commands", readmeCommands(readmeRoot(t)))
}

// TestREADMEFlags fails when the README's tables of flags differ from the
// flags the commands take.
func TestREADMEFlags(t *testing.T) {
	checkREADME(t, "flags", readmeFlags(readmeRoot(t)))
}

// readmeRoot builds labrun's command tree with the defaults of a machine
// without locale or port range settings, so that the README does not
// depend on who regenerates it.
func readmeRoot(t *testing.T) *cobra.Command {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG", runner.IsolatePortsEnv} {
		t.Setenv(name, "")
	}
	return newRootCommand()
}

// readmeCommands renders the list of commands: labrun help's lines.
func readmeCommands(root *cobra.Command) string {
	var b strings.Builder
	b.WriteString("```\n")
	writeCommandList(&b, root, "")
	b.WriteString("```\n")
	return b.String()
}

// readmeFlags renders, for each command that has flags, its usage line and
// summary, then a table of its flags; a command with the same flags as an
// earlier one says so instead of repeating them.
func readmeFlags(root *cobra.Command) string {
	var b strings.Builder
	tables := map[string]string{} // a table → the first command with it
	// A command with commands of its own (class) has its flags on them.
	var all []*cobra.Command
	for _, c := range subcommands(root) {
		all = append(all, c)
		all = append(all, c.Commands()...)
	}
	for _, c := range all {
		flags := visibleFlags(c)
		if len(flags) == 0 {
			continue
		}
		var table strings.Builder
		table.WriteString("| flag | meaning |\n|---|---|\n")
		for _, f := range flags {
			name, usage := describeFlag(f)
			fmt.Fprintf(&table, "| `%s` | %s |\n", markdownCell(name), markdownCell(usage))
		}
		// A bold line rather than a heading, so that the README's text
		// after the section does not read as the last command's.
		use := c.Use
		if c.Parent() != root {
			use = c.Parent().Name() + " " + use
		}
		fmt.Fprintf(&b, "\n**`labrun %s`**: %s", use, c.Short)
		if first, ok := tables[table.String()]; ok {
			fmt.Fprintf(&b, "; the flags of `labrun %s`.\n", first)
			continue
		}
		tables[table.String()] = c.Name()
		b.WriteString(".\n\n" + table.String())
	}
	return b.String() + "\n"
}

// markdownCell escapes what would end a table cell.
func markdownCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// checkREADME compares README.md's section name with want, and rewrites
// it with -update or UPDATE_README=1.
func checkREADME(t *testing.T, name, want string) {
	t.Helper()
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	beginMark, endMark := "<!-- BEGIN labrun "+name+" -->\n", "<!-- END labrun "+name+" -->"
	begin, end := strings.Index(readme, beginMark), strings.Index(readme, endMark)
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the %q ... %q markers", beginMark, endMark)
	}
	if readme[begin+len(beginMark):end] == want {
		return
	}
	if *update || os.Getenv("UPDATE_README") == "1" {
		updated := readme[:begin+len(beginMark)] + want + readme[end:]
		if err := os.WriteFile(readmePath, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("README.md: rewrote the %s section", name)
		return
	}
	t.Errorf("README.md's %s section is stale: run go test ./cmd/labrun -run TestREADME -update", name)
}
