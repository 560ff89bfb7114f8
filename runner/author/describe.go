package author

import (
	"encoding/json"
	"io"

	"github.com/labrun/labrun/runner/catalog"
	"github.com/labrun/labrun/runner/lab"
)

// The machine-readable forms of list and show (--format json): one lab
// object, the whole of it from show, its name, title and steps' ids and
// titles from list, so that a script reads both the same way. Their
// fields are only ever added.

// LabJSON is a lab as show --format json prints it; list --format json
// prints each lab with Name, Title and Steps' ID and Title only.
type LabJSON struct {
	Name  string     `json:"name"`
	File  string     `json:"file,omitempty"` // a lab file's path; empty for a built-in lab
	Title string     `json:"title"`
	Text  string     `json:"text,omitempty"`
	Vars  []VarJSON  `json:"vars,omitempty"`
	Steps []StepJSON `json:"steps"`
	// Files are the lab's embedded files, name to content (show --all).
	Files map[string]string `json:"files,omitempty"`
}

// VarJSON is a lab variable: what --set NAME=VALUE changes.
type VarJSON struct {
	Name    string `json:"name"`
	Default string `json:"default"`
	Doc     string `json:"doc,omitempty"`
}

// StepJSON is a step: its id (what check and guide take), its title, and
// with show its text and the commands a student types, expanded with the
// variables' defaults.
type StepJSON struct {
	ID    string   `json:"id"`
	Num   int      `json:"num,omitempty"`
	Title string   `json:"title"`
	Text  string   `json:"text,omitempty"`
	Type  []string `json:"type,omitempty"`
	// Lines are every line the step runs, as the lab file writes them
	// (show --all).
	Lines []LineJSON `json:"lines,omitempty"`
}

// LineJSON is a line of a lab file that a step runs.
type LineJSON struct {
	Line int    `json:"line"`
	Text string `json:"text"`
}

// ListJSON is what list --format json prints.
type ListJSON struct {
	Labs []LabJSON `json:"labs"`
}

// Describe returns the lab as show --format json prints it, in lang.
func Describe(l *lab.Lab, builtIn bool, lang string) LabJSON {
	vars := l.Defaults(nil)
	out := Summarize(l, lang)
	if !builtIn {
		out.File = l.File
	}
	out.Text = lab.OneParagraph(l.Text.In(lang))
	for _, v := range l.Vars {
		out.Vars = append(out.Vars, VarJSON{Name: v.Name, Default: v.Default, Doc: v.Doc.In(lang)})
	}
	for i, s := range l.Steps {
		out.Steps[i].Num = s.Num
		out.Steps[i].Text = lab.OneParagraph(lab.Expand(s.Text.In(lang), vars))
		for _, c := range s.Type {
			out.Steps[i].Type = append(out.Steps[i].Type, lab.Expand(c, vars))
		}
	}
	return out
}

// Summarize returns the lab as list --format json prints it, in lang.
func Summarize(l *lab.Lab, lang string) LabJSON {
	out := LabJSON{Name: l.Name, Title: l.Title.In(lang), Steps: []StepJSON{}}
	for _, s := range l.Steps {
		out.Steps = append(out.Steps, StepJSON{ID: s.ID, Title: s.Title.In(lang)})
	}
	return out
}

// ShowJSON writes show --format json: the lab nameOrPath, in lang; with
// all, every line each step runs and every file of the lab too.
func ShowJSON(w io.Writer, nameOrPath, lang string, all bool) error {
	l, builtIn, err := catalog.Load(nameOrPath)
	if err != nil {
		return err
	}
	out := Describe(l, builtIn, lang)
	if all {
		for i, s := range l.Steps {
			for _, line := range s.Lines {
				out.Steps[i].Lines = append(out.Steps[i].Lines, LineJSON{Line: line.Num, Text: line.Text})
			}
		}
		out.Files = map[string]string{}
		for name, data := range l.Files {
			out.Files[name] = string(data)
		}
	}
	return WriteJSON(w, out)
}

// WriteJSON writes v as indented JSON and a newline, as every labrun
// --format json does.
func WriteJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}
