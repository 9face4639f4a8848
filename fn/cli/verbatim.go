package cli

import (
	"bytes"
	"crypto/sha256"
	"regexp"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/krmio"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// verbatim remembers the text of each input document, so that harden
// writes a document it did not change exactly as it came: a Helm
// post-renderer or a reviewer diffing the output sees only what harden
// changed, not YAML re-indented, block scalars refolded or comments moved
// by a re-encoding.
//
// It keeps, by the node it was read into, the document's text (a part of
// the input string, not a copy) and a digest of its encoding when read:
// holding the encodings themselves, or the nodes a document parses into on
// its own, cost about twice the input again (issue 10).
type verbatim struct {
	// read are the documents newVerbatim read, in order.
	read    []document
	text    map[*yaml.Node]string
	encoded map[*yaml.Node]digest
	// stub are the texts of the documents held as stubs (compact.go),
	// which are written as they came.
	stub map[*yaml.Node]string
	// size, when not 0, is about what the output takes.
	size int
}

// document is one document's text and the digest of its encoding.
type document struct {
	text    string
	encoded digest
}

// digest is the SHA-256 of an encoding.
type digest [sha256.Size]byte

func digestOf(s string) digest { return sha256.Sum256([]byte(s)) }

// separator is a line that ends a YAML document: "---" or "...", alone or
// followed by a comment.
var separator = regexp.MustCompile(`^(---|\.\.\.)\s*(#.*)?$`)

// splitDocuments cuts a multi-document stream at its separator lines. Each
// document is a part of data, which it does not copy.
func splitDocuments(data string) []string {
	var docs []string
	start := 0
	for pos := 0; pos < len(data); {
		line, end := lineAt(data, pos)
		if (line[0] == '-' || line[0] == '.') && separator.MatchString(strings.TrimRight(line, "\r\n")) {
			docs = append(docs, data[start:pos])
			start = end
		}
		pos = end
	}
	return append(docs, data[start:])
}

// lineAt is the line of data that begins at pos, with its line feed, and
// where the next line begins.
func lineAt(data string, pos int) (line string, next int) {
	end := strings.IndexByte(data[pos:], '\n')
	if end < 0 {
		return data[pos:], len(data)
	}
	return data[pos : pos+end+1], pos + end + 1
}

// newVerbatim reads data document by document, as parse reads it whole,
// and remembers the documents that hold one object each. Only one
// document's nodes are alive at a time.
func newVerbatim(data string) *verbatim {
	v := &verbatim{}
	for _, doc := range splitDocuments(data) {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		nodes, err := readDoc(doc)
		if err != nil || len(nodes) != 1 {
			continue
		}
		s, err := nodes[0].String()
		if err != nil {
			continue
		}
		if !strings.HasSuffix(doc, "\n") {
			doc += "\n"
		}
		v.read = append(v.read, document{text: doc, encoded: digestOf(s)})
	}
	return v
}

// byEncoding is the texts of the documents read, by their encoding's
// digest.
func (v *verbatim) byEncoding() map[digest][]string {
	m := map[digest][]string{}
	for _, d := range v.read {
		m[d.encoded] = append(m[d.encoded], d.text)
	}
	return m
}

// adopt maps the nodes that parse read to the texts read here: the same
// documents in the same order, each encoded alike.
func (v *verbatim) adopt(nodes []*yaml.RNode) {
	byEncoding := v.byEncoding()
	text := map[*yaml.Node]string{}
	encoded := map[*yaml.Node]digest{}
	for _, n := range nodes {
		s, err := n.String()
		if err != nil {
			continue
		}
		d := digestOf(s)
		if texts := byEncoding[d]; len(texts) == 1 {
			text[n.YNode()], encoded[n.YNode()] = texts[0], d
		}
	}
	v.read, v.text, v.encoded = nil, text, encoded
}

// write writes the nodes as a multi-document stream: a node that still
// encodes as it did when read is written as its input text.
func (v *verbatim) write(nodes []*yaml.RNode) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(v.size)
	for i, n := range nodes {
		if i > 0 {
			buf.WriteString("---\n")
		}
		if text, ok := v.stub[n.YNode()]; ok {
			buf.WriteString(text)
			continue
		}
		if text, ok := v.text[n.YNode()]; ok {
			if s, err := n.String(); err == nil && digestOf(s) == v.encoded[n.YNode()] {
				buf.WriteString(text)
				continue
			}
			if t, ok := v.withNamespace(n, text); ok {
				buf.WriteString(t)
				continue
			}
		}
		// What kio.ByteWriter writes, by krmio's emitter where it writes
		// the same bytes (the usual shape of a resource): yaml.v3's
		// emitter queues every event of a document and was half of what
		// expand allocated for one site (issue 10).
		if direct(n) && krmio.Document(&buf, n.YNode()) {
			continue
		}
		if err := (kio.ByteWriter{Writer: &buf}).Write([]*yaml.RNode{n}); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// direct reports whether kio.ByteWriter writes n's document as the node
// is: it has no annotation the writer removes or reads (kio's index, path
// and seqindent ones, legacy keys too), no empty metadata or annotations
// that the writer drops, no bare sequence wrapper and no comment on the
// document node. krmio.Document then writes what the writer would.
func direct(n *yaml.RNode) bool {
	d := n.Document()
	if d.Kind == yaml.DocumentNode {
		if d.HeadComment != "" || d.LineComment != "" || d.FootComment != "" || len(d.Content) != 1 {
			return false
		}
		d = d.Content[0]
	}
	if d.Kind != yaml.MappingNode || d != n.YNode() {
		return false
	}
	m := yaml.NewRNode(d)
	if m.Field(yaml.BareSeqNodeWrappingKey) != nil {
		return false
	}
	meta := m.Field(yaml.MetadataField)
	if meta == nil {
		return true
	}
	mv := meta.Value.YNode()
	if mv.Kind != yaml.MappingNode || len(mv.Content) == 0 {
		return false
	}
	ann := meta.Value.Field(yaml.AnnotationsField)
	if ann == nil {
		return true
	}
	av := ann.Value.YNode()
	if av.Kind != yaml.MappingNode || len(av.Content) == 0 {
		return false
	}
	for i := 0; i < len(av.Content); i += 2 {
		switch av.Content[i].Value {
		case kioutil.IndexAnnotation, kioutil.LegacyIndexAnnotation, kioutil.SeqIndentAnnotation,
			kioutil.PathAnnotation, kioutil.LegacyPathAnnotation:
			return false
		}
	}
	return true
}

// withNamespace writes a document whose only change is the namespace
// harden gave it (its input had none) as its input text with one line
// added under metadata.
func (v *verbatim) withNamespace(n *yaml.RNode, text string) (string, bool) {
	ns := n.GetNamespace()
	if ns == "" {
		return "", false
	}
	c := n.Copy()
	if err := c.PipeE(yaml.Lookup("metadata"), yaml.Clear("namespace")); err != nil {
		return "", false
	}
	if s, err := c.String(); err != nil || digestOf(s) != v.encoded[n.YNode()] {
		return "", false
	}
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		if strings.TrimRight(l, " \t\r\n") != "metadata:" {
			continue
		}
		// The indentation of metadata's first field.
		for _, next := range lines[i+1:] {
			t := strings.TrimLeft(next, " ")
			if t == "" || t == "\n" || strings.HasPrefix(t, "#") {
				continue
			}
			indent := next[:len(next)-len(t)]
			if indent == "" {
				return "", false
			}
			value, err := yaml.NewScalarRNode(ns).String()
			if err != nil {
				return "", false
			}
			line := indent + "namespace: " + strings.TrimSpace(value) + "\n"
			out := strings.Join(lines[:i+1], "") + line + strings.Join(lines[i+1:], "")
			return out, true
		}
	}
	return "", false
}
