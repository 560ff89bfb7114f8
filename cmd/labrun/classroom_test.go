package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/labrun/labrun/runner/report"
)

// engineCount is how many extra engines the classroom test starts.
const engineCount = 3

// TestClassroom runs the whoami lab on three real engines at once, each a
// dockerd of its own in its own network namespace (scripts/engines.sh),
// reached over tcp://10.77.N.2:2375, so that the HTTP checks aim at each
// engine's own address. It checks the summary, the reports and that the
// three runs together take little longer than one alone; then that an
// engine that is unreachable or not ready stops the classroom before
// anything is created on any engine, and that Ctrl-C cleans up everywhere.
// It needs root and ip netns; without them it is skipped, except under
// CI=true, where it fails.
func TestClassroom(t *testing.T) {
	requireNetns(t)
	script := "../../scripts/engines.sh"
	var numbers []string
	for n := 1; n <= engineCount; n++ {
		numbers = append(numbers, fmt.Sprint(n))
	}
	down := func() {
		if out, err := exec.Command(script, append([]string{"down"}, numbers...)...).CombinedOutput(); err != nil {
			t.Errorf("%s down: %v\n%s", script, err, out)
		}
	}
	down() // what an earlier, killed run may have left
	t.Cleanup(down)
	up := exec.Command(script, "up", fmt.Sprint(engineCount))
	if out, err := up.CombinedOutput(); err != nil {
		t.Fatalf("%s up %d: %v\n%s", script, engineCount, err, out)
	}
	var hosts []string
	clients := map[string]*client.Client{}
	for n := 1; n <= engineCount; n++ {
		h := fmt.Sprintf("tcp://10.77.%d.2:2375", n)
		hosts = append(hosts, h)
		cli, err := client.New(client.WithHost(h), client.WithAPIVersion("1.41"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cli.Close() })
		clients[h] = cli
	}
	// The engines start empty and have no IPVS: host mode, no probe.
	const name, port = "labrun-hosts-cls", "18451"
	labArgs := []string{"run", "whoami-rollback", "--publish-mode", "host",
		"--set", "SERVICE=" + name, "--set", "IMAGE=" + name, "--set", "PORT=" + port}
	withHosts := func(hosts ...string) []string {
		args := append([]string{}, labArgs...)
		for _, h := range hosts {
			args = append(args, "--host", h)
		}
		return args
	}
	nothingLeft := func(t *testing.T, state string) {
		t.Helper()
		for _, cli := range clients {
			assertNothingLeft(t, context.Background(), cli, name, state)
		}
	}

	var one time.Duration
	t.Run("one engine", func(t *testing.T) {
		state := t.TempDir()
		start := time.Now()
		out, code := runLabrun(t, state, withHosts(hosts[0])...)
		one = time.Since(start)
		if code != 0 {
			t.Fatalf("exit status %d, want 0\n%s", code, out)
		}
		logSteps(t, out)
		nothingLeft(t, state)
	})
	if one == 0 {
		t.FailNow()
	}

	t.Run("three engines at once", func(t *testing.T) {
		state, dir := t.TempDir(), t.TempDir()
		args := append(withHosts(hosts...), "--json", dir+"/r.json", "--junit", dir+"/r.xml")
		start := time.Now()
		out, code := runLabrun(t, state, args...)
		three := time.Since(start)
		if code != 0 {
			t.Fatalf("exit status %d, want 0\n%s", code, out)
		}
		logSteps(t, out)
		for _, h := range hosts {
			row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(h) + `\s+PASS\s+-\s+\d+\.\ds$`)
			if !row.MatchString(out) {
				t.Errorf("no summary row %q in:\n%s", row, out)
			}
			label := strings.TrimPrefix(h, "tcp://")
			if !strings.Contains(out, label+" │ [7/10] observe-failure ") || !strings.Contains(out, label+" │ PASS whoami-rollback: 10 passed") {
				t.Errorf("the lines of %s are not prefixed with its address", h)
			}
		}
		if !regexp.MustCompile(`(?m)^ENGINE\s+RESULT\s+FAILED STEP\s+DURATION$`).MatchString(out) ||
			!regexp.MustCompile(`(?m)^PASS whoami-rollback on 3 engines: 3 passed, 0 failed in \d+\.\ds$`).MatchString(out) {
			t.Errorf("no summary table:\n%s", out)
		}
		var cr report.Classroom
		data, err := os.ReadFile(dir + "/r.json")
		if err != nil || json.Unmarshal(data, &cr) != nil {
			t.Fatalf("JSON report: %v\n%s", err, data)
		}
		if cr.Result != report.Pass || len(cr.Runs) != engineCount {
			t.Fatalf("JSON report: result %s with %d runs, want pass with %d", cr.Result, len(cr.Runs), engineCount)
		}
		slowest := 0.0
		for i, r := range cr.Runs {
			if r.Engine != hosts[i] || r.Result != report.Pass || len(r.Steps) != 10 || r.Counts()[report.Pass] != 10 {
				t.Errorf("JSON run %d: engine %s result %s, %v", i, r.Engine, r.Result, r.Counts())
			}
			slowest = max(slowest, time.Duration(r.Duration).Seconds())
		}
		// Concurrent runs take as long as the slowest of them, sequential
		// ones the sum. One engine alone is the yardstick; but any run, alone
		// or not, may wait a minute more in the rollback (swarmkit's restart
		// supervisor waits up to a minute for an old task to stop, and a
		// replacement 2.0 task that never got its host port never stops), so
		// the yardstick is the longer of one engine alone and the slowest run
		// of the three.
		ratio := three.Seconds() / one.Seconds()
		yardstick := max(one.Seconds(), slowest)
		t.Logf("one engine alone %.1fs; %d engines at once %.1fs (slowest run %.1fs): ratio %.2f to one engine, %.2f to the yardstick (at most 1.30)",
			one.Seconds(), engineCount, three.Seconds(), slowest, ratio, three.Seconds()/yardstick)
		if three.Seconds() > 1.3*yardstick {
			t.Errorf("%d engines took %.1fs, more than 1.3 × %.1fs: the runs did not go concurrently", engineCount, three.Seconds(), yardstick)
		}
		xml, err := os.ReadFile(dir + "/r.xml")
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hosts {
			if want := `<testsuite name="whoami-rollback @ ` + h + `" tests="10" failures="0" errors="0" skipped="0"`; !strings.Contains(string(xml), want) {
				t.Errorf("JUnit report lacks %s", want)
			}
		}
		nothingLeft(t, state)
	})

	t.Run("a lab that fails on some engines", func(t *testing.T) {
		// The lab waits for a service that exists on the second engine
		// only: it passes there, fails elsewhere, exit 1.
		const present = "labrun-hosts-present"
		if out, err := exec.Command("docker", "-H", hosts[1], "service", "create", "--detach", "--replicas", "0",
			"--name", present, "labrun-hosts-none:1").CombinedOutput(); err != nil {
			t.Fatalf("creating the service: %v\n%s", err, out)
		}
		defer exec.Command("docker", "-H", hosts[1], "service", "rm", present).Run()
		dir := t.TempDir()
		labFile := dir + "/present.txtar"
		lab := "## title.en Present\n## timeout 2s\n## step wait\n## title.en Wait for the service\n## checks\n* service-exists " + present + "\n"
		if err := os.WriteFile(labFile, []byte(lab), 0o644); err != nil {
			t.Fatal(err)
		}
		out, code := runLabrun(t, t.TempDir(), "run", labFile, "--host", hosts[0], "--host", hosts[1], "--host", hosts[2], "--junit", dir+"/r.xml")
		if code != 1 {
			t.Fatalf("exit status %d, want 1\n%s", code, out)
		}
		for i, h := range hosts {
			want := `\s+FAIL\s+wait\s+\d+\.\ds$`
			if i == 1 {
				want = `\s+PASS\s+-\s+\d+\.\ds$`
			}
			if row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(h) + want); !row.MatchString(out) {
				t.Errorf("no summary row %q in:\n%s", row, out)
			}
		}
		if !strings.Contains(out, hosts[0]+": "+labFile+":6: * service-exists "+present+": still not so") ||
			!regexp.MustCompile(`(?m)^FAIL present on 3 engines: 1 passed, 2 failed in `).MatchString(out) {
			t.Errorf("the summary does not say where each run failed:\n%s", out)
		}
		xml, _ := os.ReadFile(dir + "/r.xml")
		if want := `<testsuite name="present @ ` + hosts[0] + `" tests="1" failures="1"`; !strings.Contains(string(xml), want) {
			t.Errorf("JUnit report lacks %s:\n%s", want, xml)
		}
	})

	t.Run("an unreachable engine stops all before anything", func(t *testing.T) {
		state := t.TempDir()
		gone := fmt.Sprintf("tcp://10.77.%d.2:2375", engineCount+5)
		out, code := runLabrun(t, state, withHosts(hosts[0], gone, hosts[1])...)
		if code != 2 {
			t.Fatalf("exit status %d, want 2\n%s", code, out)
		}
		if !strings.Contains(out, "labrun: engine "+gone+" is unreachable: cannot reach the Docker engine at "+gone) {
			t.Errorf("the error does not name the unreachable engine:\n%s", out)
		}
		if strings.Contains(out, "[1/10]") {
			t.Errorf("a run started although an engine was unreachable:\n%s", out)
		}
		for _, cli := range clients {
			assertNoObjects(t, context.Background(), cli, name)
		}
		// No run got as far as its ledger, so unlike after a run there may
		// be no ledger directory at all; but no ledger in one.
		runs := filepath.Join(state, "labrun", "runs")
		if entries, err := os.ReadDir(runs); !errors.Is(err, fs.ErrNotExist) && (err != nil || len(entries) > 0) {
			t.Errorf("a ledger was written although an engine was unreachable: %s holds %v (err %v)", runs, entries, err)
		}
	})

	t.Run("an engine not ready stops all before anything", func(t *testing.T) {
		// A service of the lab's name that the run did not create, on the
		// last engine only: the others must not even build their images.
		cli := clients[hosts[engineCount-1]]
		if out, err := exec.Command("docker", "-H", hosts[engineCount-1], "service", "create", "--detach", "--replicas", "0",
			"--name", name, "labrun-hosts-none:1").CombinedOutput(); err != nil {
			t.Fatalf("creating the foreign service: %v\n%s", err, out)
		}
		defer exec.Command("docker", "-H", hosts[engineCount-1], "service", "rm", name).Run()
		state := t.TempDir()
		out, code := runLabrun(t, state, withHosts(hosts...)...)
		if code != 2 {
			t.Fatalf("exit status %d, want 2\n%s", code, out)
		}
		if !strings.Contains(out, "engine "+hosts[engineCount-1]+" is not ready: whoami-rollback.txtar:") ||
			!strings.Contains(out, "service "+name+" already exists") {
			t.Errorf("the error does not name the engine and its foreign service:\n%s", out)
		}
		if _, err := cli.ServiceInspect(context.Background(), name, client.ServiceInspectOptions{}); err != nil {
			t.Errorf("the foreign service is gone: %v", err)
		}
		for _, h := range hosts[:engineCount-1] {
			assertNothingLeft(t, context.Background(), clients[h], name, state)
		}
	})

	t.Run("an engine failing the preflight stops all before anything", func(t *testing.T) {
		// The last engine leaves its swarm: the lab's swarm-manager
		// check fails there, in the preflight of every engine that runs
		// before any of them creates anything.
		last := hosts[engineCount-1]
		if out, err := exec.Command("docker", "-H", last, "swarm", "leave", "--force").CombinedOutput(); err != nil {
			t.Fatalf("swarm leave: %v\n%s", err, out)
		}
		defer func() {
			addr := strings.TrimSuffix(strings.TrimPrefix(last, "tcp://"), ":2375")
			if out, err := exec.Command("docker", "-H", last, "swarm", "init", "--advertise-addr", addr).CombinedOutput(); err != nil {
				t.Errorf("swarm init again: %v\n%s", err, out)
			}
		}()
		state := t.TempDir()
		out, code := runLabrun(t, state, withHosts(hosts...)...)
		if code != 2 {
			t.Fatalf("exit status %d, want 2\n%s", code, out)
		}
		if !regexp.MustCompile(`labrun: engine `+regexp.QuoteMeta(last)+` is not ready: whoami-rollback.txtar:\d+: swarm-manager`).MatchString(out) ||
			!strings.Contains(out, "hint: Make this node a manager") {
			t.Errorf("the error does not name the engine, the failed check and its hint:\n%s", out)
		}
		if strings.Contains(out, "[2/10]") {
			t.Errorf("a run went past the preflight although an engine failed it:\n%s", out)
		}
		for _, h := range hosts[:engineCount-1] {
			assertNothingLeft(t, context.Background(), clients[h], name, state)
		}
	})

	t.Run("Ctrl-C cleans up on every engine", func(t *testing.T) {
		state := t.TempDir()
		r := startLabrun(t, state, withHosts(hosts...)...)
		// Every engine in the middle of the failing update.
		waitAll(t, r, hosts, "│ [7/10] observe-failure ")
		signalled := time.Now()
		r.cmd.Process.Signal(syscall.SIGINT)
		if code := r.wait(t, 20*time.Second); code != 130 {
			t.Fatalf("exit status %d, want 130\n%s", code, r)
		}
		if took := time.Since(signalled); took > 10*time.Second {
			t.Errorf("cleanup took %s, want at most 10 s", took)
		}
		nothingLeft(t, state)
	})
}

// logSteps logs the lines that end steps and runs, with their durations:
// where the time of a run went.
func logSteps(t *testing.T, out string) {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		if stepLine.MatchString(line) {
			b.WriteString(line + "\n")
		}
	}
	t.Logf("steps:\n%s", b.String())
}

var stepLine = regexp.MustCompile(`(✓|✗) [a-z-]+ \(\d+\.\ds\)$|(PASS|FAIL|ERROR) whoami-rollback`)

// TestEngineTLS reaches a real engine that demands TLS client
// certificates (scripts/engines.sh with LABRUN_ENGINES_TLS=1): through
// DOCKER_HOST with DOCKER_CERT_PATH and DOCKER_TLS_VERIFY, and through a
// docker CLI context whose TLS material is in the CLI's context store, with
// which the whole lab runs, its docker commands included.
func TestEngineTLS(t *testing.T) {
	requireNetns(t)
	const n = 9 // apart from TestClassroom's engines
	script := "../../scripts/engines.sh"
	down := func() {
		if out, err := exec.Command(script, "down", fmt.Sprint(n)).CombinedOutput(); err != nil {
			t.Errorf("%s down %d: %v\n%s", script, n, err, out)
		}
	}
	down()
	t.Cleanup(down)
	up := exec.Command(script, "up", "1", fmt.Sprint(n))
	up.Env = append(os.Environ(), "LABRUN_ENGINES_TLS=1")
	if out, err := up.CombinedOutput(); err != nil {
		t.Fatalf("%s up 1 %d: %v\n%s", script, n, err, out)
	}
	host := fmt.Sprintf("tcp://10.77.%d.2:2376", n)
	certs := fmt.Sprintf("/run/labrun-engines/%d/tls/client", n)
	noEnv := []string{"DOCKER_HOST=", "DOCKER_CONTEXT=", "DOCKER_CERT_PATH=", "DOCKER_TLS_VERIFY="}

	t.Run("DOCKER_CERT_PATH", func(t *testing.T) {
		env := append(noEnv, "DOCKER_HOST="+host, "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH="+certs)
		out, code := runLabrunEnv(t, t.TempDir(), env, "cleanup")
		if code != 0 || !strings.Contains(out, "nothing to clean up on "+host) {
			t.Errorf("labrun cleanup over TLS: exit %d\n%s", code, out)
		}
		out, code = runLabrunEnv(t, t.TempDir(), append(noEnv, "DOCKER_HOST="+host), "cleanup")
		if code != 2 || !strings.Contains(out, "cannot reach the Docker engine at "+host) {
			t.Errorf("labrun cleanup without certificates: exit %d, want 2\n%s", code, out)
		}
	})

	t.Run("context", func(t *testing.T) {
		cfg := t.TempDir()
		sum := sha256.Sum256([]byte("room9"))
		id := hex.EncodeToString(sum[:])
		meta := `{"Name":"room9","Metadata":{},"Endpoints":{"docker":{"Host":"` + host + `","SkipTLSVerify":false}}}`
		files := map[string]string{
			"config.json":                        `{"auths":{},"currentContext":"room9"}`,
			"contexts/meta/" + id + "/meta.json": meta,
		}
		for _, f := range []string{"ca.pem", "cert.pem", "key.pem"} {
			data, err := os.ReadFile(certs + "/" + f)
			if err != nil {
				t.Fatal(err)
			}
			files["contexts/tls/"+id+"/docker/"+f] = string(data)
		}
		for name, data := range files {
			path := cfg + "/" + name
			if err := os.MkdirAll(path[:strings.LastIndex(path, "/")], 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		env := append(noEnv, "DOCKER_CONFIG="+cfg)
		out, code := runLabrunEnv(t, t.TempDir(), env, "run", "whoami-rollback", "--publish-mode", "host",
			"--set", "SERVICE=labrun-hosts-tls", "--set", "IMAGE=labrun-hosts-tls", "--set", "PORT=18452")
		if code != 0 {
			t.Fatalf("the lab through context room9: exit %d\n%s", code, out)
		}
		if want := "engine " + host + ` (context "room9")`; !strings.Contains(out, want) {
			t.Errorf("the header does not say %q:\n%s", want, out)
		}
	})
}

// waitAll waits until every engine's run printed a line containing what.
func waitAll(t *testing.T, r *labRun, hosts []string, what string) {
	t.Helper()
	deadline := time.After(3 * time.Minute)
	seen := map[string]bool{}
	for len(seen) < len(hosts) {
		select {
		case line, ok := <-r.lines:
			if !ok {
				t.Fatalf("the run ended before every engine printed %q:\n%s", what, r)
			}
			for _, h := range hosts {
				if strings.HasPrefix(line, strings.TrimPrefix(h, "tcp://")+" ") && strings.Contains(line, what) {
					seen[h] = true
				}
			}
		case <-deadline:
			r.cmd.Process.Kill()
			t.Fatalf("not every engine printed %q:\n%s", what, r)
		}
	}
}
