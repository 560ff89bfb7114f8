package engine

import "testing"

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
