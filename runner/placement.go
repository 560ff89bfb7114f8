package runner

import (
	"context"
	"errors"
	"strings"

	"github.com/labrun/labrun/runner/engine"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/nodemap"
)

// PlaceImages makes sure, before anything is created, that every node the
// scheduler may place a task on can be given the lab's images: labrun
// must reach its engine, mapped by --nodes FILE or discovered. The
// images exist only where labrun makes them, and a task placed on a node
// without them is rejected at once ("No such image").
//
// The nodes that count are the schedulable ones (ready and active): the
// scheduler places no new task on a drained or paused node, nor on one
// that is down. A node that comes back up during the run is not given the
// images; its tasks would fail as they do without labrun.
func (r *Run) PlaceImages(ctx context.Context) error {
	// The guide and doctor ask again: the first verdict stands.
	if r.placed {
		return r.placeErr
	}
	err := r.placeImages(ctx)
	var usage *exit.UsageError
	if errors.As(err, &usage) {
		err = &exit.UsageError{Err: worded(r.opts.Lang, usage.Err)}
	}
	r.placed, r.placeErr = true, err
	return err
}

func (r *Run) placeImages(ctx context.Context) error {
	var entries []nodemap.Entry
	if r.opts.Nodes != "" {
		var err error
		if entries, err = nodemap.Read(r.opts.Nodes); err != nil {
			return err
		}
	}
	if !r.engine.Manager || len(WhoamiReleases(r.lab)) == 0 && len(entries) == 0 {
		return nil
	}
	topo, err := r.engine.Nodes(ctx)
	if err != nil {
		return err
	}
	if !topo.Multi() {
		return nil
	}
	if r.opts.Nodes != "" {
		r.nodes, err = nodemap.Connect(ctx, r.engine, topo, entries)
	} else {
		r.nodes, err = nodemap.Discover(ctx, r.engine, topo)
	}
	if err != nil {
		return err
	}
	r.engine.SetPeers(r.nodes.Others())
	if len(WhoamiReleases(r.lab)) == 0 {
		return nil // no image to place: the lab's own images are the student's
	}
	var missing []string
	for _, n := range topo.Schedulable() {
		if _, ok := r.nodes.Of(n.ID); !ok {
			missing = append(missing, nodeLabel(n))
		}
	}
	if len(missing) == 0 || r.opts.Registry != "" {
		return nil // with a registry, the nodes pull the images
	}
	if r.opts.OnlyImageNodes && len(missing) < len(topo.Schedulable()) {
		for _, n := range topo.Schedulable() {
			if _, ok := r.nodes.Of(n.ID); !ok {
				r.constraints = append(r.constraints, "node.id!="+n.ID)
			}
		}
		r.notice(i18n.Say(r.opts.Lang, "only-image-nodes", strings.Join(missing, ", "), "--constraint "+strings.Join(r.constraints, " --constraint ")))
		return nil
	}
	how := i18n.Sprintf("no engine labrun can reach was found at the manager's scheme and port on its address")
	if r.opts.Nodes != "" {
		how = i18n.Sprintf("%s does not list it", r.opts.Nodes)
	}
	return &exit.UsageError{Err: &NodesWithoutImagesError{Err: i18n.Errorf(
		"the swarm may place the lab's tasks on node(s) %s, and labrun cannot put the lab's images there (%v): such a task would fail with \"No such image\".\n"+
			"Give the engine of every node: --nodes FILE, one \"NODE URL\" a line (NODE: its address, ID or hostname; URL as for --host); "+
			"or push the images to a registry every node can pull from: --registry HOST:PORT; "+
			"or keep the lab off them: --only-image-nodes; "+
			"or keep the nodes out of the scheduler's way (docker node update --availability drain NODE) for the run",
		strings.Join(missing, ", "), how)}}
}

// NodesWithoutImagesError is PlaceImages' verdict that the swarm may place
// the lab's tasks on nodes labrun cannot give its images: told once, when
// a lab starts; a guide resumed later or labrun check go on without it.
type NodesWithoutImagesError struct{ Err error }

func (e *NodesWithoutImagesError) Error() string { return e.Err.Error() }

// In words the verdict in lang.
func (e *NodesWithoutImagesError) In(lang string) string { return i18n.In(lang, e.Err) }

func (e *NodesWithoutImagesError) Unwrap() error { return e.Err }

// nodeLabel names a node in a message: hostname, address and ID.
func nodeLabel(n engine.Node) string {
	return n.Name() + " (" + n.Addr + ", " + n.ID + ")"
}

// wordedError is an error worded in the run's language, which still
// unwraps to what it quotes.
type wordedError struct {
	text string
	err  error
}

func (e *wordedError) Error() string { return e.text }
func (e *wordedError) Unwrap() error { return e.err }

func worded(lang string, err error) error { return &wordedError{text: i18n.In(lang, err), err: err} }

// NodeEngines are the engines of the swarm's other nodes that the run
// reached: where it puts images, and removes them at the end.
func (r *Run) NodeEngines() []*engine.Engine { return r.nodes.Others() }
