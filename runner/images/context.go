package images

import (
	"archive/tar"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// bin holds the whoami servers that `make bins` cross-compiles, and a README
// so that the pattern matches on a fresh clone before they are built.
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
	goarch, path, err := serverPath(fsys, arch)
	if err != nil {
		return nil, err
	}
	server, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("read the embedded whoami server for linux/%s: %w", goarch, err)
	}

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := addFile(tw, "Dockerfile", 0o644, []byte(OfflineDockerfile(release))); err != nil {
		return nil, err
	}
	if err := addFile(tw, "whoami", 0o755, server); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return &buf, nil
}

// serverPath returns the Go name of arch and the path in fsys (bin, but for
// tests) of the whoami server for linux on it.
func serverPath(fsys fs.FS, arch string) (goarch, path string, err error) {
	goarch, err = NormalizeArch(arch)
	if err != nil {
		return "", "", err
	}
	path = "bin/whoami-linux-" + goarch
	if _, err := fs.Stat(fsys, path); errors.Is(err, fs.ErrNotExist) {
		return "", "", fmt.Errorf(`the whoami server for linux/%s is not built into this labrun: build labrun with "make" (it runs "make bins")`, goarch)
	} else if err != nil {
		return "", "", fmt.Errorf("read the embedded whoami server for linux/%s: %w", goarch, err)
	}
	return goarch, path, nil
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
			return fmt.Errorf("%s is not a regular file: a build context from a directory holds only regular files", path)
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
		return nil, fmt.Errorf("build context of %s: %w", dir, err)
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

// OfflineServer reports whether the whoami server for linux/arch is built
// into this labrun, which the offline images need, and returns arch's Go
// name (amd64, arm64).
func OfflineServer(arch string) (goarch string, err error) {
	goarch, _, err = serverPath(bin, arch)
	return goarch, err
}
