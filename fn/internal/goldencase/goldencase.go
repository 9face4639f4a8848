// Package goldencase reads a golden case of fn/testdata the way the golden
// tests and the fuzz seeds both need it: the case's input items (*.yaml,
// with the path and index annotations kpt would set) and its function
// config (_fnconfig.yaml), as the ResourceList the KRM function receives.
package goldencase

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// ResourceList builds the function's input from a case directory.
func ResourceList(dir string) ([]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var items []*yaml.RNode
	var config *yaml.RNode
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "_") && name != "_fnconfig.yaml" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if name == "_fnconfig.yaml" {
			if len(nodes) != 1 {
				return nil, fmt.Errorf("%s: want one function config, not %d", f, len(nodes))
			}
			config = nodes[0]
			continue
		}
		for i, n := range nodes {
			if err := n.PipeE(yaml.SetAnnotation(kioutil.PathAnnotation, name)); err != nil {
				return nil, err
			}
			if err := n.PipeE(yaml.SetAnnotation(kioutil.IndexAnnotation, strconv.Itoa(i))); err != nil {
				return nil, err
			}
			items = append(items, n)
		}
	}
	var buf bytes.Buffer
	w := kio.ByteWriter{Writer: &buf, KeepReaderAnnotations: true, FunctionConfig: config,
		WrappingAPIVersion: kio.ResourceListAPIVersion, WrappingKind: kio.ResourceListKind}
	if err := w.Write(items); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
