package main

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// installVersion is the version TestGoInstall publishes the module as.
const installVersion = "v0.99.0-reach"

// TestGoInstall installs labrun as a Go user does, "go install
// github.com/labrun/labrun/cmd/labrun@VERSION", from a copy of the module
// as a clone holds it (no make step: runner/images/bin holds no server),
// with cgo off and on, and runs the whoami lab with it to PASS: its
// offline images must be served by the installed labrun itself, static or
// dynamically linked.
//
// The module is published in a proxy of files of its own (GOPROXY=file://),
// ahead of the environment's proxy, which serves its dependencies into a
// scratch GOPATH.
func TestGoInstall(t *testing.T) {
	enginetest.Require(t)
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Fatalf("installing with cgo on needs a C compiler (apt-get install gcc): %v", err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	scratch := t.TempDir()
	proxy := filepath.Join(scratch, "proxy")
	publishModule(t, root, proxy, installVersion)
	upstream := os.Getenv("GOPROXY")
	if upstream == "" {
		upstream = goEnv(t, "GOPROXY")
	}
	for _, cgo := range []string{"0", "1"} {
		t.Run("CGO_ENABLED="+cgo, func(t *testing.T) {
			gobin := filepath.Join(scratch, "bin-cgo"+cgo)
			env := append(os.Environ(),
				"GOPATH="+filepath.Join(scratch, "gopath"),
				"GOMODCACHE="+filepath.Join(scratch, "gopath", "pkg", "mod"),
				"GOBIN="+gobin,
				"GOFLAGS=-mod=mod -modcacherw", // -modcacherw: so that the test can remove its GOPATH
				"GOPROXY=file://"+filepath.ToSlash(proxy)+","+upstream,
				"GONOSUMDB=github.com/labrun/labrun",
				"CGO_ENABLED="+cgo,
			)
			install := exec.Command("go", "install", "github.com/labrun/labrun/cmd/labrun@"+installVersion)
			install.Dir = scratch // outside the module: a user's go install
			install.Env = env
			if out, err := install.CombinedOutput(); err != nil {
				t.Fatalf("go install: %v\n%s", err, out)
			}
			labrun := filepath.Join(gobin, "labrun")
			if dynamic := isDynamic(t, labrun); dynamic != (cgo == "1") {
				t.Fatalf("CGO_ENABLED=%s built a labrun that is dynamically linked: %v; the test would not prove what it says", cgo, dynamic)
			}
			out, err := exec.Command(labrun, "version").CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "labrun "+installVersion+" ") {
				t.Fatalf("labrun version: %v\n%s\nwant labrun %s ...", err, out, installVersion)
			}
			run := exec.Command(labrun, "run", "whoami-rollback", "--fast", "--isolate", "--json", "r.json")
			run.Dir = t.TempDir()
			run.Env = append(os.Environ(), "XDG_STATE_HOME="+filepath.Join(run.Dir, "state"))
			out, err = run.CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("PASS whoami-rollback")) {
				t.Fatalf("labrun run whoami-rollback: %v\n%s", err, out)
			}
			report, err := os.ReadFile(filepath.Join(run.Dir, "r.json"))
			if err != nil || !bytes.Contains(report, []byte(`"version": "`+installVersion+`"`)) {
				t.Errorf("the report does not name the installed version (%v):\n%s", err, report)
			}
		})
	}
}

// isDynamic reports whether the executable at path names an ELF
// interpreter, as a dynamically linked one does.
func isDynamic(t *testing.T, path string) bool {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}

// goEnv returns the go command's setting of name.
func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

// publishModule writes the module at root, as git tracks it (what a clone
// holds, with the files not yet committed but not ignored), into a module
// proxy of files at dir, as version.
func publishModule(t *testing.T, root, dir, version string) {
	t.Helper()
	ls := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z")
	ls.Dir = root
	listed, err := ls.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	const module = "github.com/labrun/labrun"
	at := filepath.Join(dir, filepath.FromSlash(module), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range strings.Split(strings.TrimRight(string(listed), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the work tree, not yet in git
		}
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(module + "@" + version + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": fmt.Appendf(nil, `{"Version":%q}`, version),
		version + ".mod":  gomod,
		version + ".zip":  buf.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(at, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
