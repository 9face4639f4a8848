package gen

import (
	"bytes"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

func TestResourceList(t *testing.T) {
	base, err := ReadDir("../../base")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{N: 500, Seed: 7, Base: base, FunctionConfig: Profiles(1)[0]}
	a, err := ResourceList(opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ResourceList(opts)
	if !bytes.Equal(a, b) {
		t.Fatal("the same options gave different lists")
	}
	rl, err := fn.ParseResourceList(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(rl.Items) != 500+len(baseDocs(t, base)) {
		t.Fatalf("got %d items", len(rl.Items))
	}
	kinds := map[string]int{}
	for _, it := range rl.Items {
		kinds[it.GetKind()]++
		if it.GetName() == "" {
			t.Fatalf("an item without a name: %s", it)
		}
	}
	for _, k := range []string{"Deployment", "Service", "ConfigMap", "ServiceAccount", "StatefulSet", "Secret", "Ingress"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in %v", k, kinds)
		}
	}
	if rl.FunctionConfig.GetKind() != "WordPressProfile" {
		t.Errorf("functionConfig is a %q", rl.FunctionConfig.GetKind())
	}
}

func baseDocs(t *testing.T, base [][]byte) []string {
	var out []string
	for _, b := range base {
		ns, err := parseAll(b)
		if err != nil {
			t.Fatal(err)
		}
		for range ns {
			out = append(out, "")
		}
	}
	return out
}

func TestProfiles(t *testing.T) {
	data, err := ResourceList(Options{Items: Profiles(20)})
	if err != nil {
		t.Fatal(err)
	}
	rl, err := fn.ParseResourceList(data)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, it := range rl.Items {
		name, _, _ := it.NestedString("spec", "name")
		ns, _, _ := it.NestedString("spec", "namespace")
		if seen[name] || seen[ns] {
			t.Fatalf("%s/%s is not distinct", ns, name)
		}
		seen[name], seen[ns] = true, true
	}
	if len(rl.Items) != 20 {
		t.Fatalf("got %d profiles", len(rl.Items))
	}
}
