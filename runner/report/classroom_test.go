package report

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func classroomFixture() *Classroom {
	return &Classroom{Lab: "l", Result: Fail, Duration: Seconds(40 * time.Second), Runs: []*Run{
		{Lab: "l", Engine: "tcp://10.77.1.2:2375", Result: Pass, Duration: Seconds(36700 * time.Millisecond),
			Steps: []*Step{{ID: "a", Result: Pass}, {ID: "b", Result: Pass}}},
		{Lab: "l", Engine: "unix:///run/e2/docker.sock", Result: Fail, Duration: Seconds(20 * time.Second), Error: "l.txtar:9: boom\nhint: look",
			Steps: []*Step{{ID: "a", Result: Pass}, {ID: "b", Result: Fail, Error: "l.txtar:9: boom"}}},
		{Lab: "l", Engine: "ssh://u@pc3", Result: Error, Error: "cannot reach the Docker engine at ssh://u@pc3",
			Steps: []*Step{{ID: "a", Result: Skipped}, {ID: "b", Result: Skipped}}},
	}}
}

func TestWriteSummary(t *testing.T) {
	var b bytes.Buffer
	classroomFixture().WriteSummary(&b)
	want := `ENGINE                      RESULT  FAILED STEP         DURATION
tcp://10.77.1.2:2375        PASS    -                   36.7s
unix:///run/e2/docker.sock  FAIL    b                   20.0s
ssh://u@pc3                 ERROR   (before the steps)  0.0s
unix:///run/e2/docker.sock: l.txtar:9: boom
ssh://u@pc3: cannot reach the Docker engine at ssh://u@pc3
FAIL l on 3 engines: 1 passed, 2 failed in 40.0s
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestWriteSummaryInFrench: the classroom's table in French, its result
// tokens the same, the engine's words quoted.
func TestWriteSummaryInFrench(t *testing.T) {
	var b bytes.Buffer
	classroomFixture().WriteSummaryIn(&b, "fr")
	want := `MOTEUR                      RÉSULTAT  ÉTAPE EN ÉCHEC      DURÉE
tcp://10.77.1.2:2375        PASS      -                   36.7s
unix:///run/e2/docker.sock  FAIL      b                   20.0s
ssh://u@pc3                 ERROR     (avant les étapes)  0.0s
unix:///run/e2/docker.sock : l.txtar:9: boom
ssh://u@pc3 : cannot reach the Docker engine at ssh://u@pc3
FAIL l sur 3 moteurs : réussis 1, en échec 2, en 40.0s
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestClassroomJUnit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.xml")
	if err := classroomFixture().WriteJUnit(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var got junitSuites
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	want := []struct {
		name                           string
		tests, failures, errs, skipped int
	}{
		{"l @ tcp://10.77.1.2:2375", 2, 0, 0, 0},
		{"l @ unix:///run/e2/docker.sock", 2, 1, 0, 0},
		{"l @ ssh://u@pc3", 2, 0, 0, 2},
	}
	if len(got.Suites) != len(want) {
		t.Fatalf("%d test suites, want one per engine (%d):\n%s", len(got.Suites), len(want), data)
	}
	for i, w := range want {
		s := got.Suites[i]
		if s.Name != w.name || s.Tests != w.tests || s.Failures != w.failures || s.Errors != w.errs || s.Skipped != w.skipped {
			t.Errorf("suite %d: %s %d tests %d failures %d errors %d skipped, want %+v", i, s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, w)
		}
	}
}

func TestLineWriters(t *testing.T) {
	var out bytes.Buffer
	ws := NewLineWriters(&out, []string{"10.77.1.2:2375", "pc3"})
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				// A line in pieces, and a status line redrawn in place.
				w.Write([]byte("step "))
				w.Write([]byte("of " + []string{"one", "two"}[i] + "\n\r  … waiting\rdone\n"))
			}
		}()
	}
	wg.Wait()
	ws[0].Write([]byte("no newline"))
	ws[0].Flush()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 801 {
		t.Fatalf("%d lines, want 801", len(lines))
	}
	allowed := map[string]bool{
		"10.77.1.2:2375 │ step of one": true, "10.77.1.2:2375 │ done": true,
		"pc3            │ step of two": true, "pc3            │ done": true,
	}
	for _, l := range lines[:800] {
		if !allowed[l] {
			t.Fatalf("mixed or unprefixed line %q", l)
		}
	}
	if lines[800] != "10.77.1.2:2375 │ no newline" {
		t.Errorf("flushed line %q", lines[800])
	}
}
