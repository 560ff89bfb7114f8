package report

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
)

// Statuses of a checklist item.
const (
	ItemOK   = "ok"
	ItemFail = "fail" // the lab cannot run until it is fixed
	ItemWarn = "warn" // worth knowing, but the lab runs
	ItemSkip = "skip" // could not be checked; Detail says why
)

// Checklist is the answer of labrun doctor: whether an engine can run a
// lab, item by item, with the fix of each item that fails. Its JSON form is
// documented in docs/reports.md; fields are only ever added.
// Its keys, result, IDs and statuses are the same in every language;
// its human text (error, titles, details, fixes) is in the run's.
type Checklist struct {
	Lab    string  `json:"lab"`
	Engine string  `json:"engine"`
	Result string  `json:"result"` // pass, fail or error (no engine, interrupted)
	Error  string  `json:"error,omitempty"`
	Items  []*Item `json:"items"`
}

// Item is one line of a checklist.
type Item struct {
	ID     string `json:"id"`    // stable: engine, engine-api, swarm, node, port, images, names, routing-mesh, disk
	Title  string `json:"title"` // what was checked, e.g. "port 8000", in the run's language
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"` // what was seen
	Fix    string `json:"fix,omitempty"`    // what to do (fail), or what labrun does about it (warn)
}

// Counts returns how many items ended with each status.
func (c *Checklist) Counts() map[string]int {
	n := map[string]int{}
	for _, it := range c.Items {
		n[it.Status]++
	}
	return n
}

// WriteJSON writes the checklist as one indented JSON object.
func (c *Checklist) WriteJSON(w io.Writer) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// checklistItem prints an item of the checklist as it is found.
func (t *Terminal) checklistItem(it *Item) {
	mark := map[string]string{
		ItemOK: t.green.Sprint("✓"), ItemFail: t.red.Sprint("✗"),
		ItemWarn: t.yellow.Sprint("!"), ItemSkip: t.dim.Sprint("-"),
	}[it.Status]
	t.printf("  %s %-14s %s\n", mark, it.Title, firstLine(it.Detail))
	if rest := restLines(it.Detail); rest != "" {
		t.indent(rest, 19)
	}
	switch {
	case it.Fix == "":
	case it.Status == ItemFail:
		t.indent(t.red.Sprint(i18n.Text(t.Lang, "doctor-fix"))+" "+it.Fix, 4)
	default:
		t.indent(t.yellow.Sprint(i18n.Text(t.Lang, "doctor-note"))+" "+it.Fix, 4)
	}
}

// ChecklistEnded prints the verdict, in the terminal's language; the
// checklist's items and error are worded in it already.
func (t *Terminal) ChecklistEnded(c *Checklist) {
	n := c.Counts()
	var warnings any = ""
	switch {
	case n[ItemWarn] == 1:
		warnings = i18n.Sprintf(" (1 warning)")
	case n[ItemWarn] > 1:
		warnings = i18n.Sprintf(" (%d warnings)", n[ItemWarn])
	}
	switch c.Result {
	case Pass:
		t.printf("\n%s %s\n", t.green.Sprint(i18n.Text(t.Lang, "doctor-ok")), i18n.Textf(t.Lang, "%s can run on this engine%s", c.Lab, warnings))
	case Fail:
		verdict := i18n.Textf(t.Lang, "%s cannot run on this engine: %d items to fix%s", c.Lab, n[ItemFail], warnings)
		if n[ItemFail] == 1 {
			verdict = i18n.Textf(t.Lang, "%s cannot run on this engine: 1 item to fix%s", c.Lab, warnings)
		}
		t.printf("\n%s %s\n", t.red.Sprint(i18n.Text(t.Lang, "doctor-not-ready")), verdict)
	default:
		t.printf("\n%s %s\n", t.red.Sprint(i18n.Text(t.Lang, "doctor-error")), firstLine(c.Error))
	}
}

func restLines(s string) string {
	_, rest, _ := strings.Cut(s, "\n")
	return rest
}
