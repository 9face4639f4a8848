// Command wordpress-fn is a KRM function that expands a WordPressProfile
// into a production WordPress + MySQL deployment and hardens existing
// manifests. See the README.
package main

import (
	"os"

	"github.com/kube-samples/wordpress-fn/fn/cli"
)

func main() {
	cli.GCForShortRuns()
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
