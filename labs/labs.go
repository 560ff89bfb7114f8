// Package labs embeds the built-in lab files, so that labrun runs them
// from anywhere, with no checkout beside it.
package labs

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.txtar
var files embed.FS

// Ext is the extension of lab files.
const Ext = ".txtar"

// Names returns the names of the built-in labs, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), Ext))
	}
	sort.Strings(names)
	return names
}

// Read returns the text of the built-in lab name, and whether there is one.
func Read(name string) ([]byte, bool) {
	data, err := files.ReadFile(name + Ext)
	return data, err == nil
}
