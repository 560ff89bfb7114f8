package images

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"maps"
	"runtime"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/opencontainers/go-digest"
)

func TestValidRef(t *testing.T) {
	tests := []struct {
		ref   string
		valid bool
	}{
		{"whoami:1.0", true},
		{"labrun-test-whoami:2.0-0a1b2c3d", true},
		{"localhost:5000/lab/whoami:1.0", true},
		{"whoami", false},
		{"whoami:", false},
		{"Whoami:1.0", false},
		{"whoami:1.0 beta", false},
		{"whoami:1.0@sha256:" + digest.FromString("x").Encoded(), false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			if err := validRef(tt.ref); (err == nil) != tt.valid {
				t.Errorf("validRef(%q) = %v, want valid %v", tt.ref, err, tt.valid)
			}
		})
	}
}

// TestOfflineArchive reads the archive back as the engine does: the manifest
// names the config and the layer, the config's digest is the image ID, its
// diff ID the layer's digest. The archive is written twice, since the
// layer's digest and size are learned by writing it.
func TestOfflineArchive(t *testing.T) {
	fsys := fstest.MapFS{"bin/whoami-linux-amd64": {Data: []byte("amd64 server")}}
	created := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	labels := map[string]string{"labrun.run": "r1"}
	layers := make(map[string][]byte)
	for _, release := range []string{"1.0", "2.0"} {
		t.Run(release, func(t *testing.T) {
			archive, id, err := offlineArchive(fsys, "whoami:"+release, release, "x86_64", labels, created)
			if err != nil {
				t.Fatal(err)
			}
			files := readFiles(t, archive)
			var manifest []manifestItem
			if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil {
				t.Fatalf("manifest.json: %v", err)
			}
			if len(manifest) != 1 || len(manifest[0].Layers) != 1 || !slices.Equal(manifest[0].RepoTags, []string{"whoami:" + release}) {
				t.Fatalf("manifest = %+v, want one image tagged whoami:%s with one layer", manifest, release)
			}
			config, layer := files[manifest[0].Config], files[manifest[0].Layers[0]]
			if got := digest.FromBytes(config).String(); got != id {
				t.Errorf("the config's digest is %s, but the ID returned is %s", got, id)
			}
			if len(files) != 3 {
				t.Errorf("%d files in the archive, want manifest.json, the config and the layer", len(files))
			}

			var img dockerspec.DockerOCIImage
			if err := json.Unmarshal(config, &img); err != nil {
				t.Fatalf("config: %v", err)
			}
			if want := []digest.Digest{digest.FromBytes(layer)}; !slices.Equal(img.RootFS.DiffIDs, want) || img.RootFS.Type != "layers" {
				t.Errorf("rootfs = %+v, want layers %v", img.RootFS, want)
			}
			if img.Architecture != "amd64" || img.OS != "linux" {
				t.Errorf("platform = %s/%s, want linux/amd64", img.OS, img.Architecture)
			}
			if img.Created == nil || !img.Created.Equal(created) || len(img.History) != 1 || img.History[0].EmptyLayer {
				t.Errorf("created %v, history %+v: want %v and one entry for the layer", img.Created, img.History, created)
			}
			wantLabels := map[string]string{versionLabel: release, "labrun.run": "r1"}
			if !maps.Equal(img.Config.Labels, wantLabels) {
				t.Errorf("labels = %v, want %v", img.Config.Labels, wantLabels)
			}
			if want := []string{"serve", "--release=" + release}; !slices.Equal(img.Config.Cmd, want) {
				t.Errorf("Cmd = %q, want %q", img.Config.Cmd, want)
			}

			want := []tarEntry{{"whoami", 0o755, "amd64 server"}}
			if got := readTar(t, bytes.NewReader(layer)); !slices.Equal(got, want) {
				t.Errorf("layer = %+v, want %+v", got, want)
			}
			checkRootOwned(t, layer)
			layers[release] = layer
		})
	}
	if !bytes.Equal(layers["1.0"], layers["2.0"]) {
		t.Error("the layers of 1.0 and 2.0 differ: the engine would store the server twice")
	}
}

func TestOfflineArchiveErrors(t *testing.T) {
	fsys := fstest.MapFS{"bin/whoami-linux-amd64": {Data: []byte("amd64 server")}}
	selfPlatform = "darwin/arm64" // no labrun serving itself here: see TestServerFiles
	defer func() { selfPlatform = runtime.GOOS + "/" + runtime.GOARCH }()
	tests := []struct {
		name    string
		ref     string
		release string
		arch    string
		wantErr string
	}{
		{"no tag", "whoami", "1.0", "amd64", `invalid image reference "whoami": want a name and a tag, like whoami:1.0`},
		{"bad release", "whoami:1.0", "1.0 beta", "amd64", `invalid release "1.0 beta": want letters, digits, '_', '.' or '-' (at most 128, not starting with '.' or '-'), like 1.0`},
		{"arm64 not built", "whoami:1.0", "1.0", "aarch64", "this labrun (darwin/arm64) carries no whoami server for linux/arm64: install labrun from a release archive, or build it with make (it cross-compiles the servers)"},
		{"unsupported arch", "whoami:1.0", "1.0", "mips", `unsupported architecture "mips": labrun's whoami server is built for amd64 (x86_64) and arm64 (aarch64)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := offlineArchive(fsys, tt.ref, tt.release, tt.arch, nil, time.Now())
			checkErr(t, err, tt.wantErr)
		})
	}
}

// TestOfflineConfigLabels checks that labels given override the image's
// own, as the labels given to a build override the Dockerfile's.
func TestOfflineConfigLabels(t *testing.T) {
	labels := map[string]string{versionLabel: "given"}
	img := offlineConfig("1.0", "amd64", labels, time.Now(), digest.FromString(""))
	if got := img.Config.Labels[versionLabel]; got != "given" {
		t.Errorf("label %s = %q, want the given %q", versionLabel, got, "given")
	}
	if labels[versionLabel] != "given" || len(labels) != 1 {
		t.Errorf("the labels given were changed: %v", labels)
	}
}

// offlineArchive returns the archive of the offline image and its ID.
func offlineArchive(fsys fs.FS, ref, release, arch string, labels map[string]string, created time.Time) (archive []byte, id string, err error) {
	img, err := newOfflineImage(fsys, ref, release, arch, labels, created)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	if err := img.writeArchive(&buf); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), img.id.String(), nil
}

// readFiles returns the files of a tar by name.
func readFiles(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	for _, e := range readTar(t, bytes.NewReader(b)) {
		files[e.name] = []byte(e.data)
	}
	return files
}

// checkRootOwned checks that every file of a tar belongs to root.
func checkRootOwned(t *testing.T, b []byte) {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Uid != 0 || hdr.Gid != 0 {
			t.Errorf("%s: owner %d:%d, want 0:0", hdr.Name, hdr.Uid, hdr.Gid)
		}
	}
}
