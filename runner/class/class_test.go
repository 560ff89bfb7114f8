package class

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/lab"
)

// testServer is a real class server on 127.0.0.1, with its database in a
// temporary directory, stopped when the test ends.
type testServer struct {
	t      *testing.T
	db     string
	port   int
	info   Info
	cancel context.CancelFunc
	done   chan error
}

func startServer(t *testing.T, db string, port int) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	info := filepath.Join(t.TempDir(), "info.json")
	s := &testServer{t: t, db: db, port: port, cancel: cancel, done: make(chan error, 1)}
	go func() {
		s.done <- Serve(ctx, ServeOptions{Listen: fmt.Sprintf("127.0.0.1:%d", port), DB: db, Info: info,
			Lang: "en", Stuck: time.Minute, Out: io.Discard})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(info)
		if err == nil && json.Unmarshal(data, &s.info) == nil {
			break
		}
		select {
		case err := <-s.done:
			t.Fatalf("the server stopped: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no info file after 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(func() { s.stop() })
	return s
}

// stop stops the server as a signal does and wants it to end cleanly.
func (s *testServer) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Errorf("the server ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		s.t.Error("the server did not stop within 10s")
	}
}

func (s *testServer) base() string { return fmt.Sprintf("http://127.0.0.1:%d", s.port) }

// request sends a request and returns the status and body.
func request(t *testing.T, method, url, token string, body io.Reader) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func asJSON(v any) io.Reader {
	data, _ := json.Marshal(v)
	return bytes.NewReader(data)
}

func join(t *testing.T, s *testServer, name string) string {
	t.Helper()
	code, body := request(t, "POST", s.info.Join, "", asJSON(JoinRequest{V: Version, Name: name}))
	if code != 200 {
		t.Fatalf("join %q: %d %s", name, code, body)
	}
	var reply JoinReply
	json.Unmarshal([]byte(body), &reply)
	return reply.Token
}

func board(t *testing.T, s *testServer) *Board {
	t.Helper()
	code, body := request(t, "GET", s.base()+"/api/v1/board?token="+strings.Split(s.info.Board, "token=")[1], "", nil)
	if code != 200 {
		t.Fatalf("board: %d %s", code, body)
	}
	var b Board
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatal(err)
	}
	return &b
}

var testSteps = []Step{{ID: "one", Title: Title{"en": "One", "fr": "Un"}}, {ID: "two", Title: Title{"en": "Two", "fr": "Deux"}}}

func labEvent(id string) Event {
	return Event{ID: id, At: time.Now().UnixMilli(), Kind: KindLab, Lab: "demo", Title: Title{"en": "Demo"}, Steps: testSteps}
}

// TestBadInput sends what a class server must refuse, each on its own,
// and checks the answer and that nothing of it was stored.
func TestBadInput(t *testing.T) {
	s := startServer(t, filepath.Join(t.TempDir(), "class.db"), 18870)
	alice := join(t, s, "Alice")
	bob := join(t, s, "Bob")
	good := Batch{V: Version, Sent: time.Now().UnixMilli(), Events: []Event{labEvent("a1")}}
	huge := bytes.Repeat([]byte("x"), 10<<20)
	// The same size as valid JSON, sent without a length (chunked), so
	// that only reading it can find it too big.
	hugeJSON := func() io.Reader {
		return io.MultiReader(strings.NewReader(`{"v":1,"events":[{"id":"x","kind":"attempt","lab":"demo","step":"one","text":"`),
			bytes.NewReader(huge), strings.NewReader(`"}]}`))
	}
	boardURL := strings.Split(s.info.Board, "?")[0]
	exportURL := strings.Split(s.info.Export, "?")[0]
	for _, tc := range []struct {
		name         string
		method, url  string
		token        string
		body         io.Reader
		want         int
		wantInAnswer string
	}{
		{"wrong join code", "POST", s.base() + "/join/ZZZZZZ", "", asJSON(JoinRequest{V: Version, Name: "Mallory"}), 404, "no class has this join code"},
		{"name taken", "POST", s.info.Join, "", asJSON(JoinRequest{V: Version, Name: "Alice"}), 409, "taken"},
		{"empty name", "POST", s.info.Join, "", asJSON(JoinRequest{V: Version, Name: "  "}), 400, "empty"},
		{"control character in a name", "POST", s.info.Join, "", asJSON(JoinRequest{V: Version, Name: "a\x1b[2Jb"}), 400, "control"},
		{"join of another format version", "POST", s.info.Join, "", asJSON(JoinRequest{V: 99, Name: "Zed"}), 400, "format version 99"},
		{"events without a token", "POST", s.base() + "/api/v1/events", "", asJSON(good), 401, "no student token"},
		{"events with a forged token", "POST", s.base() + "/api/v1/events", strings.Repeat("ab", 32), asJSON(good), 401, "belongs to no student"},
		{"events with the instructor's token", "POST", s.base() + "/api/v1/events", strings.Split(s.info.Board, "token=")[1], asJSON(good), 401, "belongs to no student"},
		{"a 10 MB body", "POST", s.base() + "/api/v1/events", alice, bytes.NewReader(huge), 413, "over"},
		{"a 10 MB JSON body of unknown length", "POST", s.base() + "/api/v1/events", alice, hugeJSON(), 413, "over"},
		{"a 10 MB join", "POST", s.info.Join, "", bytes.NewReader(huge), 413, "over"},
		{"another format version", "POST", s.base() + "/api/v1/events", alice, asJSON(Batch{V: 2, Events: good.Events}), 400, "format version 2"},
		{"an unknown kind", "POST", s.base() + "/api/v1/events", alice,
			asJSON(Batch{V: Version, Events: []Event{labEvent("a2"), {ID: "a3", Kind: "admin", Lab: "demo", Step: "one"}}}), 400, "unknown kind"},
		{"an unknown field", "POST", s.base() + "/api/v1/events", alice, strings.NewReader(`{"v":1,"events":[],"student":2}`), 400, "unknown field"},
		{"not JSON", "POST", s.base() + "/api/v1/events", alice, strings.NewReader(`<html>`), 400, "not this format"},
		{"board without a token", "GET", boardURL, "", nil, 401, "instructor's token"},
		{"board with a student's token", "GET", boardURL + "?token=" + bob, "", nil, 401, "instructor's token"},
		{"export without a token", "GET", exportURL, "", nil, 401, "instructor's token"},
		{"stream without a token", "GET", s.base() + "/api/v1/stream", "", nil, 401, "instructor's token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := request(t, tc.method, tc.url, tc.token, tc.body)
			if code != tc.want || !strings.Contains(body, tc.wantInAnswer) {
				t.Errorf("got %d %q, want %d with %q", code, body, tc.want, tc.wantInAnswer)
			}
		})
	}
	b := board(t, s)
	if len(b.Labs) != 0 || len(b.Students) != 2 {
		t.Errorf("after refused requests the board holds %d labs and %d students, want 0 and the 2 who joined", len(b.Labs), len(b.Students))
	}

	// A student's token writes that student's events and no one else's:
	// events name no student, the token does.
	code, body := request(t, "POST", s.base()+"/api/v1/events", bob, asJSON(Batch{V: Version, Sent: time.Now().UnixMilli(),
		Events: []Event{labEvent("b1"), {ID: "b2", At: time.Now().UnixMilli(), Kind: KindAttempt, Lab: "demo", Step: "one", Pass: true}}}))
	if code != 200 {
		t.Fatalf("Bob's events: %d %s", code, body)
	}
	for _, st := range board(t, s).Students {
		p := st.Labs["demo"]
		switch st.Name {
		case "Alice":
			if p != nil {
				t.Errorf("Bob's token wrote into Alice's progress: %+v", p)
			}
		case "Bob":
			if p == nil || p.Cells["one"] == nil || p.Cells["one"].Done == 0 {
				t.Errorf("Bob's step one is not done: %+v", p)
			}
		}
	}
}

// TestExport checks the CSV export byte by byte where scripts rely on
// it: the header, RFC 4180 quoting and line ends, no byte-order mark,
// formulas defused; and that the JSON export has the same rows.
func TestExport(t *testing.T) {
	s := startServer(t, filepath.Join(t.TempDir(), "class.db"), 18871)
	names := []string{"=HYPERLINK(\"http://x\")", "Zoé, \"la\" <b>grande</b>", "@SUM(A1)"}
	t0 := time.Now().UnixMilli() - 60_000
	for i, name := range names {
		token := join(t, s, name)
		events := []Event{labEvent(fmt.Sprint("l", i)),
			{ID: "s1", At: t0, Kind: KindShown, Lab: "demo", Step: "one"},
			{ID: "f1", At: t0 + 1000, Kind: KindAttempt, Lab: "demo", Step: "one", Text: "there is no service whoami"},
			{ID: "h1", At: t0 + 2000, Kind: KindHint, Lab: "demo", Step: "one"},
			{ID: "p1", At: t0 + 12_500, Kind: KindAttempt, Lab: "demo", Step: "one", Pass: true},
			{ID: "s2", At: t0 + 12_500, Kind: KindShown, Lab: "demo", Step: "two"},
		}
		if i == 2 {
			events = append(events, Event{ID: "r2", At: t0 + 13_000, Kind: KindRun, Lab: "demo", Step: "two"})
		}
		b := Batch{V: Version, Sent: time.Now().UnixMilli(), Events: events}
		if code, body := request(t, "POST", s.base()+"/api/v1/events", token, asJSON(b)); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
		// Sent again, as after a lost reply: stored once.
		if code, body := request(t, "POST", s.base()+"/api/v1/events", token, asJSON(b)); code != 200 {
			t.Fatalf("%d %s", code, body)
		}
	}
	code, got := request(t, "GET", s.info.Export, "", nil)
	if code != 200 {
		t.Fatalf("export: %d %s", code, got)
	}
	want := "student,lab,step,done,attempts,hints,solution,seconds\r\n" +
		"'=HYPERLINK(\"\"http://x\"\"),demo,one,true,2,true,false,12.5\r\n" +
		"'=HYPERLINK(\"\"http://x\"\"),demo,two,false,0,false,false,\r\n" +
		"\"Zoé, \"\"la\"\" <b>grande</b>\",demo,one,true,2,true,false,12.5\r\n" +
		"\"Zoé, \"\"la\"\" <b>grande</b>\",demo,two,false,0,false,false,\r\n" +
		"'@SUM(A1),demo,one,true,2,true,false,12.5\r\n" +
		"'@SUM(A1),demo,two,false,0,false,true,\r\n"
	want = strings.Replace(want, "'=HYPERLINK(\"\"http://x\"\")", "\"'=HYPERLINK(\"\"http://x\"\")\"", -1)
	if got != want {
		t.Errorf("CSV export:\n%q\nwant\n%q", got, want)
	}
	if strings.HasPrefix(got, "\uFEFF") {
		t.Error("the CSV starts with a byte-order mark")
	}
	if _, err := csv.NewReader(strings.NewReader(got)).ReadAll(); err != nil {
		t.Errorf("the CSV does not parse: %v", err)
	}
	code, body := request(t, "GET", strings.Replace(s.info.Export, "export.csv", "export.json", 1), "", nil)
	var doc struct {
		V    int
		Rows []Row
	}
	if code != 200 || json.Unmarshal([]byte(body), &doc) != nil || doc.V != Version || len(doc.Rows) != 6 ||
		doc.Rows[4].Student != "@SUM(A1)" || doc.Rows[4].Seconds == nil || *doc.Rows[4].Seconds != 12.5 || doc.Rows[5].Seconds != nil {
		t.Errorf("JSON export: %d %s", code, body)
	}
}

// TestRestart stops the server while a student works: their events queue
// on disk, the guide's Handle never waits, and once the server is back
// (on the same database) the queue arrives and the board is as it was
// plus the new events, each once.
func TestRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "class.db")
	s := startServer(t, db, 18872)
	l := &lab.Lab{Name: "demo", Title: lab.Text{"en": "Demo"}, Steps: []*lab.Step{{ID: "one", Title: lab.Text{"en": "One"}}, {ID: "two", Title: lab.Text{"en": "Two"}}}}
	state := t.TempDir()
	var out bytes.Buffer
	m, err := Join(context.Background(), JoinOptions{URL: s.info.Join, Name: "Alice", StateDir: state, Lab: l, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	m.Handle(event.StepShown{Step: "one"})
	m.Handle(event.CheckAttempt{Step: "one", Err: &event.StepError{Message: "there is no service whoami"}})
	m.Close(5 * time.Second)
	before := board(t, s)
	if c := before.Students[0].Labs["demo"].Cells["one"]; c == nil || c.Attempts != 1 || c.Failure != "there is no service whoami" {
		t.Fatalf("before the restart, Alice's step one: %+v", c)
	}
	s.stop()

	// The server is down: the student goes on, and nothing waits.
	out.Reset()
	m, err = Join(context.Background(), JoinOptions{URL: s.info.Join, StateDir: state, Lab: l, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	m.Handle(event.HintShown{Step: "one"})
	m.Handle(event.CheckAttempt{Step: "one"})
	m.Handle(event.StepShown{Step: "two"})
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("queueing 3 events with the server down took %s", took)
	}
	start = time.Now()
	m.Close(2 * time.Second)
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("closing with the server down took %s: it should not wait for a server that does not answer", took)
	}
	if !strings.Contains(out.String(), "4 events kept") {
		t.Errorf("the student is not told their events are kept:\n%s", out.String())
	}

	s = startServer(t, db, 18872)
	after := board(t, s)
	if c := after.Students[0].Labs["demo"].Cells["one"]; c == nil || c.Attempts != 1 || c.Done != 0 {
		t.Fatalf("after the restart, Alice's step one (before her queue arrives): %+v", c)
	}
	m, err = Join(context.Background(), JoinOptions{URL: s.info.Join, StateDir: state, Lab: l, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	m.Close(5 * time.Second)
	p := board(t, s).Students[0].Labs["demo"]
	if c := p.Cells["one"]; c.Attempts != 2 || c.Hints != 1 || c.Done == 0 || p.Current != "two" {
		t.Errorf("after the queue arrived: current %q, step one %+v", p.Current, c)
	}
	if names, _ := m.pending(); len(names) != 0 {
		t.Errorf("%d events still queued", len(names))
	}
}

// TestJoinRefused: a wrong code is an error to fix at once, and leaves no
// membership behind; a first join without a name is refused before any
// request.
func TestJoinRefused(t *testing.T) {
	s := startServer(t, filepath.Join(t.TempDir(), "class.db"), 18873)
	l := &lab.Lab{Name: "demo", Steps: []*lab.Step{{ID: "one"}}}
	state := t.TempDir()
	for _, tc := range []struct{ name, url, student, want string }{
		{"wrong code", s.base() + "/join/AAAAAA", "Alice", "no class has this join code"},
		{"no name", s.info.Join, "", "--name NAME"},
		{"not a join URL", s.base() + "/board", "Alice", "want the join URL"},
		{"HTML name is fine, control characters are not", s.info.Join, "a\tb", "control character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Join(context.Background(), JoinOptions{URL: tc.url, Name: tc.student, StateDir: state, Lab: l})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	if entries, _ := filepath.Glob(filepath.Join(state, "class", "*", "student.json")); len(entries) != 0 {
		t.Errorf("refused joins left memberships: %v", entries)
	}
}
