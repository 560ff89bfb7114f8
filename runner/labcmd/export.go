package labcmd

import (
	"context"

	"github.com/labrun/labrun/runner/engine"
)

// PortFree runs the port-free check once on e, outside a lab's script:
// nil when port is free, else what uses it and how to free it. doctor
// asks it of every port a lab keeps free.
func PortFree(ctx context.Context, e *engine.Engine, port string) error {
	return portFree(ctx, &Call{Session: &Session{Ctx: ctx, Engine: e}, Args: []string{port}})
}
