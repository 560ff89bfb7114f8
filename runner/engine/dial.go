package engine

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/timeouts"
)

// clientOptions are the API client's options for an endpoint.
func clientOptions(ep Endpoint) ([]client.Opt, error) {
	u, err := url.Parse(ep.Host)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "ssh" {
		if u.Hostname() == "" {
			return nil, i18n.Errorf("an ssh:// host needs a host name, e.g. ssh://user@host")
		}
		// The docker CLI's way: HTTP over the stdio of
		// "docker system dial-stdio" run through ssh; the host name of
		// the URL is a placeholder, the dialer decides where it goes.
		return []client.Opt{client.WithAPIVersionFromEnv(), client.WithHost("http://docker.example.com"),
			client.WithDialContext(sshDialer(u))}, nil
	}
	opts := []client.Opt{client.WithAPIVersionFromEnv()}
	// As the docker CLI: TLS with the endpoint's TLS material, verifying
	// the engine unless SkipTLSVerify; a unix socket has none.
	if strings.HasPrefix(ep.Host, "tcp://") && ep.usesTLS() {
		cfg, err := contextTLS(ep)
		if err != nil {
			return nil, err
		}
		opts = append(opts, client.WithHTTPClient(&http.Client{
			Transport: &http.Transport{TLSClientConfig: cfg}, CheckRedirect: client.CheckRedirect}))
	}
	return append(opts, client.WithHost(ep.Host)), nil
}

// usesTLS tells whether the endpoint speaks TLS: said so (TLS), or a
// named context's TLS material or SkipTLSVerify.
func (ep Endpoint) usesTLS() bool { return ep.TLS || ep.TLSDir != "" || ep.SkipTLSVerify }

// contextTLS is the TLS configuration of an endpoint: its CA (else the
// system's), its client certificate, and its SkipTLSVerify.
func contextTLS(ep Endpoint) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: ep.SkipTLSVerify}
	if ep.TLSDir == "" {
		return cfg, nil
	}
	if ca, err := os.ReadFile(filepath.Join(ep.TLSDir, "ca.pem")); err == nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(ca) {
			return nil, i18n.Errorf("%s: no certificate in it", filepath.Join(ep.TLSDir, "ca.pem"))
		}
		cfg.RootCAs = pool
	}
	cert, key := filepath.Join(ep.TLSDir, "cert.pem"), filepath.Join(ep.TLSDir, "key.pem")
	if _, err := os.Stat(cert); err == nil {
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, i18n.Errorf("context %q's client certificate: %v", ep.Context, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// CLIEnv is the environment that makes the docker CLI talk to this engine
// as labrun does: DOCKER_HOST, and the TLS settings of a named context
// (DOCKER_HOST overrides any context, so they must travel with it). The
// default context's own DOCKER_TLS_VERIFY and DOCKER_CERT_PATH pass as
// they are.
func (e *Engine) CLIEnv() map[string]string {
	env := map[string]string{"DOCKER_HOST": e.Host}
	ep := e.Endpoint
	if ep.Context == DefaultContext || ep.Context == "" {
		for _, name := range []string{"DOCKER_TLS_VERIFY", "DOCKER_TLS", "DOCKER_CERT_PATH"} {
			if v, ok := os.LookupEnv(name); ok {
				env[name] = v
			}
		}
		return env
	}
	if ep.TLSDir != "" {
		env["DOCKER_CERT_PATH"] = ep.TLSDir
	}
	switch {
	case !strings.HasPrefix(ep.Host, "tcp://"):
		// TLS is for TCP: a unix socket or ssh has none.
	case ep.SkipTLSVerify:
		env["DOCKER_TLS"] = "1" // TLS, without verifying the engine
	case ep.TLSDir != "":
		env["DOCKER_TLS_VERIFY"] = "1"
	}
	return env
}

// sshDialer runs "ssh [-p port] [user@]host -- docker system dial-stdio"
// for every connection, as the docker CLI does for ssh:// hosts, and speaks
// through its standard input and output.
func sshDialer(u *url.URL) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, _, _ string) (net.Conn, error) {
		cmd := exec.Command("ssh", sshArgs(u)...)
		// Its own process group: a Ctrl-C at the terminal must not cut
		// the connection that cleanup still needs.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		var stderr strings.Builder
		cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
		stdin, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("ssh: %w", err)
		}
		c := &cmdConn{cmd: cmd, stdin: stdin, stdout: stdout, stderr: &stderr, done: make(chan struct{})}
		go func() { c.waitErr = cmd.Wait(); close(c.done) }()
		if err := ctx.Err(); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	}
}

// sshArgs are ssh's arguments for an ssh:// URL. BatchMode: labrun has
// no terminal to ask for a password or a host key on, and a prompt would
// stall the run; keys come from the agent or the user's files.
// ConnectTimeout bounds the connection as the first contact is bounded.
func sshArgs(u *url.URL) []string {
	args := []string{"-T", "-o", "BatchMode=yes", "-o", fmt.Sprintf("ConnectTimeout=%d", int(timeouts.Default().Connect.Seconds()))}
	if p := u.Port(); p != "" {
		args = append(args, "-p", p)
	}
	dest := u.Hostname()
	if u.User != nil && u.User.Username() != "" {
		dest = u.User.Username() + "@" + dest
	}
	return append(args, "--", dest, "docker", "system", "dial-stdio")
}

// cmdConn is a net.Conn over a command's standard input and output.
type cmdConn struct {
	cmd       *exec.Cmd
	stdin     io.WriteCloser
	stdout    io.ReadCloser
	stderr    *strings.Builder
	done      chan struct{}
	waitErr   error
	closeOnce sync.Once
}

func (c *cmdConn) Read(p []byte) (int, error) {
	n, err := c.stdout.Read(p)
	if err == io.EOF {
		select {
		case <-c.done:
			if c.waitErr != nil {
				return n, fmt.Errorf("ssh: %v: %s", c.waitErr, strings.TrimSpace(c.stderr.String()))
			}
		case <-time.After(100 * time.Millisecond):
		}
	}
	return n, err
}

func (c *cmdConn) Write(p []byte) (int, error) { return c.stdin.Write(p) }

// Close ends the command: its input first, so that dial-stdio ends
// cleanly, then the process if it lingers.
func (c *cmdConn) Close() error {
	c.closeOnce.Do(func() {
		c.stdin.Close()
		select {
		case <-c.done:
		case <-time.After(timeouts.Default().SSHClose):
			c.cmd.Process.Kill()
			<-c.done
		}
	})
	return nil
}

func (c *cmdConn) LocalAddr() net.Addr  { return dummyAddr{} }
func (c *cmdConn) RemoteAddr() net.Addr { return dummyAddr{} }

// Deadlines are not supported by pipes to a process; the HTTP client's
// contexts bound every request instead.
func (c *cmdConn) SetDeadline(time.Time) error      { return nil }
func (c *cmdConn) SetReadDeadline(time.Time) error  { return nil }
func (c *cmdConn) SetWriteDeadline(time.Time) error { return nil }

type dummyAddr struct{}

func (dummyAddr) Network() string { return "ssh" }
func (dummyAddr) String() string  { return "ssh" }

// limitedWriter keeps the first n bytes of what is written to it.
type limitedWriter struct {
	mu sync.Mutex
	w  io.Writer
	n  int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
