package images

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// buildHello builds a tiny Go program with cgo on or off, as go install
// builds labrun with or without a C compiler, and returns its path.
func buildHello(t *testing.T, cgo string) string {
	t.Helper()
	if cgo == "1" {
		if _, err := exec.LookPath("gcc"); err != nil {
			t.Fatalf("cgo needs a C compiler: %v", err)
		}
	}
	dir := t.TempDir()
	// net.LookupHost: what makes a Go program with cgo on link the C library.
	src := "package main\nimport \"net\"\nfunc main() { net.LookupHost(\"localhost\") }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "hello")
	cmd := exec.Command("go", "build", "-o", out, "main.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo, "GOFLAGS=-mod=mod", "GO111MODULE=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

// TestServerFiles checks where the offline images' server comes from: the
// embedded servers first, labrun itself when it runs on linux on the
// engine's architecture (with its loader and libraries when dynamically
// linked), and an error naming the ways out otherwise.
func TestServerFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("labrun serves itself only as a linux executable")
	}
	static, dynamic := buildHello(t, "0"), buildHello(t, "1")
	defer func() { selfExecutable, selfPlatform = os.Executable, runtime.GOOS+"/"+runtime.GOARCH }()
	embedded := fstest.MapFS{"bin/whoami-linux-" + runtime.GOARCH: {Data: []byte("server")}}
	other := map[string]string{"amd64": "arm64", "arm64": "amd64"}[runtime.GOARCH]
	tests := []struct {
		name     string
		embedded fstest.MapFS
		self     string
		platform string
		want     func(t *testing.T, files []serverFile)
		wantErr  string
	}{
		{"embedded first", embedded, static, "linux/" + runtime.GOARCH, func(t *testing.T, files []serverFile) {
			if len(files) != 1 || files[0].name != "whoami" || files[0].path != "bin/whoami-linux-"+runtime.GOARCH {
				t.Errorf("files = %+v, want the embedded server alone", files)
			}
		}, ""},
		{"static self", fstest.MapFS{}, static, "linux/" + runtime.GOARCH, func(t *testing.T, files []serverFile) {
			if len(files) != 1 || files[0].name != "whoami" || "/"+files[0].path != static {
				t.Errorf("files = %+v, want %s alone as whoami", files, static)
			}
		}, ""},
		{"dynamic self", fstest.MapFS{}, dynamic, "linux/" + runtime.GOARCH, func(t *testing.T, files []serverFile) {
			var names []string
			for _, f := range files {
				names = append(names, f.name)
			}
			if len(files) < 3 || files[0].name != "whoami" || "/"+files[0].path != dynamic {
				t.Fatalf("files = %q, want whoami, the loader and the C library", names)
			}
			if !strings.Contains(files[1].name, "ld-") {
				t.Errorf("second file %q, want the ELF interpreter", files[1].name)
			}
			if !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "/libc.so.6") }) {
				t.Errorf("files %q lack libc.so.6", names)
			}
		}, ""},
		{"another architecture", fstest.MapFS{}, static, "linux/" + runtime.GOARCH, nil,
			"this labrun (linux/" + runtime.GOARCH + ") carries no whoami server for linux/" + other + ": install labrun from a release archive, or build it with make (it cross-compiles the servers)"},
		{"not linux", fstest.MapFS{}, static, "darwin/" + runtime.GOARCH, nil,
			"this labrun (darwin/" + runtime.GOARCH + ") carries no whoami server for linux/" + runtime.GOARCH + ": install labrun from a release archive, or build it with make (it cross-compiles the servers)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			selfExecutable = func() (string, error) { return tt.self, nil }
			selfPlatform = tt.platform
			arch := runtime.GOARCH
			if tt.name == "another architecture" {
				arch = other
			}
			_, files, err := serverFiles(tt.embedded, arch)
			checkErr(t, err, tt.wantErr)
			if err == nil {
				tt.want(t, files)
			}
		})
	}
}
