package runner

import "runtime"

// runtimeGoexit ends the script's goroutine, as testing.T.FailNow does.
var runtimeGoexit = runtime.Goexit
