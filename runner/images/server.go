package images

import (
	"debug/elf"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
)

// The offline images need the whoami server for the engine's
// architecture. labrun finds it in one of two places:
//
//  1. The servers that `make bins` cross-compiles (runner/images/bin),
//     embedded: a labrun built by make or from a release archive carries
//     both amd64 and arm64, whatever it runs on.
//  2. labrun itself: its main answers as the whoami server when it runs as
//     /whoami (see cmd/labrun), so a labrun installed with `go install`,
//     which no make step precedes, serves when it is a linux executable
//     of the engine's architecture. Built with cgo (the toolchain's
//     default where a C compiler is found), it is linked against the C
//     library: the image then holds its ELF interpreter and shared
//     libraries too, read from this machine, so that it runs FROM scratch.
//
// Committing the servers' binaries (a few MB per architecture and per
// change of the server) was the other way; this one keeps the repository
// free of build outputs and holds with cgo on or off. What it cannot do is
// serve an engine of another architecture from a go-installed labrun (a Mac
// on Apple silicon talking to an amd64 VM): that needs a release archive or
// make, and the error says so.

// serverFile is a file of the offline image's one layer.
type serverFile struct {
	name string // in the image, relative to /
	fsys fs.FS
	path string // in fsys
}

// selfExecutable is labrun's own executable and selfPlatform its
// GOOS/GOARCH, variables for tests.
var (
	selfExecutable = os.Executable
	selfPlatform   = runtime.GOOS + "/" + runtime.GOARCH
)

// serverFiles returns arch's Go name and the files of the whoami server
// for linux/arch: /whoami first, then what it needs to run, if anything.
// embedded is bin, but for tests.
func serverFiles(embedded fs.FS, arch string) (goarch string, files []serverFile, err error) {
	goarch, err = NormalizeArch(arch)
	if err != nil {
		return "", nil, err
	}
	p := "bin/whoami-linux-" + goarch
	if _, err := fs.Stat(embedded, p); err == nil {
		return goarch, []serverFile{{"whoami", embedded, p}}, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", nil, i18n.Errorf("read the embedded whoami server for linux/%s: %v", goarch, err)
	}
	if selfPlatform != "linux/"+goarch {
		return "", nil, i18n.Errorf("this labrun (%s) carries no whoami server for linux/%s: install labrun from a release archive, or build it with make (it cross-compiles the servers)",
			selfPlatform, goarch)
	}
	exe, err := selfExecutable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return "", nil, i18n.Errorf("find labrun's own executable, the whoami server of the offline images: %v", err)
	}
	files, err = selfServer(exe)
	if err != nil {
		return "", nil, err
	}
	return goarch, files, nil
}

// selfServer returns the files that make exe, a linux executable, run
// FROM scratch as /whoami: exe alone when it is static, or with its ELF
// interpreter and the shared libraries it needs, each at its path.
func selfServer(exe string) ([]serverFile, error) {
	root := os.DirFS("/")
	files := []serverFile{{"whoami", root, strings.TrimPrefix(exe, "/")}}
	f, err := elf.Open(exe)
	if err != nil {
		return nil, i18n.Errorf("read labrun's own executable, the whoami server of the offline images: %v", err)
	}
	defer f.Close()
	interp, err := interpreter(f)
	if err != nil || interp == "" {
		return files, err
	}
	files = append(files, serverFile{strings.TrimPrefix(interp, "/"), root, strings.TrimPrefix(interp, "/")})
	libs, err := sharedLibraries(f, libraryDirs(interp))
	if err != nil {
		return nil, i18n.Errorf("labrun is dynamically linked (built with cgo) and cannot serve as the whoami server: %v; build it with CGO_ENABLED=0", err)
	}
	for _, lib := range libs {
		files = append(files, serverFile{strings.TrimPrefix(lib, "/"), root, strings.TrimPrefix(lib, "/")})
	}
	return files, nil
}

// interpreter returns the ELF interpreter an executable names (PT_INTERP),
// "" for a static one.
func interpreter(f *elf.File) (string, error) {
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		data := make([]byte, p.Filesz)
		if _, err := p.ReadAt(data, 0); err != nil {
			return "", i18n.Errorf("read labrun's ELF interpreter: %v", err)
		}
		return strings.TrimRight(string(data), "\x00"), nil
	}
	return "", nil
}

// libraryDirs are where the dynamic loader looks for libraries without
// its cache: the multiarch directories Debian and Ubuntu use, those of
// other distributions, and the interpreter's own directory.
func libraryDirs(interp string) []string {
	triplet := map[string]string{"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}[runtime.GOARCH]
	dirs := []string{"/lib/" + triplet, "/usr/lib/" + triplet, "/lib64", "/usr/lib64", "/lib", "/usr/lib"}
	if real, err := filepath.EvalSymlinks(interp); err == nil {
		dirs = append(dirs, filepath.Dir(real))
	}
	return dirs
}

// sharedLibraries returns the paths of the libraries f needs (DT_NEEDED),
// and of those they need in turn, found in dirs.
func sharedLibraries(f *elf.File, dirs []string) ([]string, error) {
	var found []string
	seen := map[string]bool{}
	queue := []*elf.File{f}
	for len(queue) > 0 {
		needed, err := queue[0].ImportedLibraries()
		if queue[0] != f {
			queue[0].Close()
		}
		queue = queue[1:]
		if err != nil {
			return nil, err
		}
		for _, name := range needed {
			if seen[name] {
				continue
			}
			seen[name] = true
			p, lib, err := openLibrary(name, dirs, f.Machine)
			if err != nil {
				return nil, err
			}
			found = append(found, p)
			queue = append(queue, lib)
		}
	}
	return found, nil
}

// openLibrary finds the library name for machine in dirs.
func openLibrary(name string, dirs []string, machine elf.Machine) (string, *elf.File, error) {
	for _, dir := range dirs {
		p := path.Join(dir, name)
		lib, err := elf.Open(p)
		if err != nil {
			continue
		}
		if lib.Machine != machine {
			lib.Close()
			continue
		}
		return p, lib, nil
	}
	return "", nil, i18n.Errorf("shared library %s not found in %s", name, strings.Join(dirs, ", "))
}
