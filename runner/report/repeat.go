package report

import (
	"fmt"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/labrun/labrun/runner/i18n"
)

// Repeat is how a lab fared when run several times in a row (labrun run
// --repeat N): each run's outcome, and per step how many runs it passed
// and the spread of its duration, so that a flaky step shows.
type Repeat struct {
	Runs  []RepeatRun  `json:"runs"`
	Steps []*StepStats `json:"steps"`
}

// RepeatRun is the outcome of one of the runs.
type RepeatRun struct {
	Result   string  `json:"result"`
	Duration Seconds `json:"duration_s"`
	Error    string  `json:"error,omitempty"`
}

// StepStats is one step over all the runs. The durations are those of the
// runs in which the step ran (was not skipped after an earlier failure).
type StepStats struct {
	ID     string  `json:"id"`
	Passed int     `json:"passed"` // runs in which the step passed
	Ran    int     `json:"ran"`    // runs in which the step ran
	Runs   int     `json:"runs"`   // runs in all
	Min    Seconds `json:"min_s"`
	Median Seconds `json:"median_s"`
	Max    Seconds `json:"max_s"`
}

// Aggregate sums up runs of one lab: the steps in the order of the first
// run, any step only later runs have appended after them.
func Aggregate(runs []*Run) *Repeat {
	rep := &Repeat{Runs: []RepeatRun{}, Steps: []*StepStats{}}
	byID := map[string]*StepStats{}
	durations := map[string][]time.Duration{}
	for _, r := range runs {
		rep.Runs = append(rep.Runs, RepeatRun{Result: r.Result, Duration: r.Duration, Error: r.Error})
		for _, s := range r.Steps {
			st := byID[s.ID]
			if st == nil {
				st = &StepStats{ID: s.ID}
				byID[s.ID] = st
				rep.Steps = append(rep.Steps, st)
			}
			switch s.Result {
			case Skipped:
				continue
			case Pass:
				st.Passed++
			}
			st.Ran++
			durations[s.ID] = append(durations[s.ID], time.Duration(s.Duration))
		}
	}
	for _, st := range rep.Steps {
		st.Runs = len(runs)
		d := durations[st.ID]
		if len(d) == 0 {
			continue
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		st.Min, st.Max = Seconds(d[0]), Seconds(d[len(d)-1])
		st.Median = Seconds(d[len(d)/2])
		if len(d)%2 == 0 {
			st.Median = Seconds((d[len(d)/2-1] + d[len(d)/2]) / 2)
		}
	}
	return rep
}

// Passed returns how many of the runs passed.
func (r *Repeat) Passed() int {
	n := 0
	for _, run := range r.Runs {
		if run.Result == Pass {
			n++
		}
	}
	return n
}

// RepeatEnded prints the per-step table of repeated runs, in the
// terminal's language. "passed" counts the runs in which the step ran,
// so that a step skipped after an earlier failure does not look flaky;
// the runs that skipped it are said apart. A step that passed in some of
// its runs only is a flaky one, in yellow.
func (t *Terminal) RepeatEnded(lab string, r *Repeat) {
	passed := r.Passed()
	verdict := t.green.Sprint("PASS")
	if passed < len(r.Runs) {
		verdict = t.red.Sprint("FAIL")
	}
	ok := i18n.Sprintf("%d passed", passed)
	switch passed {
	case 0:
		ok = i18n.Sprintf("0 passed")
	case 1:
		ok = i18n.Sprintf("1 passed")
	}
	t.printf("\n%s\n", i18n.Textf(t.Lang, "%s %s × %d: %s", verdict, lab, len(r.Runs), i18n.Sprintf("%s, %d failed", ok, len(r.Runs)-passed)))
	// The headers' width is the language's: fmt pads by runes.
	step, okHead := i18n.Textf(t.Lang, "step"), i18n.Textf(t.Lang, "passed")
	width, okWidth := runes(step), max(7, runes(okHead))
	for _, s := range r.Steps {
		width = max(width, len(s.ID))
	}
	t.printf("  %-*s  %-*s %7s %7s %7s\n", width, step, okWidth, okHead, "min", i18n.Textf(t.Lang, "median"), "max")
	for _, s := range r.Steps {
		count := fmt.Sprintf("%-*s", okWidth, fmt.Sprintf("%d/%d", s.Passed, s.Ran))
		switch {
		case s.Ran == 0:
		case s.Passed == s.Ran:
			count = t.green.Sprint(count)
		case s.Passed == 0:
			count = t.red.Sprint(count)
		default:
			count = t.yellow.Sprint(count)
		}
		skipped := ""
		if s.Ran < s.Runs {
			skipped = "  " + i18n.Textf(t.Lang, "(skipped in %d)", s.Runs-s.Ran)
		}
		if s.Ran == 0 {
			t.printf("  %-*s  %s %7s %7s %7s%s\n", width, s.ID, count, "-", "-", "-", skipped)
			continue
		}
		sec := func(d Seconds) string { return fmt.Sprintf("%.1fs", time.Duration(d).Seconds()) }
		t.printf("  %-*s  %s %7s %7s %7s%s\n", width, s.ID, count, sec(s.Min), sec(s.Median), sec(s.Max), skipped)
	}
}

// runes is the width of s on a terminal, one column a rune.
func runes(s string) int { return utf8.RuneCountInString(s) }
