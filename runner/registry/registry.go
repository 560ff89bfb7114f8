// Package registry is labrun's own registry client, for --registry
// HOST:PORT: it pushes an image the engine holds to the registry the
// swarm's nodes pull from, and deletes what it pushed at the end. It
// reads the image with the Engine API's image save and speaks the
// registry's HTTP API itself (go-containerregistry), so that the engine's
// own configuration (credentials, insecure registries) is not needed on
// the machine labrun runs on.
//
// Plain HTTP: labrun tries HTTPS first and falls back to plain HTTP, as
// the docker CLI does for a registry on a private address. Whether the
// nodes may pull over plain HTTP is their engines' own choice
// (insecure-registries in each daemon.json).
package registry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/moby/moby/client"
)

// Valid checks a --registry value: HOST:PORT (or a host name), no scheme,
// no path.
func Valid(reg string) error {
	if reg == "" || strings.Contains(reg, "://") || strings.ContainsAny(reg, "/ ") {
		return i18n.Errorf("want HOST:PORT, e.g. 10.0.0.1:5000")
	}
	if _, err := name.NewRegistry(reg, name.Insecure); err != nil {
		return err
	}
	return nil
}

// Ref names image (name:tag) in the registry reg.
func Ref(reg, image string) string { return reg + "/" + image }

// Push sends the image ref, which the engine of cli holds, to the
// registry ref names, and returns the digest of its manifest there.
func Push(ctx context.Context, cli *client.Client, ref string) (digest string, err error) {
	tag, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		return "", err
	}
	opener := func() (io.ReadCloser, error) {
		return cli.ImageSave(ctx, []string{ref})
	}
	img, err := tarball.Image(opener, &tag)
	if err != nil {
		return "", i18n.Errorf("read %s from the engine: %v", ref, err)
	}
	if err := remote.Write(tag, img, remote.WithContext(ctx)); err != nil {
		return "", i18n.Errorf("push %s: %v", ref, err)
	}
	d, err := img.Digest()
	if err != nil {
		return "", err
	}
	return d.String(), nil
}

// Check asks the registry reg whether it answers, before anything is
// made: a tag that does not exist is asked for, and "not found" (or
// "unauthorized", which a pull by the nodes may still pass) is an answer.
func Check(ctx context.Context, reg string) error {
	tag, err := name.NewTag(reg+"/labrun-check:absent", name.Insecure)
	if err != nil {
		return err
	}
	_, err = remote.Head(tag, remote.WithContext(ctx))
	var te *transport.Error
	if err == nil || errors.As(err, &te) && (te.StatusCode == http.StatusNotFound || te.StatusCode == http.StatusUnauthorized) {
		return nil
	}
	return err
}

// Exists tells whether the registry has the tag ref already.
func Exists(ctx context.Context, ref string) (bool, error) {
	tag, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		return false, err
	}
	_, err = remote.Head(tag, remote.WithContext(ctx))
	if notFound(err) {
		return false, nil
	}
	return err == nil, err
}

// ErrMoved is Delete's answer when the tag names another manifest than
// the one labrun pushed: someone pushed over it, and it is theirs.
var ErrMoved = i18n.Errorf("the tag names another image now")

// Delete removes the tag ref from its registry if it still names the
// manifest of that digest: the manifest by its digest (what registries
// accept), then the tag itself where the registry keeps tags apart. A
// tag already gone is no error.
func Delete(ctx context.Context, ref, digest string) error {
	tag, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		return err
	}
	desc, err := remote.Head(tag, remote.WithContext(ctx))
	if notFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if desc.Digest.String() != digest {
		return ErrMoved
	}
	if err := remote.Delete(tag.Context().Digest(digest), remote.WithContext(ctx)); err != nil && !notFound(err) {
		return err
	}
	if err := remote.Delete(tag, remote.WithContext(ctx)); err != nil && !notFound(err) && !unsupported(err) {
		return err
	}
	return nil
}

func notFound(err error) bool {
	var te *transport.Error
	return errors.As(err, &te) && te.StatusCode == http.StatusNotFound
}

// unsupported is a registry refusing to delete a manifest by its tag
// (the distribution registry wants a digest; it has deleted the tag with
// the manifest already).
func unsupported(err error) bool {
	var te *transport.Error
	return errors.As(err, &te) && (te.StatusCode == http.StatusBadRequest || te.StatusCode == http.StatusMethodNotAllowed)
}
