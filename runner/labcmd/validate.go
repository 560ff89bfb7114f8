package labcmd

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/swarm"
)

// argValidators judge the arguments of the checks that take numbers,
// durations, patterns or KEY=VALUE pairs, when the lab is loaded. Each
// reuses the parser its command runs with, so that what loads is exactly
// what runs. Table attaches them to the commands' specs.
var argValidators = map[string]func(args []string) error{
	"engine-api": func(args []string) error {
		return unlessUnresolved(args[0], func(v string) error {
			if !apiVersion.MatchString(v) {
				return fmt.Errorf("MIN %q: want an API version such as 1.32", v)
			}
			return nil
		})
	},
	"port-free": func(args []string) error {
		return unlessUnresolved(args[0], func(v string) error {
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("PORT %q: want a port number, 1 to 65535", v)
			}
			return nil
		})
	},
	"service-running": func(args []string) error {
		if err := unlessUnresolved(args[1], func(v string) error {
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				return fmt.Errorf("COUNT %q: want a number of tasks", v)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, pair := range resolvedPairs(args[3:]) {
			if _, err := parseProperty(pair, taskKeys); err != nil {
				return err
			}
		}
		return nil
	},
	"service-spec": func(args []string) error {
		for _, pair := range resolvedPairs(args[1:]) {
			key, _, ok := strings.Cut(strings.TrimPrefix(pair, "!"), "=")
			_, listed := specKeysWithPort[key]
			switch {
			case !ok:
				return fmt.Errorf("%q: want KEY=VALUE", pair)
			case listed:
				if _, err := parseProperty(pair, specKeysWithPort); err != nil {
					return err
				}
			case strings.HasPrefix(pair, "!"):
				return fmt.Errorf("%q: only the keys of lists (%s) take a leading !", pair, strings.Join(sortedKeys(specKeysWithPort), ", "))
			default:
				// Read from an empty service, a field fails only when its
				// key is unknown.
				if _, err := specField(&swarm.Service{}, key); err != nil {
					return err
				}
			}
		}
		return nil
	},
	"update-state": func(args []string) error {
		return unlessUnresolved(args[1], func(v string) error {
			if !slices.Contains(updateStates, v) {
				return fmt.Errorf("STATE %q: want one of %s", v, strings.Join(updateStates, ", "))
			}
			return nil
		})
	},
	"tasks": func(args []string) error {
		_, err := parseTaskFilter(resolvedPairs(args[1:]))
		return err
	},
	"image-healthcheck": func(args []string) error {
		for i, name := range []string{"INTERVAL", "TIMEOUT"} {
			if err := unlessUnresolved(args[1+i], func(v string) error {
				if _, err := time.ParseDuration(v); err != nil {
					return fmt.Errorf("%s %q: want a duration such as 5s", name, v)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		if err := unlessUnresolved(args[3], func(v string) error {
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				return fmt.Errorf("RETRIES %q: want a number", v)
			}
			return nil
		}); err != nil {
			return err
		}
		if _, err := regexp.Compile(args[4]); err != nil {
			return fmt.Errorf("TEST-REGEXP: %v", err)
		}
		return nil
	},
	"http-get": func(args []string) error {
		if len(args) > 1 {
			if err := unlessUnresolved(args[1], func(v string) error {
				if n, err := strconv.Atoi(v); err != nil || n < 100 || n > 599 {
					return fmt.Errorf("STATUS %q: want an HTTP status such as 200", v)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		if len(args) > 2 {
			if _, err := regexp.Compile(args[2]); err != nil {
				return fmt.Errorf("BODY-REGEXP: %v", err)
			}
		}
		return nil
	},
	"container-file": func(args []string) error {
		if len(args) > 2 {
			if _, err := regexp.Compile(args[2]); err != nil {
				return fmt.Errorf("REGEXP: %v", err)
			}
		}
		return nil
	},
	"probe-check": func(args []string) error {
		_, err := parseProbeWant(resolvedPairs(args[1:]))
		return err
	},
	"network-exists": func(args []string) error {
		for _, pair := range resolvedPairs(args[1:]) {
			key, value, _ := strings.Cut(pair, "=")
			switch {
			case key == "driver" && value != "":
			case key == "attachable" && (value == "true" || value == "false"):
			default:
				return fmt.Errorf("%q: want driver=DRIVER or attachable=true|false", pair)
			}
		}
		return nil
	},
}

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
