package whoami

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestProberCounts feeds a prober a sequence of answers and checks what it
// counts: nothing before the first answer, then every request, failed or not.
func TestProberCounts(t *testing.T) {
	type answer struct {
		status  int
		release string
		host    string
	}
	ok := func(release, host string) answer { return answer{http.StatusOK, release, host} }
	tests := []struct {
		name    string
		answers []answer
		want    Counts
	}{
		{
			name:    "failures before the first answer are not counted",
			answers: []answer{{status: 500}, {status: 503}, ok("1.0", "a"), ok("1.0", "b")},
			want:    Counts{Open: true, Sent: 2, Hosts: map[string]int{"a": 1, "b": 1}, Releases: map[string]int{"1.0": 2}},
		},
		{
			name:    "failures after it are",
			answers: []answer{ok("1.0", "a"), {status: 500, release: "2.0"}, ok("1.1", "c"), {status: 404}},
			want:    Counts{Open: true, Sent: 4, Failed: 2, Hosts: map[string]int{"a": 1, "c": 1}, Releases: map[string]int{"1.0": 1, "1.1": 1}},
		},
		{
			name:    "an answer without the release header",
			answers: []answer{ok("", "a")},
			want:    Counts{Open: true, Sent: 1, Hosts: map[string]int{"a": 1}, Releases: map[string]int{"unknown": 1}},
		},
		{
			name:    "never an answer",
			answers: []answer{{status: 500}, {status: 500}},
			want:    Counts{Hosts: map[string]int{}, Releases: map[string]int{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := tt.answers[next]
				next++
				if a.release != "" {
					w.Header().Set(releaseHeader, a.release)
				}
				w.WriteHeader(a.status)
				w.Write([]byte(a.host))
			}))
			defer srv.Close()
			u, _ := url.Parse(srv.URL + "/whoami")
			p := newProber(u, time.Second)
			for range tt.answers {
				p.once(context.Background())
			}
			got := p.snapshot()
			got.LastError = ""
			if !equalCounts(got, tt.want) {
				t.Errorf("counts = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestProberRefused counts a refused connection as a failed request: the
// prober must not hide a stopped task by trying another address.
func TestProberRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("a")) }))
	u, _ := url.Parse(srv.URL + "/whoami")
	p := newProber(u, time.Second)
	p.once(context.Background())
	srv.Close()
	p.once(context.Background())
	got := p.snapshot()
	if got.Sent != 2 || got.Failed != 1 || !strings.Contains(got.LastError, "refused") {
		t.Errorf("counts = %+v, want 2 sent, 1 failed, refused", got)
	}
}

// TestProbeCountsCommand runs probe-counts against a prober's handler.
func TestProbeCountsCommand(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1/whoami")
	p := newProber(u, time.Second)
	p.counts.Open, p.counts.Sent, p.counts.Failed = true, 7, 2
	srv := httptest.NewServer(http.HandlerFunc(p.serveCounts))
	defer srv.Close()
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"probe-counts", srv.URL + "/counts"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit status %d, stderr %q", code, stderr.String())
	}
	var got Counts
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("output %q: %v", stdout.String(), err)
	}
	if !got.Open || got.Sent != 7 || got.Failed != 2 {
		t.Errorf("counts = %+v, want open, 7 sent, 2 failed", got)
	}
	stdout.Reset()
	if code := Main([]string{"probe-counts", "http://" + closedAddr(t) + "/counts"}, &stdout, &stderr); code != exitFail {
		t.Errorf("probe-counts of a closed port: exit status %d, want %d", code, exitFail)
	}
}

func equalCounts(a, b Counts) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
