package lab

import (
	"fmt"
	"time"

	"github.com/labrun/labrun/runner/timeouts"
)

// Directive documents one "## " directive of the lab format.
type Directive struct {
	Syntax  string
	Where   string // "lab" (before the first step), "step", or "both"
	Summary string
}

// Directives is the lab format's directives, in the order a lab uses them.
// `labrun help format` prints them; a test proves the loader accepts each.
var Directives = []Directive{
	{"## title.LANG TEXT", "both", "the title of the lab or of the step, in LANG (en, fr)"},
	{"## text.LANG TEXT", "both", "explanation in LANG; consecutive lines join into one text"},
	{"## var [KIND] NAME=DEFAULT DOC", "lab", "a variable with the tutorial's value as default, overridable with --set NAME=VALUE; the default may use earlier variables. " +
		"KIND: name (--isolate appends the run's id), port (--isolate picks a free port), args (a list of arguments: $NAME alone as a word stands for its words, none when empty)"},
	{"## var.LANG NAME DOC", "lab", "the description of a variable declared before, in LANG (the \"## var\" line's is English); lint asks for every language"},
	{"## fast NAME=VALUE", "lab", "the value of a variable declared before under --fast, such as shortened timings (VALUE is the rest of the line); --set still wins"},
	{"## creates KIND NAME", "lab", "something the lab creates, of kind service, image, network, secret, config or volume: the run stops (exit 2) if it already exists, and removes it at the end"},
	{"## timeout DURATION", "both", "the timeout of every wait of each step (lab) or of this step; default " + seconds(timeouts.Default().Step)},
	{"## step ID", "lab", "starts a step; ID is stable, lower-case, unique"},
	{"## hint.LANG TEXT", "step", "what to look at when the step fails, in LANG"},
	{"## type COMMAND", "step", "a command the student types, exactly as in the tutorial (variables are expanded)"},
	{"## preflight", "step", "the step checks the environment: its failure is an environment error (exit 2)"},
	{"## actions", "step", "the following lines change the engine: the student's commands, run by labrun in a full run"},
	{"## checks", "step", "the following lines check the engine; they run in every mode"},
	{"## mistakes", "step", "the following lines are checks of known mistakes at this step (a wrong tag, a port published through a dead routing mesh, a service removed): they are looked at once before each check of the step, and the first that holds fails the step at once, naming the mistake, since no wait can mend it; \"!\" makes the absence of something the mistake"},
	{"## say.LANG TEXT", "step", "right after a check or a mistake: what the student reads, in LANG, when that check fails or that mistake holds, in place of the step's hint (variables are expanded); lint asks for every language"},
	{"## keeps", "step", "the following lines are checks that must still hold after the actions, such as a service staying converged: labrun verify does not ask them to fail before the actions, as it asks of the checks"},
}

// seconds writes d as the lab format's users read it, 90s rather than
// Duration's 1m30s.
func seconds(d time.Duration) string { return fmt.Sprintf("%gs", d.Seconds()) }
