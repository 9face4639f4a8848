// Command wordpress-fn-build is `wordpress-fn build DIR`: kustomize build
// in-process (package build), with wordpress-fn's KRM function served by
// this binary for the container functions kustomize starts.
//
// It is a binary of its own so that the function (bin/wordpress-fn, what
// kustomize, kpt and Helm run for every render) does not carry kustomize's
// api: `wordpress-fn build` runs this program, found next to it
// (`make build` builds both).
package main

import (
	"os"

	"github.com/kube-samples/wordpress-fn/fn/build"
	"github.com/kube-samples/wordpress-fn/fn/cli"
)

func main() {
	args := os.Args[1:]
	if build.IsContainerShim(args) {
		// kustomize's `docker run ... IMAGE` inside a build: the sandbox's
		// PATH holds this binary as docker. It runs as a container would:
		// it reads no file an item's annotations name (a repository writes
		// those annotations, and the answer, a line number or none, would
		// tell what a file holds).
		cli.GCForShortRuns()
		os.Exit(build.ServeContainer(args, os.Stderr, func() int { return cli.KRMAsContainer(os.Stdin, os.Stdout, os.Stderr) }))
	}
	os.Exit(build.Main(args, os.Stdout, os.Stderr))
}
