// Package processor is the KRM function: given the input items and one or
// more WordPressProfiles (the function config, or profile items in the
// list), it makes the list realize every profile. It does no I/O.
//
// Matching rule: a resource a profile needs is the input item of the same
// kind and name in the profile's namespace (an item with no namespace
// matches too, and gets the profile's). The WordPress and MySQL workloads
// are also found by their pod labels (app=<name>, tier=frontend|mysql) when
// no item has their name. A matched item is hardened in place (see package
// harden for the precedence); a missing one is generated. Every other item
// passes through untouched.
package processor

import (
	"fmt"
	"strconv"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/harden"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Processor is the function. It implements fn.ResourceListProcessor.
type Processor struct{}

var _ fn.ResourceListProcessor = Processor{}

// source is a profile and where it came from.
type source struct {
	obj  *fn.KubeObject
	file *fn.File // where the profile came from, for results
	// raw is the profile as written, p with its defaults; site what it
	// needs.
	raw, p *profile.WordPressProfile
	site   *expand.Site
}

// Process runs the function. On any error it leaves the items as they came
// and reports every problem as a result.
func (Processor) Process(rl *fn.ResourceList) (bool, error) {
	if results := aliases(rl); len(results) > 0 {
		rl.Results = append(rl.Results, results...)
		return false, nil
	}
	sources, results := collect(rl)
	for _, s := range sources {
		results = append(results, load(s)...)
	}
	if !hasError(results) {
		results = append(results, collisions(sources)...)
	}
	if hasError(results) {
		rl.Results = append(rl.Results, results...)
		return false, nil
	}
	idx := newIndex(rl.Items)
	if bad := shapes(idx, sources); len(bad) > 0 {
		rl.Results = append(rl.Results, append(results, bad...)...)
		return false, nil
	}
	for _, s := range sources {
		results = append(results, realize(rl, idx, s)...)
	}
	rl.Results = append(rl.Results, results...)
	return true, nil
}

func hasError(rs fn.Results) bool {
	for _, r := range rs {
		if r.Severity == fn.Error || r.Severity == "" {
			return true
		}
	}
	return false
}

func isProfile(o *fn.KubeObject) bool {
	return o.GetKind() == profile.Kind && o.GroupKind().Group == profile.Group
}

// collect finds the profiles: the function config and profile items.
func collect(rl *fn.ResourceList) ([]*source, fn.Results) {
	var out []*source
	var results fn.Results
	fc := rl.FunctionConfig
	if fc != nil && !fc.IsEmpty() && !emptyConfigMap(fc) {
		if isProfile(fc) {
			out = append(out, &source{obj: fc, file: fileOf(fc)})
		} else {
			results = append(results, &fn.Result{
				Severity: fn.Error,
				Message: fmt.Sprintf("the function config is a %s %s: wordpress-fn takes a %s (apiVersion %s)",
					fc.GetAPIVersion(), fc.GetKind(), profile.Kind, profile.APIVersion),
				ResourceRef: ref(fc),
				File:        fileOf(fc),
			})
		}
	}
	for _, it := range rl.Items {
		// kpt passes the config file of a function (configPath) among the
		// items too, and a piped list may hold the profile it is hardened
		// with: the same profile is one site, not two.
		if isProfile(it) && !seen(out, it) {
			out = append(out, &source{obj: it, file: fileOf(it)})
		}
	}
	if len(out) == 0 && len(results) == 0 {
		results = append(results, &fn.Result{
			Severity: fn.Error,
			Message: fmt.Sprintf("no %s: give one as the function config, or as an item of the list (several items describe several sites)",
				profile.Kind),
		})
	}
	return out, results
}

func seen(sources []*source, o *fn.KubeObject) bool {
	for _, s := range sources {
		if s.obj.GetAPIVersion() == o.GetAPIVersion() && s.obj.GetKind() == o.GetKind() &&
			s.obj.GetName() == o.GetName() && s.obj.GetNamespace() == o.GetNamespace() {
			return true
		}
	}
	return false
}

// emptyConfigMap is what `kpt fn eval` passes when no config is given: no
// config at all, so the profiles among the items are used.
func emptyConfigMap(o *fn.KubeObject) bool {
	if o.GetKind() != "ConfigMap" || o.GetAPIVersion() != "v1" {
		return false
	}
	data, _, _ := o.NestedStringMap("data")
	return len(data) == 0 && !o.HasField("binaryData")
}

func ref(o *fn.KubeObject) *fn.ResourceRef {
	return &fn.ResourceRef{APIVersion: o.GetAPIVersion(), Kind: o.GetKind(), Name: o.GetName(), Namespace: o.GetNamespace()}
}

func fileOf(o *fn.KubeObject) *fn.File {
	p := o.GetAnnotation(kioutil.PathAnnotation)
	if p == "" {
		p = o.GetAnnotation(kioutil.LegacyPathAnnotation)
	}
	if p == "" {
		return nil
	}
	f := &fn.File{Path: p}
	idx := o.GetAnnotation(kioutil.IndexAnnotation)
	if idx == "" {
		idx = o.GetAnnotation(kioutil.LegacyIndexAnnotation)
	}
	if i, err := strconv.Atoi(idx); err == nil {
		f.Index = i
	}
	return f
}

// load decodes, defaults, validates and expands one profile.
func load(s *source) fn.Results {
	node := s.obj.CopyToResourceNode()
	raw, p, errs := profile.Load(node)
	var results fn.Results
	for _, e := range errs {
		sev := fn.Error
		if e.Warning {
			sev = fn.Warning
		}
		r := &fn.Result{Severity: sev, Message: e.Message, ResourceRef: ref(s.obj), File: s.file}
		if e.Path != "" {
			r.Field = &fn.Field{Path: e.Path}
		}
		if e.Line > 0 {
			r.Tags = map[string]string{"line": strconv.Itoa(e.Line)}
		}
		results = append(results, r)
	}
	if p == nil {
		return results
	}
	site, err := expand.Expand(p)
	if err != nil {
		return append(results, &fn.Result{Severity: fn.Error, Message: err.Error(), ResourceRef: ref(s.obj), File: s.file})
	}
	s.raw, s.p, s.site = raw, p, site
	return results
}

type key struct{ kind, ns, name string }

func keyOf(r *yaml.RNode) key {
	m := r.YNode()
	get := func(path ...string) string {
		n := m
		for _, f := range path {
			n = ynode.Lookup(n, f)
			if n == nil {
				return ""
			}
		}
		return n.Value
	}
	return key{get("kind"), get("metadata", "namespace"), get("metadata", "name")}
}

// shared roles are objects several sites may need alike: the first site
// generates them, the others find them.
var shared = map[expand.Role]bool{
	expand.RoleNamespace:      true,
	expand.RoleStorageClass:   true,
	expand.RoleCephFilesystem: true,
}

// collisions reports two profiles that need the same object.
func collisions(sources []*source) fn.Results {
	seen := map[key]*source{}
	var results fn.Results
	for _, s := range sources {
		for _, r := range s.site.Resources {
			if shared[r.Role] {
				continue
			}
			k := keyOf(r.Object)
			if o, ok := seen[k]; ok && o != s {
				results = append(results, &fn.Result{
					Severity: fn.Error,
					Message: fmt.Sprintf("sites %q and %q both need %s %s: give one of them another spec.name or spec.namespace",
						o.obj.GetName(), s.obj.GetName(), k.kind, path(k)),
					ResourceRef: ref(s.obj),
					File:        s.file,
					Field:       &fn.Field{Path: "spec.name"},
				})
				break
			}
			seen[k] = s
		}
	}
	return results
}

func path(k key) string {
	if k.ns == "" {
		return k.name
	}
	return k.ns + "/" + k.name
}

// index finds input items by kind, namespace and name, and workloads by
// their pod labels.
type index struct {
	byKey map[key]*fn.KubeObject
	// byLabels: namespace, app and tier of a workload's pods.
	byLabels map[key]*fn.KubeObject
}

func newIndex(items fn.KubeObjects) *index {
	idx := &index{byKey: map[key]*fn.KubeObject{}, byLabels: map[key]*fn.KubeObject{}}
	for _, it := range items {
		idx.add(it)
	}
	return idx
}

// add indexes an object; the first of several with one key wins.
func (idx *index) add(it *fn.KubeObject) {
	k := key{it.GetKind(), it.GetNamespace(), it.GetName()}
	if _, dup := idx.byKey[k]; !dup {
		idx.byKey[k] = it
	}
	if k.kind == "Deployment" || k.kind == "StatefulSet" {
		labels, _, _ := it.NestedStringMap("spec", "template", "metadata", "labels")
		if labels["app"] != "" && labels["tier"] != "" {
			lk := key{k.ns, labels["app"], labels["tier"]}
			if _, dup := idx.byLabels[lk]; !dup {
				idx.byLabels[lk] = it
			}
		}
	}
}

func (idx *index) find(r expand.Resource) *fn.KubeObject {
	k := keyOf(r.Object)
	if o := idx.byKey[k]; o != nil {
		return o
	}
	if o := idx.byKey[key{k.kind, "", k.name}]; o != nil {
		return o
	}
	if r.Selector != nil {
		for _, ns := range []string{k.ns, ""} {
			if o := idx.byLabels[key{ns, r.Selector["app"], r.Selector["tier"]}]; o != nil {
				return o
			}
		}
	}
	return nil
}

// realize adds what a site lacks and hardens what it has.
func realize(rl *fn.ResourceList, idx *index, s *source) fn.Results {
	var results fn.Results
	var added fn.KubeObjects
	workloadName := map[expand.Role]string{}
	for _, r := range s.site.Resources {
		existing := idx.find(r)
		if existing == nil {
			o := fn.MoveToKubeObject(r.Object)
			added = append(added, o)
			idx.add(o)
			continue
		}
		workloadName[r.Role] = existing.GetName()
		node := existing.MoveToResourceNode()
		notes := harden.Apply(node, r, s.p, s.raw)
		*existing = *fn.MoveToKubeObject(node)
		for _, n := range notes {
			sev := fn.Info
			if n.Warning {
				sev = fn.Warning
			}
			results = append(results, &fn.Result{
				Severity: sev, Message: n.Message, ResourceRef: ref(existing),
				File: fileOf(existing), Field: &fn.Field{Path: n.Path},
			})
		}
	}
	// The autoscaler scales the user's Deployment, whatever its name.
	if name, ok := workloadName[expand.RoleWordPress]; ok && name != s.p.Spec.Name {
		for _, o := range added {
			if o.GetKind() == "HorizontalPodAutoscaler" {
				_ = o.SetNestedString(name, "spec", "scaleTargetRef", "name")
			}
		}
	}
	rl.Items = append(rl.Items, added...)
	return results
}
