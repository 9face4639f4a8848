package processor

import (
	"fmt"
	"strconv"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// aliases refuses YAML aliases (*name) where the function reads or edits:
// anywhere in a profile, and in the parts of every item it reads to find
// the resources a site needs (apiVersion, kind, metadata, a workload's pod
// labels); an item it hardens is checked whole later (shapes). The
// function edits resources in place: an edit through an alias would change
// every place that shares the anchored node (a label added to
// metadata.labels would land in an immutable selector too), and the SDK's
// accessors cannot read an alias at all. An alias elsewhere in a resource
// the function does not touch passes through. It reports the first alias
// of each object, with its field path; it reads the YAML nodes directly,
// so it is safe on any shape.
func aliases(rl *fn.ResourceList) fn.Results {
	var results fn.Results
	check := func(o *fn.KubeObject, what string, whole bool) {
		if o == nil {
			return
		}
		node := o.MoveToResourceNode()
		defer func() { *o = *fn.MoveToKubeObject(node) }()
		y := node.YNode()
		var path string
		var a *yaml.Node
		if whole || ynode.Scalar(y, "kind") == "WordPressProfile" {
			path, a = FindAlias(y)
		} else {
			path, a = IdentityAlias(y)
		}
		if a == nil {
			return
		}
		r := &fn.Result{
			Severity: fn.Error,
			Message: fmt.Sprintf("%sa YAML alias (*%s): wordpress-fn edits resources in place and does not read anchors and aliases; write the value out in full",
				what, a.Value),
			ResourceRef: &fn.ResourceRef{
				APIVersion: ynode.Scalar(y, "apiVersion"), Kind: ynode.Scalar(y, "kind"),
				Name: ynode.Scalar(y, "metadata", "name"), Namespace: ynode.Scalar(y, "metadata", "namespace"),
			},
		}
		if path != "" {
			r.Field = &fn.Field{Path: path}
		}
		if p := ynode.Scalar(y, "metadata", "annotations", kioutil.PathAnnotation); p != "" {
			r.File = &fn.File{Path: p}
			if i, err := strconv.Atoi(ynode.Scalar(y, "metadata", "annotations", kioutil.IndexAnnotation)); err == nil {
				r.File.Index = i
			}
		}
		if r.ResourceRef.Kind == "" && r.ResourceRef.Name == "" {
			r.ResourceRef = nil
		}
		results = append(results, r)
	}
	if fc := rl.FunctionConfig; fc != nil && !fc.IsEmpty() {
		check(fc, "the function config uses ", true)
	}
	for _, it := range rl.Items {
		check(it, "", false)
	}
	return results
}

// IdentityAlias is FindAlias over what is read of every item, by the SDK
// and the index: the
// top-level keys, apiVersion, kind, metadata, and spec.template.metadata.
func IdentityAlias(n *yaml.Node) (string, *yaml.Node) {
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
			if p, a := findAlias(v, f); a != nil {
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
			return findAlias(v, path)
		}
		n = v
	}
	return "", nil
}

// FindAlias returns the first YAML alias (*name) under n, a merge key's
// (<<: *name) included, and its field path; nil when there is none.
func FindAlias(n *yaml.Node) (string, *yaml.Node) {
	return findAlias(n, "")
}

func findAlias(n *yaml.Node, path string) (string, *yaml.Node) {
	switch n.Kind {
	case yaml.AliasNode:
		return path, n
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if p, a := findAlias(c, path); a != nil {
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
			if q, a := findAlias(v, p); a != nil {
				return q, a
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if p, a := findAlias(c, fmt.Sprintf("%s[%d]", path, i)); a != nil {
				return p, a
			}
		}
	}
	return "", nil
}
