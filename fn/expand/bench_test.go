package expand

import (
	"os"
	"testing"

	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// BenchmarkExpand expands the production profile into its resources.
func BenchmarkExpand(b *testing.B) {
	data, err := os.ReadFile("../../examples/seed-production/profile.yaml")
	if err != nil {
		b.Fatal(err)
	}
	node, err := yaml.Parse(string(data))
	if err != nil {
		b.Fatal(err)
	}
	_, p, errs := profile.Load(node)
	if p == nil {
		b.Fatal(errs)
	}
	b.ReportAllocs()
	for b.Loop() {
		site, err := Expand(p)
		if err != nil {
			b.Fatal(err)
		}
		if len(site.Resources) < 10 {
			b.Fatalf("only %d resources", len(site.Resources))
		}
	}
}
