package images

import (
	"archive/tar"
	"bytes"
	"embed"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/labrun/labrun/runner/i18n"
)

// bin holds the whoami servers that `make bins` cross-compiles, and a README
// so that the pattern matches on a fresh clone before they are built; a
// labrun built without them serves itself (see server.go).
//
//go:embed bin
var bin embed.FS

// epoch is the modification time of every file in a build context or a
// layer: they are then the same bytes from one run to the next.
var epoch = time.Unix(0, 0).UTC()

// OfflineContext returns the build context of the offline image of release
// for linux/arch: its Dockerfile and the whoami server for that architecture.
func OfflineContext(release, arch string) (io.Reader, error) {
	return offlineContext(bin, release, arch)
}

func offlineContext(fsys fs.FS, release, arch string) (io.Reader, error) {
	if err := ValidRelease(release); err != nil {
		return nil, err
	}
	_, files, err := serverFiles(fsys, arch)
	if err != nil {
		return nil, err
	}
	dockerfile := OfflineDockerfile(release)
	if len(files) > 1 {
		// A dynamically linked labrun serving (see server.go): its loader
		// and libraries go in at their paths, from the context's rootfs/.
		dockerfile = strings.Replace(dockerfile, "COPY whoami /whoami\n", "COPY whoami /whoami\nCOPY rootfs/ /\n", 1)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := addFile(tw, "Dockerfile", 0o644, []byte(dockerfile)); err != nil {
		return nil, err
	}
	for i, f := range files {
		data, err := fs.ReadFile(f.fsys, f.path)
		if err != nil {
			return nil, i18n.Errorf("read the whoami server's %s: %v", f.name, err)
		}
		name, mode := f.name, int64(0o755)
		if i > 0 {
			name, mode = "rootfs/"+f.name, 0o644
		}
		if err := addFile(tw, name, mode, data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return &buf, nil
}

// DirContext returns a build context holding the regular files under dir,
// with their permissions. Anything else but directories (a symbolic link, a
// socket) is an error rather than silently left out of the image.
func DirContext(dir string) (io.Reader, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return i18n.Errorf("%s is not a regular file: a build context from a directory holds only regular files", path)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		return addFile(tw, filepath.ToSlash(rel), int64(info.Mode().Perm()), data)
	})
	if err != nil {
		return nil, i18n.Errorf("build context of %s: %v", dir, err)
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return &buf, nil
}

func addFile(tw *tar.Writer, name string, mode int64, data []byte) error {
	hdr := &tar.Header{
		Typeflag: tar.TypeReg,
		Name:     name,
		Mode:     mode,
		Size:     int64(len(data)),
		ModTime:  epoch,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

// OfflineServer reports whether this labrun can make the offline images
// for linux/arch (see server.go), and returns arch's Go name (amd64, arm64).
func OfflineServer(arch string) (goarch string, err error) {
	goarch, _, err = serverFiles(bin, arch)
	return goarch, err
}
