package processor

import (
	"strconv"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/internal/aliases"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// refuseAliases refuses YAML aliases (*name) where the function reads or
// edits (package aliases says why): anywhere in a profile, and in the
// parts of every item it reads to find the resources a site needs
// (apiVersion, kind, metadata, a workload's pod labels); an item it
// hardens is checked whole later (shapes). An alias elsewhere in a
// resource the function does not touch passes through. It reports the
// first alias of each object, with its field path.
func refuseAliases(rl *fn.ResourceList) fn.Results {
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
		if whole {
			path, a = aliases.Find(y)
		} else {
			path, a = aliases.Read(y)
		}
		if a == nil {
			return
		}
		// The object has an alias where the SDK's accessors read: name it
		// from its nodes.
		r := result(fn.Error, nil, path, "%s%s", what, aliases.Message(a, "", aliases.EditsInPlace("resources")))
		r.ResourceRef = &fn.ResourceRef{
			APIVersion: ynode.Scalar(y, "apiVersion"), Kind: ynode.Scalar(y, "kind"),
			Name: ynode.Scalar(y, "metadata", "name"), Namespace: ynode.Scalar(y, "metadata", "namespace"),
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
