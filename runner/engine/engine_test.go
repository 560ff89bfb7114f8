package engine

import (
	"os/exec"
	"testing"
)

func TestVersionAtLeast(t *testing.T) {
	tests := []struct {
		v, min string
		want   bool
	}{
		{"1.41", "1.32", true}, {"1.32", "1.32", true}, {"1.31", "1.32", false},
		{"1.9", "1.32", false}, {"2.0", "1.41", true}, {"1.100", "1.41", true},
	}
	for _, tc := range tests {
		if got := VersionAtLeast(tc.v, tc.min); got != tc.want {
			t.Errorf("VersionAtLeast(%s, %s) = %v", tc.v, tc.min, got)
		}
	}
}

func TestHTTPHost(t *testing.T) {
	tests := map[string]string{
		"unix:///var/run/docker.sock":    "localhost",
		"tcp://192.0.2.7:2376":           "192.0.2.7",
		"tcp://docker.example.org:2376":  "docker.example.org",
		"npipe:////./pipe/docker_engine": "localhost",
	}
	for host, want := range tests {
		if got := httpHost(host); got != want {
			t.Errorf("httpHost(%s) = %s, want %s", host, got, want)
		}
	}
}

// TestSSHHostName proves an ssh:// engine's HTTP checks aim at the machine
// ssh's configuration names, not at an alias only ssh knows.
func TestSSHHostName(t *testing.T) {
	config := "user me\nhostname 10.0.0.13\nport 22\n"
	if got := sshConfigHostName(config, "pc3"); got != "10.0.0.13" {
		t.Errorf("from ssh -G's output: %q, want 10.0.0.13", got)
	}
	if got := sshConfigHostName("user me\n", "pc3"); got != "pc3" {
		t.Errorf("without a hostname line: %q, want the name itself", got)
	}
	if _, err := exec.LookPath("ssh"); err == nil {
		// No alias in any configuration: ssh gives the name back.
		if got := httpHost("ssh://me@labrun-no-alias.invalid"); got != "labrun-no-alias.invalid" {
			t.Errorf("httpHost of an ssh:// engine without an alias = %q", got)
		}
	}
}
