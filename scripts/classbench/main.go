// Command classbench measures the class board under a class of simulated
// students, as scripts/bench.sh runs it: it starts labrun class serve on
// 127.0.0.1, enrols N students, has each send every step's events at once
// (shown, a failed check, the hint, a passing check: one request each, as
// a guide sends them), and watches the board's event stream as a browser
// would. It prints the events stored per second and the board's update
// delay (from a passing check's reply to the board showing it done), and
// exits 1 when an event is lost or a target is missed.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labrun/labrun/runner/class"
)

func main() {
	labrun := flag.String("labrun", "bin/labrun", "the labrun binary")
	students := flag.Int("students", 200, "simulated students")
	steps := flag.Int("steps", 10, "steps of the lab")
	listen := flag.String("listen", "127.0.0.1:18890", "where the server listens")
	minRate := flag.Float64("min-rate", 2000, "target: events stored per second")
	maxP95 := flag.Duration("max-p95", time.Second, "target: p95 of the board's update delay")
	flag.Parse()
	if err := run(*labrun, *listen, *students, *steps, *minRate, *maxP95); err != nil {
		fmt.Fprintln(os.Stderr, "classbench:", err)
		os.Exit(1)
	}
}

func run(labrun, listen string, n, steps int, minRate float64, maxP95 time.Duration) error {
	dir, err := os.MkdirTemp("", "classbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv := exec.Command(labrun, "class", "serve", "--listen", listen, "--db", filepath.Join(dir, "class.db"), "--info", filepath.Join(dir, "info.json"), "--lang", "en")
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	var info class.Info
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if data, err := os.ReadFile(filepath.Join(dir, "info.json")); err == nil && json.Unmarshal(data, &info) == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no info file after 15s")
		}
	}
	base := strings.Split(info.Board, "/board?")[0]
	token := strings.Split(info.Board, "token=")[1]
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	post := func(url, token string, v any) ([]byte, error) {
		body, _ := json.Marshal(v)
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		if resp.StatusCode != 200 {
			return nil, fmt.Errorf("%s: %d %s", url, resp.StatusCode, buf.String())
		}
		return buf.Bytes(), nil
	}

	labSteps := make([]class.Step, steps)
	for i := range labSteps {
		labSteps[i] = class.Step{ID: fmt.Sprintf("step-%02d", i+1), Title: class.Title{"en": fmt.Sprintf("Step %d", i+1)}}
	}
	tokens := make([]string, n)
	for i := range tokens {
		data, err := post(info.Join, "", class.JoinRequest{V: class.Version, Name: fmt.Sprintf("student %03d", i+1)})
		if err != nil {
			return err
		}
		var reply class.JoinReply
		json.Unmarshal(data, &reply)
		tokens[i] = reply.Token
	}

	// The watcher: the board's stream, as the page reads it.
	type key struct{ student, step string }
	seen := map[key]time.Time{}
	var mu sync.Mutex
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/stream?token="+token, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			line, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			at := time.Now()
			var b class.Board
			if json.Unmarshal([]byte(line), &b) != nil {
				continue
			}
			mu.Lock()
			for _, st := range b.Students {
				if p := st.Labs["bench"]; p != nil {
					for id, c := range p.Cells {
						if k := (key{st.Name, id}); c.Done > 0 && seen[k].IsZero() {
							seen[k] = at
						}
					}
				}
			}
			mu.Unlock()
		}
	}()

	passed := map[key]time.Time{}
	var pmu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("student %03d", i+1)
			seq := 0
			send := func(e class.Event) error {
				seq++
				e.ID, e.Lab, e.At = fmt.Sprint(seq), "bench", time.Now().UnixMilli()
				_, err := post(base+"/api/v1/events", tokens[i], class.Batch{V: class.Version, Sent: time.Now().UnixMilli(), Events: []class.Event{e}})
				return err
			}
			if err := send(class.Event{Kind: class.KindLab, Title: class.Title{"en": "Bench"}, Steps: labSteps}); err != nil {
				errs <- err
				return
			}
			for _, s := range labSteps {
				for _, e := range []class.Event{{Kind: class.KindShown, Step: s.ID}, {Kind: class.KindAttempt, Step: s.ID, Text: "not yet"},
					{Kind: class.KindHint, Step: s.ID}, {Kind: class.KindAttempt, Step: s.ID, Pass: true}} {
					if err := send(e); err != nil {
						errs <- err
						return
					}
					if e.Pass {
						pmu.Lock()
						passed[key{name, s.ID}] = time.Now()
						pmu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		return err
	}
	events := n * (1 + 4*steps)
	// Let the board show the last ones (bounded).
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		all := len(seen) == n*steps
		mu.Unlock()
		if all {
			break
		}
	}
	mu.Lock()
	var delays []time.Duration
	for k, sent := range passed {
		if at, ok := seen[k]; ok {
			delays = append(delays, max(0, at.Sub(sent)))
		}
	}
	mu.Unlock()
	slices.Sort(delays)
	// No event lost: the export counts every attempt and hint.
	data, err := http.Get(strings.Replace(info.Export, "export.csv", "export.json", 1))
	if err != nil {
		return err
	}
	var doc struct{ Rows []class.Row }
	json.NewDecoder(data.Body).Decode(&doc)
	data.Body.Close()
	lost := 0
	for _, r := range doc.Rows {
		if !r.Done || r.Attempts != 2 || !r.Hints {
			lost++
		}
	}
	rate := float64(events) / took.Seconds()
	p95 := time.Duration(0)
	if len(delays) > 0 {
		p95 = delays[len(delays)*95/100]
	}
	fmt.Printf("class board: %d students x %d steps, %d events in %.2fs: %.0f events/s (target >= %.0f)\n", n, steps, events, took.Seconds(), rate, minRate)
	fmt.Printf("class board: update delay p50 %s, p95 %s, max %s over %d cells (target p95 <= %s)\n",
		delays[len(delays)/2].Round(time.Millisecond), p95.Round(time.Millisecond), delays[len(delays)-1].Round(time.Millisecond), len(delays), maxP95)
	switch {
	case len(doc.Rows) != n*steps || lost > 0 || len(delays) != n*steps:
		return fmt.Errorf("events lost: %d rows of %d, %d incomplete, %d cells seen done on the board", len(doc.Rows), n*steps, lost, len(delays))
	case rate < minRate:
		return fmt.Errorf("%.0f events/s, below the target %.0f", rate, minRate)
	case p95 > maxP95:
		return fmt.Errorf("p95 update delay %s, above the target %s", p95, maxP95)
	}
	return nil
}
