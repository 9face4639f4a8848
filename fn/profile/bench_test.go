package profile

import (
	"os"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const productionProfile = "../../examples/seed-production/profile.yaml"

func readProfile(b *testing.B) string {
	b.Helper()
	data, err := os.ReadFile(productionProfile)
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}

// BenchmarkLoad decodes, defaults and validates the production profile.
func BenchmarkLoad(b *testing.B) {
	node, err := yaml.Parse(readProfile(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, p, errs := Load(node)
		if p == nil {
			b.Fatal(errs)
		}
	}
}

// BenchmarkParseAndLoad is BenchmarkLoad from the profile's bytes.
func BenchmarkParseAndLoad(b *testing.B) {
	src := readProfile(b)
	b.ReportAllocs()
	for b.Loop() {
		node, err := yaml.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		if _, p, errs := Load(node); p == nil {
			b.Fatal(errs)
		}
	}
}
