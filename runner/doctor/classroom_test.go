package doctor

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/swarm"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/report"
)

// firstEngine is the first of the three namespaced engines the classroom
// test uses (scripts/engines.sh's numbering), apart from other tests'.
const firstEngine = 31

// oneNodeSwarms starts engines 31-33 with scripts/engines.sh and makes
// each a one-node swarm manager of its own, as a class's machines are.
func oneNodeSwarms(t *testing.T) (urls []string, clients []*client.Client) {
	t.Helper()
	if os.Geteuid() != 0 {
		enginetest.SkipOrFail(t, "needs root for ip netns and dockerd")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		enginetest.SkipOrFail(t, "needs ip (iproute2)")
	}
	script := "../../scripts/engines.sh"
	if out, err := exec.Command(script, "up", "3", fmt.Sprint(firstEngine)).CombinedOutput(); err != nil {
		t.Fatalf("%s up 3 %d: %v\n%s", script, firstEngine, err, out)
	}
	t.Cleanup(func() {
		if os.Getenv("LABRUN_KEEP_ENGINES") != "" {
			return
		}
		args := []string{"down"}
		for n := firstEngine; n < firstEngine+3; n++ {
			args = append(args, fmt.Sprint(n))
		}
		if out, err := exec.Command(script, args...).CombinedOutput(); err != nil {
			t.Errorf("%s down: %v\n%s", script, err, out)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for n := firstEngine; n < firstEngine+3; n++ {
		u := fmt.Sprintf("tcp://10.77.%d.2:2375", n)
		cli, err := client.New(client.WithHost(u), client.WithAPIVersion("1.41"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cli.Close() })
		info, err := cli.Info(ctx, client.InfoOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Engines kept from another test may be out of swarm or joined.
		if sw := info.Info.Swarm; sw.LocalNodeState != swarm.LocalNodeStateActive || !sw.ControlAvailable || sw.Nodes != 1 {
			if sw.LocalNodeState != swarm.LocalNodeStateInactive {
				if _, err := cli.SwarmLeave(ctx, client.SwarmLeaveOptions{Force: true}); err != nil {
					t.Fatal(err)
				}
			}
			addr := fmt.Sprintf("10.77.%d.2", n)
			if _, err := cli.SwarmInit(ctx, client.SwarmInitOptions{ListenAddr: addr + ":2377", AdvertiseAddr: addr}); err != nil {
				t.Fatal(err)
			}
		}
		urls, clients = append(urls, u), append(clients, cli)
	}
	return urls, clients
}

// TestRunClassroom: three engines that can run the lab are three "can
// run" lines and exit 0; one whose node left its swarm is exit 1, its
// line naming its first failing item (the swarm), the others still fit.
func TestRunClassroom(t *testing.T) {
	urls, clients := oneNodeSwarms(t)
	ctx := context.Background()
	opts := Options{Lab: "whoami-rollback", Flavour: "offline", StateDir: t.TempDir()}

	var out bytes.Buffer
	opts.Out = &out
	cr, code, err := RunClassroom(ctx, opts, urls, "en")
	if code != exit.Pass || err != nil || len(cr.Engines) != 3 {
		t.Fatalf("three fit engines: exit %d, %v, %d checklists\n%s", code, err, len(cr.Engines), out.String())
	}
	for _, u := range urls {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(u) + ` +can run *$`).MatchString(out.String()) {
			t.Errorf("no \"can run\" line for %s:\n%s", u, out.String())
		}
	}
	if !strings.Contains(out.String(), "OK 3 of 3 engines can run whoami-rollback") {
		t.Errorf("no summary:\n%s", out.String())
	}

	leaveCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := clients[2].SwarmLeave(leaveCtx, client.SwarmLeaveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		clients[2].SwarmInit(context.Background(), client.SwarmInitOptions{ListenAddr: "10.77.33.2:2377", AdvertiseAddr: "10.77.33.2"})
	})
	out.Reset()
	opts.Out = &out
	cr, code, err = RunClassroom(ctx, opts, urls, "fr")
	if code != exit.Fail || err == nil {
		t.Fatalf("an engine out of swarm: exit %d, %v; want 1\n%s", code, err, out.String())
	}
	want := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(urls[2]) + ` +ne peut pas lancer le lab +swarm : ce nœud n'est pas dans un swarm actif \(état "inactive"\)$`)
	if !want.MatchString(out.String()) {
		t.Errorf("the unfit engine's line does not name its first failing item:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "PAS PRÊT 2 moteurs sur 3 peuvent lancer whoami-rollback") {
		t.Errorf("no summary in French:\n%s", out.String())
	}
	if cr.Result != report.Fail || cr.Engines[0].Result != report.Pass || cr.Engines[2].Result != report.Fail {
		t.Errorf("results: classroom %s, engines %s %s %s", cr.Result, cr.Engines[0].Result, cr.Engines[1].Result, cr.Engines[2].Result)
	}
}

// TestFirstFailure: a checklist's first failing item, else its error.
func TestFirstFailure(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *report.Checklist
		want string
	}{
		{"passed", &report.Checklist{Result: report.Pass, Items: []*report.Item{{Title: "swarm", Status: report.ItemOK}}}, ""},
		{"first of two", &report.Checklist{Result: report.Fail, Items: []*report.Item{
			{Title: "engine", Status: report.ItemOK},
			{Title: "port 8000", Status: report.ItemFail, Detail: "taken\nby x"},
			{Title: "names", Status: report.ItemFail, Detail: "used"}}}, "port 8000: taken"},
		{"no item", &report.Checklist{Result: report.Error, Error: "cannot reach\nmore"}, "cannot reach"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FirstFailure(tc.c); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
