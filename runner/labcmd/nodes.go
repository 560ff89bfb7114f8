package labcmd

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/moby/api/types/swarm"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
)

// nodeCommands are the checks of the swarm's nodes and of where a
// service's tasks run: what only a swarm of several nodes shows.
func nodeCommands() []*Command {
	return []*Command{
		{
			Name: "nodes", Kind: Check, Spec: negatable(1, 1), Observe: nodesCheck, Validate: countArg("MIN"),
			Usage: Usage{Args: "MIN", Summary: "the swarm has at least MIN nodes that may run tasks: ready and active",
				Detail: "Meant for a lab's preflight: a lab that needs several nodes says so at once on a " +
					"one-node swarm (or one whose other nodes are drained or down), and no wait changes it."},
		},
		{
			Name: "node", Kind: Check, Spec: negatable(1, -1), Observe: nodeCheck, Validate: nodeArgs,
			Usage: Usage{Args: "NODE [[!]KEY=VALUE...]", Summary: "the node NODE exists and has these properties",
				Detail: "NODE is manager (the leader), worker-N (the N-th worker, by hostname then ID, from 1), " +
					"a hostname, an ID or a unique prefix of 12 characters or more, or an address. Keys: availability " +
					"(active, pause, drain), state (ready, down...), role (manager, worker) and label.NAME (a label " +
					"docker node update --label-add set). With a leading !, the node must not have that value."},
		},
		{
			Name: "choose-node", Kind: Action, Spec: preparer(setter(args(2, 2))), Act: chooseNode,
			Usage: Usage{Args: "VAR NODE", Summary: "set VAR to the name docker node commands take for NODE",
				Detail: "NODE as for node: manager or worker-N lets a lab name a node of any swarm. VAR is the node's " +
					"hostname, or its ID where several nodes share that hostname."},
		},
		{
			Name: "tasks-on-node", Kind: Check, Spec: negatable(3, 3), Observe: tasksOnNode, Validate: tasksOnNodeArgs,
			Usage: Usage{Args: "SERVICE NODE COUNT", Summary: "exactly COUNT running tasks of SERVICE run on NODE",
				Detail: "NODE as for node. Running means the task is meant to run and runs; a drained node's " +
					"tasks stop and start elsewhere, which tasks-on-node SERVICE NODE 0 waits for."},
		},
		{
			Name: "tasks-spread", Kind: Check, Spec: negatable(2, 2), Observe: tasksSpread, Validate: tasksSpreadArgs,
			Usage: Usage{Args: "SERVICE MIN", Summary: "the running tasks of SERVICE run on at least MIN different nodes"},
		},
		{
			Name: "placement", Kind: Check, Spec: negatable(1, 1), Observe: placementCheck,
			Usage: Usage{Args: "SERVICE", Summary: "every running task of SERVICE runs on a node its placement constraints allow",
				Detail: "Constraints on node.id, node.hostname, node.role, node.platform.os, node.platform.arch and " +
					"node.labels.NAME, with == or !=, as docker service create --constraint takes them. Holds only when " +
					"at least one task runs: an empty service honours everything, which proves nothing."},
		},
		{
			Name: "global-tasks", Kind: Check, Spec: negatable(1, 1), Observe: globalTasks,
			Usage: Usage{Args: "SERVICE", Summary: "the global service SERVICE runs exactly one task on each node that may run it, and none elsewhere",
				Detail: "A node may run it when it is ready, active (not drained or paused) and matches the service's " +
					"placement constraints."},
		},
	}
}

// countArg wants the first argument to be a number of at least 1.
func countArg(name string) func([]string) error {
	return func(args []string) error {
		return unlessUnresolved(args[0], func(v string) error {
			if n, err := strconv.Atoi(v); err != nil || n < 1 {
				return i18n.Errorf("%s %q: want a number, 1 or more", name, v)
			}
			return nil
		})
	}
}

func tasksSpreadArgs(args []string) error { return countArg("MIN")(args[1:]) }

func tasksOnNodeArgs(args []string) error {
	return unlessUnresolved(args[2], func(v string) error {
		if n, err := strconv.Atoi(v); err != nil || n < 0 {
			return i18n.Errorf("COUNT %q: want a number of tasks", v)
		}
		return nil
	})
}

// nodeKeys are the properties the node check knows, besides label.NAME.
var nodeKeys = []string{"availability", "state", "role"}

// nodeProperty is one KEY=VALUE of the node check.
type nodeProperty struct {
	key, value string
	not        bool
}

func (p nodeProperty) String() string {
	if p.not {
		return "!" + p.key + "=" + p.value
	}
	return p.key + "=" + p.value
}

func parseNodeProperty(pair string) (nodeProperty, error) {
	p := nodeProperty{not: strings.HasPrefix(pair, "!")}
	k, v, ok := strings.Cut(strings.TrimPrefix(pair, "!"), "=")
	if !ok || k == "" {
		return p, i18n.Errorf("%q: want KEY=VALUE", pair)
	}
	if !strings.HasPrefix(k, "label.") || k == "label." {
		found := false
		for _, known := range nodeKeys {
			found = found || k == known
		}
		if !found {
			return p, i18n.Errorf("%q: unknown key %s; want %s or label.NAME", pair, k, strings.Join(nodeKeys, ", "))
		}
	}
	p.key, p.value = k, v
	return p, nil
}

func nodeArgs(args []string) error {
	for _, pair := range resolvedPairs(args[1:]) {
		if _, err := parseNodeProperty(pair); err != nil {
			return err
		}
	}
	return nil
}

// get returns a node's value of the property's key, and whether it has one.
func (p nodeProperty) get(n engine.Node) (string, bool) {
	switch p.key {
	case "availability":
		return n.Availability, true
	case "state":
		return n.State, true
	case "role":
		return n.Role, true
	}
	v, ok := n.Labels[strings.TrimPrefix(p.key, "label.")]
	return v, ok
}

// holds tells whether the node has the property, and what it has instead.
func (p nodeProperty) holds(n engine.Node) (bool, string) {
	v, ok := p.get(n)
	has := ok && v == p.value
	if !ok {
		v = "-" // no such label
	}
	return has != p.not, v
}

// findNode resolves a lab's NODE: manager (the leader, else the first
// manager), worker-N, or what engine.Topology.Find accepts.
func findNode(topo engine.Topology, ref string) (engine.Node, error) {
	var managers, workers []engine.Node
	for _, n := range topo.Nodes {
		if n.Role == string(swarm.NodeRoleManager) {
			managers = append(managers, n)
		} else {
			workers = append(workers, n)
		}
	}
	switch {
	case ref == "manager":
		for _, m := range managers {
			if m.Leader {
				return m, nil
			}
		}
		if len(managers) > 0 {
			return managers[0], nil
		}
	case strings.HasPrefix(ref, "worker-"):
		if i, err := strconv.Atoi(strings.TrimPrefix(ref, "worker-")); err == nil && i >= 1 {
			if i <= len(workers) {
				return workers[i-1], nil
			}
			return engine.Node{}, Final(i18n.Errorf("there is no node %s: the swarm has %d workers (%s)", ref, len(workers), nodeNames(topo)))
		}
	}
	if n, ok := topo.Find(ref); ok {
		return n, nil
	}
	return engine.Node{}, Final(i18n.Errorf("no node is %s (nodes: %s)", ref, nodeNames(topo)))
}

func nodeNames(topo engine.Topology) string {
	var names []string
	for _, n := range topo.Nodes {
		names = append(names, fmt.Sprintf("%s %s %s %s %s", n.Name(), n.Role, n.Addr, n.State, n.Availability))
	}
	return strings.Join(names, ", ")
}

func nodesCheck(ctx context.Context, c *Call) error {
	min, err := strconv.Atoi(c.Args[0])
	if err != nil {
		return i18n.Errorf("MIN %q is not a number", c.Args[0])
	}
	topo, err := c.Engine.Nodes(ctx)
	if err != nil {
		return err
	}
	seen, err := enoughNodes(topo, min)
	if err == nil {
		c.Saw("%s", seen)
	}
	return err
}

// enoughNodes holds when at least min nodes may run tasks (ready and
// active): a drained manager runs none of the lab's. Fewer is final: a
// swarm does not grow by waiting.
func enoughNodes(topo engine.Topology, min int) (i18n.Sentence, error) {
	usable := len(topo.Schedulable())
	if usable < min {
		return i18n.Sentence{}, Final(i18n.Errorf("this swarm has %d node(s) ready and active (%s), this lab needs %d: run it on a swarm of %d nodes or more", usable, nodeNames(topo), min, min))
	}
	return i18n.Sprintf("%d nodes ready and active: %s", usable, nodeNames(topo)), nil
}

func nodeCheck(ctx context.Context, c *Call) error {
	var props []nodeProperty
	for _, a := range c.Args[1:] {
		p, err := parseNodeProperty(a)
		if err != nil {
			return err
		}
		props = append(props, p)
	}
	topo, err := c.Engine.Nodes(ctx)
	if err != nil {
		return err
	}
	seen, err := nodeHas(topo, c.Args[0], props)
	if err == nil {
		c.Saw("%s", seen)
	}
	return err
}

// nodeHas holds when the node ref names has every property.
func nodeHas(topo engine.Topology, ref string, props []nodeProperty) (i18n.Sentence, error) {
	n, err := findNode(topo, ref)
	if err != nil {
		return i18n.Sentence{}, err
	}
	var lacks []i18n.Sentence
	var has []string
	for _, p := range props {
		ok, got := p.holds(n)
		if !ok {
			lacks = append(lacks, i18n.Sprintf("%s (has %s)", p, got))
		} else {
			has = append(has, p.String())
		}
	}
	if len(lacks) > 0 {
		return i18n.Sentence{}, i18n.Errorf("node %s (%s) lacks %v", n.Name(), n.Addr, i18n.Join(lacks, ", "))
	}
	if len(has) == 0 {
		return i18n.Sprintf("node %s (%s) is %s, %s, %s", n.Name(), n.Addr, n.Role, n.Availability, n.State), nil
	}
	return i18n.Sprintf("node %s (%s) has %s", n.Name(), n.Addr, strings.Join(has, " ")), nil
}

// runningTasks returns the tasks of the snapshot meant to run and running.
func runningTasks(snap engine.ServiceSnapshot) []swarm.Task {
	var out []swarm.Task
	for _, t := range snap.Tasks {
		if t.DesiredState == swarm.TaskStateRunning && t.Status.State == swarm.TaskStateRunning {
			out = append(out, t)
		}
	}
	return out
}

// perNode counts the running tasks of each node, by node name, sorted.
func perNode(snap engine.ServiceSnapshot) string {
	counts := map[string]int{}
	for _, t := range runningTasks(snap) {
		counts[nodeName(snap.Nodes, t.NodeID)]++
	}
	var parts []string
	for name, n := range counts {
		parts = append(parts, fmt.Sprintf("%s: %d", name, n))
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func nodeName(topo engine.Topology, id string) string {
	if n, ok := topo.ByID(id); ok {
		return n.Name()
	}
	return id
}

func tasksOnNode(ctx context.Context, c *Call) error {
	want, err := strconv.Atoi(c.Args[2])
	if err != nil || want < 0 {
		return i18n.Errorf("COUNT %q is not a number of tasks", c.Args[2])
	}
	return observeService(ctx, c, engine.WithTasks, func(s engine.ServiceSnapshot) (i18n.Sentence, error) {
		return countOnNode(s, c.Args[1], want)
	})
}

// countOnNode holds when exactly want running tasks run on the node ref names.
func countOnNode(snap engine.ServiceSnapshot, ref string, want int) (i18n.Sentence, error) {
	n, err := findNode(snap.Nodes, ref)
	if err != nil {
		return i18n.Sentence{}, err
	}
	got := 0
	for _, t := range runningTasks(snap) {
		if t.NodeID == n.ID {
			got++
		}
	}
	if got != want {
		return i18n.Sentence{}, i18n.Errorf("%d running task(s) of %s on node %s, want %d (running tasks per node: %s)", got, snap.Name, n.Name(), want, perNode(snap))
	}
	return i18n.Sprintf("%d running task(s) of %s on node %s (running tasks per node: %s)", got, snap.Name, n.Name(), perNode(snap)), nil
}

func tasksSpread(ctx context.Context, c *Call) error {
	min, err := strconv.Atoi(c.Args[1])
	if err != nil {
		return i18n.Errorf("MIN %q is not a number", c.Args[1])
	}
	return observeService(ctx, c, engine.WithTasks, func(s engine.ServiceSnapshot) (i18n.Sentence, error) { return spread(s, min) })
}

// spread holds when the running tasks run on at least min nodes.
func spread(snap engine.ServiceSnapshot, min int) (i18n.Sentence, error) {
	nodes := map[string]bool{}
	for _, t := range runningTasks(snap) {
		nodes[t.NodeID] = true
	}
	if len(nodes) < min {
		return i18n.Sentence{}, i18n.Errorf("the running tasks of %s run on %d node(s), want at least %d (running tasks per node: %s)", snap.Name, len(nodes), min, perNode(snap))
	}
	return i18n.Sprintf("the running tasks of %s run on %d nodes (%s)", snap.Name, len(nodes), perNode(snap)), nil
}

// constraint is one placement constraint: KEY==VALUE or KEY!=VALUE.
type constraint struct {
	key, value string
	equal      bool
}

func parseConstraints(exprs []string) ([]constraint, error) {
	var out []constraint
	for _, e := range exprs {
		c := constraint{equal: true}
		k, v, ok := strings.Cut(e, "==")
		if !ok {
			c.equal = false
			if k, v, ok = strings.Cut(e, "!="); !ok {
				return nil, i18n.Errorf("placement constraint %q: want KEY==VALUE or KEY!=VALUE", e)
			}
		}
		c.key, c.value = strings.TrimSpace(k), strings.TrimSpace(v)
		out = append(out, c)
	}
	return out, nil
}

// allows tells whether node n matches the constraint, as the swarm's
// scheduler judges it; an error for a key labrun cannot judge.
func (c constraint) allows(n engine.Node) (bool, error) {
	var got string
	has := true
	switch {
	case c.key == "node.id":
		got = n.ID
	case c.key == "node.hostname":
		got = n.Hostname
	case c.key == "node.role":
		got = n.Role
	case c.key == "node.platform.os":
		got = n.OS
	case c.key == "node.platform.arch":
		got = n.Arch
	case strings.HasPrefix(c.key, "node.labels."):
		got, has = n.Labels[strings.TrimPrefix(c.key, "node.labels.")]
	default:
		return false, i18n.Errorf("placement constraint %s%s%s: labrun cannot judge the key %s", c.key, map[bool]string{true: "==", false: "!="}[c.equal], c.value, c.key)
	}
	// The scheduler compares case-insensitively; a missing label equals nothing.
	match := has && strings.EqualFold(got, c.value)
	return match == c.equal, nil
}

// eligible tells whether every constraint allows node n.
func eligible(cons []constraint, n engine.Node) (bool, error) {
	for _, c := range cons {
		ok, err := c.allows(n)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func serviceConstraints(snap engine.ServiceSnapshot) ([]constraint, []string, error) {
	var exprs []string
	if p := snap.Service.Spec.TaskTemplate.Placement; p != nil {
		exprs = p.Constraints
	}
	cons, err := parseConstraints(exprs)
	return cons, exprs, err
}

func placementCheck(ctx context.Context, c *Call) error {
	return observeService(ctx, c, engine.WithTasks, placed)
}

// placed holds when every running task runs on a node the service's
// constraints allow, and at least one runs.
func placed(snap engine.ServiceSnapshot) (i18n.Sentence, error) {
	cons, exprs, err := serviceConstraints(snap)
	if err != nil {
		return i18n.Sentence{}, Blind(err)
	}
	tasks := runningTasks(snap)
	if len(tasks) == 0 {
		return i18n.Sentence{}, i18n.Errorf("service %s has no running task: there is no placement to judge", snap.Name)
	}
	var wrong []i18n.Sentence
	for _, t := range tasks {
		n, ok := snap.Nodes.ByID(t.NodeID)
		if !ok {
			return i18n.Sentence{}, Blind(i18n.Errorf("task %s runs on node %s, which the swarm does not list", taskName(snap, t), t.NodeID))
		}
		ok, err := eligible(cons, n)
		if err != nil {
			return i18n.Sentence{}, Blind(err)
		}
		if !ok {
			wrong = append(wrong, i18n.Sprintf("%s on %s", taskName(snap, t), n.Name()))
		}
	}
	shown := strings.Join(exprs, " ")
	if shown == "" {
		shown = "-"
	}
	if len(wrong) > 0 {
		return i18n.Sentence{}, i18n.Errorf("tasks of %s run on nodes its constraints (%s) exclude: %v", snap.Name, shown, i18n.Join(wrong, ", "))
	}
	return i18n.Sprintf("%d running task(s) of %s, all on nodes its constraints (%s) allow (%s)", len(tasks), snap.Name, shown, perNode(snap)), nil
}

func globalTasks(ctx context.Context, c *Call) error {
	return observeService(ctx, c, engine.WithTasks, onePerNode)
}

// onePerNode holds when a global service runs one task on each node that
// may run it and none on the others.
func onePerNode(snap engine.ServiceSnapshot) (i18n.Sentence, error) {
	if snap.Service.Spec.Mode.Global == nil {
		return i18n.Sentence{}, Final(i18n.Errorf("service %s is not global (docker service create --mode global makes one)", snap.Name))
	}
	cons, _, err := serviceConstraints(snap)
	if err != nil {
		return i18n.Sentence{}, Blind(err)
	}
	counts := map[string]int{}
	for _, t := range runningTasks(snap) {
		counts[t.NodeID]++
	}
	var wrong []string
	want := 0
	for _, n := range snap.Nodes.Nodes {
		ok, err := eligible(cons, n)
		if err != nil {
			return i18n.Sentence{}, Blind(err)
		}
		ok = ok && n.Schedulable()
		if ok {
			want++
		}
		switch got := counts[n.ID]; {
		case ok && got != 1:
			wrong = append(wrong, fmt.Sprintf("%s %d/1", n.Name(), got))
		case !ok && got != 0:
			wrong = append(wrong, fmt.Sprintf("%s %d/0", n.Name(), got))
		}
	}
	if len(wrong) > 0 {
		return i18n.Sentence{}, i18n.Errorf("global service %s: running tasks per node differ from one per eligible node (node running/wanted: %s)", snap.Name, strings.Join(wrong, ", "))
	}
	return i18n.Sprintf("global service %s runs one task on each of its %d nodes (%s)", snap.Name, want, perNode(snap)), nil
}

func chooseNode(ctx context.Context, c *Call) error {
	topo, err := c.Engine.Nodes(ctx)
	if err != nil {
		return err
	}
	n, err := findNode(topo, c.Args[1])
	if err != nil {
		return err
	}
	c.Setvar(c.Args[0], nodeRef(topo, n))
	return nil
}

// nodeRef is the name docker node commands take for n: its hostname when
// no other node has it, else its ID.
func nodeRef(topo engine.Topology, n engine.Node) string {
	if found, ok := topo.Find(n.Hostname); ok && found.ID == n.ID {
		return n.Hostname
	}
	return n.ID
}

// MinNodes is how many nodes a lab needs, as the nodes check of its
// preflight says: 1 when it says nothing. Test harnesses that run every
// built-in lab on one engine skip a lab that needs more, which a cluster
// test runs instead.
func MinNodes(l *lab.Lab) int {
	min := 1
	for _, s := range l.Steps {
		if !s.Preflight {
			continue
		}
		for _, line := range s.Lines {
			if line.Role != lab.Check || line.Cmd+1 >= len(line.Words) || line.Words[line.Cmd] != "nodes" {
				continue
			}
			if n, err := strconv.Atoi(line.Words[line.Cmd+1]); err == nil && n > min {
				min = n
			}
		}
	}
	return min
}
