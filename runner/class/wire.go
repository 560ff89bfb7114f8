// Package class is labrun's class board: an instructor's server that
// students' guides send their step events to (serve), the page that shows
// a class's progress live, the exports, and the student's side (Join),
// which queues events on disk so that the guide never waits for the
// network.
//
// Everything a class holds is in one SQLite database (modernc.org/sqlite,
// pure Go, since labrun is built with CGO_ENABLED=0). The board's state is
// a pure function of the stored events (Board.Apply), so that a restarted
// server replays them and shows what it showed before.
package class

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labrun/labrun/runner/i18n"
)

// Version is the format of what travels between a student and the
// server: each request and reply carries it, and a server refuses a
// version it does not know (400) rather than misread it.
const Version = 1

// Limits on what a request may hold: bodies past them are refused whole
// (413 or 400) and nothing of them is stored.
const (
	MaxBody      = 1 << 20 // bytes of one request's body
	MaxEvents    = 500     // events in one batch
	MaxName      = 64      // characters of a student's name
	MaxID        = 100     // characters of a lab's name or a step's id
	MaxText      = 2000    // characters of a failure's text
	MaxSteps     = 200     // steps of one lab
	maxTitle     = 300     // characters of a title
	joinCodeLen  = 6
	joinAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // no 0/O, 1/I: read aloud in a room
)

// Kinds of event a student's guide sends.
const (
	KindLab      = "lab"      // the guide opened a lab: its steps and titles
	KindShown    = "shown"    // a step was shown
	KindAttempt  = "attempt"  // a check the student asked for (Enter or r), and its verdict
	KindHint     = "hint"     // the step's hint was shown
	KindSolution = "solution" // the solution was shown
	KindRun      = "run"      // the student had labrun run the solution (r)
	KindQuit     = "quit"     // the student left the guide
)

var kinds = map[string]bool{KindLab: true, KindShown: true, KindAttempt: true, KindHint: true,
	KindSolution: true, KindRun: true, KindQuit: true}

// JoinRequest is what a student posts to the join URL, once.
type JoinRequest struct {
	V    int    `json:"v"`
	Name string `json:"name"`
}

// JoinReply gives the student their token, which only writes their own
// events, and where to post them (relative to the join URL).
type JoinReply struct {
	V      int    `json:"v"`
	Name   string `json:"name"`
	Token  string `json:"token"`
	Events string `json:"events"`
}

// Batch is what a student posts to the events URL: events in the order
// they happened, and the student's clock when sent, from which the server
// corrects each event's time to its own clock.
type Batch struct {
	V      int     `json:"v"`
	Sent   int64   `json:"sent"` // Unix milliseconds, student's clock
	Events []Event `json:"events"`
}

// Event is one thing a student did. ID is unique per student, so that an
// event resent after a lost reply is stored once.
type Event struct {
	ID    string `json:"id"`
	At    int64  `json:"at"` // Unix milliseconds, student's clock
	Kind  string `json:"kind"`
	Lab   string `json:"lab"`
	Step  string `json:"step,omitempty"`
	Pass  bool   `json:"pass,omitempty"`
	Text  string `json:"text,omitempty"`
	Title Title  `json:"title,omitempty"` // KindLab: the lab's title
	Steps []Step `json:"steps,omitempty"` // KindLab: its steps
}

// Title is a text in each language the lab has, by language code.
type Title map[string]string

// In is the text in lang, else in English, else any.
func (t Title) In(lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	if s, ok := t["en"]; ok {
		return s
	}
	for _, s := range t {
		return s
	}
	return ""
}

// Step is a lab's step as the board shows it.
type Step struct {
	ID    string `json:"id"`
	Title Title  `json:"title"`
}

// CheckName returns the name cleaned of surrounding space, or why it
// cannot be a student's name. Any character a person may type is fine
// (the page escapes it); control characters are not.
func CheckName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", i18n.Errorf("the name is empty")
	case !utf8.ValidString(name):
		return "", i18n.Errorf("the name is not UTF-8")
	case utf8.RuneCountInString(name) > MaxName:
		return "", i18n.Errorf("the name has more than %d characters", MaxName)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", i18n.Errorf("the name has a control character")
	}
	return name, nil
}

// check says why a batch cannot be stored; nil when every event can.
func (b *Batch) check() error {
	if b.V != Version {
		return i18n.Errorf("format version %d: this server reads version %d", b.V, Version)
	}
	if len(b.Events) > MaxEvents {
		return i18n.Errorf("%d events in one batch: at most %d", len(b.Events), MaxEvents)
	}
	for i, e := range b.Events {
		if err := e.check(); err != nil {
			return i18n.Errorf("event %d: %v", i+1, err)
		}
	}
	return nil
}

func (e *Event) check() error {
	switch {
	case e.ID == "" || len(e.ID) > 64:
		return i18n.Errorf("an id of 1 to 64 bytes is needed")
	case !kinds[e.Kind]:
		return i18n.Errorf("unknown kind %q", e.Kind)
	case !validID(e.Lab):
		return i18n.Errorf("lab %q: want 1 to %d printable characters", e.Lab, MaxID)
	case e.Kind != KindLab && e.Kind != KindQuit && !validID(e.Step):
		return i18n.Errorf("step %q: want 1 to %d printable characters", e.Step, MaxID)
	case utf8.RuneCountInString(e.Text) > MaxText || !utf8.ValidString(e.Text):
		return i18n.Errorf("text: at most %d characters of UTF-8", MaxText)
	case e.Kind == KindLab && (len(e.Steps) == 0 || len(e.Steps) > MaxSteps):
		return i18n.Errorf("a lab of 1 to %d steps is needed", MaxSteps)
	}
	for _, s := range e.Steps {
		if !validID(s.ID) {
			return i18n.Errorf("step %q: want 1 to %d printable characters", s.ID, MaxID)
		}
		if err := checkTitle(s.Title); err != nil {
			return err
		}
	}
	return checkTitle(e.Title)
}

func checkTitle(t Title) error {
	if len(t) > 4 {
		return i18n.Errorf("titles in %d languages: at most 4", len(t))
	}
	for lang, s := range t {
		if len(lang) > 8 || utf8.RuneCountInString(s) > maxTitle || !utf8.ValidString(s) {
			return i18n.Errorf("title %q: at most %d characters of UTF-8", lang, maxTitle)
		}
	}
	return nil
}

// validID holds for a lab's name or a step's id: short and printable.
func validID(s string) bool {
	return s != "" && utf8.RuneCountInString(s) <= MaxID && utf8.ValidString(s) &&
		strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
}
