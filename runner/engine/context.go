package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/moby/moby/client"
)

// Sources of an engine's address, in the docker CLI's order of precedence.
const (
	FromFlag           = "--host"
	FromContextFlag    = "--context"
	FromDockerHost     = "DOCKER_HOST"
	FromDockerContext  = "DOCKER_CONTEXT"
	FromCurrentContext = "current context"
	FromDefault        = "default"
)

// sourceOf is a source as a sentence: the words of the current context
// worded, a flag or a variable's name as it is.
func sourceOf(source string) i18n.Sentence {
	if source == FromCurrentContext {
		return i18n.Sprintf("current context")
	}
	return i18n.Sprintf("%s", source)
}

// DefaultContext is the docker CLI's built-in context: DOCKER_HOST, or the
// local socket, with the TLS settings of the environment.
const DefaultContext = "default"

// Endpoint is the engine a command talks to and how it was chosen, so that
// a run can say which engine it uses and why.
type Endpoint struct {
	// Host is the engine's address: unix://, tcp:// or ssh://.
	Host string
	// Source says where Host came from: FromFlag, FromDockerHost,
	// FromDockerContext, FromCurrentContext or FromDefault.
	Source string
	// Context is the docker CLI context's name; DefaultContext when none
	// was named or when DOCKER_HOST or --host decided.
	Context string
	// TLSDir holds a named context's TLS material (ca.pem, cert.pem,
	// key.pem), empty when it has none; SkipTLSVerify is its setting.
	// The default context takes DOCKER_CERT_PATH and DOCKER_TLS_VERIFY.
	TLSDir        string
	SkipTLSVerify bool
	// TLS says the endpoint speaks TLS: a named context with TLS material
	// or SkipTLSVerify, or the environment's DOCKER_TLS_VERIFY or
	// DOCKER_TLS (envTLS).
	TLS bool
}

// String says which engine and why, e.g.
// unix:///var/run/docker.sock (context "default").
func (ep Endpoint) String() string { return ep.In("en") }

// In says which engine and why in lang.
func (ep Endpoint) In(lang string) string {
	switch ep.Source {
	case FromFlag:
		return ep.Host + " (--host)"
	case FromDockerHost:
		return ep.Host + " (DOCKER_HOST)"
	case FromDockerContext:
		return i18n.Textf(lang, "%s (context %q, from DOCKER_CONTEXT)", ep.Host, ep.Context)
	case FromContextFlag:
		return i18n.Textf(lang, "%s (context %q, from --context)", ep.Host, ep.Context)
	}
	return i18n.Textf(lang, "%s (context %q)", ep.Host, ep.Context)
}

// ContextError is a docker CLI context that cannot be used: unknown, or
// with unreadable metadata. It is the user's to fix: exit 2.
type ContextError struct {
	// Name is the context's; Source says where it was named (one of the
	// From constants, or "currentContext in FILE"), as a Sentence so that
	// it is worded in the error's language.
	Name   string
	Source i18n.Sentence
	Err    error
}

func (e *ContextError) Error() string { return e.In("en") }

// In is the error in lang, the context's own error worded too when it is
// labrun's.
func (e *ContextError) In(lang string) string {
	return i18n.Textf(lang, "docker context %q (from %s): %v", e.Name, e.Source, e.Err)
}

func (e *ContextError) Unwrap() error { return e.Err }

// Choice is how the command line names an engine: --host or --context,
// at most one of them; neither lets the environment decide.
type Choice struct {
	Host    string
	Context string
}

// Resolve chooses the engine the way the docker CLI does: the host flag,
// then DOCKER_HOST, then DOCKER_CONTEXT, then the configuration's current
// context ($DOCKER_CONFIG/config.json, default ~/.docker), then the local
// socket. The context "default" means DOCKER_HOST or the local socket.
// getenv reads the environment (os.Getenv, or a test's table).
func Resolve(flagHost string, getenv func(string) string) (Endpoint, error) {
	return ResolveChoice(Choice{Host: flagHost}, getenv)
}

// ResolveChoice is Resolve with the command line's --context too, which,
// as in the docker CLI, comes before DOCKER_HOST and DOCKER_CONTEXT.
func ResolveChoice(c Choice, getenv func(string) string) (Endpoint, error) {
	flagHost := c.Host
	if c.Host != "" && c.Context != "" {
		return Endpoint{}, &ContextError{Name: c.Context, Source: sourceOf(FromContextFlag), Err: i18n.Errorf("conflicting options: give --host or --context, not both")}
	}
	if c.Context != "" {
		return namedContext(c.Context, FromContextFlag, getenv)
	}
	if flagHost != "" {
		return envTLS(Endpoint{Host: flagHost, Source: FromFlag, Context: DefaultContext}, getenv), nil
	}
	if h := getenv(client.EnvOverrideHost); h != "" {
		return envTLS(Endpoint{Host: h, Source: FromDockerHost, Context: DefaultContext}, getenv), nil
	}
	name, source := getenv("DOCKER_CONTEXT"), FromDockerContext
	if name == "" {
		dir := configDir(getenv)
		var err error
		if name, err = currentContext(dir); err != nil {
			return Endpoint{}, &ContextError{Name: "?", Source: i18n.Sprintf("%s", filepath.Join(dir, "config.json")), Err: err}
		}
		source = FromCurrentContext
	}
	return namedContext(name, source, getenv)
}

// namedContext resolves the context name, chosen by source: "default"
// (or none) is DOCKER_HOST or the local socket, with the environment's
// TLS; any other is read from the docker CLI's context store.
func namedContext(name, source string, getenv func(string) string) (Endpoint, error) {
	dir := configDir(getenv)
	if name == "" || name == DefaultContext {
		if source == FromCurrentContext {
			source = FromDefault
		}
		host := client.DefaultDockerHost
		if h := getenv(client.EnvOverrideHost); h != "" {
			host = h // --context default: DOCKER_HOST still says where
		}
		return envTLS(Endpoint{Host: host, Source: source, Context: DefaultContext}, getenv), nil
	}
	ep, err := readContext(dir, name)
	if err != nil {
		where := sourceOf(source)
		if source == FromCurrentContext {
			where = i18n.Sprintf("currentContext in %s", filepath.Join(dir, "config.json"))
		}
		return Endpoint{}, &ContextError{Name: name, Source: where, Err: err}
	}
	ep.Source = source
	return ep, nil
}

// envTLS gives the default context's endpoint the TLS settings of the
// environment, decided exactly as the docker CLI decides them: TLS when
// DOCKER_TLS_VERIFY or DOCKER_TLS is set to anything, verifying the
// engine only with DOCKER_TLS_VERIFY; the material in DOCKER_CERT_PATH,
// else the configuration directory. DOCKER_CERT_PATH alone turns nothing
// on (the moby client's FromEnv would use TLS without verifying then).
func envTLS(ep Endpoint, getenv func(string) string) Endpoint {
	verify := getenv("DOCKER_TLS_VERIFY") != ""
	if !verify && getenv("DOCKER_TLS") == "" {
		return ep
	}
	ep.TLS, ep.SkipTLSVerify = true, !verify
	ep.TLSDir = getenv("DOCKER_CERT_PATH")
	if ep.TLSDir == "" {
		ep.TLSDir = configDir(getenv)
	}
	return ep
}

// configDir is the docker CLI's configuration directory.
func configDir(getenv func(string) string) string {
	if d := getenv("DOCKER_CONFIG"); d != "" {
		return d
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".docker")
}

// currentContext reads config.json's currentContext; a missing file is no
// context at all, as for the docker CLI.
func currentContext(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var cfg struct {
		CurrentContext string `json:"currentContext"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", i18n.Errorf("not valid JSON: %v", err)
	}
	return cfg.CurrentContext, nil
}

// contextMeta is the part of a context's meta.json labrun reads.
type contextMeta struct {
	Name      string
	Endpoints map[string]struct {
		Host          string
		SkipTLSVerify bool
	}
}

// readContext reads a named context from the CLI's store: its metadata
// under contexts/meta/<sha256 of the name>/meta.json, its TLS material
// under contexts/tls/<same>/docker.
func readContext(dir, name string) (Endpoint, error) {
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:])
	metaFile := filepath.Join(dir, "contexts", "meta", id, "meta.json")
	data, err := os.ReadFile(metaFile)
	if errors.Is(err, fs.ErrNotExist) {
		known := knownContexts(dir)
		return Endpoint{}, i18n.Errorf("no such context (known: %s); docker context ls lists them", strings.Join(known, ", "))
	}
	if err != nil {
		return Endpoint{}, err
	}
	var meta contextMeta
	if err := json.Unmarshal(data, &meta); err != nil {
		return Endpoint{}, i18n.Errorf("%s: not valid JSON: %v", metaFile, err)
	}
	docker, ok := meta.Endpoints["docker"]
	if !ok || docker.Host == "" {
		return Endpoint{}, i18n.Errorf("%s: no docker endpoint with a Host", metaFile)
	}
	ep := Endpoint{Host: docker.Host, Context: name, SkipTLSVerify: docker.SkipTLSVerify}
	tls := filepath.Join(dir, "contexts", "tls", id, "docker")
	for _, f := range []string{"ca.pem", "cert.pem", "key.pem"} {
		if _, err := os.Stat(filepath.Join(tls, f)); err == nil {
			ep.TLSDir = tls
			break
		}
	}
	return ep, nil
}

// knownContexts lists the contexts of the store, "default" first.
func knownContexts(dir string) []string {
	names := []string{}
	metas, _ := filepath.Glob(filepath.Join(dir, "contexts", "meta", "*", "meta.json"))
	for _, m := range metas {
		data, err := os.ReadFile(m)
		var meta contextMeta
		if err == nil && json.Unmarshal(data, &meta) == nil && meta.Name != "" {
			names = append(names, meta.Name)
		}
	}
	sort.Strings(names)
	return append([]string{DefaultContext}, names...)
}
