package class

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/labrun/labrun/runner"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
)

// PullOptions are the choices of labrun class check: the instructor
// checks the students' engines instead of the students' guides sending.
type PullOptions struct {
	Lab      string
	Hosts    []Host
	Join     string // the class's join URL: each engine joins as a student
	Set      map[string]string
	Lang     string
	StateDir string
	Every    time.Duration // 0: one round
	Trust    func(string) error
	Out      io.Writer
}

// Host is a student's engine and the name the board shows for it.
type Host struct{ URL, Name string }

// ReadHostsFile reads the engines of labrun class check: one a line, its
// URL and then, optionally, the student's name (default: the URL); blank
// lines and # comments are skipped.
func ReadHostsFile(path string) ([]Host, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, exit.Usagef("--hosts: %v", err)
	}
	var hosts []Host
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.Index(line, "#"); j >= 0 {
			line = line[:j]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		h := Host{URL: fields[0], Name: strings.Join(fields[1:], " ")}
		if h.Name == "" {
			h.Name = h.URL
		}
		if _, err := CheckName(h.Name); err != nil {
			return nil, exit.Usagef("%s:%d: %v", path, i+1, err)
		}
		hosts = append(hosts, h)
	}
	if len(hosts) == 0 {
		return nil, exit.Usagef("--hosts %s: no engine listed", path)
	}
	return hosts, nil
}

// pulled is what labrun class check remembers of one engine between
// rounds: the steps that held, and the last failure it sent, so that the
// board counts a new verdict, not every look at the same one.
type pulled struct {
	Done     []string `json:"done"`
	Shown    string   `json:"shown"`
	LastFail string   `json:"last_fail"`
}

// Pull checks, on each engine, the next step its student has not done,
// and the following ones while they hold, without changing anything
// there (checks only observe), and sends the verdicts to the class board
// as that student's. It returns 1 when an engine could not be checked.
func Pull(ctx context.Context, o PullOptions) (int, error) {
	opts := runner.Options{Lab: o.Lab, Set: o.Set, Lang: o.Lang, StateDir: o.StateDir, NoWait: true, Trust: o.Trust}
	l, err := runner.Load(&opts, event.Discard)
	if err != nil {
		return exit.Error, err
	}
	members := make([]*Member, len(o.Hosts))
	for i, h := range o.Hosts {
		sum := sha256.Sum256([]byte(h.URL))
		members[i], err = Join(ctx, JoinOptions{URL: o.Join, Name: h.Name, Lang: o.Lang, Lab: l,
			StateDir: filepath.Join(o.StateDir, "pull", hex.EncodeToString(sum[:6]))})
		if err != nil {
			return exit.Error, i18n.Errorf("%s: %v", h.Name, err)
		}
	}
	defer func() {
		for _, m := range members {
			m.Close(5 * time.Second)
		}
	}()
	code := exit.Pass
	for {
		var mu sync.Mutex
		var wg sync.WaitGroup
		limit := make(chan struct{}, 8)
		for i, h := range o.Hosts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				limit <- struct{}{}
				defer func() { <-limit }()
				line, err := pullOne(ctx, opts, l, h, members[i])
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					code = exit.Fail
					fmt.Fprintln(o.Out, i18n.Textf(o.Lang, "%s: %v", h.Name, err))
					return
				}
				fmt.Fprintf(o.Out, "%s: %s\n", h.Name, line)
			}()
		}
		wg.Wait()
		if o.Every <= 0 {
			return code, nil
		}
		select {
		case <-ctx.Done():
			return code, nil
		case <-time.After(o.Every):
		}
	}
}

// pullOne checks one engine and returns what to print of it.
func pullOne(ctx context.Context, opts runner.Options, l *lab.Lab, h Host, m *Member) (string, error) {
	path := filepath.Join(m.dir, "pull-"+l.Name+".json")
	var p pulled
	if data, err := os.ReadFile(path); err == nil {
		json.Unmarshal(data, &p)
	}
	opts.Host = h.URL
	r, err := runner.Connect(ctx, opts, l, event.Discard)
	if err != nil {
		return "", err
	}
	defer r.Close()
	defer func() {
		data, _ := json.Marshal(p)
		writeFileAtomic(path, data, 0o600)
	}()
	var passed []string
	for _, s := range l.Steps {
		if contains(p.Done, s.ID) {
			continue
		}
		if p.Shown != s.ID {
			m.Handle(event.StepShown{Step: s.ID})
			p.Shown, p.LastFail = s.ID, ""
		}
		err := r.Steps(ctx, lab.InStep(s.ID, lab.ChecksOnly), runner.StepsOptions{})
		var failure *event.StepError
		switch {
		case err == nil:
			r.EndStep(event.Pass, nil)
			m.Handle(event.CheckAttempt{Step: s.ID})
			p.Done = append(p.Done, s.ID)
			passed = append(passed, "✓ "+s.ID)
			continue
		case errors.As(err, &failure):
			r.EndStep(event.Fail, failure)
			if failure.Message != p.LastFail {
				m.Handle(event.CheckAttempt{Step: s.ID, Err: failure})
				p.LastFail = failure.Message
			}
			return strings.Join(append(passed, "✗ "+s.ID+": "+failure.Message), ", "), nil
		default:
			r.EndStep(event.Error, nil)
			return "", err
		}
	}
	return strings.Join(append(passed, i18n.Textf(opts.Lang, "all done")), ", "), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
