package ynode

import (
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Line is the line of the field at a message's field path in n (a
// document node is entered): the line of its key, or of a list element;
// 0 when the path is not written there. A path is what messages print:
// fields joined by dots, a key holding dots (a label) matched whole,
// [2] for a list element and [name=x] for the element with that name.
func Line(n *yaml.Node, path string) int {
	line, _ := Find(n, path)
	return line
}

// Find is Line, and the value at the path (nil when it is not written).
func Find(n *yaml.Node, path string) (int, *yaml.Node) {
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	line := 0
	for path != "" && n != nil {
		if n.Kind == yaml.AliasNode {
			return 0, nil
		}
		if strings.HasPrefix(path, "[") {
			end := strings.IndexByte(path, ']')
			if end < 0 || n.Kind != yaml.SequenceNode {
				return 0, nil
			}
			n, path = element(n, path[1:end]), path[end+1:]
			if n == nil {
				return 0, nil
			}
			line = n.Line
			path = strings.TrimPrefix(path, ".")
			continue
		}
		if n.Kind != yaml.MappingNode {
			return 0, nil
		}
		// The longest key the path starts with, so that a key holding
		// dots (app.kubernetes.io/name) is one field.
		var key, value *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if (path == k || strings.HasPrefix(path, k+".") || strings.HasPrefix(path, k+"[")) &&
				(key == nil || len(k) > len(key.Value)) {
				key, value = n.Content[i], n.Content[i+1]
			}
		}
		if key == nil {
			return 0, nil
		}
		n, line, path = value, key.Line, strings.TrimPrefix(path[len(key.Value):], ".")
	}
	if path != "" || n == nil {
		return 0, nil
	}
	return line, n
}

// element is the list element an index (2) or a selector (name=x) names.
func element(seq *yaml.Node, sel string) *yaml.Node {
	if field, value, ok := strings.Cut(sel, "="); ok {
		for _, e := range seq.Content {
			if Scalar(e, field) == value {
				return e
			}
		}
		return nil
	}
	i, err := strconv.Atoi(sel)
	if err != nil || i < 0 || i >= len(seq.Content) {
		return nil
	}
	return seq.Content[i]
}
