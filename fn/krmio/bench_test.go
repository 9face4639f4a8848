package krmio

import (
	"os"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/bench/gen"
	"github.com/kube-samples/wordpress-fn/fn/processor"
)

// input10k is a list of 10,000 generated resources plus base/, with the
// production profile as functionConfig: the input of the whole-process
// benchmark's middle size.
func input10k(b *testing.B) []byte {
	b.Helper()
	base, err := gen.ReadDir("../../base")
	if err != nil {
		b.Fatal(err)
	}
	fc, err := os.ReadFile("../../examples/seed-production/profile.yaml")
	if err != nil {
		b.Fatal(err)
	}
	data, err := gen.ResourceList(gen.Options{N: 10000, Seed: 1, Base: base, FunctionConfig: fc})
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// bench runs read, the processor when process is set, and write, as the
// function's krm() does.
func bench(b *testing.B, process bool, write func(*fn.ResourceList) ([]byte, error)) {
	data := input10k(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rl, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if process {
			if ok, err := (processor.Processor{}).Process(rl); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
		if _, err := write(rl); err != nil {
			b.Fatal(err)
		}
	}
}

func sdkWrite(rl *fn.ResourceList) ([]byte, error) { return rl.ToYAML() }

// The no-op floor: read and write 10,000 resources.
func BenchmarkNoop10kSDK(b *testing.B)   { bench(b, false, sdkWrite) }
func BenchmarkNoop10kKrmio(b *testing.B) { bench(b, false, Marshal) }

// The function: read, harden the WordPress resources, write.
func BenchmarkFunction10kSDK(b *testing.B)   { bench(b, true, sdkWrite) }
func BenchmarkFunction10kKrmio(b *testing.B) { bench(b, true, Marshal) }

// Parse alone, the part krmio leaves to the SDK.
func BenchmarkParse10k(b *testing.B) {
	data := input10k(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
