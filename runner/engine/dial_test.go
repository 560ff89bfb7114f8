package engine

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

func TestSSHArgs(t *testing.T) {
	tests := []struct {
		url  string
		want []string
	}{
		{"ssh://pc12", []string{"-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "--", "pc12", "docker", "system", "dial-stdio"}},
		{"ssh://student@pc12", []string{"-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "--", "student@pc12", "docker", "system", "dial-stdio"}},
		{"ssh://student@pc12:2222", []string{"-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-p", "2222", "--", "student@pc12", "docker", "system", "dial-stdio"}},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			u, err := url.Parse(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if got := sshArgs(u); !slices.Equal(got, tc.want) {
				t.Errorf("sshArgs(%s) = %q, want %q", tc.url, got, tc.want)
			}
		})
	}
}

// TestSSHDialer talks to the local engine through an ssh:// URL. The ssh
// on PATH is a stand-in (no sshd runs here) that notes its arguments and
// runs what a real ssh would run on the remote side, docker system
// dial-stdio, against the local engine: the dialer, HTTP over stdio and
// the API negotiation are real.
func TestSSHDialer(t *testing.T) {
	if _, err := exec.LookPath("docker"); err != nil {
		requireOrSkip(t, "the docker CLI is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	local, err := Connect(ctx, "")
	if err != nil {
		requireOrSkip(t, "no engine: "+err.Error())
	}
	defer local.Close()
	bin := t.TempDir()
	argsFile := filepath.Join(bin, "args")
	// ssh -G prints the configuration a host name stands for: here an
	// alias of 10.9.8.7, where the HTTP checks must then aim.
	script := "#!/bin/sh\nif [ \"$1\" = -G ]; then echo 'hostname 10.9.8.7'; exit 0; fi\n" +
		"echo \"$@\" >>" + argsFile + "\nexec docker system dial-stdio\n"
	if err := os.WriteFile(filepath.Join(bin, "ssh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	e, err := Connect(ctx, "ssh://student@pc12:2222")
	if err != nil {
		t.Fatalf("Connect over ssh: %v", err)
	}
	defer e.Close()
	if e.Version == "" || e.APIVersion == "" {
		t.Errorf("engine version %q, API %q: want both", e.Version, e.APIVersion)
	}
	if e.HTTPHost != "10.9.8.7" {
		t.Errorf("HTTPHost = %q, want 10.9.8.7: the published ports answer on the machine ssh's pc12 stands for", e.HTTPHost)
	}
	if e.ID != local.ID {
		t.Errorf("engine ID over ssh %q, want the local engine's %q", e.ID, local.ID)
	}
	// More requests, over the same connection or new ones.
	for range 3 {
		if _, err := e.Client.Info(ctx, client.InfoOptions{}); err != nil {
			t.Fatalf("Info over ssh: %v", err)
		}
	}
	data, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(string(data), "\n", 2)[0]
	if want := "-T -o BatchMode=yes -o ConnectTimeout=5 -p 2222 -- student@pc12 docker system dial-stdio"; first != want {
		t.Errorf("ssh ran with %q, want %q", first, want)
	}
}

// requireOrSkip skips, or fails under CI=true, where the engine must be.
//
// It is enginetest.SkipOrFail's rule, written again because this package's
// own tests cannot import enginetest, which imports this package.
func requireOrSkip(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true: %s", why)
	}
	t.Skip(why)
}
