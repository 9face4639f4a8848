package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kube-samples/wordpress-fn/fn/krmio"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Every document of every golden case (inputs and outputs) that write
// gives to krmio.Document is written as kio.ByteWriter writes it, and
// most of them are.
func TestDirectIsTheByteWriter(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, "fn/testdata/*/*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	written, all := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
		if err != nil {
			continue
		}
		var docs []*yaml.RNode
		for _, n := range nodes {
			docs = append(docs, n)
			if n.GetKind() == "ResourceList" {
				items, _ := n.Pipe(yaml.Lookup("items"))
				if items != nil {
					for _, it := range items.YNode().Content {
						docs = append(docs, yaml.NewRNode(it))
					}
				}
			}
		}
		for _, n := range docs {
			all++
			var want bytes.Buffer
			if err := (kio.ByteWriter{Writer: &want}).Write([]*yaml.RNode{n}); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if !direct(n) || !krmio.Document(&got, n.YNode()) {
				continue
			}
			written++
			if got.String() != want.String() {
				t.Fatalf("%s: %s %s:\n--- kio.ByteWriter\n%s\n--- krmio.Document\n%s", f, n.GetKind(), n.GetName(), want.String(), got.String())
			}
		}
	}
	t.Logf("%d of %d documents written by krmio.Document", written, all)
	if written < all/2 {
		t.Errorf("only %d of %d documents written by krmio.Document", written, all)
	}
}
