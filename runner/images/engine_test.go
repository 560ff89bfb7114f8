package images

// These tests run against the real Docker engine. They make images tagged
// labrun-test-whoami:RELEASE-RANDOM and remove them when they end, with the
// untagged parent images a build leaves; they touch no other image.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

const versionLabel = "org.opencontainers.image.version"

// engine connects to the engine and returns its client and architecture.
// Without an engine the test is skipped, or fails under CI=true, as every
// engine test of labrun does; it fails when the whoami server for the
// engine's architecture is not embedded, which `make bins` mends.
func engine(t *testing.T) (*client.Client, string) {
	t.Helper()
	e := enginetest.Require(t)
	arch, err := NormalizeArch(e.Arch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(bin, "bin/whoami-linux-"+arch); err != nil {
		t.Fatalf("bin/whoami-linux-%s is not embedded: run `make bins` before these tests (%v)", arch, err)
	}
	return e.Client, arch
}

// testRef returns a tag for a test image of release, and removes the image
// when t ends.
func testRef(t *testing.T, cli *client.Client, release string) string {
	t.Helper()
	ref := fmt.Sprintf("labrun-test-whoami:%s-%08x", release, rand.Uint32())
	t.Cleanup(func() {
		// t.Context() is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// PruneChildren also deletes the untagged parents a build left, unless
		// another image still needs them. A test that failed before making the
		// image has said so already.
		_, err := cli.ImageRemove(ctx, ref, client.ImageRemoveOptions{Force: true, PruneChildren: true})
		if err != nil && !cerrdefs.IsNotFound(err) {
			t.Errorf("remove the test image %s: %v", ref, err)
		}
	})
	return ref
}

// loadOffline loads the offline image of release, checks that LoadOffline
// returned its ID, and removes it when t ends.
func loadOffline(t *testing.T, cli *client.Client, release, arch string, labels map[string]string) (ref string) {
	t.Helper()
	ref = testRef(t, cli, release)
	start := time.Now()
	id, err := LoadOffline(t.Context(), cli, ref, release, arch, labels)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("LoadOffline %s took %v", release, time.Since(start).Round(time.Millisecond))
	checkID(t, cli, ref, id)
	return ref
}

// buildOffline builds the offline image of release from its Dockerfile,
// checks that Build returned its ID, and removes it when t ends.
func buildOffline(t *testing.T, cli *client.Client, release, arch string, labels map[string]string) (ref string) {
	t.Helper()
	ref = testRef(t, cli, release)
	buildContext, err := OfflineContext(release, arch)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	id, err := Build(t.Context(), cli, buildContext, ref, labels, func(line string) { t.Log(line) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Build %s took %v", release, time.Since(start).Round(time.Millisecond))
	checkID(t, cli, ref, id)
	return ref
}

// checkID fails t unless the image ref is id.
func checkID(t *testing.T, cli *client.Client, ref, id string) {
	t.Helper()
	img, err := cli.ImageInspect(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if img.ID != id {
		t.Fatalf("the ID returned is %s, but %s is on %s", id, ref, img.ID)
	}
}

// TestOfflineImages loads the offline images, checks their configuration,
// then runs each as a plain container and checks what the whoami lab relies
// on: 1.0 answers its hostname, turns healthy and exits 0 when stopped; 2.0
// answers 500, turns unhealthy and exits 2 when stopped, which is what makes
// swarm fail its task.
func TestOfflineImages(t *testing.T) {
	t.Parallel()
	cli, arch := engine(t)
	tests := []struct {
		release    string
		wantStatus int
		wantHealth container.HealthStatus
		wantExit   int
	}{
		{"1.0", http.StatusOK, container.Healthy, 0},
		{"2.0", http.StatusInternalServerError, container.Unhealthy, 2},
	}
	// One after the other, as labrun does, so that the log tells how long
	// each takes: 2.0 finds the layer that 1.0 stored.
	labels := map[string]string{"labrun.test": t.Name()}
	refs := make(map[string]string)
	for _, tt := range tests {
		refs[tt.release] = loadOffline(t, cli, tt.release, arch, labels)
	}
	for _, tt := range tests {
		t.Run(tt.release, func(t *testing.T) {
			t.Parallel()
			ref := refs[tt.release]
			t.Run("image", func(t *testing.T) {
				checkImage(t, cli, ref, tt.release, arch, labels)
			})
			t.Run("behaviour", func(t *testing.T) {
				id, addr := startContainer(t, cli, ref)
				status, body := getWhoami(t, addr)
				if status != tt.wantStatus {
					t.Errorf("GET /whoami: status %d, want %d (body %q)", status, tt.wantStatus, body)
				}
				if tt.wantStatus == http.StatusOK {
					inspect, err := cli.ContainerInspect(t.Context(), id, client.ContainerInspectOptions{})
					if err != nil {
						t.Fatal(err)
					}
					if hostname := inspect.Container.Config.Hostname; body != hostname {
						t.Errorf("GET /whoami: body %q, want the container's hostname %q", body, hostname)
					}
				}
				waitHealth(t, cli, id, tt.wantHealth)
				checkStop(t, cli, id, tt.wantExit)
			})
		})
	}
}

// TestLoadMatchesBuild is the SLOW test (about 8 s): it builds the offline
// image from OfflineDockerfile with the legacy builder, one second per
// instruction, to check that LoadOffline gives the same configuration.
func TestLoadMatchesBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an image with the legacy builder, about 8 s")
	}
	t.Parallel()
	cli, arch := engine(t)
	labels := map[string]string{"labrun.test": t.Name()}
	built, err := cli.ImageInspect(t.Context(), buildOffline(t, cli, "1.0", arch, labels))
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := cli.ImageInspect(t.Context(), loadOffline(t, cli, "1.0", arch, labels))
	if err != nil {
		t.Fatal(err)
	}
	if built.Os != loaded.Os || built.Architecture != loaded.Architecture {
		t.Errorf("platform: built %s/%s, loaded %s/%s", built.Os, built.Architecture, loaded.Os, loaded.Architecture)
	}
	// The whole Config, since whatever the client decodes of it is what a
	// container of the image gets.
	if !reflect.DeepEqual(built.Config, loaded.Config) {
		b, _ := json.MarshalIndent(built.Config, "", "  ")
		l, _ := json.MarshalIndent(loaded.Config, "", "  ")
		t.Errorf("configs differ:\nbuilt  %s\nloaded %s", b, l)
	}
	if len(built.RootFS.Layers) != 1 || len(loaded.RootFS.Layers) != 1 {
		t.Errorf("layers: built %d, loaded %d, want one each", len(built.RootFS.Layers), len(loaded.RootFS.Layers))
	}
}

// TestPullUnreachable pulls from a registry that cannot answer, as none can
// from the project's engine, and checks that the error tells what to do.
func TestPullUnreachable(t *testing.T) {
	t.Parallel()
	cli, _ := engine(t)
	// Port 1 of the engine's own host: refused at once, and never an image.
	ref := "localhost:1/labrun-test-whoami:1.0"
	var lines []string
	err := Pull(t.Context(), cli, ref, func(line string) { lines = append(lines, line) })
	if err == nil {
		t.Fatalf("Pull %s: no error", ref)
	}
	msg := err.Error()
	if prefix, hint := "cannot pull "+ref+": ", "; no registry is reachable from this engine: use --images offline"; !strings.HasPrefix(msg, prefix) || !strings.HasSuffix(msg, hint) {
		t.Errorf("error = %q, want %q…%q", msg, prefix, hint)
	}
	t.Logf("error: %v; progress: %q", err, lines)
}

// checkImage checks the configuration of the offline image ref of release.
func checkImage(t *testing.T, cli *client.Client, ref, release, arch string, labels map[string]string) {
	t.Helper()
	img, err := cli.ImageInspect(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if img.Architecture != arch || img.Os != "linux" {
		t.Errorf("platform = %s/%s, want linux/%s", img.Os, img.Architecture, arch)
	}
	cfg := img.Config
	if cfg == nil {
		t.Fatal("the image has no Config")
	}
	hc := cfg.Healthcheck
	wantTest := []string{"CMD", "/whoami", "healthcheck", "http://localhost:8000/whoami"}
	switch {
	case hc == nil:
		t.Error("no healthcheck")
	case !slices.Equal(hc.Test, wantTest) || hc.Interval != 5*time.Second || hc.Timeout != 3*time.Second || hc.Retries != 3:
		t.Errorf("healthcheck = %+v, want Test %q, Interval 5s, Timeout 3s, Retries 3", *hc, wantTest)
	}
	if cfg.User != "65534:65534" {
		t.Errorf("User = %q, want 65534:65534", cfg.User)
	}
	if cfg.Labels[versionLabel] != release {
		t.Errorf("label %s = %q, want %q", versionLabel, cfg.Labels[versionLabel], release)
	}
	for k, v := range labels {
		if cfg.Labels[k] != v {
			t.Errorf("label %s = %q, want %q (given)", k, cfg.Labels[k], v)
		}
	}
	if want := []string{"/whoami"}; !slices.Equal(cfg.Entrypoint, want) {
		t.Errorf("Entrypoint = %q, want %q", cfg.Entrypoint, want)
	}
	if want := []string{"serve", "--release=" + release}; !slices.Equal(cfg.Cmd, want) {
		t.Errorf("Cmd = %q, want %q", cfg.Cmd, want)
	}
	if _, ok := cfg.ExposedPorts["8000/tcp"]; !ok || len(cfg.ExposedPorts) != 1 {
		t.Errorf("ExposedPorts = %v, want 8000/tcp", cfg.ExposedPorts)
	}
}

// checkStop stops the container as swarm stops a task, and checks that the
// server exits with wantExit at SIGTERM rather than at the grace period's
// SIGKILL.
func checkStop(t *testing.T, cli *client.Client, id string, wantExit int) {
	t.Helper()
	grace := 10
	start := time.Now()
	if _, err := cli.ContainerStop(t.Context(), id, client.ContainerStopOptions{Timeout: &grace}); err != nil {
		t.Fatalf("stop the container: %v", err)
	}
	took := time.Since(start)
	t.Logf("stopped in %v", took.Round(time.Millisecond))
	inspect, err := cli.ContainerInspect(t.Context(), id, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if state := inspect.Container.State; state == nil || state.ExitCode != wantExit || took > 3*time.Second {
		t.Errorf("stop took %v, state %+v: want exit code %d within 3s of SIGTERM", took.Round(time.Millisecond), state, wantExit)
	}
}

// startContainer starts ref with its port 8000 published on a port of
// 127.0.0.1 that the engine picks, and removes it when t ends.
func startContainer(t *testing.T, cli *client.Client, ref string) (id, addr string) {
	t.Helper()
	port := network.MustParsePort("8000/tcp")
	created, err := cli.ContainerCreate(t.Context(), client.ContainerCreateOptions{
		Name: fmt.Sprintf("labrun-test-whoami-%08x", rand.Uint32()),
		Config: &container.Config{
			Image: ref,
			// Only the interval is overridden, to reach a verdict in about 2 s
			// rather than 15; the rest (test, timeout, retries) is the image's.
			Healthcheck: &container.HealthConfig{Interval: 500 * time.Millisecond},
		},
		HostConfig: &container.HostConfig{
			PortBindings: network.PortMap{port: {{HostIP: netip.MustParseAddr("127.0.0.1")}}},
		},
	})
	if err != nil {
		t.Fatalf("create a container of %s: %v", ref, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := cli.ContainerRemove(ctx, created.ID, client.ContainerRemoveOptions{Force: true}); err != nil {
			t.Errorf("remove the test container: %v", err)
		}
	})
	if _, err := cli.ContainerStart(t.Context(), created.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatalf("start a container of %s: %v", ref, err)
	}
	inspect, err := cli.ContainerInspect(t.Context(), created.ID, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var bindings []network.PortBinding
	if ns := inspect.Container.NetworkSettings; ns != nil {
		bindings = ns.Ports[port]
	}
	if len(bindings) == 0 || bindings[0].HostPort == "" {
		t.Fatalf("port 8000 of the container of %s is not published: %v", ref, bindings)
	}
	return created.ID, "127.0.0.1:" + bindings[0].HostPort
}

// getWhoami GETs /whoami from addr, retrying until the server has started.
func getWhoami(t *testing.T, addr string) (status int, body string) {
	t.Helper()
	url := "http://" + addr + "/whoami"
	httpClient := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := httpClient.Get(url)
		if err == nil {
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil {
				return resp.StatusCode, string(b)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: no answer within 20s: %v", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitHealth polls the container until its health status is want.
func waitHealth(t *testing.T, cli *client.Client, id string, want container.HealthStatus) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		inspect, err := cli.ContainerInspect(t.Context(), id, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var health *container.Health
		if inspect.Container.State != nil {
			health = inspect.Container.State.Health
		}
		if health != nil && health.Status == want {
			return
		}
		if time.Now().After(deadline) {
			got, last := "none", ""
			if health != nil {
				got = string(health.Status)
				if n := len(health.Log); n > 0 {
					last = fmt.Sprintf(" (last check: exit %d, %q)", health.Log[n-1].ExitCode, health.Log[n-1].Output)
				}
			}
			t.Fatalf("waited 20s for the container's health status to be %q: it is %q%s", want, got, last)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
