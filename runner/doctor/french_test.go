package doctor

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/event"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/report"
)

// englishOf returns the English sentences of labrun's catalogue found in
// text: what a French item must not hold.
func englishOf(text string) []string {
	var found []string
	for _, part := range i18n.Unsaid("fr", 3) {
		if strings.Contains(text, part) {
			found = append(found, part)
		}
	}
	return found
}

// TestItemsInLanguage: each item of the checklist, built in French, has
// its title, detail and fix in French, with no English sentence of
// labrun's, and the engine's words (availability, state, its errors)
// quoted as they came; built in English, the scan finds its English, so
// that the French half can fail.
func TestItemsInLanguage(t *testing.T) {
	drained := swarm.Node{ID: "n1", Description: swarm.NodeDescription{Hostname: "vm"},
		Spec: swarm.NodeSpec{Availability: swarm.NodeAvailabilityDrain}, Status: swarm.NodeStatus{State: swarm.NodeStateReady}}
	worker := engine.Node{ID: "n2", Hostname: "node-2", Role: "worker", Availability: "active", State: "ready", Addr: "10.0.0.2", Arch: "x86_64"}
	far := nodeReach{url: "tcp://10.0.0.2:2375", err: errors.New("dial tcp 10.0.0.2:2375: connect: connection refused")}
	for _, tc := range []struct {
		name   string
		item   func(lang string) *report.Item
		french []string // in the French item's title, detail or fix
	}{
		{"api older", func(l string) *report.Item { return apiItem(l, "1.30", "1.32", "l:3") },
			[]string{"API du moteur", "API 1.30, le lab demande 1.32 ou plus récent (l:3)", "mettez à jour le moteur Docker"}},
		{"api no minimum", func(l string) *report.Item { return apiItem(l, "1.41", "", "") },
			[]string{"le lab ne demande aucun minimum"}},
		{"swarm inactive", func(l string) *report.Item { return swarmItem(l, "inactive", false) },
			[]string{`ce nœud n'est pas dans un swarm actif (état "inactive")`, "lancez le lab avec --init-swarm"}},
		{"swarm worker", func(l string) *report.Item { return swarmItem(l, "active", false) },
			[]string{"ce nœud est un worker du swarm", "docker node promote NŒUD"}},
		{"node drained", func(l string) *report.Item { return nodeItem(l, drained) },
			[]string{"nœud", "vm : disponibilité drain, état ready", "docker node update --availability active vm (il est drain : le swarm n'y planifie aucune tâche)"}},
		{"disk short", func(l string) *report.Item { return diskVerdict(l, "/var/lib/docker", 300<<20, 1<<30) },
			[]string{"disque", "300.0 MiB libres dans /var/lib/docker", "libérez de la place"}},
		{"disk remote", func(l string) *report.Item { return diskItem(l, "/var/lib/docker", false) },
			[]string{"le moteur est distant"}},
		{"cluster node unreachable", func(l string) *report.Item { return clusterNodeItem(l, worker, far, "offline") },
			[]string{"nœud node-2", "worker, active, ready, 10.0.0.2, x86_64 ; labrun ne peut pas joindre son moteur à tcp://10.0.0.2:2375 : dial tcp 10.0.0.2:2375: connect: connection refused ; une tâche placée là ne peut pas tourner",
				"donnez à labrun le moteur de ce nœud"}},
		{"cluster node pulls", func(l string) *report.Item { return clusterNodeItem(l, worker, far, "hub") },
			[]string{"il tire lui-même les images hub"}},
		{"mesh dead, no IPVS", func(l string) *report.Item {
			return &report.Item{Title: "routing mesh", Detail: meshDeadDetail(l, true, false)}
		}, []string{`ce noyau n'en a pas (/proc/net/ip_vs est absent ; dockerd journalise "Could not get ipvs family information")`}},
		{"mesh dead, remote", func(l string) *report.Item {
			return &report.Item{Title: "routing mesh", Detail: meshDeadDetail(l, false, false)}
		}, []string{`cherchez /proc/net/ip_vs et "Could not get ipvs family information" dans le journal de dockerd`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := func(it *report.Item) string { return it.Title + "\n" + it.Detail + "\n" + it.Fix }
			en, fr := tc.item("en"), tc.item("fr")
			if len(englishOf(text(en))) == 0 {
				t.Errorf("the scan finds no English in the English item: %s", text(en))
			}
			if en.ID != fr.ID || en.Status != fr.Status {
				t.Errorf("French %s %s, English %s %s: the language changed the verdict", fr.ID, fr.Status, en.ID, en.Status)
			}
			for _, w := range tc.french {
				if !strings.Contains(text(fr), w) {
					t.Errorf("the French item does not say %q:\n%s", w, text(fr))
				}
			}
			if english := englishOf(text(fr)); len(english) > 0 {
				t.Errorf("English in the French item: %q\n%s", english, text(fr))
			}
		})
	}
}

// TestVerdictInLanguage: the checklist's verdict, the heads of its fixes
// and notes, and a classroom's summary, in each language; French puts one
// engine in the singular.
func TestVerdictInLanguage(t *testing.T) {
	failing := &report.Checklist{Lab: "l", Result: report.Fail, Items: []*report.Item{
		{ID: "port", Title: "port 8000", Status: report.ItemFail, Detail: "d", Fix: "f"},
		{ID: "routing-mesh", Title: "routing mesh", Status: report.ItemWarn, Detail: "d", Fix: "n"}}}
	passing := &report.Checklist{Lab: "l", Result: report.Pass, Items: failing.Items[1:]}
	erred := &report.Checklist{Lab: "l", Result: report.Error, Error: "e"}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"    fix: f\n", "    note: n\n", "NOT READY l cannot run on this engine: 1 item to fix (1 warning)\n",
			"OK l can run on this engine (1 warning)\n", "ERROR e\n", "NOT READY 1 of 2 engines can run l\n", "OK 2 of 2 engines can run l\n"}},
		{"fr", []string{"    solution : f\n", "    à savoir : n\n", "PAS PRÊT l ne peut pas tourner sur ce moteur : 1 point à corriger (1 avertissement)\n",
			"OK l peut tourner sur ce moteur (1 avertissement)\n", "ERREUR e\n", "PAS PRÊT 1 moteur sur 2 peut lancer l\n", "OK 2 moteurs sur 2 peuvent lancer l\n"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var out bytes.Buffer
			term := report.NewTerminal(&out)
			term.Lang = tc.lang
			for _, c := range []*report.Checklist{failing, passing, erred} {
				for _, it := range c.Items {
					term.Handle(checked(it))
				}
				term.ChecklistEnded(c)
			}
			writeClassroom(&out, &Classroom{Lab: "l", Result: report.Fail, Engines: []*report.Checklist{passing, failing}}, tc.lang)
			writeClassroom(&out, &Classroom{Lab: "l", Result: report.Pass, Engines: []*report.Checklist{passing, passing}}, tc.lang)
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("no %q in:\n%s", w, out.String())
				}
			}
		})
	}
	if got := enginesVerdict("fr", false, 1, 3, "l"); got != "1 moteur sur 3 ne peut pas lancer l" {
		t.Errorf("one engine that cannot run, in French: %q", got)
	}
	if got := enginesVerdict("fr", false, 2, 3, "l"); got != "2 moteurs sur 3 ne peuvent pas lancer l" {
		t.Errorf("two engines that cannot run, in French: %q", got)
	}
}

// checked is the event Run hands the terminal for an item.
func checked(it *report.Item) event.Checked {
	return event.Checked{ID: it.ID, Title: it.Title, Status: it.Status, Detail: it.Detail, Fix: it.Fix}
}
