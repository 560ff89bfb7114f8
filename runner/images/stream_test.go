package images

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
)

// Streams as engine 20.10 sent them (the "error" ones from older engines).
const (
	buildSteps = `{"stream":"Step 1/2 : FROM scratch\n"}
{"stream":"\n"}
{"stream":" ---\u003e Running in 1234\n ---\u003e abcd\n"}
`
	loadBars = `{"status":"Loading layer","progressDetail":{"current":65536,"total":6338560},"progress":"[\u003e    ]  65.54kB/6.339MB","id":"b903533b0ddb"}
{"status":"Loading layer","progressDetail":{"current":6338560,"total":6338560},"progress":"[=====\u003e]  6.339MB/6.339MB","id":"b903533b0ddb"}
`
	pullSteps = `{"status":"Pulling from lucj/whoami","id":"1.0"}
{"status":"Downloading","progressDetail":{"current":10,"total":100},"id":"abcd"}
{"status":"Pull complete","progressDetail":{},"id":"abcd"}
{"status":"Status: Downloaded newer image for lucj/whoami:1.0"}
`
)

func TestDecodeStream(t *testing.T) {
	buildLines := []string{"Step 1/2 : FROM scratch", " ---> Running in 1234", " ---> abcd"}
	tests := []struct {
		name      string
		stream    string
		wantID    string
		wantErr   string
		wantLines []string
	}{
		{
			name:      "build with aux ID",
			stream:    buildSteps + `{"aux":{"ID":"sha256:1111"}}` + "\n" + `{"stream":"Successfully built 1111\n"}`,
			wantID:    "sha256:1111",
			wantLines: append(buildLines, "Successfully built 1111"),
		},
		{
			name:      "build without aux",
			stream:    buildSteps,
			wantLines: buildLines,
		},
		{
			name:      "errorDetail",
			stream:    buildSteps + `{"errorDetail":{"message":"COPY failed: no source files"},"error":"COPY failed: no source files"}`,
			wantErr:   "COPY failed: no source files",
			wantLines: buildLines,
		},
		{
			name:    "bare error",
			stream:  `{"error":"the engine gave up"}`,
			wantErr: "the engine gave up",
		},
		{
			name:    "error after an aux ID",
			stream:  `{"aux":{"ID":"sha256:1111"}}` + "\n" + `{"error":"the engine gave up"}`,
			wantErr: "the engine gave up",
		},
		{
			name:    "cut short",
			stream:  `{"stream":"Step 1/2`,
			wantErr: "reading the engine's answer: unexpected EOF",
		},
		{
			name:    "not JSON",
			stream:  "Loaded image: whoami:1.0\n",
			wantErr: "reading the engine's answer: invalid character 'L' looking for beginning of value",
		},
		{
			name:   "empty",
			stream: "",
		},
		{
			name:      "load",
			stream:    loadBars + `{"stream":"Loaded image: labrun-probe-whoami:1.0-x2\n"}` + "\n",
			wantLines: []string{"Loaded image: labrun-probe-whoami:1.0-x2"},
		},
		{
			name:    "load of an empty tar",
			stream:  `{"errorDetail":{"message":"open /var/lib/docker/tmp/docker-import-459259828/repositories: no such file or directory"},"error":"open /var/lib/docker/tmp/docker-import-459259828/repositories: no such file or directory"}`,
			wantErr: "open /var/lib/docker/tmp/docker-import-459259828/repositories: no such file or directory",
		},
		{
			name:      "pull",
			stream:    pullSteps,
			wantLines: []string{"1.0: Pulling from lucj/whoami", "abcd: Pull complete", "Status: Downloaded newer image for lucj/whoami:1.0"},
		},
		{
			name:      "pull failing",
			stream:    `{"status":"Pulling from lucj/whoami","id":"1.0"}` + "\n" + `{"errorDetail":{"message":"net/http: TLS handshake timeout"},"error":"net/http: TLS handshake timeout"}`,
			wantErr:   "net/http: TLS handshake timeout",
			wantLines: []string{"1.0: Pulling from lucj/whoami"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lines []string
			id, err := decodeStream(strings.NewReader(tt.stream), func(line string) {
				lines = append(lines, line)
			})
			checkErr(t, err, tt.wantErr)
			if id != tt.wantID {
				t.Errorf("ID = %q, want %q", id, tt.wantID)
			}
			if !slices.Equal(lines, tt.wantLines) {
				t.Errorf("progress lines = %q, want %q", lines, tt.wantLines)
			}
			// Without progress, the same answer.
			if id2, err2 := decodeStream(strings.NewReader(tt.stream), nil); id2 != id || fmt.Sprint(err2) != fmt.Sprint(err) {
				t.Errorf("without progress: %q, %v; want %q, %v", id2, err2, id, err)
			}
		})
	}
}

// TestContextReader checks that a read cut short by the end of its context
// reports the context's error, and that other reads are left alone.
func TestContextReader(t *testing.T) {
	closed := errors.New("http: read on closed response body")
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		readErr error
		wantErr error // of io.ReadAll, which takes io.EOF for the end
	}{
		{"live context, failed read", t.Context(), closed, closed},
		{"live context, end", t.Context(), io.EOF, nil},
		{"ended context, failed read", cancelled, closed, context.Canceled},
		{"ended context, end", cancelled, io.EOF, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := contextReader{tt.ctx, io.MultiReader(strings.NewReader("{"), failingReader{tt.readErr})}
			got, err := io.ReadAll(r)
			if string(got) != "{" || !errors.Is(err, tt.wantErr) {
				t.Errorf("ReadAll = %q, %v; want %q, %v", got, err, "{", tt.wantErr)
			}
		})
	}
	t.Run("decodeStream", func(t *testing.T) {
		_, err := decodeStream(contextReader{cancelled, io.MultiReader(strings.NewReader(`{"stream":"Step`), failingReader{closed})}, nil)
		checkErr(t, err, "reading the engine's answer: context canceled")
	})
}

// failingReader fails every read with err.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestPullError(t *testing.T) {
	const hint = "; no registry is reachable from this engine: use --images offline"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "registry unreachable",
			err:  errors.New(`Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host`),
			want: `cannot pull lucj/whoami:1.0: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host` + hint,
		},
		{
			name: "error in the stream",
			err:  errors.New("net/http: TLS handshake timeout"),
			want: "cannot pull lucj/whoami:1.0: net/http: TLS handshake timeout" + hint,
		},
		{
			name: "no such release",
			err:  fmt.Errorf("manifest for lucj/whoami:1.0 not found: %w", cerrdefs.ErrNotFound),
			want: "cannot pull lucj/whoami:1.0: manifest for lucj/whoami:1.0 not found: not found",
		},
		{
			name: "cancelled",
			err:  fmt.Errorf("reading the engine's answer: %w", context.Canceled),
			want: "cannot pull lucj/whoami:1.0: reading the engine's answer: context canceled",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, pullError(HubImage("1.0"), tt.err), tt.want)
		})
	}
}
