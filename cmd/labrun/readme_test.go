package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/labcmd"
)

// The documentation has sections generated from the code, each between
// "<!-- BEGIN labrun NAME -->" and "<!-- END labrun NAME -->": the lab
// format (labrun help format) in docs/lab-format.md, the list of commands
// (labrun help) and the flags of each command (labrun CMD -h) in
// docs/commands.md, the last two rendered from the cobra command tree. The
// README links to those pages. A test fails when a section is stale;
//
//	go test ./cmd/labrun -run TestREADME -update
//
// (or UPDATE_README=1 go test ./cmd/labrun -run TestREADME) rewrites them.

var update = flag.Bool("update", false, "rewrite the docs' generated sections")

// The pages that hold generated sections.
const (
	commandsDoc  = "../../docs/commands.md"
	labFormatDoc = "../../docs/lab-format.md"
)

// TestREADMEFormat fails when docs/lab-format.md's copy of the lab format
// reference differs from what labrun help format prints.
func TestREADMEFormat(t *testing.T) {
	var gen bytes.Buffer
	labcmd.WriteFormat(&gen)
	checkREADME(t, labFormatDoc, "help format", "```\n"+gen.String()+"```\n")
}

// TestREADMECommands fails when docs/commands.md's list of commands
// differs from labrun help's.
func TestREADMECommands(t *testing.T) {
	checkREADME(t, commandsDoc, "commands", readmeCommands(readmeRoot(t)))
}

// TestREADMEFlags fails when docs/commands.md's tables of flags differ
// from the flags the commands take.
func TestREADMEFlags(t *testing.T) {
	checkREADME(t, commandsDoc, "flags", readmeFlags(readmeRoot(t)))
}

// readmeRoot builds labrun's command tree with the defaults of a machine
// without locale or port range settings, so that the docs do not depend
// on who regenerates them.
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

// checkREADME compares the section name of the page at path with want,
// and rewrites it with -update or UPDATE_README=1.
func checkREADME(t *testing.T, path, name, want string) {
	t.Helper()
	page := strings.TrimPrefix(path, "../../")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	beginMark, endMark := "<!-- BEGIN labrun "+name+" -->\n", "<!-- END labrun "+name+" -->"
	begin, end := strings.Index(readme, beginMark), strings.Index(readme, endMark)
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks the %q ... %q markers", page, beginMark, endMark)
	}
	if readme[begin+len(beginMark):end] == want {
		return
	}
	if *update || os.Getenv("UPDATE_README") == "1" {
		updated := readme[:begin+len(beginMark)] + want + readme[end:]
		if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: rewrote the %s section", page, name)
		return
	}
	t.Errorf("%s's %s section is stale: run go test ./cmd/labrun -run TestREADME -update", page, name)
}

// TestREADMELinks fails when a relative link of the README or of a docs
// page names a file that does not exist, or a heading that the page it
// names does not have (GitHub's anchors: the heading in lower case, spaces
// as dashes, other punctuation dropped).
func TestREADMELinks(t *testing.T) {
	pages, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, "../../README.md")
	link := regexp.MustCompile(`\]\(([^)#\s]*)(#[^)\s]*)?\)`)
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			target, anchor := m[1], strings.TrimPrefix(m[2], "#")
			if strings.Contains(target, "://") {
				continue
			}
			path := page
			if target != "" {
				path = filepath.Join(filepath.Dir(page), target)
			}
			doc, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s: link %q: %v", page, m[0], err)
				continue
			}
			if anchor != "" && !slices.Contains(anchors(string(doc)), anchor) {
				t.Errorf("%s: link %q: %s has no heading #%s", page, m[0], target, anchor)
			}
		}
	}
}

// anchors returns the GitHub anchors of a markdown page's headings.
func anchors(page string) []string {
	var out []string
	for _, line := range strings.Split(page, "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		var b strings.Builder
		for _, r := range title {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		out = append(out, b.String())
	}
	return out
}

// TestREADMETwoCommands fails when the README's two commands are not
// what CI runs: CI proves what the README promises.
func TestREADMETwoCommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"make run", "make test"} {
		if !bytes.Contains(readme, []byte("\n"+cmd+" ")) {
			t.Errorf("README.md does not show %q", cmd)
		}
	}
	if !regexp.MustCompile(`(?m)^make test$`).Match(ci) {
		t.Errorf(".ci/run does not run the README's test command, make test")
	}
}
