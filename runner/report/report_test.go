package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/buildinfo"
	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/event"
)

func TestJSONShape(t *testing.T) {
	r := &Run{Lab: "l", Result: Fail, Duration: Seconds(1500 * time.Millisecond), Steps: []*Step{
		{ID: "a", Title: "A", Result: Pass, Duration: Seconds(250 * time.Millisecond)},
		{ID: "b", Title: "B", Result: Fail, Error: "l.txtar:3: boom"},
	}}
	path := filepath.Join(t.TempDir(), "r.json")
	if err := r.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var generic map[string]any
	if err := json.Unmarshal(data, &generic); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"lab", "result", "duration_s", "steps"} {
		if _, ok := generic[key]; !ok {
			t.Errorf("missing key %q in %s", key, data)
		}
	}
	if generic["duration_s"] != 1.5 {
		t.Errorf("duration_s = %v, want 1.5", generic["duration_s"])
	}
	step := generic["steps"].([]any)[1].(map[string]any)
	for key, want := range map[string]any{"id": "b", "title": "B", "result": "fail", "error": "l.txtar:3: boom"} {
		if step[key] != want {
			t.Errorf("step %s = %v, want %v", key, step[key], want)
		}
	}
}

func TestTerminalPlainWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	term := NewTerminal(&buf)
	for _, e := range []event.Event{
		event.Loaded{Lab: "lab", Title: "Title", Steps: []event.StepInfo{{ID: "one", Title: "First"}, {ID: "two", Title: "Second"}}},
		event.Connected{Engine: "unix:///x", Describe: "engine x"},
		event.StepStarted{Num: 1, Total: 2, ID: "one", Title: "First", Typed: []string{"docker service create --name s img"}},
		event.Waiting{Step: "one", Cmd: "* service-running s 1 img", Last: "0/1 running", Waited: time.Second, Timeout: time.Minute},
		event.CommandDone{Step: "one", Cmd: "exec docker ps", Output: "ID"},
		event.CommandDone{Step: "one", Cmd: "service-running s 1 img", Err: errors.New("0/1 tasks running")},
		event.StepEnded{ID: "one", Result: Fail, Err: &event.StepError{File: "l.txtar", Line: 9, Message: "nope", Diagnostics: "TASK ..."}},
		event.RunEnded{Result: Fail},
	} {
		term.Handle(e)
	}
	out := buf.String()
	if strings.Contains(out, "\x1b[") || strings.Contains(out, "\r") {
		t.Errorf("escape sequences or status line in non-terminal output:\n%q", out)
	}
	for _, want := range []string{
		"[1/2] one First",
		"tutorial: docker service create --name s img",
		"$ docker ps",
		"✗ service-running s 1 img",
		"0/1 tasks running",
		"l.txtar:9: nope",
		"What the engine shows:",
		"FAIL lab: 0 passed, 1 failed, 1 skipped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "0/1 running") {
		t.Errorf("a wait's status was printed outside a terminal:\n%s", out)
	}
}

func TestJUnit(t *testing.T) {
	r := &Run{Lab: "whoami-rollback", Result: Fail, Duration: Seconds(3 * time.Second), Engine: "unix:///e.sock", Steps: []*Step{
		{ID: "preflight", Title: "Check", Result: Pass, Duration: Seconds(time.Second)},
		{ID: "create-service", Title: "Create <1.0>", Result: Fail, Error: "lab.txtar:9: nope\nhint: look", Diagnostics: "TASK whoami.1 failed"},
		{ID: "request", Title: "Ask", Result: Skipped},
	}}
	path := filepath.Join(t.TempDir(), "r.xml")
	if err := r.WriteJUnit(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var got junitSuites
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	s := got.Suites[0]
	if s.Name != "whoami-rollback" || s.Tests != 3 || s.Failures != 1 || s.Errors != 0 || s.Skipped != 1 || s.Time != "3.000" {
		t.Errorf("suite %+v", s)
	}
	c := s.Cases[1]
	if c.Name != "create-service: Create <1.0>" || c.Failure == nil || c.Failure.Message != "lab.txtar:9: nope" ||
		!strings.Contains(c.Failure.Text, "hint: look") || !strings.Contains(c.Failure.Text, "TASK whoami.1 failed") {
		t.Errorf("failed case %+v", c)
	}
	if strings.Contains(string(data), "<properties") {
		t.Errorf("a run with no properties has a properties element:\n%s", data)
	}
	if s.Cases[0].Failure != nil || s.Cases[2].Skipped == nil {
		t.Errorf("cases %+v", s.Cases)
	}
}

// TestJUnitValidates checks labrun's JUnit files against the schema of
// what CI reporters read (testdata/junit.xsd), with xmllint, for every
// shape a run can take; and that the schema does reject a malformed file,
// so that its verdict means something.
func TestJUnitValidates(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		enginetest.SkipOrFail(t, "no xmllint (Debian: libxml2-utils; scripts/engine-up.sh installs it)")
	}
	started := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	runs := []struct {
		name string
		run  *Run
	}{
		{"passed", &Run{Lab: "whoami-rollback", Result: Pass, Started: started, Duration: Seconds(38 * time.Second), Engine: "unix:///var/run/docker.sock", Steps: []*Step{
			{ID: "preflight", Title: "Check", Result: Pass, Duration: Seconds(time.Millisecond)},
			{ID: "request", Title: "Ask & <see>", Result: Pass, Duration: Seconds(time.Second)},
		}}},
		{"failed, errored and skipped steps", &Run{Lab: "whoami-rollback", Result: Fail, Started: started, Engine: "tcp://10.0.0.2:2375", Steps: []*Step{
			{ID: "preflight", Title: "Check", Result: Error, Error: "lab.txtar:30: swarm-manager: not a manager\nhint: docker swarm init"},
			{ID: "create-service", Title: "Create", Result: Fail, Error: "lab.txtar:9: nope", Diagnostics: "TASK whoami.1 failed \x1b[31m"},
			{ID: "request", Title: "Ask", Result: Skipped},
		}, Leftovers: []string{"service whoami: docker service rm whoami"}}},
		{"no step ran", &Run{Lab: "never", Result: Error, Started: started, Error: "cannot reach the engine"}},
		{"fast and isolated, with properties", &Run{Lab: "whoami-rollback", Result: Pass, Started: started, Fast: true, Isolated: true,
			Vars: map[string]string{"SERVICE": "whoami-1a2b", "PORT": "20417"}, Steps: []*Step{{ID: "preflight", Title: "Check", Result: Pass}}}},
	}
	classroom := &Classroom{Lab: "whoami-rollback", Result: Fail, Started: started, Runs: []*Run{runs[0].run, runs[1].run, runs[2].run}}
	for _, tc := range append(runs, struct {
		name string
		run  *Run
	}{"a classroom: one suite per engine", nil}) {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.xml")
			write := classroom.WriteJUnit
			if tc.run != nil {
				write = tc.run.WriteJUnit
			}
			if err := write(path); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit.xsd", path).CombinedOutput(); err != nil {
				data, _ := os.ReadFile(path)
				t.Errorf("xmllint: %v\n%s\n%s", err, out, data)
			}
		})
	}
	t.Run("the schema rejects a nameless test case", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bad.xml")
		os.WriteFile(path, []byte(`<testsuites><testsuite name="x" tests="1" failures="0" errors="0" time="1"><testcase classname="c" time="1"/></testsuite></testsuites>`), 0o600)
		if out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit.xsd", path).CombinedOutput(); err == nil {
			t.Errorf("xmllint accepted a test case without a name:\n%s", out)
		}
	})
}

// TestFastIsSaid proves a --fast run says, in every report, that its
// timings are not the tutorial's, and the isolated values it used.
func TestFastIsSaid(t *testing.T) {
	r := &Run{Lab: "whoami-rollback", Result: Pass, Fast: true, Isolated: true, Vars: map[string]string{"SERVICE": "whoami-1a2b3c4d", "PORT": "20417"},
		Steps: []*Step{{ID: "preflight", Title: "Check", Result: Pass}}}
	dir := t.TempDir()
	if err := r.WriteJUnit(filepath.Join(dir, "r.xml")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "r.xml"))
	var got junitSuites
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	s := got.Suites[0]
	if s.Name != "whoami-rollback (--fast: shortened timings, not the tutorial's)" {
		t.Errorf("suite name %q", s.Name)
	}
	want := []junitProperty{{"fast", "true"}, {"isolated", "true"}, {"var.PORT", "20417"}, {"var.SERVICE", "whoami-1a2b3c4d"}}
	if s.Properties == nil || len(s.Properties.Items) != len(want) {
		t.Fatalf("properties %+v, want %+v", s.Properties, want)
	}
	for i := range want {
		if s.Properties.Items[i] != want[i] {
			t.Errorf("property %d: %+v, want %+v", i, s.Properties.Items[i], want[i])
		}
	}
	if err := r.WriteJSON(filepath.Join(dir, "r.json")); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(filepath.Join(dir, "r.json"))
	var generic map[string]any
	if err := json.Unmarshal(data, &generic); err != nil {
		t.Fatal(err)
	}
	if generic["fast"] != true || generic["isolated"] != true || generic["vars"].(map[string]any)["PORT"] != "20417" {
		t.Errorf("JSON %s", data)
	}
	var buf bytes.Buffer
	NewTerminal(&buf).runEnded(r)
	if !strings.Contains(buf.String(), "PASS whoami-rollback (--fast: shortened timings, not the tutorial's): 1 passed") {
		t.Errorf("terminal: %q", buf.String())
	}
}

// TestBuildIsSaid proves both reports say which build of labrun wrote
// them: the JSON's "labrun" object and the JUnit suite's properties.
func TestBuildIsSaid(t *testing.T) {
	build := buildinfo.Build{Version: "v1.2.3-0.20261202160700-449a6be01234", Revision: "449a6be0123456789abcdef0123456789abcdef0", Modified: true}
	r := &Run{Lab: "whoami-rollback", Result: Pass, Labrun: build, Steps: []*Step{{ID: "preflight", Title: "Check", Result: Pass}}}
	dir := t.TempDir()
	if err := r.WriteJSON(filepath.Join(dir, "r.json")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "r.json"))
	var parsed struct {
		Labrun map[string]any `json:"labrun"`
	}
	if err := json.Unmarshal(data, &parsed); err != nil {
		t.Fatal(err)
	}
	if parsed.Labrun["version"] != build.Version || parsed.Labrun["revision"] != build.Revision || parsed.Labrun["modified"] != true {
		t.Errorf("JSON labrun = %v, want %+v", parsed.Labrun, build)
	}
	if err := r.WriteJUnit(filepath.Join(dir, "r.xml")); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(filepath.Join(dir, "r.xml"))
	var got junitSuites
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	want := []junitProperty{{"labrun.version", build.Version}, {"labrun.revision", build.Revision}, {"labrun.modified", "true"}}
	if s := got.Suites[0]; s.Properties == nil || !slices.Equal(s.Properties.Items, want) {
		t.Errorf("JUnit properties %+v, want %+v", s.Properties, want)
	}
}

// TestBuilderSaysBuild proves a run's report carries the running build.
func TestBuilderSaysBuild(t *testing.T) {
	if got := NewBuilder("lab").Report().Labrun; got != buildinfo.Current() || got.Version == "" {
		t.Errorf("report's build %+v, want %+v", got, buildinfo.Current())
	}
}

// TestTerminalWrapsItsOwnLines: off a terminal a run's headings and
// notices stay one line each, for grep; the guide's (Paragraphs) are
// wrapped between words at the width COLUMNS gives, no word cut.
func TestTerminalWrapsItsOwnLines(t *testing.T) {
	t.Setenv("COLUMNS", "40")
	t.Setenv("NO_COLOR", "1") // the widths and words compared are the text's
	title := "Update a good release stop-first and watch requests fail"
	notice := "--publish 8000:8000 goes through the swarm routing mesh, which does not answer on this engine"
	for _, tc := range []struct {
		name       string
		paragraphs bool
		wantLines  int
	}{
		{"a run's log", false, 2},
		{"the guide", true, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			term := NewTerminal(&buf)
			term.Paragraphs = tc.paragraphs
			term.Handle(event.StepStarted{Num: 9, Total: 10, ID: "update", Title: title})
			term.Handle(event.Notice{Message: event.Say("mesh-dead", "%s", notice)})
			lines := strings.Split(strings.Trim(buf.String(), "\n"), "\n")
			if len(lines) != tc.wantLines {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), tc.wantLines, buf.String())
			}
			for _, l := range lines {
				if tc.paragraphs && len([]rune(l)) > 40 {
					t.Errorf("a line wider than 40: %q", l)
				}
			}
			if got := strings.Join(strings.Fields(buf.String()), " "); got != "[9/10] update "+title+" ! "+notice {
				t.Errorf("words changed by wrapping: %q", got)
			}
			under := strings.Repeat(" ", len("[9/10] update "))
			if tc.paragraphs && (!strings.HasPrefix(lines[1], under) || strings.HasPrefix(lines[1], under+" ")) {
				t.Errorf("a heading's second line not under its title's first word: %q", lines[1])
			}
		})
	}
}

// TestCommandLineWrapped: a check's line longer than the guide's width is
// wrapped between words with its duration kept at its end; one that fits
// is printed as the lab wrote it, spaces and all.
func TestCommandLineWrapped(t *testing.T) {
	t.Setenv("COLUMNS", "60")
	t.Setenv("NO_COLOR", "1")
	long := "service-spec whoami rollback.parallelism=1 rollback.failure-action=pause rollback.monitor=5s"
	for _, tc := range []struct {
		cmd  string
		want string
	}{
		{long, "  ✓ service-spec whoami rollback.parallelism=1\n    rollback.failure-action=pause rollback.monitor=5s 1.5s\n"},
		{"exec grep 'a  b' file", "  $ grep 'a  b' file 1.5s\n"},
	} {
		var buf bytes.Buffer
		term := NewTerminal(&buf)
		term.Paragraphs = true
		term.Handle(event.CommandDone{Step: "s", Cmd: tc.cmd, Took: 1500 * time.Millisecond})
		if buf.String() != tc.want {
			t.Errorf("%q printed as\n%q\nwant\n%q", tc.cmd, buf.String(), tc.want)
		}
	}
}
