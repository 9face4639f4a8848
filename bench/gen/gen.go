// Package gen makes the inputs of the benchmarks: ResourceLists of many
// varied, realistic resources (the Deployments, Services, ConfigMaps and
// friends of many teams' apps, as kustomize or kpt hand them to a
// function: with their path and index annotations and the odd comment),
// and ResourceLists of many WordPressProfiles. Everything is a
// deterministic function of the options: the same options give the same
// bytes.
package gen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Options of a ResourceList.
type Options struct {
	// N is the number of generated resources, not counting Base.
	N int
	// Seed varies the resources; the same seed gives the same list.
	Seed uint64
	// Base are extra manifests (multi-document YAML, such as the files of
	// the repository's base/) appended to the items as they are.
	Base [][]byte
	// FunctionConfig, when not empty, is the list's functionConfig (a
	// single YAML document, such as a WordPressProfile).
	FunctionConfig []byte
	// Items are extra documents appended after Base (several profiles).
	Items [][]byte
}

// ResourceList returns the ResourceList of opts as YAML.
func ResourceList(opts Options) ([]byte, error) {
	docs, err := documents(opts)
	if err != nil {
		return nil, err
	}
	items := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: docs}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(k string, v *yaml.Node) {
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, v)
	}
	add("apiVersion", str("config.kubernetes.io/v1"))
	add("kind", str("ResourceList"))
	add("items", items)
	if len(bytes.TrimSpace(opts.FunctionConfig)) > 0 {
		fc, err := parseOne(string(opts.FunctionConfig))
		if err != nil {
			return nil, fmt.Errorf("functionConfig: %w", err)
		}
		add("functionConfig", fc)
	}
	return encode(root)
}

// Stream returns the items of opts' ResourceList as a multi-document YAML
// stream (what harden reads; opts.FunctionConfig is left out).
func Stream(opts Options) ([]byte, error) {
	docs, err := documents(opts)
	if err != nil {
		return nil, err
	}
	return encode(docs...)
}

func encode(docs ...*yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// documents are the items of opts' ResourceList.
func documents(opts Options) ([]*yaml.Node, error) {
	var docs []*yaml.Node
	r := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	for i := 0; len(docs) < opts.N; i++ {
		for _, d := range app(r, i) {
			if len(docs) == opts.N {
				break
			}
			n, err := parseOne(d)
			if err != nil {
				return nil, fmt.Errorf("generated resource %d: %w\n%s", len(docs), err, d)
			}
			docs = append(docs, n)
		}
	}
	for fi, b := range append(append([][]byte{}, opts.Base...), opts.Items...) {
		ns, err := parseAll(b)
		if err != nil {
			return nil, fmt.Errorf("base document %d: %w", fi, err)
		}
		for di, n := range ns {
			setAnnotation(n, "config.kubernetes.io/path", fmt.Sprintf("extra/%d.yaml", fi))
			setAnnotation(n, "internal.config.kubernetes.io/path", fmt.Sprintf("extra/%d.yaml", fi))
			setAnnotation(n, "config.kubernetes.io/index", fmt.Sprint(di))
			setAnnotation(n, "internal.config.kubernetes.io/index", fmt.Sprint(di))
			docs = append(docs, n)
		}
	}
	return docs, nil
}

// Profiles returns n distinct production WordPressProfiles, each a YAML
// document: site-NNNN in namespace wp-NNNN, on its own host. They need no
// shared object, so they can all be expanded in one list.
func Profiles(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(fmt.Sprintf(`# Site %[1]d of the hosting platform.
apiVersion: wordpress.kube-samples.io/v1alpha1
kind: WordPressProfile
metadata:
  name: site-%04[1]d
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
  topology: production
  name: site-%04[1]d
  namespace: wp-%04[1]d
  database:
    embedded:
      persistence:
        claimName: mysql-pvc
        storageClass: rook-ceph-block
        size: 20Gi
  wordpress:
    persistence:
      claimName: wordpress-pvc
      storageClass: csi-cephfs
      size: 2Gi
  credentials:
    secretName: wordpress-db-pwd
    passwordKey: dbpwd
  exposure:
    mode: traefik
    host: site-%04[1]d.example.com
    traefik:
      certResolver: le
      domains:
      - main: "*.example.com"
`, i))
	}
	return out
}

// ReadDir returns the YAML files of dir (not kustomization.yaml), sorted
// by name, for Options.Base.
func ReadDir(dir string) ([][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out [][]byte
	for _, f := range files {
		if filepath.Base(f) == "kustomization.yaml" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func str(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

func parseAll(b []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []*yaml.Node
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
			n := doc.Content[0]
			if doc.HeadComment != "" {
				n.HeadComment = strings.TrimSpace(doc.HeadComment + "\n" + n.HeadComment)
			}
			out = append(out, n)
		}
	}
}

func parseOne(s string) (*yaml.Node, error) {
	ns, err := parseAll([]byte(s))
	if err != nil {
		return nil, err
	}
	if len(ns) != 1 {
		return nil, fmt.Errorf("want one document, got %d", len(ns))
	}
	return ns[0], nil
}

func lookup(m *yaml.Node, k string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return m.Content[i+1]
		}
	}
	return nil
}

func setAnnotation(n *yaml.Node, k, v string) {
	md := lookup(n, "metadata")
	if md == nil {
		md = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		n.Content = append(n.Content, str("metadata"), md)
	}
	an := lookup(md, "annotations")
	if an == nil {
		an = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		md.Content = append(md.Content, str("annotations"), an)
	}
	if cur := lookup(an, k); cur != nil {
		cur.Value, cur.Style = v, yaml.SingleQuotedStyle
		return
	}
	an.Content = append(an.Content, str(k), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Style: yaml.SingleQuotedStyle})
}
