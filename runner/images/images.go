// Package images provides the images of the whoami lab: the offline image,
// made FROM scratch around the whoami server embedded in labrun (loaded by
// LoadOffline, or built by students from OfflineContext); the tutorial's
// images on Docker Hub; and the tutorial's Node.js image, built from a
// directory.
package images

import (
	"regexp"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
)

// The image flavours a lab can run with.
const (
	// Offline makes the images locally FROM scratch around the embedded
	// whoami server (see LoadOffline): it needs no registry.
	Offline = "offline"
	// Hub pulls the tutorial's images (lucj/whoami) from Docker Hub.
	Hub = "hub"
	// Node builds the tutorial's Node.js app from its Dockerfile; its base
	// image and npm packages must be reachable.
	Node = "node"
)

// Flavours returns the image flavours, the default (Offline) first.
func Flavours() []string {
	return []string{Offline, Hub, Node}
}

// ValidFlavour returns an error listing the valid flavours when name is not one.
func ValidFlavour(name string) error {
	for _, f := range Flavours() {
		if name == f {
			return nil
		}
	}
	return i18n.Errorf("unknown image flavour %q: valid flavours are %s", name, strings.Join(Flavours(), ", "))
}

// releasePattern is Docker's grammar of a tag, since a release ends up in one.
var releasePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

// ValidRelease returns an error when release cannot be an image tag, which
// also keeps it from breaking the Dockerfile it is written into.
func ValidRelease(release string) error {
	if !releasePattern.MatchString(release) {
		return i18n.Errorf("invalid release %q: want letters, digits, '_', '.' or '-' (at most 128, not starting with '.' or '-'), like 1.0", release)
	}
	return nil
}

// HubImage returns the tutorial's image of release on Docker Hub.
func HubImage(release string) string {
	return "lucj/whoami:" + release
}

// NormalizeArch returns the Go name (amd64 or arm64) of a CPU architecture
// as Go or the engine (uname: x86_64, aarch64) names it.
func NormalizeArch(arch string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(arch)) {
	case "amd64", "x86_64", "x86-64":
		return "amd64", nil
	case "arm64", "aarch64", "arm64/v8":
		return "arm64", nil
	}
	return "", i18n.Errorf("unsupported architecture %q: labrun's whoami server is built for amd64 (x86_64) and arm64 (aarch64)", arch)
}

// OfflineDockerfile returns the Dockerfile of the offline image of release.
// The release must be valid (see ValidRelease).
//
// The healthcheck is in exec form because scratch has neither a shell nor
// curl; its settings are the tutorial's. The lines that depend on the release
// come last so that both releases share every other layer in the build cache.
// LoadOffline makes the image that this Dockerfile builds without building
// it: a change here must be made in its config too (TestLoadMatchesBuild
// compares them).
func OfflineDockerfile(release string) string {
	return `FROM scratch
COPY whoami /whoami
USER 65534:65534
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --retries=3 CMD ["/whoami","healthcheck","http://localhost:8000/whoami"]
ENTRYPOINT ["/whoami"]
LABEL org.opencontainers.image.version="` + release + `"
CMD ["serve","--release=` + release + `"]
`
}

// BaseImage returns the image a Dockerfile starts FROM, "" when none.
func BaseImage(dockerfile []byte) string {
	for _, line := range strings.Split(string(dockerfile), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 2 && strings.EqualFold(fields[0], "FROM") {
			return fields[1]
		}
	}
	return ""
}
