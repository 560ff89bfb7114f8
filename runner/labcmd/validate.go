package labcmd

import (
	"regexp"
	"strings"
)

// The helpers below are shared by the commands' Validate functions, which
// live in each command's entry.

var apiVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)

// updateStates are the values of a service's UpdateStatus.State, and none
// for a service never updated.
var updateStates = []string{"none", "updating", "paused", "completed", "rollback_started", "rollback_paused", "rollback_completed"}

// unresolved tells whether a word still holds a runner variable, whose
// value only the run knows.
func unresolved(word string) bool { return strings.Contains(word, "${") }

func unlessUnresolved(word string, validate func(string) error) error {
	if unresolved(word) {
		return nil
	}
	return validate(word)
}

// resolvedPairs keeps the KEY=VALUE pairs free of runner variables; the
// others are judged when the run knows their values.
func resolvedPairs(pairs []string) []string {
	out := make([]string, 0, len(pairs))
	for _, p := range pairs {
		if unresolved(p) {
			continue
		}
		out = append(out, p)
	}
	return out
}
