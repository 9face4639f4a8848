// Package ynode reads yaml.v3 nodes directly: looking fields up without
// the accessors that crash on an unexpected shape, and naming a node in a
// message. The profile decoder, the processor, the hardener and the
// command line share it.
package ynode

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Lookup returns the value of a mapping's field; nil when m is not a
// mapping or has no such field.
func Lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// At walks a path of mapping fields from n (a document node is entered);
// nil when one is missing.
func At(n *yaml.Node, path ...string) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	for _, f := range path {
		n = Lookup(n, f)
		if n == nil {
			return nil
		}
	}
	return n
}

// Scalar is the value at a path of mapping fields, "" when a field is
// missing or not a scalar.
func Scalar(n *yaml.Node, path ...string) string {
	n = At(n, path...)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// IsNull reports whether n is an explicit null (`~`, `null`, nothing).
func IsNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// Join appends a field to a dotted field path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Describe names a node for a message: its kind, and a scalar's value,
// unless hide is set for a string (it may be a misplaced password). A long
// string is abbreviated.
func Describe(n *yaml.Node, hide bool) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!int":
		return "the integer " + Abbreviate(n.Value)
	case "!!bool":
		return "the boolean " + n.Value
	case "!!float":
		return "the number " + Abbreviate(n.Value)
	case "!!null":
		return "null"
	}
	if hide {
		return "a string"
	}
	return "the string " + strconv.Quote(Abbreviate(n.Value))
}

// Abbreviate keeps the first 64 bytes of a value longer than 1 KiB, whole
// runes only, and says how long it was.
func Abbreviate(s string) string {
	if len(s) <= 1024 {
		return s
	}
	cut := 64
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", s[:cut], len(s))
}
