// Package catalog finds a lab by what the user calls it: a built-in lab's
// name, or a lab file's path. It needs no engine.
package catalog

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/labrun/labrun/labs"
	"github.com/labrun/labrun/runner/exit"
	"github.com/labrun/labrun/runner/i18n"
	"github.com/labrun/labrun/runner/lab"
	"github.com/labrun/labrun/runner/labcmd"
)

// Load finds and loads a lab: a built-in lab's name, or a path to a lab
// file. builtIn tells which, since a lab file from elsewhere runs commands
// and must be announced. Every error is a usage error (exit 2).
func Load(nameOrPath string) (l *lab.Lab, builtIn bool, err error) {
	if data, ok := labs.Read(nameOrPath); ok {
		l, err := lab.Load(nameOrPath+labs.Ext, data, labcmd.NewVocabulary())
		if err != nil {
			return nil, true, &exit.UsageError{Err: err}
		}
		return l, true, nil
	}
	if !strings.ContainsAny(nameOrPath, `/\`) && !strings.HasSuffix(nameOrPath, labs.Ext) {
		return nil, false, exit.Usagef("unknown lab %q: built-in labs are %s; or give a lab file's path", nameOrPath, strings.Join(labs.Names(), ", "))
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		return nil, false, exit.Usagef("cannot read lab file: %v", err)
	}
	l, err = lab.Load(filepath.Clean(nameOrPath), data, labcmd.NewVocabulary())
	if err != nil {
		return nil, false, &exit.UsageError{Err: err}
	}
	return l, false, nil
}

// TrustNotice is what labrun says, in lang, before it runs a lab file
// given by path: a lab runs commands on this machine.
func TrustNotice(l *lab.Lab, lang string) string {
	return i18n.Textf(lang, "running the lab file %s: a lab runs commands on this machine, run only labs you trust", l.File)
}
