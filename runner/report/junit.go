package report

import (
	"encoding/xml"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/labrun/labrun/runner/i18n"
)

// The JUnit XML of a run, as GitLab, Jenkins and GitHub's test reporters
// read it: one test suite per run, one test case per step.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string `xml:"name,attr"`
	Tests     int    `xml:"tests,attr"`
	Failures  int    `xml:"failures,attr"`
	Errors    int    `xml:"errors,attr"`
	Skipped   int    `xml:"skipped,attr"`
	Time      string `xml:"time,attr"`
	Timestamp string `xml:"timestamp,attr"`
	Hostname  string `xml:"hostname,attr,omitempty"`
	// Properties say how the run was made: labrun's build, --fast, and the
	// variables' values.
	Properties *junitProperties `xml:"properties,omitempty"`
	Cases      []junitCase      `xml:"testcase"`
	SystemErr  string           `xml:"system-err,omitempty"`
}

type junitProperties struct {
	Items []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *struct{}     `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func seconds(d Seconds) string { return fmt.Sprintf("%.3f", time.Duration(d).Seconds()) }

// WriteJUnit writes the report as JUnit XML to path (- for standard
// output), its words in the run's language, its elements and attributes
// JUnit's: each step is a test
// case, a failed step a failure whose text holds the error and what the
// engine showed, a preflight or interrupted step an error, a step not run
// a skipped case.
func (r *Run) WriteJUnit(path string) error {
	return writeJUnit(path, r.junitSuite(r.Lab))
}

// junitSuite is the run as one test suite named name.
func (r *Run) junitSuite(name string) junitSuite {
	s := junitSuite{Name: name, Time: seconds(r.Duration), Timestamp: r.Started.UTC().Format("2006-01-02T15:04:05"), Hostname: r.Engine}
	// The build of labrun, first: which labrun wrote the file (a report
	// made by hand, as in tests, may not say).
	var props []junitProperty
	if r.Labrun.Version != "" {
		props = append(props, junitProperty{"labrun.version", r.Labrun.Version})
	}
	if r.Labrun.Revision != "" {
		props = append(props, junitProperty{"labrun.revision", r.Labrun.Revision})
	}
	if r.Labrun.Modified {
		props = append(props, junitProperty{"labrun.modified", "true"})
	}
	if r.Fast {
		// Said in the suite's name too: a CI page shows names, not properties.
		s.Name += " " + i18n.Text(r.Lang, "summary-fast")
		props = append(props, junitProperty{"fast", "true"})
	}
	if r.Isolated {
		props = append(props, junitProperty{"isolated", "true"})
	}
	for _, v := range slices.Sorted(maps.Keys(r.Vars)) {
		props = append(props, junitProperty{"var." + v, r.Vars[v]})
	}
	if len(props) > 0 {
		s.Properties = &junitProperties{Items: props}
	}
	for _, st := range r.Steps {
		c := junitCase{Name: st.ID + ": " + st.Title, Classname: "labrun." + r.Lab, Time: seconds(st.Duration)}
		problem := &junitProblem{Message: firstLine(st.Error), Text: st.Error}
		if st.Diagnostics != "" {
			problem.Text += "\n\n" + st.Diagnostics
		}
		switch st.Result {
		case Fail:
			c.Failure = problem
			s.Failures++
		case Error:
			c.Error = problem
			s.Errors++
		case Skipped:
			c.Skipped = &struct{}{}
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	if r.Error != "" && len(s.Cases) == 0 {
		// The run ended before any step (a usage or engine error).
		s.Cases = append(s.Cases, junitCase{Name: "run", Classname: "labrun." + r.Lab, Time: seconds(r.Duration),
			Error: &junitProblem{Message: firstLine(r.Error), Text: r.Error}})
		s.Tests, s.Errors = 1, 1
	}
	if len(r.Leftovers) > 0 {
		s.SystemErr = i18n.Text(r.Lang, "left-behind") + "\n" + joinLines(r.Leftovers)
	}
	return s
}

// writeJUnit writes test suites as a JUnit XML file, or to standard
// output when path is "-", as the JSON report does.
func writeJUnit(path string, suites ...junitSuite) error {
	data, err := xml.MarshalIndent(junitSuites{Suites: suites}, "", "  ")
	if err != nil {
		return err
	}
	data = append([]byte(xml.Header), append(data, '\n')...)
	if path == "-" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(path, data, 0o640)
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}

func joinLines(lines []string) string {
	out := ""
	for _, l := range lines {
		out += l + "\n"
	}
	return out
}
