package whoami

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

// defaultCountsAddr is where a prober serves its counters: the loopback
// address of its own container, read by `docker exec PROBER /whoami
// probe-counts`, so that no port needs publishing.
const defaultCountsAddr = "127.0.0.1:8001"

// Counts are what a prober has measured. The window opens with the first
// answer (200): until then the service's name may not resolve yet from a
// container that has just joined the network, which says nothing about
// the service's availability.
type Counts struct {
	Open      bool           `json:"open"`
	Sent      int            `json:"sent"`
	Failed    int            `json:"failed"`
	LastError string         `json:"last_error,omitempty"`
	Hosts     map[string]int `json:"hosts"`    // answers (200) per hostname
	Releases  map[string]int `json:"releases"` // answers (200) per release
}

// prober sends one GET at a time to a URL and counts the answers.
type prober struct {
	url      *url.URL
	client   *http.Client
	resolver *net.Resolver

	mu     sync.Mutex
	counts Counts
	next   int // which of the resolved addresses the next request goes to
}

func newProber(u *url.URL, timeout time.Duration) *prober {
	p := &prober{url: u, resolver: net.DefaultResolver}
	p.counts.Hosts, p.counts.Releases = map[string]int{}, map[string]int{}
	p.client = &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			// A new connection for every request, dialled to one address
			// only (see dial): a request is one try against one replica,
			// as a client behind a load balancer sees it.
			DisableKeepAlives: true,
			Proxy:             nil,
			DialContext:       p.dial,
		},
	}
	return p
}

// dial resolves the host again for every request (Go's resolver caches
// nothing; with --endpoint-mode dnsrr the name gives every healthy task)
// and connects to one of its addresses in turn. The standard dialer would
// try the next address when one refuses, which would hide a stopped task.
func (p *prober) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	addrs, err := p.resolver.LookupHost(ctx, host)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	a := addrs[p.next%len(addrs)]
	p.next++
	p.mu.Unlock()
	var d net.Dialer
	return d.DialContext(ctx, network, net.JoinHostPort(a, port))
}

// once sends one request and counts it.
func (p *prober) once(ctx context.Context) {
	host, release, err := p.get(ctx)
	if ctx.Err() != nil {
		return // stopped: the request was cut short by the stop, not the service
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.counts.LastError = err.Error()
	} else {
		p.counts.Open = true
	}
	if !p.counts.Open {
		return
	}
	p.counts.Sent++
	if err != nil {
		p.counts.Failed++
		return
	}
	p.counts.Hosts[host]++
	p.counts.Releases[release]++
}

func (p *prober) get(ctx context.Context) (host, release string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url.String(), nil)
	if err != nil {
		return "", "", err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if err != nil {
		return "", "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("GET %s: %s", p.url, resp.Status)
	}
	release = resp.Header.Get(releaseHeader)
	if release == "" {
		release = "unknown"
	}
	return strings.TrimSpace(string(body)), release, nil
}

// snapshot returns a copy of the counts.
func (p *prober) snapshot() Counts {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counts
	c.Hosts, c.Releases = map[string]int{}, map[string]int{}
	for k, v := range p.counts.Hosts {
		c.Hosts[k] = v
	}
	for k, v := range p.counts.Releases {
		c.Releases[k] = v
	}
	return c
}

// run sends a request every interval until ctx is done. Requests do not
// overlap: a slow answer delays the next one rather than piling them up.
func (p *prober) run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		p.once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (p *prober) serveCounts(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(p.snapshot())
}

func runProbe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	interval := fs.Duration("interval", 50*time.Millisecond, "time between two requests")
	timeout := fs.Duration("timeout", time.Second, "how long a request may take before it counts as failed")
	listen := fs.String("listen", defaultCountsAddr, "address to serve the counters on (GET /counts)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			return exitOK
		}
		return badUsage(stderr, "probe: "+err.Error())
	}
	if fs.NArg() != 1 {
		return badUsage(stderr, "probe takes exactly one URL")
	}
	u, err := url.Parse(fs.Arg(0))
	if err != nil || (u.Scheme != "http") || u.Host == "" {
		return badUsage(stderr, fmt.Sprintf("probe: %q is not an http:// URL", fs.Arg(0)))
	}
	if *interval <= 0 || *timeout <= 0 {
		return badUsage(stderr, "probe: --interval and --timeout must be positive")
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "whoami probe: %v\n", err)
		return exitFail
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	p := newProber(u, *timeout)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /counts", p.serveCounts)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintf(stdout, "probing %s every %s; counters on http://%s/counts\n", u, *interval, ln.Addr())
	p.run(ctx, *interval)
	srv.Close()
	// The last counts go to the log too, for whoever reads it after the stop.
	c := p.snapshot()
	fmt.Fprintf(stdout, "probe stopped: %d requests, %d failed\n", c.Sent, c.Failed)
	return exitOK
}

// runProbeCounts prints a prober's counters, as JSON, from inside its
// container (docker exec): they are served on the loopback address only.
func runProbeCounts(args []string, stdout, stderr io.Writer) int {
	target := "http://" + defaultCountsAddr + "/counts"
	switch len(args) {
	case 0:
	case 1:
		target = args[0]
	default:
		return badUsage(stderr, "probe-counts takes at most one URL")
	}
	client := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{}}
	resp, err := client.Get(target)
	if err != nil {
		fmt.Fprintf(stderr, "whoami probe-counts: %v\n", err)
		return exitFail
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "whoami probe-counts: GET %s: %s\n", target, resp.Status)
		return exitFail
	}
	if _, err := io.Copy(stdout, io.LimitReader(resp.Body, 1<<20)); err != nil {
		fmt.Fprintf(stderr, "whoami probe-counts: %v\n", err)
		return exitFail
	}
	return exitOK
}
