// Command kubectl-numberport is the numberport kubectl plugin: installed on
// PATH it runs as `kubectl numberport` and shows where number ports stand.
package main

import (
	"os"

	"github.com/numberport/numberport/internal/plugin"
)

func main() {
	os.Exit(plugin.Main(os.Args[1:], os.Stdout, os.Stderr))
}
