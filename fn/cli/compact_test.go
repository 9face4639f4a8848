package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kube-samples/wordpress-fn/bench/gen"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// splitItems must only split where each item parses, on its own, to the
// very nodes the whole list parses to: values, styles, tags, comments,
// lines and columns. (fn/compact_test.go compares the outputs of the two
// paths.)

func sameNode(a, b *yaml.Node, path string) error {
	if (a == nil) != (b == nil) {
		return fmt.Errorf("%s: one is nil", path)
	}
	if a == nil {
		return nil
	}
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.HeadComment != b.HeadComment || a.LineComment != b.LineComment || a.FootComment != b.FootComment ||
		a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) || (a.Alias == nil) != (b.Alias == nil) {
		return fmt.Errorf("%s: %+v\n!= %+v", path, *a, *b)
	}
	for i := range a.Content {
		if err := sameNode(a.Content[i], b.Content[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// checkSplit: when splitItems splits data, the parts parse as the whole.
func checkSplit(t testing.TB, data []byte) bool {
	_, spans, ok := splitItems(string(data))
	if !ok {
		return false
	}
	whole, err := yaml.Parse(string(data))
	if err != nil {
		return false // then the compact path fails too, and leaves it
	}
	items := whole.Field("items")
	if items == nil || items.Value.YNode().Kind != yaml.SequenceNode {
		t.Fatalf("split, but the whole has no items sequence:\n%s", data)
	}
	content := items.Value.YNode().Content
	var nodes []*yaml.Node
	for _, s := range spans {
		n := parseItem(string(data), s)
		if n == nil {
			return false // the compact path leaves it
		}
		nodes = append(nodes, n)
	}
	if len(nodes) != len(content) {
		t.Fatalf("split into %d items, the whole has %d:\n%s", len(nodes), len(content), data)
	}
	for i := range nodes {
		if err := sameNode(content[i], nodes[i], fmt.Sprintf("items[%d]", i)); err != nil {
			t.Fatalf("item %d parses differently on its own: %v\n--- input\n%s", i, err, data)
		}
	}
	return true
}

func splitSeeds(t testing.TB) [][]byte {
	var out [][]byte
	base, err := gen.ReadDir(root + "/base")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := os.ReadFile(root + "/examples/seed-production/profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{1, 2, 3, 4} {
		rl, err := gen.ResourceList(gen.Options{N: 60, Seed: seed, Base: base, FunctionConfig: fc, Items: gen.Profiles(2)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rl)
	}
	stdins, _ := filepath.Glob("../testdata/*/_stdin")
	for _, p := range stdins {
		if data, err := os.ReadFile(p); err == nil {
			out = append(out, data)
		}
	}
	return out
}

func TestSplitItemsParsesAsWhole(t *testing.T) {
	split := 0
	for _, data := range splitSeeds(t) {
		if checkSplit(t, data) {
			split++
		}
	}
	if split < 4 {
		t.Fatalf("only %d inputs split: the generated lists must", split)
	}
	// Comments where the parts could take them differently: left whole.
	for _, s := range []string{
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n# c\n- kind: A\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- kind: A\n  # c\n- kind: B\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- kind: A\n# c\nfunctionConfig: {}\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- kind: A\n    # c\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: # c\n- kind: A\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- kind: A\n---\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n\t- kind: A\n",
		// items: at column 0 inside a quoted scalar is no key.
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nx: \"\nitems:\n- kind: A\n\"\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nx: '\nitems:\n- kind: A\n'\n",
	} {
		if _, _, ok := splitItems(s); ok {
			t.Errorf("split:\n%s", s)
		}
	}
}

// FuzzSplitItems: wherever splitItems splits, the parts parse as the
// whole does.
//
//	go test -run='^$' -fuzz='^FuzzSplitItems$' -fuzztime=60s ./fn/cli
func FuzzSplitItems(f *testing.F) {
	for _, data := range splitSeeds(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSplit(t, data)
	})
}
