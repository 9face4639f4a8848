package cli

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/processor"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// This file checks the shape of the input before anything reads it, so
// that a malformed input is refused with a message that names the document
// and the field, never with a parser's internals or a crash.

const aliasAdvice = "wordpress-fn edits resources in place and does not read anchors and aliases; write the value out in full"

// checkAliases refuses a ResourceList that uses YAML aliases (*name) where
// the function reads: the list itself, the function config, and what is
// read of every item (processor.IdentityAlias). The SDK's accessors would
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
				if p, al := processor.IdentityAlias(it); al != nil || it.Kind == yaml.AliasNode {
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
			p, al := processor.FindAlias(v)
			path, a = join(k.Value, p), al
		}
		if a != nil {
			return fmt.Errorf("%s: a YAML alias (*%s): %s", path, a.Value, aliasAdvice)
		}
	}
	return nil
}

func join(path, key string) string {
	if key == "" {
		return path
	}
	return path + "." + key
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
		return fmt.Sprintf("the input is %s, not a ResourceList (a mapping with apiVersion: config.kubernetes.io/v1, kind: ResourceList and items)", describe(y))
	}
	if items := field(y, "items"); items != nil && !isNull(items) {
		if items.Kind != yaml.SequenceNode {
			return fmt.Sprintf("items: must be a list of resources, not %s", describe(items))
		}
		for i, it := range items.Content {
			if it.Kind != yaml.MappingNode {
				return fmt.Sprintf("items[%d]: must be a resource (a mapping with apiVersion, kind and metadata), not %s", i, describe(it))
			}
		}
	}
	if fc := field(y, "functionConfig"); fc != nil && !isNull(fc) && fc.Kind != yaml.MappingNode {
		return fmt.Sprintf("functionConfig: must be a WordPressProfile (a mapping), not %s", describe(fc))
	}
	return ""
}

// checkDocuments refuses documents (profiles, manifests) that are not
// mappings, whose metadata is not a mapping, or that use YAML aliases in a
// profile or where an item is read (processor.IdentityAlias), naming the
// document and the field.
func checkDocuments(nodes []*yaml.RNode, name string) error {
	for i, n := range nodes {
		y := n.YNode()
		where := fmt.Sprintf("%s: document %d", name, i)
		if y.Kind != yaml.MappingNode {
			return fmt.Errorf("%s is %s, not a resource (a mapping with apiVersion, kind and metadata)", where, describe(y))
		}
		if id := strings.TrimSpace(scalar(field(y, "kind")) + " " + scalar(field(field(y, "metadata"), "name"))); id != "" {
			where += " (" + id + ")"
		}
		find := processor.IdentityAlias
		if scalar(field(y, "kind")) == "WordPressProfile" {
			find = processor.FindAlias
		}
		if path, a := find(y); a != nil {
			if path != "" {
				where += ": " + path
			}
			return fmt.Errorf("%s: a YAML alias (*%s): %s", where, a.Value, aliasAdvice)
		}
		md := field(y, "metadata")
		if md == nil || isNull(md) {
			continue
		}
		if md.Kind != yaml.MappingNode {
			return fmt.Errorf("%s: metadata: must be a mapping, not %s", where, describe(md))
		}
		for _, f := range []string{"labels", "annotations"} {
			if v := field(md, f); v != nil && !isNull(v) && v.Kind != yaml.MappingNode {
				return fmt.Errorf("%s: metadata.%s: must be a mapping, not %s", where, f, describe(v))
			}
		}
	}
	return nil
}

func field(m *yaml.Node, key string) *yaml.Node {
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

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// describe names a node's kind and, for a short scalar, its value.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	switch n.Tag {
	case "!!int":
		return "the integer " + v
	case "!!bool":
		return "the boolean " + v
	case "!!float":
		return "the number " + v
	case "!!null":
		return "null"
	}
	return "the string " + strconv.Quote(v)
}
