// Command genlist writes a benchmark input: a ResourceList of -n generated
// resources plus the manifests of -base, with -profile as functionConfig,
// or (-profiles N) a ResourceList of N WordPressProfile items; with -stream,
// the same items as a multi-document YAML stream (harden's input).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/kube-samples/wordpress-fn/bench/gen"
)

func main() {
	n := flag.Int("n", 10000, "generated resources (not counting -base)")
	base := flag.String("base", "", "directory of manifests to add (the repository's base/)")
	prof := flag.String("profile", "", "WordPressProfile file: the functionConfig")
	profiles := flag.Int("profiles", 0, "add this many distinct WordPressProfile items")
	seed := flag.Uint64("seed", 1, "seed")
	out := flag.String("o", "-", "output file")
	stream := flag.Bool("stream", false, "write the items as a multi-document YAML stream, not a ResourceList")
	flag.Parse()
	if err := run(*n, *base, *prof, *profiles, *seed, *out, *stream); err != nil {
		fmt.Fprintln(os.Stderr, "genlist:", err)
		os.Exit(1)
	}
}

func run(n int, base, prof string, profiles int, seed uint64, out string, stream bool) error {
	opts := gen.Options{N: n, Seed: seed}
	if base != "" {
		b, err := gen.ReadDir(base)
		if err != nil {
			return err
		}
		opts.Base = b
	}
	if prof != "" {
		b, err := os.ReadFile(prof)
		if err != nil {
			return err
		}
		opts.FunctionConfig = b
	}
	opts.Items = gen.Profiles(profiles)
	write := gen.ResourceList
	if stream {
		write = gen.Stream
	}
	data, err := write(opts)
	if err != nil {
		return err
	}
	if out == "-" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(out, data, 0o644)
}
