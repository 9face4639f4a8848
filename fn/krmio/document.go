package krmio

import (
	"bytes"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Document writes the mapping n as a YAML document the way kyaml's
// encoder writes it (yaml.v3, indent 2, compact sequences; what
// kio.ByteWriter writes for one node) and reports true; or writes nothing
// and reports false when n is not of the emitter's shape (the caller then
// leaves it to yaml.v3), or carries a head comment, whose place differs
// between a document and a list's item.
//
// At column 0 a mapping is written as the same lines as the item it is in
// a list ("- " then the first key, every other line two columns in),
// moved two columns left: the emitter's and yaml.v3's decisions do not
// depend on the column (yaml.v3 folds no long line), and a literal block
// is indented from its key. A line of the item with less than two columns
// of indentation (only blank lines of a literal block have it) is written
// as it is, and a non-blank one makes Document give up.
func Document(buf *bytes.Buffer, n *yaml.Node) bool {
	if n.HeadComment != "" {
		return false
	}
	var item bytes.Buffer
	if !(&emitter{buf: &item}).item(n) {
		return false
	}
	b := item.Bytes()
	if !bytes.HasPrefix(b, []byte("- ")) {
		return false
	}
	mark := buf.Len()
	b = b[2:]
	first := true
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			buf.Truncate(mark)
			return false // the emitter ends every line
		}
		line := b[:i+1]
		b = b[i+1:]
		switch {
		case first:
			first = false
		case bytes.HasPrefix(line, []byte("  ")):
			line = line[2:]
		case len(line) == 1:
		default:
			buf.Truncate(mark)
			return false
		}
		buf.Write(line)
	}
	return true
}
