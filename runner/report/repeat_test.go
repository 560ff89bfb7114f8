package report

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAggregate(t *testing.T) {
	s := func(id, result string, ms int) *Step {
		return &Step{ID: id, Result: result, Duration: Seconds(time.Duration(ms) * time.Millisecond)}
	}
	run := func(result string, steps ...*Step) *Run { return &Run{Result: result, Steps: steps} }
	sec := func(ms int) Seconds { return Seconds(time.Duration(ms) * time.Millisecond) }
	for _, tc := range []struct {
		name   string
		runs   []*Run
		passed int
		want   []StepStats
	}{
		{
			name:   "one run",
			runs:   []*Run{run(Pass, s("a", Pass, 100), s("b", Pass, 2000))},
			passed: 1,
			want: []StepStats{
				{ID: "a", Passed: 1, Ran: 1, Runs: 1, Min: sec(100), Median: sec(100), Max: sec(100)},
				{ID: "b", Passed: 1, Ran: 1, Runs: 1, Min: sec(2000), Median: sec(2000), Max: sec(2000)},
			},
		},
		{
			name: "odd count: the middle duration",
			runs: []*Run{
				run(Pass, s("a", Pass, 300)),
				run(Pass, s("a", Pass, 100)),
				run(Pass, s("a", Pass, 900)),
			},
			passed: 3,
			want:   []StepStats{{ID: "a", Passed: 3, Ran: 3, Runs: 3, Min: sec(100), Median: sec(300), Max: sec(900)}},
		},
		{
			name: "even count: the mean of the two middle ones",
			runs: []*Run{
				run(Pass, s("a", Pass, 400)),
				run(Pass, s("a", Pass, 100)),
				run(Pass, s("a", Pass, 200)),
				run(Pass, s("a", Pass, 1000)),
			},
			passed: 4,
			want:   []StepStats{{ID: "a", Passed: 4, Ran: 4, Runs: 4, Min: sec(100), Median: sec(300), Max: sec(1000)}},
		},
		{
			name: "a flaky step: failed once, the steps after it skipped and left out of the spread",
			runs: []*Run{
				run(Pass, s("a", Pass, 100), s("flaky", Pass, 500), s("c", Pass, 50)),
				run(Fail, s("a", Pass, 200), s("flaky", Fail, 90000), s("c", Skipped, 0)),
			},
			passed: 1,
			want: []StepStats{
				{ID: "a", Passed: 2, Ran: 2, Runs: 2, Min: sec(100), Median: sec(150), Max: sec(200)},
				{ID: "flaky", Passed: 1, Ran: 2, Runs: 2, Min: sec(500), Median: sec(45250), Max: sec(90000)},
				{ID: "c", Passed: 1, Ran: 1, Runs: 2, Min: sec(50), Median: sec(50), Max: sec(50)},
			},
		},
		{
			name: "a step that never ran has no spread; an error counts as not passed",
			runs: []*Run{
				run(Error, s("pre", Error, 10), s("b", Skipped, 0)),
				run(Error, s("pre", Error, 30), s("b", Skipped, 0)),
			},
			passed: 0,
			want: []StepStats{
				{ID: "pre", Passed: 0, Ran: 2, Runs: 2, Min: sec(10), Median: sec(20), Max: sec(30)},
				{ID: "b", Passed: 0, Ran: 0, Runs: 2},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Aggregate(tc.runs)
			if got.Passed() != tc.passed || len(got.Runs) != len(tc.runs) {
				t.Errorf("%d of %d runs passed, want %d of %d", got.Passed(), len(got.Runs), tc.passed, len(tc.runs))
			}
			var steps []StepStats
			for _, st := range got.Steps {
				steps = append(steps, *st)
			}
			if !reflect.DeepEqual(steps, tc.want) {
				t.Errorf("steps\n got %+v\nwant %+v", steps, tc.want)
			}
		})
	}
}

func TestRepeatTable(t *testing.T) {
	var out bytes.Buffer
	term := NewTerminal(&out)
	term.RepeatEnded("lab", Aggregate([]*Run{
		{Result: Pass, Steps: []*Step{{ID: "preflight", Result: Pass, Duration: Seconds(20 * time.Millisecond)}, {ID: "observe", Result: Pass, Duration: Seconds(17 * time.Second)}, {ID: "cleanup", Result: Pass, Duration: Seconds(time.Second)}}},
		{Result: Fail, Steps: []*Step{{ID: "preflight", Result: Pass, Duration: Seconds(40 * time.Millisecond)}, {ID: "observe", Result: Fail, Duration: Seconds(90 * time.Second)}, {ID: "cleanup", Result: Skipped}}},
	}))
	// cleanup never failed: skipped once, it is not flaky.
	want := `
FAIL lab × 2: 1 passed, 1 failed
  step       passed      min  median     max
  preflight  2/2        0.0s    0.0s    0.0s
  observe    1/2       17.0s   53.5s   90.0s
  cleanup    1/1        1.0s    1.0s    1.0s  (skipped in 1)
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), strings.TrimPrefix(want, "\n"))
	}
}
