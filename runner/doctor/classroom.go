package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/classroom"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/report"
)

// Classroom is doctor's verdict on a classroom's engines: each engine's
// checklist, in the order given.
type Classroom struct {
	Lab     string              `json:"lab"`
	Result  string              `json:"result"` // pass: every engine can run the lab
	Engines []*report.Checklist `json:"engines"`
}

// WriteJSON writes the classroom's checklists as one indented JSON object.
func (c *Classroom) WriteJSON(w io.Writer) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// RunClassroom checks a classroom's engines at once before class, each
// with Run (its own probe, removed before it returns), and prints one
// line per engine to o.Out: its verdict and its first failing item, then
// a summary. The exit code is the worst of the engines': 0 every engine
// can run the lab, 1 one cannot, 2 bad input or an engine unreachable,
// 130 interrupted. The lab is loaded once first, so that a bad lab or
// flag is one message, before any engine is contacted.
func RunClassroom(ctx context.Context, o Options, hosts []string, lang string) (*Classroom, int, error) {
	cr := &Classroom{Lab: o.Lab, Result: report.Error, Engines: []*report.Checklist{}}
	if err := classroom.CheckHosts(hosts); err != nil {
		return cr, exit.Error, err
	}
	lo := runner.Options{Lab: o.Lab, Set: o.Set, Flavour: o.Flavour, StateDir: o.StateDir, Trust: o.Trust}
	l, err := runner.Load(&lo, event.Discard)
	if err != nil {
		return cr, exit.Error, err
	}
	cr.Lab = l.Name
	out, codes := o.Out, make([]int, len(hosts))
	cr.Engines = make([]*report.Checklist, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			eo := o
			eo.Host, eo.Context, eo.Out, eo.Trust, eo.Lang = h, "", nil, nil, lang
			c, code, err := Run(ctx, eo)
			if c.Engine == "" {
				c.Engine = h
			}
			if c.Error == "" && err != nil {
				c.Error = i18n.In(lang, err)
			}
			cr.Engines[i], codes[i] = c, code
		}()
	}
	wg.Wait()
	code := worst(codes)
	if code == exit.Pass {
		cr.Result = report.Pass
	} else if code == exit.Fail {
		cr.Result = report.Fail
	}
	if out != nil {
		writeClassroom(out, cr, lang)
	}
	if code == exit.Pass {
		return cr, code, nil
	}
	return cr, code, errors.New(enginesVerdict(lang, false, len(hosts)-ready(cr), len(hosts), cr.Lab))
}

// worst is the exit code of several engines' checks: an interruption
// first, then an engine that could not be checked, then one that cannot
// run the lab.
func worst(codes []int) int {
	rank := map[int]int{exit.Pass: 0, exit.Fail: 1, exit.Error: 2, exit.Interrupted: 3}
	w := exit.Pass
	for _, c := range codes {
		if rank[c] > rank[w] {
			w = c
		}
	}
	return w
}

// ready counts the engines that can run the lab.
func ready(cr *Classroom) int {
	n := 0
	for _, c := range cr.Engines {
		if c.Result == report.Pass {
			n++
		}
	}
	return n
}

// FirstFailure is a checklist's first failing item, "title: detail", or
// its error when the engine could not be checked; empty when it passed.
func FirstFailure(c *report.Checklist) string { return firstFailure(c, "en") }

// firstFailure is FirstFailure with its punctuation in lang: the title
// and detail are already in the checklist's language.
func firstFailure(c *report.Checklist, lang string) string {
	for _, it := range c.Items {
		if it.Status == report.ItemFail {
			return i18n.Text(lang, "doctor-first-failure", it.Title, firstLine(it.Detail))
		}
	}
	if c.Result != report.Pass {
		return firstLine(c.Error)
	}
	return ""
}

// writeClassroom prints one line per engine, its verdict and first
// failing item, then the summary, in lang.
func writeClassroom(w io.Writer, cr *Classroom, lang string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range cr.Engines {
		var verdict i18n.Sentence
		switch c.Result {
		case report.Pass:
			verdict = i18n.Sprintf("can run")
		case report.Fail:
			verdict = i18n.Sprintf("cannot run")
		default:
			verdict = i18n.Sprintf("not checked")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Engine, verdict.In(lang), strings.TrimSpace(firstFailure(c, lang)))
	}
	tw.Flush()
	fmt.Fprintln(w)
	mark := i18n.Text(lang, "doctor-ok")
	if cr.Result != report.Pass {
		mark = i18n.Text(lang, "doctor-not-ready")
	}
	fmt.Fprintf(w, "%s %s\n", mark, enginesVerdict(lang, true, ready(cr), len(cr.Engines), cr.Lab))
}

// enginesVerdict says, in lang, how many of a classroom's engines can
// (or cannot) run the lab: French puts one engine, or none, in the
// singular, which English does not, hence a wording of its own.
func enginesVerdict(lang string, can bool, n, of int, labName string) string {
	switch {
	case can && n <= 1:
		return i18n.Text(lang, "doctor-engines-can-run-one", n, of, labName)
	case can:
		return i18n.Textf(lang, "%d of %d engines can run %s", n, of, labName)
	case n <= 1:
		return i18n.Text(lang, "doctor-engines-cannot-run-one", n, of, labName)
	}
	return i18n.Textf(lang, "%d of %d engines cannot run %s", n, of, labName)
}
