package processor

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/bench/gen"
)

func input(b *testing.B, n, profiles int) []byte {
	b.Helper()
	opts := gen.Options{N: n, Seed: 1, Items: gen.Profiles(profiles)}
	if n > 0 {
		base, err := gen.ReadDir("../../base")
		if err != nil {
			b.Fatal(err)
		}
		opts.Base = base
		fc, err := os.ReadFile("../../examples/seed-production/profile.yaml")
		if err != nil {
			b.Fatal(err)
		}
		opts.FunctionConfig = fc
	}
	data, err := gen.ResourceList(opts)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// process runs the processor on a fresh parse of data for each iteration;
// only Process is timed. check looks at the first result.
func process(b *testing.B, data []byte, check func(before int, rl *fn.ResourceList) error) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	checked := false
	for b.Loop() {
		b.StopTimer()
		rl, err := fn.ParseResourceList(data)
		if err != nil {
			b.Fatal(err)
		}
		before := len(rl.Items)
		b.StartTimer()
		ok, err := Processor{}.Process(rl)
		if !ok || err != nil {
			b.Fatalf("ok=%v err=%v results=%v", ok, err, rl.Results)
		}
		if !checked {
			b.StopTimer()
			if err := check(before, rl); err != nil {
				b.Fatal(err)
			}
			checked = true
			b.StartTimer()
		}
	}
}

// BenchmarkHarden10k hardens the WordPress resources of base/ inside a
// list of 10,000 other resources, with the production profile.
func BenchmarkHarden10k(b *testing.B) {
	process(b, input(b, 10000, 0), func(before int, rl *fn.ResourceList) error {
		for _, r := range rl.Results {
			if strings.Contains(r.Message, "literal password replaced") {
				return nil
			}
		}
		return fmt.Errorf("base/'s literal passwords were not replaced: %v", rl.Results)
	})
}

// BenchmarkExpand1000Profiles expands 1,000 WordPressProfile items of one
// list.
func BenchmarkExpand1000Profiles(b *testing.B) {
	process(b, input(b, 0, 1000), func(before int, rl *fn.ResourceList) error {
		if added := len(rl.Items) - before; added < 1000*10 {
			return fmt.Errorf("1,000 profiles added only %d resources", added)
		}
		return nil
	})
}
