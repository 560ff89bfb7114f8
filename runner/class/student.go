package class

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
)

// JoinOptions are a student's choices for following a class.
type JoinOptions struct {
	URL      string // the join URL the instructor gave
	Name     string // needed the first time only
	StateDir string // labrun's state directory
	Lang     string
	Lab      *lab.Lab // the lab the guide follows
	Out      io.Writer
	// Client is the HTTP client; nil: one that gives up on a request after
	// a few seconds, since a student's events can always wait.
	Client *http.Client
}

// Member is a student's side of a class: an event.Sink that turns the
// guide's events into the class's and queues each on disk at once, and a
// sender that posts the queue to the server in the background. The guide
// never waits for the network: Handle writes a small file and returns.
type Member struct {
	dir    string // the class's directory in the state directory
	lab    string
	client *http.Client
	base   *url.URL // the join URL
	out    io.Writer
	lang   string // the student's: their notices, and the server's answers (Accept-Language)

	mu      sync.Mutex
	joined  joined
	lastErr error // the latest failure to reach the server: nil after a success

	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

// joined is what a student keeps of a class they joined: their name and
// token, beside the queue.
type joined struct {
	Join   string `json:"join"`
	Name   string `json:"name"`
	Token  string `json:"token,omitempty"`  // empty until the server answered
	Events string `json:"events,omitempty"` // the events URL, relative to Join
}

// Join makes a student a member of the class at o.URL, or finds the
// membership they have. The first time, the name is needed and the
// server is asked at once (a few seconds at most): a wrong join code or a
// taken name is an error to fix now (exit 2); a server that does not
// answer is not, and the student is enrolled when it does. It queues the
// lab's description, so that the board knows its steps and titles.
func Join(ctx context.Context, o JoinOptions) (*Member, error) {
	base, err := url.Parse(o.URL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" || !strings.Contains(base.Path, "/join/") {
		return nil, exit.Usagef("--join %q: want the join URL the instructor gave, http(s)://HOST:PORT/join/CODE", o.URL)
	}
	sum := sha256.Sum256([]byte(o.URL))
	m := &Member{
		dir: filepath.Join(o.StateDir, "class", hex.EncodeToString(sum[:6])), lab: o.Lab.Name, client: o.Client,
		base: base, out: o.Out, lang: o.Lang,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	if m.client == nil {
		m.client = &http.Client{Timeout: 5 * time.Second}
	}
	if m.out == nil {
		m.out = io.Discard
	}
	if err := os.MkdirAll(m.queueDir(), 0o700); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(m.file())
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &m.joined); err != nil {
			return nil, i18n.Errorf("%s: %v", m.file(), err)
		}
		if o.Name != "" && o.Name != m.joined.Name {
			m.say("you joined this class as %s already: --name %s is ignored", m.joined.Name, o.Name)
		}
	case errors.Is(err, os.ErrNotExist):
		if o.Name == "" {
			return nil, exit.Usagef("--join: give your name with --name NAME the first time you join a class")
		}
		name, err := CheckName(o.Name)
		if err != nil {
			return nil, exit.Usagef("--name %q: %v", o.Name, err)
		}
		m.joined = joined{Join: o.URL, Name: name}
		if err := m.save(); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	if m.joined.Token == "" {
		enrol, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := m.enrol(enrol)
		cancel()
		var refused *refusal
		switch {
		case errors.As(err, &refused):
			os.Remove(m.file()) // nothing was joined: the next try starts over
			return nil, exit.Usagef("--join %s: the class refused: %s", o.URL, refused.msg)
		case err != nil:
			m.say("the class board cannot be reached (%v): your progress is kept and sent when it answers", err)
		default:
			m.say("You joined the class as %s.", m.joined.Name)
		}
	} else {
		m.say("Class: you are %s.", m.joined.Name)
	}
	steps := make([]Step, len(o.Lab.Steps))
	for i, s := range o.Lab.Steps {
		steps[i] = Step{ID: s.ID, Title: Title(s.Title)}
	}
	m.queue(Event{Kind: KindLab, Title: Title(o.Lab.Title), Steps: steps})
	go m.send()
	return m, nil
}

// say prints a notice to the student, worded in their language.
func (m *Member) say(format string, args ...any) {
	fmt.Fprintln(m.out, i18n.Textf(m.lang, format, args...))
}

func (m *Member) file() string     { return filepath.Join(m.dir, "student.json") }
func (m *Member) queueDir() string { return filepath.Join(m.dir, "queue") }

func (m *Member) save() error {
	data, _ := json.MarshalIndent(m.joined, "", "  ")
	return writeFileAtomic(m.file(), data, 0o600)
}

// refusal is the server's no to a request: sending it again changes
// nothing.
type refusal struct {
	code int
	msg  string
}

func (r *refusal) Error() string { return fmt.Sprintf("%d %s", r.code, r.msg) }

// post sends v as JSON and decodes the reply into reply; a 4xx is a
// *refusal, anything else that is not a 2xx an error worth retrying.
func (m *Member) post(ctx context.Context, target, token string, v, reply any) error {
	body, _ := json.Marshal(v)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if m.lang != "" {
		// The server words its refusals (a name taken) in the student's
		// language.
		req.Header.Set("Accept-Language", m.lang)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 400 {
		var e struct{ Error string }
		json.Unmarshal(data, &e)
		if e.Error == "" {
			e.Error = strings.TrimSpace(string(data))
		}
		if resp.StatusCode < 500 {
			return &refusal{resp.StatusCode, e.Error}
		}
		return fmt.Errorf("%s: %s", resp.Status, e.Error) // the server's words, quoted
	}
	if reply != nil {
		return json.Unmarshal(data, reply)
	}
	return nil
}

// enrol asks the server for the student's token.
func (m *Member) enrol(ctx context.Context) error {
	var reply JoinReply
	if err := m.post(ctx, m.base.String(), "", JoinRequest{V: Version, Name: m.joined.Name}, &reply); err != nil {
		return err
	}
	if reply.V != Version || reply.Token == "" {
		return &refusal{0, i18n.Textf(m.lang, "the server speaks format version %d, labrun %d", reply.V, Version)}
	}
	m.mu.Lock()
	m.joined.Token, m.joined.Events = reply.Token, reply.Events
	m.mu.Unlock()
	return m.save()
}

// Handle queues the class's event for a guide's event; other events
// (commands, waits) are not the class's business.
func (m *Member) Handle(e event.Event) {
	switch e := e.(type) {
	case event.StepShown:
		m.queue(Event{Kind: KindShown, Step: e.Step})
	case event.CheckAttempt:
		ev := Event{Kind: KindAttempt, Step: e.Step, Pass: e.Err == nil}
		if e.Err != nil {
			// What the student read after "not yet".
			ev.Text = e.Err.Message
			if ev.Text == "" {
				ev.Text = i18n.In(m.lang, e.Err)
			}
			if r := []rune(ev.Text); len(r) > MaxText {
				ev.Text = string(r[:MaxText-1]) + "…"
			}
		}
		m.queue(ev)
	case event.HintShown:
		m.queue(Event{Kind: KindHint, Step: e.Step})
	case event.SolutionShown:
		m.queue(Event{Kind: KindSolution, Step: e.Step})
	case event.SolutionRun:
		m.queue(Event{Kind: KindRun, Step: e.Step})
	case event.Quit:
		m.queue(Event{Kind: KindQuit, Step: e.Step})
	}
}

// queue writes one event into the queue, a file each, named so that a
// listing gives them in order, and wakes the sender. A file that cannot be
// written costs the board an event, never the student their guide.
func (m *Member) queue(e Event) {
	id := make([]byte, 8)
	rand.Read(id)
	e.ID, e.Lab, e.At = hex.EncodeToString(id), m.lab, time.Now().UnixMilli()
	data, _ := json.Marshal(e)
	name := fmt.Sprintf("%019d-%s.json", time.Now().UnixNano(), e.ID)
	if writeFileAtomic(filepath.Join(m.queueDir(), name), data, 0o600) == nil {
		select {
		case m.wake <- struct{}{}:
		default:
		}
	}
}

// send posts the queue to the server whenever an event is queued, and
// retries every few seconds while the server does not answer.
func (m *Member) send() {
	defer close(m.done)
	retry := time.NewTimer(time.Hour)
	defer retry.Stop()
	backoff := time.Second
	for {
		err := m.flush()
		m.mu.Lock()
		m.lastErr = err
		m.mu.Unlock()
		wait := time.Hour
		if err != nil {
			wait, backoff = backoff, min(2*backoff, 10*time.Second)
		} else {
			backoff = time.Second
		}
		retry.Reset(wait)
		select {
		case <-m.stop:
			return
		case <-m.wake:
		case <-retry.C:
		}
	}
}

// flush posts every queued event, oldest first, in batches, and removes
// each batch the server stored. Events the server refuses (400: a batch it
// cannot read) are set aside in rejected/, so that one bad event does not
// hold the others back.
func (m *Member) flush() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if m.joined.Token == "" {
		if err := m.enrol(ctx); err != nil {
			return err
		}
	}
	target, err := m.base.Parse(m.joined.Events)
	if err != nil {
		return err
	}
	for {
		names, err := m.pending()
		if err != nil || len(names) == 0 {
			return err
		}
		names = names[:min(len(names), 200)]
		b := Batch{V: Version, Sent: time.Now().UnixMilli()}
		var sent []string
		for _, n := range names {
			data, err := os.ReadFile(filepath.Join(m.queueDir(), n))
			if err != nil {
				continue // sent and removed by another labrun of the same student
			}
			var e Event
			if json.Unmarshal(data, &e) != nil {
				m.reject(n)
				continue
			}
			b.Events, sent = append(b.Events, e), append(sent, n)
		}
		b.Sent = time.Now().UnixMilli()
		err = m.post(ctx, target.String(), m.joined.Token, b, nil)
		var refused *refusal
		if errors.As(err, &refused) && refused.code == http.StatusBadRequest {
			for _, n := range sent {
				m.reject(n)
			}
			continue
		}
		if err != nil {
			return err
		}
		for _, n := range sent {
			os.Remove(filepath.Join(m.queueDir(), n))
		}
	}
}

func (m *Member) pending() ([]string, error) {
	entries, err := os.ReadDir(m.queueDir())
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

func (m *Member) reject(name string) {
	dir := filepath.Join(m.dir, "rejected")
	os.MkdirAll(dir, 0o700)
	os.Rename(filepath.Join(m.queueDir(), name), filepath.Join(dir, name))
}

// Close stops the sender. While the server answers, it lets the sender
// post what is left, for up to wait; what is still queued then stays on
// disk for the next labrun with --join, which it says.
func (m *Member) Close(wait time.Duration) {
	deadline := time.After(wait)
	for {
		names, _ := m.pending()
		m.mu.Lock()
		failing := m.lastErr != nil
		m.mu.Unlock()
		if len(names) == 0 || failing {
			break
		}
		select {
		case m.wake <- struct{}{}:
		default:
		}
		select {
		case <-deadline:
		case <-time.After(20 * time.Millisecond):
			continue
		}
		break
	}
	close(m.stop)
	<-m.done
	if names, _ := m.pending(); len(names) > 0 {
		m.say("%d events kept for the class board: they are sent the next time you run with --join", len(names))
	}
}
