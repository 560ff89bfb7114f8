package class

import (
	"context"
	"crypto/tls"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/labrun/labrun/runner/i18n"
)

//go:embed page
var page embed.FS

// ServeOptions are the choices of labrun class serve.
type ServeOptions struct {
	Listen    string // ADDR:PORT
	DB        string // the class's database
	Info      string // where to write the URLs once the server accepts connections; empty: nowhere
	PublicURL string // the URL students and the instructor reach the server at; empty: from Listen
	TLSCert   string
	TLSKey    string
	Lang      string        // the class's language: the board's and the server's
	Stuck     time.Duration // time on a step past which a student is marked stuck
	Out       io.Writer
}

// Info is what labrun class serve writes to --info once it accepts
// connections: what scripts outside labrun read.
type Info struct {
	Join   string `json:"join"`
	Board  string `json:"board"`
	Export string `json:"export"`
}

// server is a running class server.
type server struct {
	store *Store
	token string // the instructor's
	opts  ServeOptions
	write chan *writeReq

	mu      sync.RWMutex
	board   *Board
	version int64         // bumped by each change of the board
	changed chan struct{} // closed and replaced at each change
}

// Serve runs a class server until ctx ends, then closes the database
// cleanly and returns nil. Errors before it accepts connections (a busy
// port, a database another server holds) are returned.
func Serve(ctx context.Context, o ServeOptions) error {
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return i18n.Errorf("--tls-cert and --tls-key go together")
	}
	unlock, err := lock(o.DB)
	if err != nil {
		return err
	}
	defer unlock()
	store, token, err := Open(o.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	board, err := store.Board(ctx, o.Lang, o.Stuck)
	if err != nil {
		return err
	}
	s := &server{store: store, token: token, opts: o, board: board, write: make(chan *writeReq, 256), changed: make(chan struct{})}

	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return i18n.Errorf("--listen %s: %v", o.Listen, err)
	}
	scheme := "http"
	if o.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(o.TLSCert, o.TLSKey)
		if err != nil {
			ln.Close()
			return i18n.Errorf("--tls-cert, --tls-key: %v", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	base := strings.TrimSuffix(o.PublicURL, "/")
	if base == "" {
		base = scheme + "://" + ln.Addr().String()
	}
	info := Info{
		Join:   base + "/join/" + store.Code,
		Board:  base + "/board?token=" + url.QueryEscape(token),
		Export: base + "/export.csv?token=" + url.QueryEscape(token),
	}
	srv := &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	served := make(chan error, 1)
	writing, stopWriting := context.WithCancel(context.Background())
	wrote := make(chan struct{})
	go func() { s.writer(writing); close(wrote) }()
	go func() { served <- srv.Serve(ln) }()
	// The listener accepts from here on: only now may scripts read the URLs.
	if o.Info != "" {
		data, _ := json.MarshalIndent(info, "", "  ")
		if err := writeFileAtomic(o.Info, append(data, '\n'), 0o600); err != nil {
			srv.Close()
			stopWriting()
			<-wrote
			return i18n.Errorf("--info: %v", err)
		}
	}
	fmt.Fprint(o.Out, i18n.Textf(o.Lang, "Class %s: students join with\n  labrun guide LAB --join %s --name \"Your Name\"\n"+
		"Board: %s\nCSV export: %s\nDatabase: %s (Ctrl-C stops the server)\n", store.Code, info.Join, info.Board, info.Export, o.DB))
	if strings.HasPrefix(ln.Addr().String(), "0.0.0.0:") || strings.HasPrefix(ln.Addr().String(), "[::]:") {
		if o.PublicURL == "" {
			fmt.Fprintln(o.Out, i18n.Textf(o.Lang, "Note: the server listens on every address; give --public-url so that the URLs above can be reached."))
		}
	}

	select {
	case <-ctx.Done():
	case err := <-served:
		stopWriting()
		<-wrote
		return err
	}
	// Stop taking requests, let those under way finish (bounded), then
	// the writer stores what they queued, and the database closes.
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.closeStreams()
	srv.Shutdown(shut)
	stopWriting()
	<-wrote
	fmt.Fprintln(o.Out, i18n.Textf(o.Lang, "Server stopped, database closed."))
	return nil
}

// writeReq is one request's events, waiting for the writer.
type writeReq struct {
	events []*stored
	done   chan error
}

// writer stores the events that requests hand it, grouping those that
// wait at the same time into one transaction: SQLite commits one at a
// time, and a class of 200 students sending at once must not queue 200
// commits behind each other.
func (s *server) writer(ctx context.Context) {
	for {
		var first *writeReq
		select {
		case first = <-s.write:
		case <-ctx.Done():
			// Requests under way finished (Shutdown waited for them);
			// none can be left in the channel.
			return
		}
		group, events := []*writeReq{first}, first.events
	more:
		for len(events) < 5000 {
			select {
			case r := <-s.write:
				group = append(group, r)
				events = append(events, r.events...)
			default:
				break more
			}
		}
		added, err := s.store.add(context.Background(), events)
		if err == nil && len(added) > 0 {
			s.mu.Lock()
			for _, e := range added {
				s.board.Apply(e)
			}
			s.changedLocked()
			s.mu.Unlock()
		}
		for _, r := range group {
			r.done <- err
		}
	}
}

// changedLocked tells the board's streams that it changed; s.mu is held.
func (s *server) changedLocked() {
	s.version++
	close(s.changed)
	s.changed = make(chan struct{})
}

// closeStreams ends the board's event streams, which would otherwise keep
// Shutdown waiting.
func (s *server) closeStreams() {
	s.mu.Lock()
	s.version = -1
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /join/{code}", s.joinPage)
	mux.HandleFunc("POST /join/{code}", s.join)
	mux.HandleFunc("POST /api/v1/events", s.events)
	mux.HandleFunc("GET /board", s.instructor(s.boardPage))
	mux.HandleFunc("GET /api/v1/board", s.instructor(s.boardJSON))
	mux.HandleFunc("GET /api/v1/stream", s.instructor(s.stream))
	mux.HandleFunc("GET /export.csv", s.instructor(s.export(FormatCSV)))
	mux.HandleFunc("GET /export.json", s.instructor(s.export(FormatJSON)))
	mux.HandleFunc("GET /static/{file}", s.static)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, i18n.Textf(s.lang(r), "labrun class board: open the board's URL with its token (labrun class serve prints it)"), http.StatusNotFound)
	})
	return headers(mux)
}

// headers sets what every answer carries: the page loads nothing from
// elsewhere and runs no inline script, and the token in its URL leaves
// with no link.
func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// instructor lets through the requests that carry the instructor's token,
// in the query (token=) or as a bearer token, and refuses the others 401.
func (s *server) instructor(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.URL.Query().Get("token")
		if token == "" {
			token = bearer(r)
		}
		if token == "" || !sameHash(hashToken(token), hashToken(s.token)) {
			http.Error(w, i18n.Textf(s.lang(r), "the board and the exports need the instructor's token (token=…, as labrun class serve prints it)"), http.StatusUnauthorized)
			return
		}
		h(w, r)
	}
}

// lang is the language to answer r in: the first language of its
// Accept-Language that labrun speaks (a student's labrun sends its
// --lang), else the class's. A browser's or a script's request without
// one is answered in the class's language.
func (s *server) lang(r *http.Request) string {
	for _, tag := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ = strings.Cut(strings.TrimSpace(tag), ";")
		tag, _, _ = strings.Cut(tag, "-")
		for _, l := range i18n.Languages {
			if strings.EqualFold(tag, l) {
				return l
			}
		}
	}
	if s.opts.Lang == "" {
		return i18n.Languages[0]
	}
	return s.opts.Lang
}

func bearer(r *http.Request) string {
	if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(v)
	}
	return ""
}

func (s *server) joinPage(w http.ResponseWriter, r *http.Request) {
	if !sameHash(r.PathValue("code"), s.store.Code) {
		http.Error(w, i18n.Textf(s.lang(r), "no class has this join code"), http.StatusNotFound)
		return
	}
	fmt.Fprintln(w, i18n.Textf(s.lang(r), "labrun guide LAB --join %s --name \"Your Name\"", requestURL(r)))
}

func requestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.Path
}

// join enrols a student: the right code and a name not taken.
func (s *server) join(w http.ResponseWriter, r *http.Request) {
	if !sameHash(r.PathValue("code"), s.store.Code) {
		httpError(w, http.StatusNotFound, i18n.Textf(s.lang(r), "no class has this join code: check the URL the instructor gave"))
		return
	}
	var req JoinRequest
	if !s.decode(w, r, &req) {
		return
	}
	if req.V != Version {
		httpError(w, http.StatusBadRequest, i18n.Textf(s.lang(r), "format version %d: this server reads version %d", req.V, Version))
		return
	}
	name, err := CheckName(req.Name)
	if err != nil {
		httpError(w, http.StatusBadRequest, i18n.In(s.lang(r), err))
		return
	}
	id, token, err := s.store.Join(r.Context(), name)
	if errors.Is(err, errNameTaken) {
		httpError(w, http.StatusConflict, i18n.Textf(s.lang(r), "the name %q is taken in this class: choose another with --name", name))
		return
	}
	if err != nil {
		httpError(w, http.StatusInternalServerError, err.Error())
		return
	}
	s.mu.Lock()
	s.board.enrol(id, name)
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, JoinReply{V: Version, Name: name, Token: token, Events: "/api/v1/events"})
}

// events stores a student's batch, whole or not at all.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	token := bearer(r)
	if token == "" {
		httpError(w, http.StatusUnauthorized, i18n.Textf(s.lang(r), "no student token: join the class first"))
		return
	}
	id, name, ok := s.store.Student(r.Context(), token)
	if !ok {
		httpError(w, http.StatusUnauthorized, i18n.Textf(s.lang(r), "this token belongs to no student of this class"))
		return
	}
	var b Batch
	if !s.decode(w, r, &b) {
		return
	}
	if err := b.check(); err != nil {
		httpError(w, http.StatusBadRequest, i18n.In(s.lang(r), err))
		return
	}
	// The student's clock may differ from the server's: the batch says
	// when it was sent, which moves each event onto the server's clock.
	now := time.Now().UnixMilli()
	skew := int64(0)
	if b.Sent > 0 {
		skew = now - b.Sent
	}
	req := &writeReq{done: make(chan error, 1)}
	for _, e := range b.Events {
		at := min(e.At+skew, now)
		req.events = append(req.events, &stored{Student: id, Name: name, At: at, Event: e})
	}
	if len(req.events) > 0 {
		select {
		case s.write <- req:
		case <-r.Context().Done():
			return
		}
		if err := <-req.done; err != nil {
			httpError(w, http.StatusInternalServerError, err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"v": Version, "received": len(b.Events)})
}

// decode reads a JSON body of at most MaxBody bytes; on failure it has
// answered 413 or 400, in the request's language.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if r.ContentLength > MaxBody {
		httpError(w, http.StatusRequestEntityTooLarge, i18n.Textf(s.lang(r), "the body is over %d bytes", MaxBody))
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			httpError(w, http.StatusRequestEntityTooLarge, i18n.Textf(s.lang(r), "the body is over %d bytes", MaxBody))
			return false
		}
		httpError(w, http.StatusBadRequest, i18n.Textf(s.lang(r), "the body is not this format's JSON: %v", err))
		return false
	}
	return true
}

func httpError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]any{"v": Version, "error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// boardPage serves the board's page in the class's language: its
// <html lang> (from which the script takes its labels until the board's
// state arrives) and its title. The instructor chose that language with
// --lang; the page's button switches it in the browser.
func (s *server) boardPage(w http.ResponseWriter, r *http.Request) {
	data, _ := page.ReadFile("page/board.html")
	lang := s.opts.Lang
	if lang == "" {
		lang = i18n.Languages[0]
	}
	html := strings.Replace(string(data), `<html lang="en">`, `<html lang="`+lang+`">`, 1)
	html = strings.Replace(html, "<title>labrun · class board</title>", "<title>"+i18n.Textf(lang, "labrun · class board")+"</title>", 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, html)
}

func (s *server) static(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	types := map[string]string{"board.js": "text/javascript; charset=utf-8", "board.css": "text/css; charset=utf-8"}
	data, err := page.ReadFile("page/" + file)
	if err != nil || types[file] == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", types[file])
	w.Write(data)
}

// snapshot is the board as JSON, and the version it is.
func (s *server) snapshot() ([]byte, int64, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.board.Now = time.Now().UnixMilli()
	data, _ := json.Marshal(s.board)
	return data, s.version, s.changed
}

func (s *server) boardJSON(w http.ResponseWriter, r *http.Request) {
	data, _, _ := s.snapshot()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(data)
}

// stream sends the board as Server-Sent Events: at once, then at each
// change, at most every 200 ms (a class that sends 2,000 events a second
// redraws 5 times a second, not 2,000), and a comment every 15 s that
// keeps proxies from closing an idle stream.
func (s *server) stream(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, i18n.Textf(s.lang(r), "streaming unsupported"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	for {
		data, version, changed := s.snapshot()
		if version < 0 {
			return // the server stops
		}
		fmt.Fprintf(w, "data: %s\n\n", data)
		flusher.Flush()
		ping := time.NewTimer(15 * time.Second)
	wait:
		for {
			select {
			case <-r.Context().Done():
				ping.Stop()
				return
			case <-changed:
				break wait
			case <-ping.C:
				fmt.Fprint(w, ": ping\n\n")
				flusher.Flush()
				ping.Reset(15 * time.Second)
			}
		}
		ping.Stop()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (s *server) export(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.RLock()
		rows := s.board.Rows()
		s.mu.RUnlock()
		name := "class-" + s.store.Code + "." + format
		switch format {
		case FormatCSV:
			w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
		default:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		WriteExport(w, format, rows)
	}
}

// lock holds a lock on the class's database for as long as a server runs
// on it: a second server, or labrun class delete, is refused meanwhile.
func lock(db string) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(lockFile(db), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, i18n.Errorf("%s: a class server is running on this database", db)
	}
	return func() { f.Close() }, nil
}

func lockFile(db string) string { return db + ".lock" }

// Running says whether a class server holds the database.
func Running(db string) bool {
	if _, err := os.Stat(lockFile(db)); err != nil {
		return false
	}
	unlock, err := lock(db)
	if err != nil {
		return true
	}
	unlock()
	return false
}
