package registry

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		reg string
		ok  bool
	}{
		{"10.77.41.1:5041", true},
		{"registry.example:5000", true},
		{"localhost", true},
		{"", false},
		{"http://10.0.0.1:5000", false},
		{"10.0.0.1:5000/path", false},
		{"a b", false},
	} {
		t.Run(tc.reg, func(t *testing.T) {
			if err := Valid(tc.reg); (err == nil) != tc.ok {
				t.Errorf("Valid(%q) = %v, want ok %v", tc.reg, err, tc.ok)
			}
		})
	}
}

// TestDelete deletes a tag from an in-process registry only while it
// names the manifest of the digest given.
func TestDelete(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	reg := strings.TrimPrefix(srv.URL, "http://")
	ctx := context.Background()
	if err := Check(ctx, reg); err != nil {
		t.Fatalf("Check: %v", err)
	}
	ref := Ref(reg, "lrpl-delete:1.0")
	tag, _ := name.NewTag(ref, name.Insecure)
	img, _ := random.Image(64, 1)
	if err := remote.Write(tag, img, remote.WithContext(ctx)); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	// A run refuses a tag the registry has (Exists), before pushing over it.
	if ok, err := Exists(ctx, ref); !ok || err != nil {
		t.Fatalf("Exists of a pushed tag = %v, %v; want true", ok, err)
	}
	if ok, err := Exists(ctx, Ref(reg, "lrpl-delete:9.9")); ok || err != nil {
		t.Fatalf("Exists of an absent tag = %v, %v; want false", ok, err)
	}
	other, _ := random.Image(64, 1)
	od, _ := other.Digest()
	if err := Delete(ctx, ref, od.String()); !errors.Is(err, ErrMoved) {
		t.Fatalf("Delete with another digest: %v, want ErrMoved", err)
	}
	if _, err := remote.Head(tag); err != nil {
		t.Fatalf("the tag went although it names another image: %v", err)
	}
	if err := Delete(ctx, ref, d.String()); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := remote.Head(tag); !notFound(err) {
		t.Fatalf("the tag is still there: %v", err)
	}
	if err := Delete(ctx, ref, d.String()); err != nil {
		t.Fatalf("Delete of a tag already gone: %v", err)
	}
	if err := Check(ctx, "127.0.0.1:1"); err == nil {
		t.Errorf("Check of nothing listening: no error")
	}
}
