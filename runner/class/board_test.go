package class

import (
	"reflect"
	"slices"
	"testing"
)

// TestBoardApply judges a student's progress from events alone, as the
// server replays them: the result must not depend on the order they came
// in (a queue resent after a restart arrives after newer events).
func TestBoardApply(t *testing.T) {
	lab := stored{Student: 1, Name: "Alice", At: 1, Event: Event{Kind: KindLab, Lab: "demo", Steps: testSteps}}
	ev := func(at int64, kind, step string, pass bool, text string) stored {
		return stored{Student: 1, Name: "Alice", At: at, Event: Event{Kind: kind, Lab: "demo", Step: step, Pass: pass, Text: text}}
	}
	for _, tc := range []struct {
		name        string
		events      []stored
		current     string
		since       int64
		one         Cell
		quit        bool
		doneSummary []int
	}{
		{"nothing yet", []stored{lab}, "one", 0, Cell{}, false, []int{0, 0}},
		{"shown, one failure", []stored{lab, ev(1000, KindShown, "one", false, ""), ev(3000, KindAttempt, "one", false, "no service")},
			"one", 1000, Cell{Shown: 1000, First: 1000, Attempts: 1, Failure: "no service", failedAt: 3000}, false, []int{0, 0}},
		{"the latest failure wins", []stored{lab, ev(1000, KindAttempt, "one", false, "first"), ev(2000, KindAttempt, "one", false, "second")},
			"one", 1000, Cell{First: 1000, Attempts: 2, Failure: "second", failedAt: 2000}, false, []int{0, 0}},
		{"done with a hint and r", []stored{lab, ev(1000, KindShown, "one", false, ""), ev(2000, KindHint, "one", false, ""),
			ev(3000, KindRun, "one", false, ""), ev(4000, KindAttempt, "one", true, ""), ev(4000, KindShown, "two", false, "")},
			"two", 4000, Cell{Shown: 1000, First: 1000, Done: 4000, Attempts: 1, Hints: 1, SolutionRun: true}, false, []int{1, 0}},
		{"quit after the last event", []stored{lab, ev(1000, KindShown, "one", false, ""), ev(1500, KindQuit, "one", false, "")},
			"one", 1000, Cell{Shown: 1000, First: 1000}, true, []int{0, 0}},
		{"back after quitting", []stored{lab, ev(1000, KindShown, "one", false, ""), ev(1500, KindQuit, "one", false, ""), ev(9000, KindShown, "one", false, "")},
			"one", 1000, Cell{Shown: 1000, First: 1000}, false, []int{0, 0}},
		{"every step done", []stored{lab, ev(1000, KindAttempt, "one", true, ""), ev(2000, KindAttempt, "two", true, "")},
			"", 0, Cell{First: 1000, Done: 1000, Attempts: 1}, false, []int{1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range []string{"in order", "reversed"} {
				events := slices.Clone(tc.events)
				if order == "reversed" {
					slices.Reverse(events)
				}
				b := NewBoard("CODE", "en", 60_000)
				for _, e := range events {
					b.Apply(e)
				}
				p := b.Students[0].Labs["demo"]
				one := Cell{}
				if c := p.Cells["one"]; c != nil {
					one = *c
				}
				if p.Current != tc.current || p.Since != tc.since || !reflect.DeepEqual(one, tc.one) || p.Quit != tc.quit ||
					!slices.Equal(b.Labs[0].Done, tc.doneSummary) {
					t.Errorf("%s: current %q since %d, step one %+v, quit %v, summary %v; want %q %d %+v %v %v",
						order, p.Current, p.Since, one, p.Quit, b.Labs[0].Done, tc.current, tc.since, tc.one, tc.quit, tc.doneSummary)
				}
			}
		})
	}
}
