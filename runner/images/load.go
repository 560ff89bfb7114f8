package images

import (
	"archive/tar"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"maps"
	"path"
	"time"

	"github.com/distribution/reference"
	"github.com/labrun/labrun/runner/i18n"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/moby/moby/client"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// defaultPath is the PATH that Docker's builder puts in the config of an
// image built FROM scratch for linux, since no base image gave it one.
const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// LoadOffline makes the offline image of release for linux/arch, tagged ref,
// with labels added to the image's own, and returns the image's ID.
//
// Its configuration is the one that building OfflineDockerfile(release)
// gives, labels included, but it is assembled here and loaded as the archive
// `docker save` writes: the legacy builder costs about a second per
// instruction, a load a fraction of one. The layer holds only /whoami, the
// same bytes for every release, so the engine stores it once.
func LoadOffline(ctx context.Context, cli *client.Client, ref, release, arch string, labels map[string]string) (imageID string, err error) {
	img, err := newOfflineImage(bin, ref, release, arch, labels, time.Now().UTC())
	if err != nil {
		return "", err
	}
	// The archive is written as the engine reads it rather than first in
	// memory: on a small VM, megabytes of fresh memory cost a tenth of a second.
	pr, pw := io.Pipe()
	written := make(chan struct{})
	go func() {
		pw.CloseWithError(img.writeArchive(pw))
		close(written)
	}()
	defer func() {
		// Unblocks the writer if the engine stopped reading early.
		pr.Close()
		<-written
	}()

	// Quiet leaves out the progress bars, not the messages nor the errors.
	res, err := cli.ImageLoad(ctx, pr, client.ImageLoadWithQuiet(true))
	if err != nil {
		return "", i18n.Errorf("load %s: %v", ref, err)
	}
	defer res.Close()
	if _, err := decodeStream(contextReader{ctx, res}, nil); err != nil {
		return "", i18n.Errorf("load %s: %v", ref, err)
	}
	// The engine says "Loaded image" but not which ID the tag is on now.
	inspect, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		return "", i18n.Errorf("load %s: the load ended but the image cannot be inspected: %v", ref, err)
	}
	if inspect.ID != img.id.String() {
		return "", i18n.Errorf("load %s: the tag is on %s, want the loaded image %s", ref, inspect.ID, img.id)
	}
	return img.id.String(), nil
}

// offlineImage is the offline image of a release, ready to be written as the
// archive `docker save` writes.
type offlineImage struct {
	id       digest.Digest // of config, as the engine names images
	config   []byte
	manifest []byte
	layer    layer
}

// manifestItem is one image of the manifest.json of a `docker save` archive.
type manifestItem struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// newOfflineImage returns the offline image (see LoadOffline), with the
// whoami server read from fsys (bin, but for tests).
func newOfflineImage(fsys fs.FS, ref, release, arch string, labels map[string]string, created time.Time) (*offlineImage, error) {
	if err := validRef(ref); err != nil {
		return nil, err
	}
	if err := ValidRelease(release); err != nil {
		return nil, err
	}
	goarch, files, err := serverFiles(fsys, arch)
	if err != nil {
		return nil, err
	}
	l := layer{files: files}
	// The layer is written once to learn its digest and size, which the
	// config and the archive need before it, and once into the archive.
	h := digest.Canonical.Digester()
	if l.size, err = l.writeTo(h.Hash()); err != nil {
		return nil, err
	}
	l.diffID = h.Digest()

	config, err := json.Marshal(offlineConfig(release, goarch, labels, created, l.diffID))
	if err != nil {
		return nil, err
	}
	id := digest.FromBytes(config)
	manifest, err := json.Marshal([]manifestItem{{
		Config:   configName(id),
		RepoTags: []string{ref},
		Layers:   []string{l.name()},
	}})
	if err != nil {
		return nil, err
	}
	return &offlineImage{id: id, config: config, manifest: manifest, layer: l}, nil
}

// configName is the name of the config in the archive, as `docker save`
// names it, though any name would do.
func configName(id digest.Digest) string { return id.Encoded() + ".json" }

// writeArchive writes the image as the archive `docker save` writes.
func (img *offlineImage) writeArchive(w io.Writer) error {
	tw := tar.NewWriter(w)
	if err := addFile(tw, "manifest.json", 0o644, img.manifest); err != nil {
		return err
	}
	if err := addFile(tw, configName(img.id), 0o644, img.config); err != nil {
		return err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: img.layer.name(), Mode: 0o644, Size: img.layer.size, ModTime: epoch}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if _, err := img.layer.writeTo(tw); err != nil {
		return err
	}
	return tw.Close()
}

// layer is the image's only layer: the whoami server at /whoami, mode 0755,
// owned by root, and what it needs to run, if anything (see server.go).
type layer struct {
	files  []serverFile
	size   int64
	diffID digest.Digest // the digest of the uncompressed tar
}

// name is the name of the layer in the archive, as `docker save` names it.
func (l layer) name() string { return l.diffID.Encoded() + "/layer.tar" }

// writeTo writes the layer's tar to w, the same bytes every time, and
// returns its size.
func (l layer) writeTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	tw := tar.NewWriter(cw)
	dirs := map[string]bool{}
	for _, f := range l.files {
		// The directories above a library, before it, as docker save
		// writes them.
		var parents []string
		for d := path.Dir(f.name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
			parents = append([]string{d}, parents...)
		}
		for _, d := range parents {
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: epoch}); err != nil {
				return 0, err
			}
		}
		if err := writeLayerFile(tw, f); err != nil {
			return 0, err
		}
	}
	err := tw.Close()
	return cw.n, err
}

// writeLayerFile writes one file of the layer, executable: the server, the
// loader and the libraries all are.
func writeLayerFile(tw *tar.Writer, f serverFile) error {
	r, err := f.fsys.Open(f.path)
	if err != nil {
		return err
	}
	defer r.Close()
	info, err := r.Stat()
	if err != nil {
		return err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: 0o755, Size: info.Size(), ModTime: epoch}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, r)
	return err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// offlineConfig returns the image config that the legacy builder writes for
// OfflineDockerfile(release) built with labels, but for its parent image,
// the build's containers and one history entry per instruction.
func offlineConfig(release, goarch string, labels map[string]string, created time.Time, diffID digest.Digest) dockerspec.DockerOCIImage {
	// The builder applies the labels given to a build after the Dockerfile's.
	allLabels := map[string]string{"org.opencontainers.image.version": release}
	maps.Copy(allLabels, labels)
	return dockerspec.DockerOCIImage{
		Image: ocispec.Image{
			Created:  &created,
			Platform: ocispec.Platform{Architecture: goarch, OS: "linux"},
			RootFS:   ocispec.RootFS{Type: "layers", DiffIDs: []digest.Digest{diffID}},
			History: []ocispec.History{{
				Created:   &created,
				CreatedBy: "COPY whoami /whoami",
				Comment:   "labrun: the offline whoami image of release " + release + ", loaded rather than built",
			}},
		},
		Config: dockerspec.DockerOCIImageConfig{
			ImageConfig: ocispec.ImageConfig{
				User:         "65534:65534",
				ExposedPorts: map[string]struct{}{"8000/tcp": {}},
				Env:          []string{defaultPath},
				Entrypoint:   []string{"/whoami"},
				Cmd:          []string{"serve", "--release=" + release},
				Labels:       allLabels,
			},
			DockerOCIImageConfigExt: dockerspec.DockerOCIImageConfigExt{
				Healthcheck: &dockerspec.HealthcheckConfig{
					Test:     []string{"CMD", "/whoami", "healthcheck", "http://localhost:8000/whoami"},
					Interval: 5 * time.Second,
					Timeout:  3 * time.Second,
					Retries:  3,
				},
			},
		},
	}
}

// validRef returns an error unless ref names an image with a tag and no
// digest, which is what the engine accepts as a loaded image's tag.
func validRef(ref string) error {
	named, err := reference.ParseNormalizedNamed(ref)
	if err == nil {
		_, tagged := named.(reference.Tagged)
		_, digested := named.(reference.Digested)
		if tagged && !digested {
			return nil
		}
	}
	return i18n.Errorf("invalid image reference %q: want a name and a tag, like whoami:1.0", ref)
}
