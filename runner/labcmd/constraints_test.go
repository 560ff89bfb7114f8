package labcmd

import (
	"reflect"
	"testing"
)

func TestWithConstraints(t *testing.T) {
	for _, tc := range []struct {
		name              string
		args, constraints []string
		want              []string
	}{
		{"none", []string{"docker", "service", "create", "--name", "s", "img"}, nil,
			[]string{"docker", "service", "create", "--name", "s", "img"}},
		{"service create", []string{"docker", "service", "create", "--name", "s", "img"}, []string{"node.id!=a", "node.id!=b"},
			[]string{"docker", "service", "create", "--constraint", "node.id!=a", "--constraint", "node.id!=b", "--name", "s", "img"}},
		{"service update", []string{"docker", "service", "update", "--image", "i:2", "s"}, []string{"node.id!=a"},
			[]string{"docker", "service", "update", "--image", "i:2", "s"}},
		{"another program", []string{"sh", "service", "create"}, []string{"node.id!=a"},
			[]string{"sh", "service", "create"}},
		{"short", []string{"docker", "service"}, []string{"node.id!=a"}, []string{"docker", "service"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{}, tc.args...)
			if got := WithConstraints(args, tc.constraints); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if !reflect.DeepEqual(args, tc.args) {
				t.Errorf("the lab's own args changed: %q", args)
			}
		})
	}
}
