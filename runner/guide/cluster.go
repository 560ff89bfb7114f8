package guide

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
)

// A swarm of several nodes hides two things one node does not: an image
// a student builds exists on one node only (the one their docker talks
// to), and a port published in host mode answers on the node of its task
// only, not on localhost. The guide says both where they matter.

// imagesAdvice returns, on a swarm of several nodes, what a step that makes
// the lab's images needs the student to know: the images must be on every
// node that may run a task, with the commands that copy them there (one
// per other node whose engine labrun knows), and that r does it all.
func (t *tutor) imagesAdvice(ctx context.Context, s *lab.Step) []string {
	refs := t.imageRefs(s)
	if len(refs) == 0 {
		return nil
	}
	e := t.run.Engine()
	topo, err := e.Nodes(ctx)
	if err != nil || !topo.Multi() {
		return nil
	}
	self := e.Name
	if n, ok := topo.ByID(e.NodeID); ok {
		self = n.Name()
	}
	out := []string{i18n.Text(t.lang, "guide-cluster-images", len(topo.Nodes), self)}
	byNode := map[string]*engine.Engine{}
	for _, ne := range t.run.NodeEngines() {
		byNode[ne.NodeID] = ne
	}
	for _, n := range topo.Nodes {
		if n.ID == e.NodeID || !n.Schedulable() {
			continue
		}
		ne, ok := byNode[n.ID]
		if !ok {
			out = append(out, i18n.Text(t.lang, "guide-cluster-node-unknown", n.Name(), n.Addr))
			continue
		}
		out = append(out, fmt.Sprintf("$ docker save %s | docker -H %s load", strings.Join(refs, " "), ne.Host))
	}
	return append(out, i18n.Text(t.lang, "guide-cluster-r"))
}

// imageRefs are the images a step makes (its whoami-image actions).
func (t *tutor) imageRefs(s *lab.Step) []string {
	var refs []string
	for _, l := range s.Actions() {
		if l.Command() == "whoami-image" {
			if words := strings.Fields(lab.Expand(l.Text, t.run.Vars())); len(words) > 1 {
				refs = append(refs, words[1])
			}
		}
	}
	return refs
}

// localPort finds localhost:PORT in a command a student types.
var localPort = regexp.MustCompile(`\blocalhost:(\d+)`)

// aimed returns command c as the student should type it here: on a swarm
// of several nodes, localhost:PORT aimed at the node where a task
// publishes PORT in host mode, with a note naming that node; c itself
// elsewhere.
func (t *tutor) aimed(ctx context.Context, c string) (string, string) {
	m := localPort.FindStringSubmatch(c)
	if m == nil {
		return c, ""
	}
	port, err := strconv.Atoi(m[1])
	if err != nil {
		return c, ""
	}
	node, ok := labcmd.AnsweringNode(ctx, t.run.Engine(), "", port)
	if !ok {
		return c, ""
	}
	return localPort.ReplaceAllString(c, node.Addr+":$1"), i18n.Text(t.lang, "guide-cluster-answers", node.Name(), node.Addr, port)
}
