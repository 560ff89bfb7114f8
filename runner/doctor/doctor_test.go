package doctor

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/catalog"

	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
	"github.com/labrun/labrun/runner/report"
)

func TestLabNeeds(t *testing.T) {
	const custom = `## title.en Two ports
## var WEB_PORT=9000 the web port
## var ADMIN_PORT=9001 the admin port
## var MIN=1.40 the API

## step preflight
## title.en Preflight
## preflight
## checks
engine-api 1.25
engine-api $MIN
port-free $WEB_PORT
port-free $WEB_PORT
! port-free 22

## step later
## title.en Later
## checks
port-free 7000
engine-api 1.44
`
	const noPreflight = `## title.en No preflight
## var PORT=8080 the port
## var OTHER_PORT=$PORT the same port

## step only
## title.en Only
## checks
port-free 7000
`
	builtIn, _, err := catalog.Load("whoami-rollback")
	if err != nil {
		t.Fatal(err)
	}
	zeroDowntime, _, err := catalog.Load("whoami-zero-downtime")
	if err != nil {
		t.Fatal(err)
	}
	// Where a lab's first check of that command is, as file:line.
	lineOf := func(l *lab.Lab, command string) string {
		for _, st := range l.Steps {
			for _, line := range st.Lines {
				if line.Command() == command {
					return fmt.Sprintf("%s:%d", l.File, line.Num)
				}
			}
		}
		return ""
	}
	load := func(text string) *lab.Lab {
		l, err := lab.Load("t.txtar", []byte(text), labcmd.NewVocabulary())
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	for _, tc := range []struct {
		name    string
		lab     *lab.Lab
		set     map[string]string
		api     string
		apiLine string
		ports   []string
		publish bool
	}{
		{"built-in defaults", builtIn, nil, "1.32", lineOf(builtIn, "engine-api"), []string{"8000"}, true},
		{"built-in with --set PORT", builtIn, map[string]string{"PORT": "18501"}, "1.32", lineOf(builtIn, "engine-api"), []string{"18501"}, true},
		{"highest minimum, expanded; ports deduplicated; negated and later steps ignored", load(custom), nil, "1.40", "t.txtar:11", []string{"9000"}, false},
		{"--set reaches the minimum", load(custom), map[string]string{"MIN": "1.20"}, "1.25", "t.txtar:10", []string{"9000"}, false},
		{"no port-free check: the PORT variables", load(noPreflight), map[string]string{"PORT": "18502"}, "", "", []string{"18502"}, false},
		{"a lab that publishes no port", zeroDowntime, nil, "1.32", lineOf(zeroDowntime, "engine-api"), nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := labNeeds(tc.lab, tc.lab.Defaults(tc.set))
			if n.api != tc.api || n.apiAt != tc.apiLine || !reflect.DeepEqual(n.ports, tc.ports) || n.publishes != tc.publish {
				t.Errorf("got api %q at %q, ports %q, publishes %v; want %q at %q, ports %q, publishes %v",
					n.api, n.apiAt, n.ports, n.publishes, tc.api, tc.apiLine, tc.ports, tc.publish)
			}
		})
	}
}

func TestDoctorItems(t *testing.T) {
	node := func(avail swarm.NodeAvailability, state swarm.NodeState) swarm.Node {
		return swarm.Node{ID: "n1", Description: swarm.NodeDescription{Hostname: "vm"},
			Spec: swarm.NodeSpec{Availability: avail}, Status: swarm.NodeStatus{State: state}}
	}
	for _, tc := range []struct {
		name   string
		item   *report.Item
		status string
		detail string // a substring of the detail
		fix    string // a substring of the fix; "" wants none
	}{
		{"api newer", apiItem("en", "1.41", "1.32", "l:3"), report.ItemOK, "API 1.41, the lab needs 1.32 or later (l:3)", ""},
		{"api equal", apiItem("en", "1.32", "1.32", "l:3"), report.ItemOK, "needs 1.32", ""},
		{"api older", apiItem("en", "1.30", "1.32", "l:3"), report.ItemFail, "API 1.30", "API 1.32 or later"},
		{"api minor compared as a number", apiItem("en", "1.9", "1.32", "l:3"), report.ItemFail, "API 1.9", "upgrade"},
		{"api no minimum", apiItem("en", "1.41", "", ""), report.ItemOK, "asks for no minimum", ""},
		{"swarm manager", swarmItem("en", "active", true), report.ItemOK, "manager", ""},
		{"swarm inactive", swarmItem("en", "inactive", false), report.ItemFail, `state "inactive"`, "docker swarm init"},
		{"swarm worker", swarmItem("en", "active", false), report.ItemFail, "worker", "manager"},
		{"node ready", nodeItem("en", node(swarm.NodeAvailabilityActive, swarm.NodeStateReady)), report.ItemOK, "vm: availability active, status ready", ""},
		{"node drained", nodeItem("en", node(swarm.NodeAvailabilityDrain, swarm.NodeStateReady)), report.ItemFail, "availability drain", "docker node update --availability active vm"},
		{"node paused", nodeItem("en", node(swarm.NodeAvailabilityPause, swarm.NodeStateReady)), report.ItemFail, "availability pause", "--availability active"},
		{"node down", nodeItem("en", node(swarm.NodeAvailabilityActive, swarm.NodeStateDown)), report.ItemFail, "status down", "not ready"},
		{"disk plenty", diskVerdict("en", "/var/lib/docker", 5<<30, 1<<30), report.ItemOK, "5.0 GiB free in /var/lib/docker", ""},
		{"disk short", diskVerdict("en", "/var/lib/docker", 300<<20, 1<<30), report.ItemFail, "300.0 MiB free", "docker system df"},
		{"disk remote", diskItem("en", "/var/lib/docker", false), report.ItemSkip, "remote", ""},
		{"disk unknown root", diskItem("en", "", true), report.ItemSkip, "does not say", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := tc.item
			if it.Status != tc.status || !strings.Contains(it.Detail, tc.detail) {
				t.Errorf("got %s %q, want %s with %q", it.Status, it.Detail, tc.status, tc.detail)
			}
			if tc.fix == "" && it.Fix != "" || !strings.Contains(it.Fix, tc.fix) {
				t.Errorf("fix %q, want %q", it.Fix, tc.fix)
			}
		})
	}
}

func TestMeshDeadDetail(t *testing.T) {
	for _, tc := range []struct {
		name        string
		local, ipvs bool
		want        string
	}{
		{"local without IPVS", true, false, `/proc/net/ip_vs is missing; dockerd logs "Could not get ipvs family information"`},
		{"local with IPVS", true, true, "though this kernel has IPVS"},
		{"remote", false, false, "on the engine's machine, look for /proc/net/ip_vs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := meshDeadDetail("en", tc.local, tc.ipvs); !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q in it", got, tc.want)
			}
		})
	}
}
