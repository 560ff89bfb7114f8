package whoami

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	hostname, err := os.Hostname()
	if err != nil {
		t.Fatalf("os.Hostname: %v", err)
	}
	tests := []struct {
		name       string
		release    string
		method     string
		path       string
		wantStatus int
		wantBody   string // checked only when not empty
	}{
		{"1.0 whoami", "1.0", http.MethodGet, "/whoami", http.StatusOK, hostname},
		{"1.0 other path", "1.0", http.MethodGet, "/", http.StatusNotFound, ""},
		{"1.0 sub path", "1.0", http.MethodGet, "/whoami/x", http.StatusNotFound, ""},
		{"1.0 POST", "1.0", http.MethodPost, "/whoami", http.StatusMethodNotAllowed, ""},
		{"2.0 whoami is broken", "2.0", http.MethodGet, "/whoami", http.StatusInternalServerError, ""},
		{"2.0 other path", "2.0", http.MethodGet, "/", http.StatusNotFound, ""},
		{"unknown release behaves as 1.0", "1.1-rc", http.MethodGet, "/whoami", http.StatusOK, hostname},
		{"1.1 whoami", "1.1", http.MethodGet, "/whoami", http.StatusOK, hostname},
		{"1.1 version", "1.1", http.MethodGet, "/version", http.StatusOK, "1.1"},
		{"2.0 version still answers", "2.0", http.MethodGet, "/version", http.StatusOK, "2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			newHandler(tt.release).ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %q)", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantBody != "" && rec.Body.String() != tt.wantBody {
				t.Errorf("body = %q, want %q (no trailing newline)", rec.Body, tt.wantBody)
			}
			if got := rec.Header().Get(releaseHeader); got != tt.release {
				t.Errorf("%s = %q, want %q on every answer", releaseHeader, got, tt.release)
			}
		})
	}
}

func TestHealthcheck(t *testing.T) {
	answering := func(status int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
		}))
		t.Cleanup(srv.Close)
		return srv.URL + "/whoami"
	}
	tests := []struct {
		name string
		url  string
		want int
	}{
		{"200", answering(http.StatusOK), exitOK},
		{"204", answering(http.StatusNoContent), exitOK},
		{"404", answering(http.StatusNotFound), exitFail},
		{"500", answering(http.StatusInternalServerError), exitFail},
		{"closed port", "http://" + closedAddr(t) + "/whoami", exitFail},
		{"not a URL", "::nonsense", exitFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got := Main([]string{"healthcheck", tt.url}, &stdout, &stderr)
			if got != tt.want {
				t.Errorf("exit status = %d, want %d (stderr %q)", got, tt.want, stderr.String())
			}
			lines := strings.Count(stderr.String(), "\n")
			if tt.want == exitOK && stderr.Len() > 0 {
				t.Errorf("stderr = %q, want nothing on success", stderr.String())
			}
			if tt.want != exitOK && lines != 1 {
				t.Errorf("stderr = %q, want one line on failure", stderr.String())
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

func TestBadUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown command", []string{"sleep"}},
		{"healthcheck without URL", []string{"healthcheck"}},
		{"healthcheck with two URLs", []string{"healthcheck", "http://a", "http://b"}},
		{"unknown flag", []string{"serve", "--verbose"}},
		{"port not a number", []string{"serve", "--port", "eight"}},
		{"port out of range", []string{"serve", "--port", "70000"}},
		{"port zero", []string{"--port=0"}},
		{"extra argument", []string{"serve", "now"}},
		{"probe without URL", []string{"probe"}},
		{"probe with two URLs", []string{"probe", "http://a", "http://b"}},
		{"probe of a non-HTTP URL", []string{"probe", "ftp://a/whoami"}},
		{"probe with a zero interval", []string{"probe", "--interval", "0s", "http://a/whoami"}},
		{"probe-counts with two URLs", []string{"probe-counts", "http://a", "http://b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := Main(tt.args, &stdout, &stderr); got != exitUsage {
				t.Errorf("exit status = %d, want %d", got, exitUsage)
			}
			if s := stderr.String(); strings.Count(s, "\n") != 1 || !strings.Contains(s, "usage: ") {
				t.Errorf("stderr = %q, want one line of usage", s)
			}
		})
	}
}

// TestServe checks the start message and that cancelling (what SIGTERM does
// in runServe) stops the server at once.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, "1.0", stdout) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/whoami")
	if err != nil {
		t.Fatalf("GET /whoami: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /whoami: status %d, want 200", resp.StatusCode)
	}
	if want := "listening on port " + strconv.Itoa(port) + "\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}

	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v, want nil after shutdown", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("shutdown took %v, want under 1s", d)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("serve still running 3s after its context was cancelled")
	}
}

// closedAddr returns an address on which nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestCat(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("swordfish\n"), 0o400)
	for _, tc := range []struct {
		name         string
		args         []string
		code         int
		stdout, errs string
	}{
		{"one file", []string{"cat", secret}, exitOK, "swordfish\n", ""},
		{"twice", []string{"cat", secret, secret}, exitOK, "swordfish\nswordfish\n", ""},
		{"missing file", []string{"cat", filepath.Join(dir, "nope"), secret}, exitFail, "swordfish\n", "no such file or directory"},
		{"no file", []string{"cat"}, exitUsage, "", "cat takes one or more files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(tc.args, &stdout, &stderr)
			if code != tc.code || stdout.String() != tc.stdout || !strings.Contains(stderr.String(), tc.errs) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, stderr with %q", code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.errs)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer that serve's goroutine and the test may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
