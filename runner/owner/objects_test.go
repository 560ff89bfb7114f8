package owner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestCleanObjects creates a network, a secret, a config and a volume on
// the real engine, as a lab's commands would, and checks that Clean
// removes those the run created and leaves alone the one that predates
// the run, although the ledger names it too.
func TestCleanObjects(t *testing.T) {
	e := enginetest.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	prefix := "lr-objtest-" + NewID()
	foreign := prefix + "-foreign"
	if _, err := e.Client.NetworkCreate(ctx, foreign, client.NetworkCreateOptions{Driver: "overlay", Attachable: true}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Client.NetworkRemove(context.Background(), foreign, client.NetworkRemoveOptions{}) })
	time.Sleep(1100 * time.Millisecond) // the foreign network must predate the run by more than a second

	l, err := Create(t.TempDir(), NewID(), "objtest", e.Host, e.Now())
	if err != nil {
		t.Fatal(err)
	}
	created := map[string]string{
		"network": prefix + "-net",
		"secret":  prefix + "-secret",
		"config":  prefix + "-config",
		"volume":  prefix + "-vol",
	}
	for kind, name := range created {
		if err := l.Add(kind, name); err != nil {
			t.Fatal(err)
		}
	}
	// Whatever fails below, nothing of the test's stays on the engine.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		e.Client.NetworkRemove(ctx, created["network"], client.NetworkRemoveOptions{})
		e.Client.SecretRemove(ctx, created["secret"], client.SecretRemoveOptions{})
		e.Client.ConfigRemove(ctx, created["config"], client.ConfigRemoveOptions{})
		e.Client.VolumeRemove(ctx, created["volume"], client.VolumeRemoveOptions{})
	})
	if err := l.Add("network", foreign); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.NetworkCreate(ctx, created["network"], client.NetworkCreateOptions{Driver: "overlay", Attachable: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.SecretCreate(ctx, client.SecretCreateOptions{Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: created["secret"]}, Data: []byte("s3cret")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.ConfigCreate(ctx, client.ConfigCreateOptions{Spec: swarm.ConfigSpec{Annotations: swarm.Annotations{Name: created["config"]}, Data: []byte("conf")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.VolumeCreate(ctx, client.VolumeCreateOptions{Name: created["volume"]}); err != nil {
		t.Fatal(err)
	}

	removed, leftovers := Release(ctx, e, l, time.Minute)
	if len(leftovers) > 0 {
		t.Errorf("leftovers: %q", leftovers)
	}
	got := strings.Join(removed, "\n")
	for kind, name := range created {
		if !strings.Contains(got, kind+" "+name) {
			t.Errorf("removed %q, want %s %s among them", removed, kind, name)
		}
		if exists, _, err := Exists(ctx, e, kind, name); err != nil || exists {
			t.Errorf("%s %s: exists=%v err=%v after Clean", kind, name, exists, err)
		}
	}
	if exists, _, err := Exists(ctx, e, "network", foreign); err != nil || !exists {
		t.Errorf("the foreign network %s: exists=%v err=%v after Clean, want it untouched", foreign, exists, err)
	}
}
