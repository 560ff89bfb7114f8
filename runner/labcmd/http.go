package labcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/timeouts"
)

// httpClient never reuses a connection: a kept-alive connection to a task
// that has since been replaced would hide the replacement. get sets the
// timeout of each request, timeouts.Timeouts.HTTPRequest.
var httpClient = &http.Client{
	Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

func httpCommands() []*Command {
	return []*Command{
		{
			Name: "http-get", Kind: Check, Spec: negatable(1, 3), Observe: httpGet, Validate: httpGetArgs, Poll: 100 * time.Millisecond,
			Usage: Usage{Args: "URL [STATUS [BODY-REGEXP]]", Summary: "GET URL answers STATUS (default 200) with a body matching BODY-REGEXP",
				Detail: "In process: no curl needed. Negated (! http-get URL), it holds when the request is " +
					"refused, reset, times out (" + timeouts.Default().HTTPRequest.String() + ") or answers another status, as curl -f fails."},
		},
		{
			Name: "whoami", Kind: Check, Spec: negatable(2, 3), Observe: whoami, Poll: 100 * time.Millisecond,
			Usage: Usage{Args: "URL SERVICE [FORMER-FILE]", Summary: "GET URL answers 200 with the hostname of a running task's container of SERVICE",
				Detail: "Prints the hostname, so that cp stdout FILE keeps it and a later ! cmp stdout FILE " +
					"proves that another container answers. Given FORMER-FILE (such a kept answer), the check itself " +
					"holds only when the hostname differs from it: a new container answers, which labrun verify can prove " +
					"fails before the step that replaces the container."},
		},
	}
}

// httpGetArgs wants STATUS to be an HTTP status and BODY-REGEXP a pattern.
func httpGetArgs(args []string) error {
	if len(args) > 1 {
		if err := unlessUnresolved(args[1], func(v string) error {
			if n, err := strconv.Atoi(v); err != nil || n < 100 || n > 599 {
				return i18n.Errorf("STATUS %q: want an HTTP status such as 200", v)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if len(args) > 2 {
		if _, err := regexp.Compile(args[2]); err != nil {
			return i18n.Errorf("BODY-REGEXP: %v", err)
		}
	}
	return nil
}

// get sends one GET, bounded by timeout, and returns the status and body.
func get(ctx context.Context, url string, timeout time.Duration) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", Blind(err)
	}
	client := *httpClient
	client.Timeout = timeout
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err) {
			return 0, "", i18n.Errorf("GET %s: no answer within %s", url, timeout)
		}
		err = i18n.Errorf("GET %s: %v", url, unwrapURLError(err))
		if unreachableHost(err) {
			// The request never reached the host: a refused or silent port
			// says the service does not answer, this says nothing of it.
			err = Blind(err)
		}
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return resp.StatusCode, "", i18n.Errorf("GET %s: reading the body: %v", url, err)
	}
	return resp.StatusCode, string(body), nil
}

// unreachableHost tells a request that could not reach the host at all:
// its name does not resolve, or no route leads to it.
func unreachableHost(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH)
}

// unwrapURLError drops the "Get URL:" that net/http repeats.
func unwrapURLError(err error) error {
	if ue, ok := err.(interface{ Unwrap() error }); ok && strings.HasPrefix(err.Error(), "Get ") {
		return ue.Unwrap()
	}
	return err
}

func httpGet(ctx context.Context, c *Call) error {
	url, want := c.Args[0], 200
	if len(c.Args) > 1 {
		var err error
		if want, err = strconv.Atoi(c.Args[1]); err != nil {
			return i18n.Errorf("STATUS %q is not an HTTP status", c.Args[1])
		}
	}
	var bodyRE *regexp.Regexp
	if len(c.Args) > 2 {
		var err error
		if bodyRE, err = regexp.Compile(c.Args[2]); err != nil {
			return i18n.Errorf("BODY-REGEXP: %v", err)
		}
	}
	to := aim(ctx, c, url, "")
	url = to.URL
	status, body, err := get(ctx, url, c.Timeouts().HTTPRequest)
	if err != nil {
		return err
	}
	if status != want {
		return i18n.Errorf("GET %s answered %d, want %d (body %q)", url, status, want, clip(body))
	}
	if bodyRE != nil && !bodyRE.MatchString(body) {
		return i18n.Errorf("GET %s answered %q, want a match for %q", url, clip(body), bodyRE)
	}
	if to.Node != "" {
		c.Saw("GET %s (node %s) answered %d %q", url, to.Node, status, clip(body))
		return nil
	}
	c.Saw("GET %s answered %d %q", url, status, clip(body))
	return nil
}

func whoami(ctx context.Context, c *Call) error {
	url, service := c.Args[0], c.Args[1]
	to := aim(ctx, c, url, service)
	url = to.URL
	status, body, err := get(ctx, url, c.Timeouts().HTTPRequest)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return i18n.Errorf("GET %s answered %d, want 200 (body %q)", url, status, clip(body))
	}
	snap, err := c.Engine.Service(ctx, service, engine.WithContainers)
	if err != nil {
		return err
	}
	if snap.Service == nil {
		return missingService(ctx, c, service, "")
	}
	hostname := strings.TrimSpace(body)
	if to.NodeID != "" {
		// Aimed at one node, the answer must come from a task of that
		// node: a task elsewhere cannot answer on its address.
		snap.Tasks = onNode(snap.Tasks, to.NodeID)
	}
	seen, err := answeredByTask(snap, hostname)
	if err != nil {
		return i18n.Errorf("GET %s: %v", url, err)
	}
	if len(c.Args) > 2 {
		former, err := os.ReadFile(c.Env.MkAbs(c.Args[2]))
		if err != nil {
			return Blind(i18n.Errorf("FORMER-FILE: %v", err))
		}
		if err := replaced(hostname, string(former)); err != nil {
			return i18n.Errorf("GET %s: %v", url, err)
		}
	}
	if to.Node != "" {
		seen = i18n.Sprintf("%v, on node %s", seen, to.Node)
	}
	c.Saw("%s", seen)
	fmt.Fprintln(&c.Out, strings.TrimSpace(body))
	return nil
}

// answeredByTask holds when hostname is the hostname of the container of
// one of the service's running tasks.
func answeredByTask(snap engine.ServiceSnapshot, hostname string) (i18n.Sentence, error) {
	if snap.Service == nil {
		return i18n.Sentence{}, i18n.Errorf("the answer %q comes from no service: there is no service %s", hostname, snap.Name)
	}
	var running []i18n.Sentence
	for _, t := range snap.Tasks {
		if t.Status.ContainerStatus == nil {
			continue
		}
		if t.Status.State != "running" {
			continue
		}
		ctHost, ok := containerHostname(snap, t)
		if !ok {
			continue
		}
		if ctHost == hostname {
			return i18n.Sprintf("%q is the hostname of task %s's container", hostname, taskName(snap, t)), nil
		}
		running = append(running, i18n.Sprintf("%s is %s", taskName(snap, t), ctHost))
	}
	if len(running) == 0 {
		return i18n.Sentence{}, i18n.Errorf("answered %q, but service %s has no running task", hostname, snap.Name)
	}
	return i18n.Sentence{}, i18n.Errorf("answered %q, which is not the hostname of a running task of %s (%v)", hostname, snap.Name, i18n.Join(running, ", "))
}

// containerHostname is the hostname of a task's container: as the engine
// inspected it, or, for a container on another node (the manager's engine
// cannot inspect it), as the swarm makes it: the spec's hostname when it
// names one without a template, else the container ID's first 12
// characters, which is the engine's default.
func containerHostname(snap engine.ServiceSnapshot, t swarm.Task) (string, bool) {
	id := t.Status.ContainerStatus.ContainerID
	if ct, ok := snap.Containers[id]; ok {
		if ct.Config == nil {
			return "", false
		}
		return ct.Config.Hostname, true
	}
	if id == "" || !snap.Nodes.Multi() {
		return "", false
	}
	if cs := t.Spec.ContainerSpec; cs != nil && cs.Hostname != "" {
		if strings.Contains(cs.Hostname, "{{") {
			return "", false
		}
		return cs.Hostname, true
	}
	if len(id) > 12 {
		id = id[:12]
	}
	return id, true
}

// onNode keeps the tasks placed on the node of that ID.
func onNode(tasks []swarm.Task, nodeID string) []swarm.Task {
	var out []swarm.Task
	for _, t := range tasks {
		if t.NodeID == nodeID {
			out = append(out, t)
		}
	}
	return out
}

// replaced holds when hostname differs from the former answer: another
// container than the one that answered before serves the request.
func replaced(hostname, former string) error {
	if former = strings.TrimSpace(former); hostname == former {
		return i18n.Errorf("answered %q again: the same container as before serves it, it was not replaced", hostname)
	}
	return nil
}

// clip shortens a body for a message.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
