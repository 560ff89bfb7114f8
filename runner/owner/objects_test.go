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
// the real engine, as a lab's commands would, and checks that Release
// removes those the run saw created and leaves alone, although the ledger
// names them too: one that predates the run, one created after the run
// last looked (never proven its own), and one the user removed and made
// again (another ID).
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

	l, err := Create(t.TempDir(), NewID(), "objtest", e)
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

	// The run sees what its commands created, as it does after each one.
	if err := ProveCreated(ctx, e, l); err != nil {
		t.Fatal(err)
	}
	// Then the user makes things of the ledger's names: one never seen,
	// and one in place of the run's volume.
	unseen, remade := prefix+"-unseen", created["volume"]
	if err := l.Add("secret", unseen); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.SecretCreate(ctx, client.SecretCreateOptions{Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: unseen}, Data: []byte("mine")}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Client.SecretRemove(context.Background(), unseen, client.SecretRemoveOptions{}) })
	if _, err := e.Client.VolumeRemove(ctx, remade, client.VolumeRemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // a volume's identity is its creation time, in seconds
	if _, err := e.Client.VolumeCreate(ctx, client.VolumeCreateOptions{Name: remade}); err != nil {
		t.Fatal(err)
	}
	delete(created, "volume")

	released := Release(ctx, e, l, time.Minute)
	removed := released.Removed
	if len(released.Left) > 0 {
		t.Errorf("leftovers: %q", released.Left)
	}
	for _, name := range []string{unseen, remade} {
		if !strings.Contains(strings.Join(released.Untouched, "\n"), name) {
			t.Errorf("untouched %q, want %s among them", released.Untouched, name)
		}
	}
	for kind, name := range map[string]string{"secret": unseen, "volume": remade} {
		if exists, _, err := Exists(ctx, e, kind, name); err != nil || !exists {
			t.Errorf("the user's %s %s: exists=%v err=%v after Release, want it untouched", kind, name, exists, err)
		}
	}
	got := strings.Join(removed, "\n")
	for kind, name := range created {
		if !strings.Contains(got, kind+" "+name) {
			t.Errorf("removed %q, want %s %s among them", removed, kind, name)
		}
		if exists, _, err := Exists(ctx, e, kind, name); err != nil || exists {
			t.Errorf("%s %s: exists=%v err=%v after Release", kind, name, exists, err)
		}
	}
	if exists, _, err := Exists(ctx, e, "network", foreign); err != nil || !exists {
		t.Errorf("the foreign network %s: exists=%v err=%v after Release, want it untouched", foreign, exists, err)
	}
}
