// Command noop is the floor of the benchmarks: a KRM function built with
// the same SDK as wordpress-fn that changes nothing. Whatever wordpress-fn
// costs above it is the function's own work.
package main

import (
	"os"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

func main() {
	if err := fn.AsMain(fn.ResourceListProcessorFunc(func(rl *fn.ResourceList) (bool, error) {
		return true, nil
	})); err != nil {
		os.Exit(1)
	}
}
