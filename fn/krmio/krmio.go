// Package krmio reads and writes a KRM function's ResourceList like the kpt
// SDK (fn.ParseResourceList and ResourceList.ToYAML) does, with the same
// output byte for byte, in less time and memory.
//
// The SDK's writer is slow on a large list for one reason: it encodes the
// whole list as one YAML document, and the yaml.v3 emitter keeps every
// event of a document in a slice that it never shortens. On a list of
// 10,000 resources that slice grows to hundreds of MB, copied at every
// doubling. Write writes the items one by one instead: with its own
// emitter (emit.go) when an item has the usual shape, else with yaml.v3,
// the item being the only entry of a document whose root is a sequence.
// At column 0, in the compact sequence style, an item encodes to exactly
// the lines it has inside the whole list, so the output is unchanged. The
// envelope (apiVersion, kind, functionConfig, results) is encoded by the
// SDK itself.
//
// The items are sorted as the SDK sorts them (by apiVersion, kind,
// namespace and name, with the SDK's own sort.Sort so that equal keys end
// up in the same order), but each key is computed once, not at every
// comparison.
package krmio

import (
	"bytes"
	"fmt"
	"io"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Parse parses a ResourceList: fn.ParseResourceList, which already decodes
// straight into yaml.v3 nodes and wraps each item without a copy.
func Parse(data []byte) (*fn.ResourceList, error) {
	return fn.ParseResourceList(data)
}

// header is how the SDK's ToYAML starts every ResourceList.
const header = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"

// Marshal returns what rl.ToYAML() returns, byte for byte. Like ToYAML it
// sorts rl.Items.
func Marshal(rl *fn.ResourceList) ([]byte, error) {
	return MarshalWith(rl, nil, 0)
}

// MarshalWith is Marshal, with the item whose node raw knows written as
// the bytes raw gives (what EncodeItem gave for the item the node stands
// for). size, when not 0, is about what the items take: the output is
// allocated once at that size (a doubling of a large buffer holds both).
func MarshalWith(rl *fn.ResourceList, raw func(*yaml.Node) (string, bool), size int) ([]byte, error) {
	var buf bytes.Buffer
	if err := write(&buf, rl, raw, size); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes rl.ToYAML() to w. Nothing is written when rl cannot be
// encoded.
func Write(w io.Writer, rl *fn.ResourceList) error {
	out, err := Marshal(rl)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func write(buf *bytes.Buffer, rl *fn.ResourceList, raw func(*yaml.Node) (string, bool), size int) error {
	Sort(rl.Items)
	// The envelope, from the SDK: the same list without its items.
	env := &fn.ResourceList{FunctionConfig: rl.FunctionConfig, Results: rl.Results}
	if env.FunctionConfig == nil {
		env.FunctionConfig = fn.NewEmptyKubeObject()
	}
	tail, err := env.ToYAML()
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(tail, []byte(header)) {
		return fmt.Errorf("krmio: unexpected ResourceList envelope from the SDK: %.80q", tail)
	}
	tail = tail[len(header):]
	if size == 0 {
		size = 512 * len(rl.Items)
	}
	buf.Grow(len(tail) + len(header) + size)
	buf.WriteString(header)
	if len(rl.Items) > 0 {
		buf.WriteString("items:\n")
		for _, it := range rl.Items {
			n := itemNode(it)
			if raw != nil {
				if s, ok := raw(n); ok {
					buf.WriteString(s)
					continue
				}
			}
			if err := encodeItem(buf, n); err != nil {
				return err
			}
		}
	}
	buf.Write(tail)
	return nil
}

// EncodeItem returns what Marshal writes for an item of the list (its
// mapping node): its lines under items:.
func EncodeItem(n *yaml.Node) (string, error) {
	var buf bytes.Buffer
	if err := encodeItem(&buf, n); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func encodeItem(buf *bytes.Buffer, n *yaml.Node) error {
	mark := buf.Len()
	if (&emitter{buf: buf}).item(n) {
		return nil
	}
	// Not the emitter's shape: yaml.v3 writes it, as the only entry of a
	// sequence at column 0, which is exactly how it writes it inside the
	// whole list.
	buf.Truncate(mark)
	return yaml.NewEncoder(buf).Encode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{n}})
}

// itemNode is the node the SDK encodes for an item: the KubeObject's own
// mapping node, not a copy. The SDK has no getter for it, so the node is
// moved out and the object rebuilt around the same node.
func itemNode(o *fn.KubeObject) *yaml.Node {
	rn := o.MoveToResourceNode()
	n := rn.YNode()
	*o = *fn.MoveToKubeObject(rn)
	return n
}
