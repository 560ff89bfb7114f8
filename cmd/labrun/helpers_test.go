package main

// The helpers the CLI tests share: the testscript settings and custom
// commands of the scripts in testdata, a labrun child process, a student
// following a lab, and what the engine tests need of the engine and the
// machine. The tests themselves stay in their own files.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/engine/enginetest"
	"github.com/labrun/labrun/runner/report"
)

// ---- The scripts in testdata: their settings and custom commands.

// scriptParams are the testscript settings of labrun's CLI scripts.
func scriptParams(dir string) testscript.Params {
	return testscript.Params{
		Dir: dir,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"expect-exit":  expectExit,
			"check-report": checkReport,
			"atexit":       atExit,
			"hold-port":    holdPort,
			"absent":       absent,
			"ledgers":      ledgers,
		},
		Condition: func(cond string) (bool, error) {
			if cond == "ipvs" { // the kernel can run the routing mesh (a local engine's)
				_, err := os.Stat("/proc/net/ip_vs")
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: func(env *testscript.Env) error {
			// Runs write their ledgers under the script's own state dir,
			// and talk to the engine the tests were given.
			env.Setenv("XDG_STATE_HOME", env.WorkDir+"/state")
			for _, name := range []string{"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"} {
				if v, ok := os.LookupEnv(name); ok {
					env.Setenv(name, v)
				}
			}
			return nil
		},
	}
}

// atExit runs a command when the script ends, pass or fail, ignoring its
// result: "atexit docker service rm other" removes what the script itself
// made on the engine even when a line in between fails.
func atExit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: atexit PROGRAM [ARGS...]")
	}
	ts.Defer(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		exec.CommandContext(ctx, args[0], args[1:]...).Run()
	})
}

// expectExit runs a program and checks its exit status, which exec alone
// cannot: "expect-exit 2 labrun run nosuchlab". stdout and stderr are
// kept for the lines that follow.
func expectExit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: expect-exit CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("expect-exit: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("expect-exit: %v", err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// holdPort listens on 127.0.0.1:PORT until the script ends, so that a
// script sees what labrun says of a port something else uses.
func holdPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: hold-port PORT")
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+args[0])
	ts.Check(err)
	ts.Defer(func() { l.Close() })
}

// checkReport checks a JSON report: "check-report FILE RESULT STEP-ID..."
// holds when the run's result is RESULT and its steps are these, in this
// order, each with that result.
func checkReport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: check-report FILE RESULT STEP-ID...")
	}
	var rep report.Run
	if err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &rep); err != nil {
		ts.Fatalf("%s: %v", args[0], err)
	}
	if rep.Result != args[1] {
		ts.Fatalf("result %q, want %q (error: %s)", rep.Result, args[1], rep.Error)
	}
	ids := args[2:]
	if len(rep.Steps) != len(ids) {
		ts.Fatalf("%d steps, want %d", len(rep.Steps), len(ids))
	}
	for i, s := range rep.Steps {
		if s.ID != ids[i] || s.Result != args[1] || s.Title == "" {
			ts.Fatalf("step %d: %s %q %s (%s), want %s %s with a title", i+1, s.ID, s.Title, s.Result, s.Error, ids[i], args[1])
		}
	}
}

// absent checks that the engine has no object of a kind by these exact
// names: "absent service labrun-e2e", "absent image labrun-e2e:1.0
// labrun-e2e:2.0". KIND is service, image, network, secret, config, volume
// or container. It asks the engine that the script's environment names
// (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG), as labrun and docker in the
// script do. Only the engine's "not found" counts as absent: unlike
// "! exec docker service inspect NAME", which also passes when docker
// cannot reach the engine at all, absent fails then, as labrun's own
// checks refuse a blind negation.
func absent(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || absentLookups[args[0]] == nil {
		ts.Fatalf("usage: absent KIND NAME... (KIND: service, image, network, secret, config, volume, container)")
	}
	kind, names := args[0], args[1:]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ep, err := engine.Resolve("", ts.Getenv)
	if err != nil {
		ts.Fatalf("absent: %v", err)
	}
	e, err := engine.ConnectTo(ctx, ep)
	if err != nil {
		ts.Fatalf("absent %s: no engine answers, so nothing is known to be absent: %v", kind, err)
	}
	defer e.Close()
	for _, name := range names {
		found, err := absentLookups[kind](ctx, e.Client, name)
		switch {
		case err != nil:
			ts.Fatalf("absent %s %s: the engine did not say it is absent: %v", kind, name, err)
		case found != "":
			ts.Fatalf("%s %s exists: %s", kind, name, found)
		}
		ts.Logf("%s %s: not found on %s", kind, name, e.Host)
	}
}

// absentLookups look an object up by its name: they return what the
// engine has of that exact name, "" when it answers "not found", and any
// other error as it is. Inspecting by name also matches a prefix of an
// object's ID when no name matches (services, networks, secrets, configs,
// containers), so the name found is compared: another object's ID prefix
// is no object of that name.
var absentLookups = map[string]func(ctx context.Context, cli *client.Client, name string) (string, error){
	"service": func(ctx context.Context, cli *client.Client, name string) (string, error) {
		res, err := cli.ServiceInspect(ctx, name, client.ServiceInspectOptions{})
		return exactly(name, err, res.Service.ID, res.Service.Spec.Name)
	},
	"image": func(ctx context.Context, cli *client.Client, name string) (string, error) {
		// A reference such as labrun-e2e:1.0 is never an ID prefix: any
		// image it resolves to is one of that name.
		res, err := cli.ImageInspect(ctx, name)
		if err != nil {
			return exactly(name, err, "", "")
		}
		return fmt.Sprintf("image %s, tagged %s", res.ID, strings.Join(res.RepoTags, " ")), nil
	},
	"network": func(ctx context.Context, cli *client.Client, name string) (string, error) {
		res, err := cli.NetworkInspect(ctx, name, client.NetworkInspectOptions{})
		return exactly(name, err, res.Network.ID, res.Network.Name)
	},
	"secret": func(ctx context.Context, cli *client.Client, name string) (string, error) {
		res, err := cli.SecretInspect(ctx, name, client.SecretInspectOptions{})
		return exactly(name, err, res.Secret.ID, res.Secret.Spec.Name)
	},
	"config": func(ctx context.Context, cli *client.Client, name string) (string, error) {
		res, err := cli.ConfigInspect(ctx, name, client.ConfigInspectOptions{})
		return exactly(name, err, res.Config.ID, res.Config.Spec.Name)
	},
	"volume": func(ctx context.Context, cli *client.Client, name string) (string, error) {
		res, err := cli.VolumeInspect(ctx, name, client.VolumeInspectOptions{})
		return exactly(name, err, res.Volume.Name, res.Volume.Name)
	},
	"container": func(ctx context.Context, cli *client.Client, name string) (string, error) {
		res, err := cli.ContainerInspect(ctx, name, client.ContainerInspectOptions{})
		return exactly(name, err, res.Container.ID, strings.TrimPrefix(res.Container.Name, "/"))
	},
}

// exactly turns an inspection of name into absentLookups' answer: the
// object found, if it is the one of that name (or of that very ID).
func exactly(name string, err error, id, foundName string) (string, error) {
	switch {
	case cerrdefs.IsNotFound(err):
		return "", nil
	case err != nil:
		return "", err
	case foundName == name || id == name:
		return "ID " + id, nil
	}
	return "", nil // another object, whose ID starts with name
}

// ledgers checks how many ledgers (.json files) a ledger directory holds: "ledgers
// $XDG_STATE_HOME/labrun/runs 0". Unlike "ls DIR | wc -l", which counts 0
// when DIR is missing, it fails when DIR is missing or unreadable: a run
// that started wrote its ledger there, so a missing directory means the
// script looks in the wrong place. It names what it found.
func ledgers(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: ledgers DIR COUNT")
	}
	want, err := strconv.Atoi(args[1])
	if err != nil || want < 0 {
		ts.Fatalf("ledgers: bad count %q", args[1])
	}
	dir := ts.MkAbs(args[0])
	entries, err := os.ReadDir(dir)
	if err != nil {
		ts.Fatalf("ledgers: cannot count the ledgers: %v", err)
	}
	// The ledgers are the .json files; the directory's write lock stays.
	var names []string
	count := 0
	for _, e := range entries {
		names = append(names, e.Name())
		if strings.HasSuffix(e.Name(), ".json") {
			count++
		}
	}
	if count != want {
		ts.Fatalf("%s holds %d ledgers (want %d): %s", dir, count, want, strings.Join(names, " "))
	}
}

// ---- labrun in a child process.

// labRun is a labrun run in a child process, watched line by line.
type labRun struct {
	cmd        *exec.Cmd
	name       string // the run's service and image names
	state      string // its XDG_STATE_HOME
	transcript strings.Builder
	mu         sync.Mutex
	lines      chan string
}

// startLabrun starts labrun in a child process, its lines watched.
func startLabrun(t *testing.T, state string, args ...string) *labRun {
	t.Helper()
	r := &labRun{cmd: exec.Command("labrun", args...), state: state, lines: make(chan string, 1000)}
	r.cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state)
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	r.cmd.Stderr = writerFunc(func(b []byte) { r.record(string(b)) })
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			r.record(sc.Text() + "\n")
			select {
			case r.lines <- sc.Text():
			default:
			}
		}
		close(r.lines)
	}()
	return r
}

func (r *labRun) record(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.transcript.WriteString(s)
}

func (r *labRun) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.transcript.String()
}

// await waits for a line starting with prefix.
func (r *labRun) await(t *testing.T, prefix string) {
	t.Helper()
	timeout := time.After(3 * time.Minute)
	for {
		select {
		case line, ok := <-r.lines:
			if !ok {
				t.Fatalf("the run ended before %q:\n%s", prefix, r)
			}
			if strings.HasPrefix(line, prefix) {
				return
			}
		case <-timeout:
			r.cmd.Process.Kill()
			t.Fatalf("the run never reached %q:\n%s", prefix, r)
		}
	}
}

// wait waits for the run's end, at most limit, and returns its exit code.
func (r *labRun) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case err := <-done:
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return exitErr.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(limit):
		r.cmd.Process.Kill()
		t.Fatalf("still running %s later:\n%s", limit, r)
	}
	return -1
}

// writerFunc adapts a function to io.Writer.
type writerFunc func([]byte)

func (f writerFunc) Write(b []byte) (int, error) { f(b); return len(b), nil }

// runLabrun runs labrun with its state in state, and returns its output
// (standard output and error) and exit code.
func runLabrun(t *testing.T, state string, args ...string) (string, int) {
	t.Helper()
	return runLabrunEnv(t, state, nil, args...)
}

// runLabrunEnv runs labrun as runLabrun does, with env added to its
// environment (NAME=VALUE, the last of a name wins).
func runLabrunEnv(t *testing.T, state string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("labrun", args...)
	cmd.Env = append(append(os.Environ(), "XDG_STATE_HOME="+state), env...)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	go func() {
		<-ctx.Done()
		if ctx.Err() == context.DeadlineExceeded && cmd.Process != nil {
			cmd.Process.Signal(syscall.SIGINT)
		}
	}()
	out, err := cmd.CombinedOutput()
	if exitErr, ok := err.(*exec.ExitError); ok {
		return string(out), exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("labrun: %v", err)
	}
	return string(out), 0
}

// ---- A student following the whoami lab by hand.

// student plays a student following the whoami lab with names of its own:
// it types the tutorial's commands (with these names) and asks labrun.
type student struct {
	t                    *testing.T
	dir, state           string
	service, image, port string
	// lang is the student's language, by LANG: English when empty.
	lang string
	// lab is the lab the student follows: whoami-rollback when empty.
	lab string
	// moreSets are further --set flags, for the lab's other variables.
	moreSets []string
}

// labName is the lab the student follows.
func (s *student) labName() string {
	if s.lab == "" {
		return "whoami-rollback"
	}
	return s.lab
}

func newStudent(t *testing.T, n int) *student {
	return &student{t: t, dir: t.TempDir(), state: t.TempDir(),
		service: fmt.Sprintf("labrun-stu-%d", n), image: fmt.Sprintf("labrun-stu-%d", n), port: fmt.Sprint(18600 + n)}
}

func (s *student) sets() []string {
	return append([]string{"--set", "SERVICE=" + s.service, "--set", "IMAGE=" + s.image, "--set", "PORT=" + s.port}, s.moreSets...)
}

func (s *student) env() []string {
	lang := "C.UTF-8"
	if s.lang == "fr" {
		lang = "fr_FR.UTF-8"
	}
	// A wide terminal: the tests read labrun's sentences whole, never
	// wrapped (TestWrap and the tmux test prove the wrapping).
	return append(os.Environ(), "XDG_STATE_HOME="+s.state, "LANG="+lang, "LC_ALL=", "LC_MESSAGES=", "COLUMNS=1000")
}

// labrun runs labrun and returns its exit code and output.
func (s *student) labrun(args ...string) (int, string) {
	return s.labrunKeys("", args...)
}

// labrunKeys runs labrun with keys on its standard input (the guide's),
// and returns its exit code and output.
func (s *student) labrunKeys(keys string, args ...string) (int, string) {
	s.t.Helper()
	cmd := exec.Command("labrun", append(args, s.sets()...)...)
	cmd.Dir, cmd.Env, cmd.Stdin = s.dir, s.env(), strings.NewReader(keys)
	out, err := cmd.CombinedOutput()
	if exitErr, ok := err.(*exec.ExitError); ok {
		return exitErr.ExitCode(), string(out)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	return 0, string(out)
}

// sh types a command in the student's shell.
func (s *student) sh(command string) {
	s.t.Helper()
	cmd := exec.Command("sh", "-c", command)
	cmd.Dir = s.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("%s: %v\n%s", command, err, out)
	}
}

// expand replaces the tutorial's names with the student's.
func (s *student) expand(command string) string {
	return strings.NewReplacer("$SERVICE", s.service, "$IMAGE", s.image, "$PORT", s.port).Replace(command)
}

// check asks labrun check about a step and wants code.
func (s *student) check(step string, want int, wantOut string) {
	s.t.Helper()
	code, out := s.labrun("check", s.labName(), step)
	if code != want || !strings.Contains(out, wantOut) {
		s.t.Fatalf("labrun check %s: exit %d, want %d with %q\n%s", step, code, want, wantOut, out)
	}
}

// eventually asks labrun check until the step holds.
func (s *student) eventually(step string, within time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(within)
	for {
		code, out := s.labrun("check", s.labName(), step)
		if code == 0 {
			return
		}
		if code != 1 || time.Now().After(deadline) {
			s.t.Fatalf("labrun check %s: exit %d after %s\n%s", step, code, within, out)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// eventuallySays asks labrun check until it fails with want in its answer.
func (s *student) eventuallySays(step, want string, within time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(within)
	for {
		code, out := s.labrun("check", s.labName(), step)
		if code == 1 && strings.Contains(out, want) {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("labrun check %s never said %q in %s; last (exit %d):\n%s", step, want, within, code, out)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// ---- What the engine tests need of the engine and of the machine.

// assertNothingLeft checks that a run named name left no service, image,
// container or ledger behind: the run must have written its ledger in
// state (see assertNoLedger).
func assertNothingLeft(t *testing.T, ctx context.Context, cli *client.Client, name, state string) {
	t.Helper()
	assertNoObjects(t, ctx, cli, name)
	assertNoLedger(t, state)
}

// assertNoObjects checks that the engine of cli has no service, image or
// container of a run named name. As for the scripts' absent, only the
// engine's "not found" counts as absent: an engine that cannot answer
// fails the check, and says so rather than that something is left.
func assertNoObjects(t *testing.T, ctx context.Context, cli *client.Client, name string) {
	t.Helper()
	for _, o := range []struct{ kind, name string }{{"service", name}, {"image", name + ":1.0"}, {"image", name + ":2.0"}} {
		found, err := absentLookups[o.kind](ctx, cli, o.name)
		switch {
		case err != nil:
			t.Errorf("%s %s: the engine did not say it is gone: %v", o.kind, o.name, err)
		case found != "":
			t.Errorf("%s %s is left: %s", o.kind, o.name, found)
		}
	}
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", "com.docker.swarm.service.name="+name)})
	switch {
	case err != nil:
		t.Errorf("containers of %s: the engine did not list them: %v", name, err)
	case len(list.Items) > 0:
		t.Errorf("%d containers of %s are left", len(list.Items), name)
	}
}

// assertNoLedger fails unless the ledger directory under state exists and
// is empty. A run that started wrote its ledger there, so a directory that
// is missing or unreadable means the test looks in the wrong place, not
// that the ledger is gone.
func assertNoLedger(t *testing.T, state string) {
	t.Helper()
	assertEmptyDir(t, filepath.Join(state, "labrun", "runs"), "the run's ledger")
}

// assertEmptyDir fails unless dir exists and holds nothing; what says what
// the test looks for there. A missing or unreadable dir fails too, with
// its error: "nothing left" must not pass for want of a place to look.
func assertEmptyDir(t *testing.T, dir, what string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Errorf("%s: cannot tell whether it is left: %v", what, err)
		return
	}
	if len(entries) > 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%s is left in %s: %s", what, dir, strings.Join(names, " "))
	}
}

// requireNetns skips the test when extra engines cannot be started here
// (not root, no ip netns, no dockerd), or fails it under CI=true, by
// enginetest.SkipOrFail.
func requireNetns(t *testing.T) {
	t.Helper()
	why := ""
	switch {
	case os.Geteuid() != 0:
		why = "not root"
	case exec.Command("ip", "netns", "list").Run() != nil:
		why = "ip netns does not work here"
	default:
		if _, err := exec.LookPath("dockerd"); err != nil {
			why = "dockerd is not installed"
		}
	}
	if why != "" {
		enginetest.SkipOrFail(t, "extra engines cannot be started: %s", why)
	}
}

// requireSSHD returns the sshd program, or skips (fails under CI=true,
// where scripts/engine-up.sh installs it) when this test cannot run one,
// or lacks the ssh client and ssh-keygen that it runs beside it.
func requireSSHD(t *testing.T) string {
	t.Helper()
	why := ""
	sshd, err := exec.LookPath("sshd")
	if err != nil {
		sshd, err = exec.LookPath("/usr/sbin/sshd")
	}
	_, errSSH := exec.LookPath("ssh")
	_, errKeygen := exec.LookPath("ssh-keygen")
	switch {
	case err != nil:
		why = "no sshd (Debian: openssh-server)"
	case errSSH != nil || errKeygen != nil:
		why = "no ssh or ssh-keygen (Debian: openssh-client)"
	case os.Geteuid() != 0:
		why = "sshd needs root to run a session"
	}
	if why != "" {
		enginetest.SkipOrFail(t, "%s", why)
	}
	return sshd
}

// freePort returns a TCP port of 127.0.0.1 that nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening waits until something accepts connections at addr.
func waitListening(t *testing.T, addr string, limit time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("nothing listens on %s after %s: %v", addr, limit, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// meshDead tells whether the routing mesh cannot answer on this machine
// (no IPVS in the kernel), where the tutorial's --publish PORT:8000 is the
// mistake the guide must name; elsewhere the test says it leaves that
// part out.
func meshDead(t *testing.T) bool {
	t.Helper()
	if _, err := os.Stat("/proc/net/ip_vs"); err == nil {
		t.Log("IPVS is here: the routing mesh may answer, so the dead-mesh mistake is not played")
		return false
	}
	return true
}
