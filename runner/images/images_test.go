package images

import (
	"archive/tar"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestValidFlavour(t *testing.T) {
	if got, want := Flavours(), []string{"offline", "hub", "node"}; !slices.Equal(got, want) {
		t.Errorf("Flavours() = %q, want %q", got, want)
	}
	tests := []struct {
		name    string
		wantErr string
	}{
		{"offline", ""},
		{"hub", ""},
		{"node", ""},
		{"Offline", `unknown image flavour "Offline": valid flavours are offline, hub, node`},
		{"", `unknown image flavour "": valid flavours are offline, hub, node`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ValidFlavour(tt.name), tt.wantErr)
		})
	}
}

func TestValidRelease(t *testing.T) {
	tests := []struct {
		release string
		valid   bool
	}{
		{"1.0", true},
		{"2.0", true},
		{"1.1-rc_1", true},
		{"", false},
		{".1", false},
		{"-1", false},
		{"1.0\nRUN rm -rf /", false},
		{`1.0"`, false},
		{strings.Repeat("1", 128), true},
		{strings.Repeat("1", 129), false},
	}
	for _, tt := range tests {
		t.Run(tt.release, func(t *testing.T) {
			if err := ValidRelease(tt.release); (err == nil) != tt.valid {
				t.Errorf("ValidRelease(%q) = %v, want valid %v", tt.release, err, tt.valid)
			}
		})
	}
}

func TestHubImage(t *testing.T) {
	if got, want := HubImage("2.0"), "lucj/whoami:2.0"; got != want {
		t.Errorf("HubImage(2.0) = %q, want %q", got, want)
	}
}

func TestNormalizeArch(t *testing.T) {
	tests := []struct {
		arch    string
		want    string
		wantErr string
	}{
		{"amd64", "amd64", ""},
		{"x86_64", "amd64", ""},
		{"arm64", "arm64", ""},
		{"aarch64", "arm64", ""},
		{" AARCH64 ", "arm64", ""},
		{"s390x", "", `unsupported architecture "s390x": labrun's whoami server is built for amd64 (x86_64) and arm64 (aarch64)`},
		{"", "", `unsupported architecture "": labrun's whoami server is built for amd64 (x86_64) and arm64 (aarch64)`},
	}
	for _, tt := range tests {
		t.Run(tt.arch, func(t *testing.T) {
			got, err := NormalizeArch(tt.arch)
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("NormalizeArch(%q) = %q, want %q", tt.arch, got, tt.want)
			}
		})
	}
}

func TestOfflineDockerfile(t *testing.T) {
	tests := []struct {
		release string
		want    string
	}{
		{"1.0", `FROM scratch
COPY whoami /whoami
USER 65534:65534
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --retries=3 CMD ["/whoami","healthcheck","http://localhost:8000/whoami"]
ENTRYPOINT ["/whoami"]
LABEL org.opencontainers.image.version="1.0"
CMD ["serve","--release=1.0"]
`},
		{"2.0", `FROM scratch
COPY whoami /whoami
USER 65534:65534
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --retries=3 CMD ["/whoami","healthcheck","http://localhost:8000/whoami"]
ENTRYPOINT ["/whoami"]
LABEL org.opencontainers.image.version="2.0"
CMD ["serve","--release=2.0"]
`},
	}
	for _, tt := range tests {
		t.Run(tt.release, func(t *testing.T) {
			if got := OfflineDockerfile(tt.release); got != tt.want {
				t.Errorf("OfflineDockerfile(%q) =\n%s\nwant\n%s", tt.release, got, tt.want)
			}
		})
	}
}

func TestOfflineContext(t *testing.T) {
	fsys := fstest.MapFS{
		"bin/README.md":          {Data: []byte("readme")},
		"bin/whoami-linux-amd64": {Data: []byte("amd64 server"), Mode: 0o644},
	}
	selfPlatform = "darwin/arm64" // no labrun serving itself here: see TestServerFiles
	defer func() { selfPlatform = runtime.GOOS + "/" + runtime.GOARCH }()
	missing := "this labrun (darwin/arm64) carries no whoami server for linux/arm64: install labrun from a release archive, or build it with make (it cross-compiles the servers)"
	tests := []struct {
		name    string
		release string
		arch    string
		wantErr string
	}{
		{"amd64", "1.0", "amd64", ""},
		{"engine's name of amd64", "2.0", "x86_64", ""},
		{"arm64 not built", "1.0", "aarch64", missing},
		{"unsupported arch", "1.0", "mips", `unsupported architecture "mips": labrun's whoami server is built for amd64 (x86_64) and arm64 (aarch64)`},
		{"bad release", "1.0 beta", "amd64", `invalid release "1.0 beta": want letters, digits, '_', '.' or '-' (at most 128, not starting with '.' or '-'), like 1.0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := offlineContext(fsys, tt.release, tt.arch)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			want := []tarEntry{
				{"Dockerfile", 0o644, OfflineDockerfile(tt.release)},
				{"whoami", 0o755, "amd64 server"},
			}
			if got := readTar(t, r); !slices.Equal(got, want) {
				t.Errorf("entries = %+v, want %+v", got, want)
			}
		})
	}
}

func TestDirContext(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, mode os.FileMode, data string) {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("Dockerfile", 0o644, "FROM mhart/alpine-node:12\n")
	write("index.js", 0o644, "require('express')\n")
	write("package.json", 0o600, "{}\n")
	write("scripts/start.sh", 0o755, "#!/bin/sh\n")

	withLink := t.TempDir()
	if err := os.Symlink("index.js", filepath.Join(withLink, "link.js")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		dir     string
		want    []tarEntry
		wantErr string
	}{
		{"regular files", dir, []tarEntry{
			{"Dockerfile", 0o644, "FROM mhart/alpine-node:12\n"},
			{"index.js", 0o644, "require('express')\n"},
			{"package.json", 0o600, "{}\n"},
			{"scripts/start.sh", 0o755, "#!/bin/sh\n"},
		}, ""},
		{"symbolic link", withLink, nil, "is not a regular file"},
		{"no such directory", filepath.Join(dir, "nope"), nil, "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DirContext(tt.dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DirContext: error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := readTar(t, r); !slices.Equal(got, tt.want) {
				t.Errorf("entries = %+v, want %+v", got, tt.want)
			}
		})
	}
}

type tarEntry struct {
	name string
	mode int64
	data string
}

func readTar(t *testing.T, r io.Reader) []tarEntry {
	t.Helper()
	var entries []tarEntry
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return entries
		}
		if err != nil {
			t.Fatalf("read the tar: %v", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			t.Errorf("%s: type %q, want a regular file", hdr.Name, hdr.Typeflag)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("read %s from the tar: %v", hdr.Name, err)
		}
		entries = append(entries, tarEntry{hdr.Name, hdr.Mode, string(data)})
	}
}

// checkErr fails t unless err's message is want ("" for no error).
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Errorf("no error, want %q", want)
	case want != "" && err.Error() != want:
		t.Errorf("error = %q, want %q", err, want)
	}
}
