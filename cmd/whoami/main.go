// Command whoami is the web server of the whoami lab's offline images,
// which `make bins` cross-compiles and labrun embeds; see
// runner/images/whoami for what it does.
package main

import (
	"os"

	"github.com/labrun/labrun/runner/images/whoami"
)

func main() {
	os.Exit(whoami.Main(os.Args[1:], os.Stdout, os.Stderr))
}
