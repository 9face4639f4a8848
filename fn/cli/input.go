package cli

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/internal/aliases"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// This file checks the shape of the input before anything reads it, so
// that a malformed input is refused with a message that names the document
// and the field, never with a parser's internals or a crash.

// checkAliases refuses a ResourceList that uses YAML aliases (*name) where
// the function reads: the list itself, the function config, and what is
// read of every item (aliases.Identity). The SDK's accessors would
// crash there. An alias elsewhere in an item is left to the processor,
// which refuses it only in a resource it hardens. Only an input with both
// an anchor (&) and an alias (*) character can have one, so most inputs
// are not parsed twice.
func checkAliases(data []byte) error {
	if bytes.IndexByte(data, '&') < 0 || bytes.IndexByte(data, '*') < 0 {
		return nil
	}
	node, err := yaml.Parse(string(data))
	if err != nil {
		return nil // the ResourceList parser reports it
	}
	y := node.YNode()
	if y.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		var path string
		var a *yaml.Node
		switch {
		case k.Kind == yaml.AliasNode || v.Kind == yaml.AliasNode:
			path, a = k.Value, v
			if k.Kind == yaml.AliasNode {
				a = k
			}
		case k.Value == "items" && v.Kind == yaml.SequenceNode:
			for j, it := range v.Content {
				if al := aliases.Foreign(it); al != nil {
					// The items are written sorted: the alias could come
					// before its anchor.
					return fmt.Errorf("items[%d]: %s", j, aliases.Message(al, " to an anchor in another item", "each item must stand on its own"))
				}
				if p, al := aliases.Identity(it); al != nil || it.Kind == yaml.AliasNode {
					if al == nil {
						al = it
					}
					path, a = fmt.Sprintf("items[%d]", j), al
					if p != "" {
						path += "." + p
					}
					break
				}
			}
		case k.Value == "functionConfig" || k.Value == "apiVersion" || k.Value == "kind":
			p, al := aliases.Find(v)
			path, a = strings.TrimSuffix(k.Value+"."+p, "."), al
		}
		if a != nil {
			return fmt.Errorf("%s: %s", path, aliases.Message(a, "", aliases.EditsInPlace("resources")))
		}
	}
	return nil
}

// whyNotResourceList explains, field by field, why the SDK could not read
// data as a ResourceList; "" when it finds nothing more precise than the
// SDK's own error.
func whyNotResourceList(data []byte) string {
	if len(bytes.TrimSpace(data)) == 0 {
		return "the input is empty: the KRM function reads a ResourceList on stdin (expand -f PROFILE and harden -f PROFILE read a profile file)"
	}
	node, err := yaml.Parse(string(data))
	if err != nil || node == nil {
		return ""
	}
	y := node.YNode()
	if y.Kind != yaml.MappingNode {
		return fmt.Sprintf("the input is %s, not a ResourceList (a mapping with apiVersion: config.kubernetes.io/v1, kind: ResourceList and items)", ynode.Describe(y, false))
	}
	if items := ynode.Lookup(y, "items"); items != nil && ynode.IsNull(items) {
		return "items: is null: a ResourceList lists its resources under items (items: [] when there are none)"
	}
	if fc := ynode.Lookup(y, "functionConfig"); fc != nil && ynode.IsNull(fc) {
		return "functionConfig: is null: give a WordPressProfile there, or leave functionConfig out and put the profiles among the items"
	}
	if items := ynode.Lookup(y, "items"); items != nil && !ynode.IsNull(items) {
		if items.Kind != yaml.SequenceNode {
			return fmt.Sprintf("items: must be a list of resources, not %s", ynode.Describe(items, false))
		}
		for i, it := range items.Content {
			if it.Kind != yaml.MappingNode {
				return fmt.Sprintf("items[%d]: must be a resource (a mapping with apiVersion, kind and metadata), not %s", i, ynode.Describe(it, false))
			}
		}
	}
	if fc := ynode.Lookup(y, "functionConfig"); fc != nil && !ynode.IsNull(fc) && fc.Kind != yaml.MappingNode {
		return fmt.Sprintf("functionConfig: must be a WordPressProfile (a mapping), not %s", ynode.Describe(fc, false))
	}
	return ""
}

// checkDocuments refuses documents (profiles, manifests) that are not
// mappings, whose metadata is not a mapping, or that use YAML aliases in a
// profile or where an item is read (aliases.Read), naming the
// document and the field.
// twice lists the keys a mapping has more than once, in order.
func twice(m *yaml.Node) []string {
	seen := map[string]int{}
	var dup []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i].Value
		if seen[k]++; seen[k] == 2 {
			dup = append(dup, k)
		}
	}
	return dup
}

func checkDocuments(nodes []*yaml.RNode, name string) error {
	for i, n := range nodes {
		y := n.YNode()
		where := fmt.Sprintf("%s: document %d", name, i)
		if y.Kind != yaml.MappingNode {
			return fmt.Errorf("%s is %s, not a resource (a mapping with apiVersion, kind and metadata)", where, ynode.Describe(y, false))
		}
		if id := strings.TrimSpace(ynode.Scalar(ynode.Lookup(y, "kind")) + " " + ynode.Scalar(ynode.Lookup(ynode.Lookup(y, "metadata"), "name"))); id != "" {
			where += " (" + id + ")"
		}
		if ynode.Scalar(y, "kind") == "" || ynode.Scalar(y, "apiVersion") == "" {
			return fmt.Errorf("%s is not a Kubernetes resource: it needs apiVersion and kind (is it a values file?)", where)
		}
		if dup := twice(y); len(dup) > 0 {
			// kubectl keeps the last value of each: the first
			// resource would be lost without a word.
			return fmt.Errorf("%s has %s twice: two resources without a --- line between them? Separate them", where, strings.Join(dup, ", "))
		}
		if path, a := aliases.Read(y); a != nil {
			if path != "" {
				where += ": " + path
			}
			return fmt.Errorf("%s: %s", where, aliases.Message(a, "", aliases.EditsInPlace("resources")))
		}
		if a := aliases.Foreign(y); a != nil {
			// Items of a ResourceList on stdin may share an anchor; as
			// separate documents on stdout the alias would dangle.
			return fmt.Errorf("%s: %s", where, aliases.Message(a, " to an anchor in another resource", "each document is written on its own"))
		}
		md := ynode.Lookup(y, "metadata")
		if md == nil || ynode.IsNull(md) {
			continue
		}
		if md.Kind != yaml.MappingNode {
			return fmt.Errorf("%s: metadata: must be a mapping, not %s", where, ynode.Describe(md, false))
		}
		for _, f := range []string{"labels", "annotations"} {
			if v := ynode.Lookup(md, f); v != nil && !ynode.IsNull(v) && v.Kind != yaml.MappingNode {
				return fmt.Errorf("%s: metadata.%s: must be a mapping, not %s", where, f, ynode.Describe(v, false))
			}
		}
	}
	return nil
}
