package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/i18n"
)

// writeContext writes a context as docker context create does.
func writeContext(t *testing.T, dir, name, meta string, tlsFiles ...string) string {
	t.Helper()
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:])
	metaDir := filepath.Join(dir, "contexts", "meta", id)
	if err := os.MkdirAll(metaDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(metaDir, "meta.json"), []byte(meta), 0o644); err != nil {
		t.Fatal(err)
	}
	tlsDir := filepath.Join(dir, "contexts", "tls", id, "docker")
	for _, f := range tlsFiles {
		if err := os.MkdirAll(tlsDir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tlsDir, f), []byte("-"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return tlsDir
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	tlsDir := writeContext(t, dir, "classroom",
		`{"Name":"classroom","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://10.0.0.5:2376","SkipTLSVerify":false}}}`,
		"ca.pem", "cert.pem", "key.pem")
	writeContext(t, dir, "laptop",
		`{"Name":"laptop","Metadata":{},"Endpoints":{"docker":{"Host":"ssh://me@laptop","SkipTLSVerify":true}}}`)
	writeContext(t, dir, "broken", `{"Name":"broken",`)
	writeContext(t, dir, "nodocker", `{"Name":"nodocker","Endpoints":{"kubernetes":{}}}`)
	withCurrent := func(name string) string {
		d := t.TempDir()
		if err := os.CopyFS(d, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "config.json"), []byte(`{"auths":{},"currentContext":"`+name+`"}`), 0o600); err != nil {
			t.Fatal(err)
		}
		return d
	}
	current := withCurrent("classroom")
	currentDefault := withCurrent("default")
	currentUnknown := withCurrent("gone")
	badConfig := t.TempDir()
	os.WriteFile(filepath.Join(badConfig, "config.json"), []byte("{"), 0o600)
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".docker"), 0o755)
	os.WriteFile(filepath.Join(home, ".docker", "config.json"), []byte(`{"currentContext":"laptop"}`), 0o600)
	os.CopyFS(filepath.Join(home, ".docker"), os.DirFS(dir))

	tests := []struct {
		name    string
		flag    string
		context string // --context
		env     map[string]string
		want    Endpoint
		wantStr string
		wantErr string
	}{
		{name: "nothing: the local socket", env: map[string]string{"DOCKER_CONFIG": dir},
			want:    Endpoint{Host: "unix:///var/run/docker.sock", Source: FromDefault, Context: "default"},
			wantStr: `unix:///var/run/docker.sock (context "default")`},
		{name: "flag beats everything", flag: "tcp://10.77.1.2:2375",
			env:     map[string]string{"DOCKER_HOST": "tcp://elsewhere:2375", "DOCKER_CONTEXT": "classroom", "DOCKER_CONFIG": current},
			want:    Endpoint{Host: "tcp://10.77.1.2:2375", Source: FromFlag, Context: "default"},
			wantStr: "tcp://10.77.1.2:2375 (--host)"},
		{name: "--context beats DOCKER_HOST and DOCKER_CONTEXT, as in the CLI", context: "laptop",
			env:     map[string]string{"DOCKER_HOST": "tcp://elsewhere:2375", "DOCKER_CONTEXT": "classroom", "DOCKER_CONFIG": current},
			want:    Endpoint{Host: "ssh://me@laptop", Source: FromContextFlag, Context: "laptop", SkipTLSVerify: true},
			wantStr: `ssh://me@laptop (context "laptop", from --context)`},
		{name: "--context default is DOCKER_HOST", context: "default",
			env:  map[string]string{"DOCKER_HOST": "tcp://elsewhere:2375", "DOCKER_CONFIG": current},
			want: Endpoint{Host: "tcp://elsewhere:2375", Source: FromContextFlag, Context: "default"}},
		{name: "--host and --context", flag: "tcp://10.77.1.2:2375", context: "laptop", env: map[string]string{"DOCKER_CONFIG": dir},
			wantErr: `docker context "laptop" (from --context): conflicting options: give --host or --context, not both`},
		{name: "unknown --context", context: "nope", env: map[string]string{"DOCKER_CONFIG": dir},
			wantErr: `docker context "nope" (from --context): no such context`},
		{name: "DOCKER_HOST beats contexts",
			env:     map[string]string{"DOCKER_HOST": "tcp://elsewhere:2375", "DOCKER_CONTEXT": "classroom", "DOCKER_CONFIG": current},
			want:    Endpoint{Host: "tcp://elsewhere:2375", Source: FromDockerHost, Context: "default"},
			wantStr: "tcp://elsewhere:2375 (DOCKER_HOST)"},
		{name: "DOCKER_CONTEXT beats the current context",
			env:     map[string]string{"DOCKER_CONTEXT": "laptop", "DOCKER_CONFIG": current},
			want:    Endpoint{Host: "ssh://me@laptop", Source: FromDockerContext, Context: "laptop", SkipTLSVerify: true},
			wantStr: `ssh://me@laptop (context "laptop", from DOCKER_CONTEXT)`},
		{name: "DOCKER_CONTEXT=default is the local socket",
			env:  map[string]string{"DOCKER_CONTEXT": "default", "DOCKER_CONFIG": current},
			want: Endpoint{Host: "unix:///var/run/docker.sock", Source: FromDockerContext, Context: "default"}},
		{name: "current context with TLS material",
			env:     map[string]string{"DOCKER_CONFIG": current},
			want:    Endpoint{Host: "tcp://10.0.0.5:2376", Source: FromCurrentContext, Context: "classroom", TLSDir: strings.Replace(tlsDir, dir, current, 1)},
			wantStr: `tcp://10.0.0.5:2376 (context "classroom")`},
		{name: "current context default",
			env:  map[string]string{"DOCKER_CONFIG": currentDefault},
			want: Endpoint{Host: "unix:///var/run/docker.sock", Source: FromDefault, Context: "default"}},
		{name: "config under HOME when DOCKER_CONFIG is unset",
			env:  map[string]string{"HOME": home},
			want: Endpoint{Host: "ssh://me@laptop", Source: FromCurrentContext, Context: "laptop", SkipTLSVerify: true}},
		{name: "unknown DOCKER_CONTEXT", env: map[string]string{"DOCKER_CONTEXT": "nope", "DOCKER_CONFIG": dir},
			wantErr: `docker context "nope" (from DOCKER_CONTEXT): no such context (known: default, classroom, laptop, nodocker)`},
		{name: "unknown current context", env: map[string]string{"DOCKER_CONFIG": currentUnknown},
			wantErr: `docker context "gone" (from currentContext in ` + currentUnknown + `/config.json): no such context`},
		{name: "broken metadata", env: map[string]string{"DOCKER_CONTEXT": "broken", "DOCKER_CONFIG": dir},
			wantErr: "meta.json: not valid JSON"},
		{name: "no docker endpoint", env: map[string]string{"DOCKER_CONTEXT": "nodocker", "DOCKER_CONFIG": dir},
			wantErr: "no docker endpoint with a Host"},
		{name: "broken config.json", env: map[string]string{"DOCKER_CONFIG": badConfig},
			wantErr: "config.json): not valid JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolveChoice(Choice{Host: tc.flag, Context: tc.context}, func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				var ce *ContextError
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.As(err, &ce) {
					t.Fatalf("Resolve: %v (%+v), want a *ContextError containing %q", err, got, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if got != tc.want {
				t.Errorf("Resolve = %+v\nwant       %+v", got, tc.want)
			}
			if tc.wantStr != "" && got.String() != tc.wantStr {
				t.Errorf("String() = %q, want %q", got.String(), tc.wantStr)
			}
		})
	}
}

func TestCLIEnv(t *testing.T) {
	t.Setenv("DOCKER_CERT_PATH", "/env/certs")
	t.Setenv("DOCKER_TLS_VERIFY", "1")
	tests := []struct {
		name string
		ep   Endpoint
		want map[string]string
	}{
		{"default context keeps the environment's TLS", Endpoint{Host: "tcp://h:2376", Context: "default"},
			map[string]string{"DOCKER_HOST": "tcp://h:2376", "DOCKER_CERT_PATH": "/env/certs", "DOCKER_TLS_VERIFY": "1"}},
		{"named context brings its own TLS", Endpoint{Host: "tcp://h:2376", Context: "c", TLSDir: "/ctx/tls"},
			map[string]string{"DOCKER_HOST": "tcp://h:2376", "DOCKER_CERT_PATH": "/ctx/tls", "DOCKER_TLS_VERIFY": "1"}},
		{"named context that skips verification", Endpoint{Host: "tcp://h:2376", Context: "c", TLSDir: "/ctx/tls", SkipTLSVerify: true},
			map[string]string{"DOCKER_HOST": "tcp://h:2376", "DOCKER_CERT_PATH": "/ctx/tls", "DOCKER_TLS": "1"}},
		{"named context that skips verification, with no TLS material", Endpoint{Host: "tcp://h:2376", Context: "c", SkipTLSVerify: true},
			map[string]string{"DOCKER_HOST": "tcp://h:2376", "DOCKER_TLS": "1"}},
		{"an ssh context's SkipTLSVerify is no TLS", Endpoint{Host: "ssh://u@h", Context: "c", SkipTLSVerify: true},
			map[string]string{"DOCKER_HOST": "ssh://u@h"}},
		{"named context without TLS", Endpoint{Host: "ssh://u@h", Context: "c"},
			map[string]string{"DOCKER_HOST": "ssh://u@h"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := (&Engine{Host: tc.ep.Host, Endpoint: tc.ep}).CLIEnv()
			if len(got) != len(tc.want) {
				t.Fatalf("CLIEnv = %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("CLIEnv[%s] = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

// TestContextErrorInFrench: where a context was named is worded with the
// error, the flag's or variable's name as it is.
func TestContextErrorInFrench(t *testing.T) {
	for _, tc := range []struct {
		source i18n.Sentence
		want   string
	}{
		{sourceOf(FromCurrentContext), `contexte docker "x" (d'après contexte courant) : `},
		{i18n.Sprintf("currentContext in %s", "/h/config.json"), `contexte docker "x" (d'après currentContext de /h/config.json) : `},
		{sourceOf(FromDockerContext), `contexte docker "x" (d'après DOCKER_CONTEXT) : `},
	} {
		err := &ContextError{Name: "x", Source: tc.source, Err: i18n.Errorf("not valid JSON: %v", "eof")}
		if got := err.In("fr"); !strings.HasPrefix(got, tc.want) || !strings.HasSuffix(got, "JSON invalide : eof") {
			t.Errorf("%q, want it to start with %q and end in French", got, tc.want)
		}
	}
}
