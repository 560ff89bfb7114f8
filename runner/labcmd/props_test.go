package labcmd

import (
	"testing"

	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/i18n"
)

// The options-* snapshots were recorded from a run of the
// service-update-options lab on engine 20.10, service lr-labs-uo: after
// --constraint-add node.role==worker (constraint), --container-label-add
// tier=front (container-label, the new task pending, the old one running),
// --env-add GREETING=bonjour (env, converged), --mount-add of volume
// lr-labs-uo-data at /data (mount, converged), --network-add lr-labs-uo-net
// (network, the new task starting) and --secret-add lr-labs-uo-secret
// (secret, the new task starting).

const optionsNet, optionsNetID = "lr-labs-uo-net", "kgbdi0cevx4fk7bc3m8jfeu0y"

func TestSpecLists(t *testing.T) {
	ids := map[string]string{optionsNet: optionsNetID}
	tests := []struct {
		name, snap string
		pairs      []string
		ids        map[string]string
		hold       bool
		want       string
	}{
		{"env with value", "options-env", []string{"env=GREETING=bonjour"}, nil, true, "env=GREETING=bonjour"},
		{"env by name", "options-env", []string{"env=GREETING"}, nil, true, ""},
		{"env other value", "options-env", []string{"env=GREETING=hello"}, nil, false, "env is GREETING=bonjour, want GREETING=hello"},
		{"env present, want absent", "options-env", []string{"!env=GREETING"}, nil, false, "!env is GREETING=bonjour, want GREETING absent"},
		{"env absent", "converged", []string{"!env=GREETING"}, nil, true, "!env=none"},
		{"env absent, want present", "converged", []string{"env=GREETING"}, nil, false, "env is none, want GREETING"},
		{"container label", "options-container-label", []string{"container-label=tier=front"}, nil, true, ""},
		{"container label present", "options-container-label", []string{"!container-label=tier"}, nil, false, "tier=front"},
		{"container label is not a service label", "options-container-label", []string{"!label=tier"}, nil, true, ""},
		{"service label absent", "options-env", []string{"label=stage=test"}, nil, false, "label is none, want stage=test"},
		{"mount source and target", "options-mount", []string{"mount=lr-labs-uo-data:/data"}, nil, true, ""},
		{"mount by target", "options-mount", []string{"mount=/data"}, nil, true, ""},
		{"mount other source", "options-mount", []string{"mount=other:/data"}, nil, false, "mount is lr-labs-uo-data:/data, want other:/data"},
		{"mount present, want absent", "options-mount", []string{"!mount=/data"}, nil, false, ""},
		{"network by name", "options-network", []string{"network=" + optionsNet}, ids, true, "network=" + optionsNet},
		{"network not resolved", "options-network", []string{"network=" + optionsNet}, nil, false, "network is " + optionsNetID},
		{"network present, want absent", "options-network", []string{"!network=" + optionsNet}, ids, false, ""},
		{"network absent", "options-env", []string{"!network=" + optionsNet}, ids, true, ""},
		{"secret", "options-secret", []string{"secret=lr-labs-uo-secret"}, nil, true, ""},
		{"secret absent", "options-env", []string{"!secret=lr-labs-uo-secret"}, nil, true, ""},
		{"secret present, want absent", "options-secret", []string{"!secret=lr-labs-uo-secret"}, nil, false, ""},
		{"constraint", "options-constraint", []string{"constraint=node.role==worker"}, nil, true, ""},
		{"constraint, spaces ignored", "options-constraint", []string{"constraint=node.role == worker"}, nil, true, ""},
		{"constraint other", "options-constraint", []string{"constraint=node.role==manager"}, nil, false, "constraint is node.role==worker, want node.role==manager"},
		{"port absent", "options-env", []string{"!port=18211:8000", "port=18210:8000"}, nil, true, ""},
		{"port present, want absent", "options-env", []string{"!port=18210:8000"}, nil, false, "!port is 18210:8000/tcp, want 18210:8000/tcp absent"},
		{"one of two differs", "options-env", []string{"env=GREETING", "!port=18210:8000"}, nil, false, "!port is"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen, err := specMatches(snapshot(t, tc.snap), tc.pairs, tc.ids)
			checkResult(t, seen, err, tc.hold, tc.want)
		})
	}
}

func TestSpecListErrors(t *testing.T) {
	for _, pair := range []string{"!image=whoami:1.0", "!env=", "env"} {
		t.Run(pair, func(t *testing.T) {
			if _, err := specMatches(snapshot(t, "options-env"), []string{pair}, nil); err == nil {
				t.Errorf("%q accepted", pair)
			}
		})
	}
}

func TestParseProperty(t *testing.T) {
	tests := []struct {
		arg  string
		want property
		err  bool
	}{
		{"env=GREETING=bonjour", property{key: "env", value: "GREETING=bonjour"}, false},
		{"!file=/run/secrets/x", property{key: "file", value: "/run/secrets/x", absent: true}, false},
		{"file=run/secrets/x", property{}, true},
		{"label=stage", property{}, true}, // a service label is not on containers
		{"env", property{}, true},
		{"!env=", property{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			got, err := parseProperty(tc.arg, taskKeys)
			if (err != nil) != tc.err {
				t.Fatalf("err %v, want error %v", err, tc.err)
			}
			if !tc.err && got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func mustProperties(t *testing.T, args ...string) []property {
	t.Helper()
	var props []property
	for _, a := range args {
		p, err := parseProperty(a, taskKeys)
		if err != nil {
			t.Fatal(err)
		}
		props = append(props, p)
	}
	return props
}

func TestConvergedWithProperties(t *testing.T) {
	tests := []struct {
		snap  string
		props []string
		hold  bool
		want  string
	}{
		{"options-env", []string{"env=GREETING=bonjour"}, true, "1/1 tasks running lr-labs-uo:1.0 and healthy with env=GREETING=bonjour"},
		{"options-env", []string{"env=GREETING"}, true, ""},
		{"options-env", []string{"!env=GREETING"}, false, "has env GREETING=bonjour,PATH="},
		{"options-env", []string{"port=18210:8000"}, true, ""},
		{"options-env", []string{"port=18211:8000"}, false, "has port 18210:8000/tcp, want port=18211:8000"},
		{"options-env", []string{"!container-label=tier", "container-label=org.opencontainers.image.version=1.0"}, true, ""},
		{"options-mount", []string{"mount=lr-labs-uo-data:/data"}, true, ""},
		{"options-mount", []string{"mount=/data", "!env=GREETING"}, true, ""},
		{"options-mount", []string{"!mount=/data"}, false, "has mount lr-labs-uo-data:/data"},
		// The task with the new label is still pending: the old one runs.
		{"options-container-label", []string{"container-label=tier=front"}, false, "0/1"},
		{"converged", []string{"env=GREETING"}, false, "has env "},
	}
	for _, tc := range tests {
		t.Run(tc.snap+"/"+tc.props[0], func(t *testing.T) {
			snap := snapshot(t, tc.snap)
			image := "lr-labs-uo:1.0"
			if tc.snap == "converged" {
				image = "whoami:1.0"
			}
			seen, err := converged(snap, 1, image, mustProperties(t, tc.props...), nil)
			checkResult(t, seen, err, tc.hold, tc.want)
		})
	}
}

// newestTask is the task an update just started, first in the snapshot.
func newestTask(t *testing.T, name string) (snapTask swarm.Task, containerID string) {
	t.Helper()
	task := snapshot(t, name).Tasks[0]
	if task.Status.ContainerStatus == nil {
		t.Fatalf("%s: the newest task has no container", name)
	}
	return task, task.Status.ContainerStatus.ContainerID
}

func TestTaskHolds(t *testing.T) {
	secretPath := "/run/secrets/lr-labs-uo-secret"
	task, id := newestTask(t, "options-secret")
	present := taskFiles{id: {secretPath: {found: true, what: i18n.Sprintf("exists (%s)", "-r--r--r--")}}}
	gone := taskFiles{id: {secretPath: {what: i18n.Sprintf("does not exist")}}}
	netTask, _ := newestTask(t, "options-network")
	tests := []struct {
		name, snap string
		task       swarm.Task
		files      taskFiles
		prop       string
		hold       bool
	}{
		{"secret file present", "options-secret", task, present, "file=" + secretPath, true},
		{"secret file present, want absent", "options-secret", task, present, "!file=" + secretPath, false},
		{"secret file gone", "options-secret", task, gone, "!file=" + secretPath, true},
		{"secret file gone, want present", "options-secret", task, gone, "file=" + secretPath, false},
		{"file never looked at", "options-secret", task, nil, "!file=" + secretPath, false},
		{"on the network", "options-network", netTask, nil, "network=" + optionsNet, true},
		{"on the network, want not", "options-network", netTask, nil, "!network=" + optionsNet, false},
		{"not on another network", "options-network", netTask, nil, "!network=bridge", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustProperties(t, tc.prop)[0]
			ok, got := taskHolds(snapshot(t, tc.snap), tc.task, tc.files, p)
			if ok != tc.hold {
				t.Errorf("%s held=%v (has %s), want %v", p, ok, got, tc.hold)
			}
		})
	}
}
