// Package whoami is the web server of the whoami lab: GET /whoami answers the
// container's hostname on port 8000. It re-does in Go the Node.js app of the
// tutorial, so that its image can be built FROM scratch without a registry.
//
// Usage:
//
//	whoami [serve [--port 8000] [--release 1.0]]
//	whoami healthcheck URL
//	whoami probe [--interval 50ms] [--timeout 1s] [--listen 127.0.0.1:8001] URL
//	whoami probe-counts [URL]
//	whoami cat FILE...
//
// The healthcheck subcommand stands in for the tutorial's `curl -f URL || exit 1`,
// since a scratch image has neither a shell nor curl.
//
// Every answer carries the release in an X-Whoami-Release header, and GET
// /version answers it, so that a client can tell releases apart (1.1 is a
// good release that only differs from 1.0 there).
//
// The probe subcommand measures a service's availability during an update
// (see probe.go); it runs in a container beside the service's tasks.
// probe-counts prints a prober's counters as JSON, read from URL (default
// http://127.0.0.1:8001/counts, where probe listens in its own container).
// They cannot be reset: a new measure is a new prober.
//
// cat prints files, as cat(1) does: the image has no other program, and
// labrun reads what a lab puts in its containers (a secret under
// /run/secrets) with docker exec.
//
// Release 2.0 is broken on purpose, as the tutorial's is: GET /whoami answers
// 500, so its healthcheck fails, and when stopped it exits with status 2, so
// that swarm records its task as failed rather than complete.
package whoami

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const usage = "usage: whoami [serve [--port 8000] [--release 1.0]] | whoami healthcheck URL | whoami probe [flags] URL | whoami probe-counts [URL] | whoami cat FILE..."

// Exit statuses, as the shell and Docker's HEALTHCHECK read them.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
	// exitBuggyShutdown is release 2.0's status when stopped: swarm only
	// fails a task whose container exits non-zero, and 2 is the status the
	// tutorial's failed 2.0 task reports ("non-zero exit (2)").
	exitBuggyShutdown = 2
)

// buggyRelease is the release that is broken on purpose (see hostnameV2).
const buggyRelease = "2.0"

// Main runs the whoami command with args, the command line without the
// program's name, and returns its exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(args, stdout, stderr)
	case "healthcheck":
		if len(args) != 1 {
			return badUsage(stderr, "healthcheck takes exactly one URL")
		}
		return healthcheck(args[0], stderr)
	case "probe":
		return runProbe(args, stdout, stderr)
	case "probe-counts":
		return runProbeCounts(args, stdout, stderr)
	case "cat":
		if len(args) == 0 {
			return badUsage(stderr, "cat takes one or more files")
		}
		return cat(args, stdout, stderr)
	default:
		return badUsage(stderr, fmt.Sprintf("unknown command %q", cmd))
	}
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	// The flag package's own messages span several lines; badUsage says it in one.
	fs.SetOutput(io.Discard)
	port := fs.Int("port", 8000, "TCP port to listen on")
	release := fs.String("release", "1.0", "release to behave as (2.0 is deliberately broken)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			return exitOK
		}
		return badUsage(stderr, err.Error())
	}
	if fs.NArg() > 0 {
		return badUsage(stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *port < 1 || *port > 65535 {
		return badUsage(stderr, fmt.Sprintf("invalid port %d: want 1 to 65535", *port))
	}

	ln, err := net.Listen("tcp", fmt.Sprintf(":%d", *port))
	if err != nil {
		fmt.Fprintf(stderr, "whoami: %v\n", err)
		return exitFail
	}
	// Swarm stops the old task with SIGTERM on every update; as PID 1 in a
	// container the default action does not apply, so without this the stop
	// would cost the whole grace period.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := serve(ctx, ln, *release, stdout); err != nil {
		fmt.Fprintf(stderr, "whoami: %v\n", err)
		return exitFail
	}
	// Release 2.0's bug reaches its shutdown too, and must: swarm stops an
	// unhealthy task with SIGTERM, and only a non-zero exit makes the task
	// end "failed" (non-zero exit (2): dockerexec: unhealthy container)
	// rather than "complete", which the lab checks. It still stops at once.
	if *release == buggyRelease {
		fmt.Fprintf(stderr, "whoami %s: shutting down with errors (deliberate bug)\n", *release)
		return exitBuggyShutdown
	}
	return exitOK
}

// serve answers on ln until ctx is done, then shuts down at once.
func serve(ctx context.Context, ln net.Listener, release string, stdout io.Writer) error {
	srv := &http.Server{
		Handler:           newHandler(release),
		ReadHeaderTimeout: 5 * time.Second,
	}
	port := 0
	if addr, ok := ln.Addr().(*net.TCPAddr); ok {
		port = addr.Port
	}
	fmt.Fprintf(stdout, "listening on port %d\n", port)

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Requests still running after a second are not worth waiting for.
		srv.Close()
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHandler answers GET /whoami with the hostname, as release does.
func newHandler(release string) http.Handler {
	hostname := os.Hostname
	if release == buggyRelease {
		hostname = hostnameV2
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, release)
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		name, err := hostname()
		if err != nil {
			http.Error(w, "cannot tell who I am: "+err.Error(), http.StatusInternalServerError)
			return
		}
		// No trailing newline: the original answered res.send(os.hostname()).
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, name)
	})
	return withRelease(release, mux)
}

// releaseHeader names the release that answered, on every answer.
const releaseHeader = "X-Whoami-Release"

func withRelease(release string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(releaseHeader, release)
		h.ServeHTTP(w, r)
	})
}

// hostnameV2 is release 2.0's hostname lookup. It is broken ON PURPOSE: the
// tutorial's 2.0 is "volontairement buggé" so that its healthcheck fails and
// swarm pauses the update. Do not fix it, nor 2.0's exit status when stopped
// (see runServe).
func hostnameV2() (string, error) {
	return "", errors.New("hostname lookup was rewritten for 2.0 and does not work yet")
}

// healthcheck exits 0 when url answers 2xx, like `curl -f url`.
func healthcheck(url string, stderr io.Writer) int {
	client := &http.Client{
		Timeout: 3 * time.Second,
		// A zero Transport uses no proxy: the check must reach url itself.
		Transport: &http.Transport{},
	}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintf(stderr, "whoami healthcheck: %v\n", err)
		return exitFail
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fmt.Fprintf(stderr, "whoami healthcheck: GET %s: %s\n", url, resp.Status)
		return exitFail
	}
	return exitOK
}

func badUsage(stderr io.Writer, reason string) int {
	fmt.Fprintf(stderr, "whoami: %s; %s\n", reason, usage)
	return exitUsage
}

// cat copies each file to stdout; a file it cannot read is said on stderr
// and makes the status 1, as with cat(1).
func cat(files []string, stdout, stderr io.Writer) int {
	status := exitOK
	for _, name := range files {
		f, err := os.Open(name)
		if err == nil {
			_, err = io.Copy(stdout, f)
			f.Close()
		}
		if err != nil {
			fmt.Fprintf(stderr, "whoami cat: %v\n", err)
			status = exitFail
		}
	}
	return status
}
