// Package aliases finds YAML aliases (*name) where wordpress-fn reads or
// edits, and words the message that refuses them. The command line (on
// the raw input) and the processor (on the items it is given) both refuse
// aliases, and say so in the same words.
//
// The function edits resources in place: an edit through an alias would
// change every place that shares the anchored node (a label added to
// metadata.labels would land in an immutable selector too), and the SDK's
// accessors cannot read an alias at all. The finders read the YAML nodes
// directly, so they are safe on any shape.
package aliases

import (
	"fmt"

	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// EditsInPlace is why an alias is refused where the function reads or
// edits what (e.g. "resources", "it").
func EditsInPlace(what string) string {
	return "wordpress-fn edits " + what + " in place and does not read anchors and aliases"
}

// Advice ends every message refusing an alias: why it is refused, and what
// to do instead.
func Advice(why string) string {
	return why + "; write the value out in full"
}

// Message refuses alias a: "a YAML alias (*name)", then where (appended
// as is, e.g. " to an anchor in another item"; may be empty), then the
// Advice for why.
func Message(a *yaml.Node, where, why string) string {
	return fmt.Sprintf("a YAML alias (*%s)%s: %s", a.Value, where, Advice(why))
}

// Read returns the first alias in what the function reads of an object
// y: all of a WordPressProfile (Find), only the identity of any other
// object (Identity).
func Read(y *yaml.Node) (string, *yaml.Node) {
	if ynode.Scalar(y, "kind") == "WordPressProfile" {
		return Find(y)
	}
	return Identity(y)
}

// Identity is Find over what is read of every item, by the SDK and the
// processor's index: the top-level keys, apiVersion, kind, metadata, and
// spec.template.metadata.
func Identity(n *yaml.Node) (string, *yaml.Node) {
	if n.Kind == yaml.AliasNode {
		return "", n
	}
	if n.Kind != yaml.MappingNode {
		return "", nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind == yaml.AliasNode {
			return "", n.Content[i]
		}
	}
	for _, f := range []string{"apiVersion", "kind", "metadata"} {
		if v := ynode.Lookup(n, f); v != nil {
			if p, a := find(v, f); a != nil {
				return p, a
			}
		}
	}
	path := ""
	for _, f := range []string{"spec", "template", "metadata"} {
		path = ynode.Join(path, f)
		v := ynode.Lookup(n, f)
		if v == nil {
			return "", nil
		}
		if f == "metadata" || v.Kind == yaml.AliasNode {
			return find(v, path)
		}
		n = v
	}
	return "", nil
}

// Find returns the first YAML alias (*name) under n, a merge key's
// (<<: *name) included, and its field path; nil when there is none.
func Find(n *yaml.Node) (string, *yaml.Node) {
	return find(n, "")
}

func find(n *yaml.Node, path string) (string, *yaml.Node) {
	switch n.Kind {
	case yaml.AliasNode:
		return path, n
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if p, a := find(c, path); a != nil {
				return p, a
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if k.Kind == yaml.AliasNode {
				return path, k
			}
			if q, a := find(v, p); a != nil {
				return q, a
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if p, a := find(c, fmt.Sprintf("%s[%d]", path, i)); a != nil {
				return p, a
			}
		}
	}
	return "", nil
}

// Foreign returns an alias under n whose anchor is not under n.
func Foreign(n *yaml.Node) *yaml.Node {
	own := map[*yaml.Node]bool{}
	var aliases []*yaml.Node
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		own[n] = true
		if n.Kind == yaml.AliasNode {
			aliases = append(aliases, n)
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	for _, a := range aliases {
		if !own[a.Alias] {
			return a
		}
	}
	return nil
}
