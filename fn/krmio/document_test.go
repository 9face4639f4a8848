package krmio

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// doc is what kyaml's encoder (kio.ByteWriter's, for a node without
// kio's annotations) writes for the mapping n as a document.
func doc(t testing.TB, n *yaml.Node) string {
	t.Helper()
	var buf bytes.Buffer
	e := yaml.NewEncoder(&buf)
	e.CompactSeqIndent()
	if err := e.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{n}}); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// Document writes what yaml.v3 writes, on the random trees the emitter is
// tested on, whenever it writes anything; and it writes most of them.
func TestDocumentMatchesYAMLv3(t *testing.T) {
	for _, odd := range []int{0, 5, 30, 60} {
		g := &treeGen{r: rand.New(rand.NewPCG(uint64(odd), 7)), odd: odd}
		written, simpleItems := 0, 0
		const n = 20000
		for i := 0; i < n; i++ {
			m := g.mapping(0)
			if simple(m) && m.HeadComment == "" {
				simpleItems++
			}
			var buf bytes.Buffer
			buf.WriteString("kept")
			if !Document(&buf, m) {
				if buf.String() != "kept" {
					t.Fatalf("odd=%d tree %d: Document gave up but wrote %q", odd, i, buf.String())
				}
				continue
			}
			written++
			if want, got := doc(t, m), buf.String()[len("kept"):]; want != got {
				t.Fatalf("odd=%d tree %d differs:\nyaml.v3:\n%s\nDocument:\n%s", odd, i, want, got)
			}
		}
		t.Logf("odd=%d: %d of %d random mappings written by Document", odd, written, n)
		if written != simpleItems {
			t.Errorf("odd=%d: Document wrote %d of the %d mappings the emitter writes as items", odd, written, simpleItems)
		}
	}
}
