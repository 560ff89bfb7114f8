package class

import (
	"slices"
	"sort"
)

// Board is a class's progress, as the page shows it and the exports
// write it: a pure function of the stored events, applied in any order
// (a queued event can arrive after later ones), so that a restarted
// server that replays them shows the same board.
type Board struct {
	Code     string     `json:"code"`
	Lang     string     `json:"lang"`
	Stuck    int64      `json:"stuck_ms"` // time on a step past which a student is marked stuck
	Now      int64      `json:"now"`      // the server's clock, Unix ms, when the board was taken
	Labs     []*Lab     `json:"labs"`
	Students []*Student `json:"students"`
}

// Lab is a lab some student opened: its steps in order, and per step how
// many students have done it (the summary row).
type Lab struct {
	Name  string `json:"name"`
	Title Title  `json:"title"`
	Steps []Step `json:"steps"`
	Done  []int  `json:"done"`
}

// Student is one student and their progress in each lab they opened.
type Student struct {
	ID   int64                `json:"id"`
	Name string               `json:"name"`
	Labs map[string]*Progress `json:"labs"`
}

// Progress is a student's progress in one lab. Current is the step they
// are on (empty once every step is done), Since when they reached it.
type Progress struct {
	Current string           `json:"current"`
	Since   int64            `json:"since,omitempty"`
	Last    int64            `json:"last"` // their latest event
	Quit    bool             `json:"quit"` // they left the guide after their latest step event
	Cells   map[string]*Cell `json:"cells"`
	quitAt  int64
}

// Cell is a student's record at one step.
type Cell struct {
	Shown         int64  `json:"shown,omitempty"` // first shown, Unix ms
	First         int64  `json:"first,omitempty"` // first event of any kind
	Done          int64  `json:"done,omitempty"`  // first passing check
	Attempts      int    `json:"attempts"`
	Hints         int    `json:"hints"`
	SolutionShown bool   `json:"solution_shown"`
	SolutionRun   bool   `json:"solution_run"`
	Failure       string `json:"failure,omitempty"` // the latest failing check's text
	failedAt      int64
}

// Seconds is the time from the step shown (or, for a student who only
// ran labrun check, their first event there) to done; -1 when not done.
func (c *Cell) Seconds() float64 {
	start := c.Shown
	if start == 0 || c.First < start {
		start = c.First
	}
	if c.Done == 0 {
		return -1
	}
	return float64(c.Done-start) / 1000
}

// stored is an event as the server keeps it: whose, and its time on the
// server's clock.
type stored struct {
	Student int64
	Name    string
	At      int64
	Event
}

// NewBoard returns an empty board.
func NewBoard(code, lang string, stuck int64) *Board {
	return &Board{Code: code, Lang: lang, Stuck: stuck}
}

// enrol adds a student with no progress.
func (b *Board) enrol(id int64, name string) {
	if b.student(id) == nil {
		b.Students = append(b.Students, &Student{ID: id, Name: name, Labs: map[string]*Progress{}})
		sort.SliceStable(b.Students, func(i, j int) bool { return b.Students[i].ID < b.Students[j].ID })
	}
}

func (b *Board) student(id int64) *Student {
	for _, s := range b.Students {
		if s.ID == id {
			return s
		}
	}
	return nil
}

func (b *Board) lab(name string) *Lab {
	for _, l := range b.Labs {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// Apply records one event of an enrolled student.
func (b *Board) Apply(e stored) {
	st := b.student(e.Student)
	if st == nil {
		b.enrol(e.Student, e.Name)
		st = b.student(e.Student)
	}
	l := b.lab(e.Lab)
	if e.Kind == KindLab {
		// The latest description of a lab wins: a lab file may change
		// between two students; a built-in one does not.
		if l == nil {
			l = &Lab{Name: e.Lab}
			b.Labs = append(b.Labs, l)
		}
		l.Title, l.Steps = e.Title, e.Steps
	}
	p := st.Labs[e.Lab]
	if p == nil {
		p = &Progress{Cells: map[string]*Cell{}}
		st.Labs[e.Lab] = p
	}
	p.Last = max(p.Last, e.At)
	if e.Kind == KindQuit {
		p.quitAt = max(p.quitAt, e.At)
	}
	if e.Step != "" {
		c := p.Cells[e.Step]
		if c == nil {
			c = &Cell{}
			p.Cells[e.Step] = c
		}
		c.First = earliest(c.First, e.At)
		switch e.Kind {
		case KindShown:
			c.Shown = earliest(c.Shown, e.At)
		case KindAttempt:
			c.Attempts++
			if e.Pass {
				c.Done = earliest(c.Done, e.At)
			} else if e.At >= c.failedAt {
				c.Failure, c.failedAt = e.Text, e.At
			}
		case KindHint:
			c.Hints++
		case KindSolution:
			c.SolutionShown = true
		case KindRun:
			c.SolutionRun = true
		}
	}
	if e.Kind == KindLab {
		for _, other := range b.Students {
			if other.Labs[e.Lab] != nil {
				b.settle(other, e.Lab)
			}
		}
		return
	}
	b.settle(st, e.Lab)
}

// settle works out a student's current step in a lab: the first step, in
// the lab's order, not done; and the summary row of that lab.
func (b *Board) settle(st *Student, lab string) {
	l, p := b.lab(lab), st.Labs[lab]
	if l == nil {
		return
	}
	p.Current, p.Since = "", 0
	for _, s := range l.Steps {
		c := p.Cells[s.ID]
		if c == nil || c.Done == 0 {
			p.Current = s.ID
			if c != nil {
				p.Since = c.Shown
				if p.Since == 0 || c.First < p.Since {
					p.Since = c.First
				}
			}
			break
		}
	}
	p.Quit = p.quitAt > 0 && p.quitAt >= p.Last
	l.Done = make([]int, len(l.Steps))
	for _, other := range b.Students {
		if q := other.Labs[lab]; q != nil {
			for i, s := range l.Steps {
				if c := q.Cells[s.ID]; c != nil && c.Done > 0 {
					l.Done[i]++
				}
			}
		}
	}
}

// Row is one line of an export: a student's record at one step of a lab.
type Row struct {
	Student  string   `json:"student"`
	Lab      string   `json:"lab"`
	Step     string   `json:"step"`
	Done     bool     `json:"done"`
	Attempts int      `json:"attempts"`
	Hints    bool     `json:"hints"`
	Solution bool     `json:"solution"`
	Seconds  *float64 `json:"seconds"` // null when not done
}

// Rows are the board's export: per student (in the order they joined),
// per lab they opened and per step of it, in the lab's order.
func (b *Board) Rows() []Row {
	var rows []Row
	for _, st := range b.Students {
		labs := make([]string, 0, len(st.Labs))
		for name := range st.Labs {
			labs = append(labs, name)
		}
		slices.Sort(labs)
		for _, name := range labs {
			l, p := b.lab(name), st.Labs[name]
			if l == nil {
				continue
			}
			for _, s := range l.Steps {
				r := Row{Student: st.Name, Lab: name, Step: s.ID}
				if c := p.Cells[s.ID]; c != nil {
					r.Done, r.Attempts = c.Done > 0, c.Attempts
					r.Hints, r.Solution = c.Hints > 0, c.SolutionShown || c.SolutionRun
					if secs := c.Seconds(); secs >= 0 {
						r.Seconds = &secs
					}
				}
				rows = append(rows, r)
			}
		}
	}
	return rows
}

func earliest(a, b int64) int64 {
	if a == 0 || b < a {
		return b
	}
	return a
}
