package processor

import (
	"fmt"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/harden"
	"github.com/kube-samples/wordpress-fn/fn/internal/aliases"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// shapes checks every input item a profile will harden, before anything
// is changed: wherever the item has a field the function generates, it
// must have the shape the Kubernetes API gives that field (a mapping, a
// list, a value), and every container of a workload must be a mapping with
// a name and a list of env mappings. The hardener fills in what is
// missing and keeps what it cannot merge, so without this check an item
// such as `resources: big`, `env: PASSWORD=x` or `spec: 3` would come out
// "hardened" but unchanged, with a literal password or no limits, and exit
// 0. Each problem is an error at its field path.
func shapes(idx *index, sources []*source) fn.Results {
	var results fn.Results
	checked := map[*fn.KubeObject]bool{}
	for _, s := range sources {
		for _, r := range s.site.Resources {
			o := s.match(idx, r)
			if o == nil || checked[o] || keepAsIs[r.Role] {
				continue
			}
			checked[o] = true
			node := o.CopyToResourceNode().YNode()
			if path, a := aliases.Find(node); a != nil {
				results = append(results, result(fn.Error, o, path, "%s", aliases.Message(a, " in a resource the profile hardens", aliases.EditsInPlace("it"))))
				continue
			}
			var ps []problem
			if r.Role == expand.RoleWordPress || r.Role == expand.RoleMySQL {
				containers(node, &ps)
			}
			shape(node, r.Object.YNode(), "", &ps)
			said := map[string]bool{} // one problem per field, the first said
			for _, p := range ps {
				if said[p.path] {
					continue
				}
				said[p.path] = true
				results = append(results, result(fn.Error, o, p.path, "%s", p.msg))
			}
		}
	}
	return results
}

type problem struct{ path, msg string }

func mismatch(ps *[]problem, path, want string, got *yaml.Node) {
	*ps = append(*ps, problem{path, fmt.Sprintf("must be %s, not %s", want, ynode.Describe(got, true))})
}

// shape compares have, the user's node, with want, the generated one.
func shape(have, want *yaml.Node, path string, ps *[]problem) {
	if have == nil || want == nil || ynode.IsNull(have) {
		return
	}
	switch want.Kind {
	case yaml.MappingNode:
		if have.Kind != yaml.MappingNode {
			mismatch(ps, orTop(path), "a mapping", have)
			return
		}
		for i := 0; i+1 < len(want.Content); i += 2 {
			k := want.Content[i].Value
			shape(ynode.Lookup(have, k), want.Content[i+1], ynode.Join(path, k), ps)
		}
	case yaml.SequenceNode:
		if have.Kind != yaml.SequenceNode {
			mismatch(ps, path, "a list", have)
			return
		}
		if len(want.Content) == 0 {
			return
		}
		elem := want.Content[0]
		for i, h := range have.Content {
			if ynode.IsNull(h) {
				continue
			}
			p := elemPath(path, h, i)
			if elem.Kind == yaml.ScalarNode {
				if h.Kind != yaml.ScalarNode {
					mismatch(ps, p, kindName(elem), h)
				}
				continue
			}
			if h.Kind != elem.Kind {
				mismatch(ps, p, kindName(elem), h)
				continue
			}
			if w := matching(want, h); w != nil {
				shape(h, w, p, ps)
			}
		}
	case yaml.ScalarNode:
		if have.Kind != yaml.ScalarNode {
			mismatch(ps, path, kindName(want), have)
		}
	}
}

// containers checks the containers the function does not generate too:
// the hardener reads every container's name and env.
func containers(node *yaml.Node, ps *[]problem) {
	ps0 := ynode.At(node, "spec", "template", "spec")
	for _, list := range []string{"containers", "initContainers"} {
		cs := ynode.Lookup(ps0, list)
		if cs == nil || cs.Kind != yaml.SequenceNode {
			continue // shape reports a containers that is not a list
		}
		for i, c := range cs.Content {
			p := elemPath("spec.template.spec."+list, c, i)
			if c.Kind != yaml.MappingNode {
				if list == "initContainers" { // containers: shape reports it
					mismatch(ps, p, "a mapping", c)
				}
				continue
			}
			if n := ynode.Lookup(c, "name"); n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
				*ps = append(*ps, problem{p + ".name", "is required: every container has a name"})
			}
			env := ynode.Lookup(c, "env")
			if env == nil || ynode.IsNull(env) {
				continue
			}
			if env.Kind != yaml.SequenceNode {
				mismatch(ps, p+".env", "a list", env)
				continue
			}
			for j, e := range env.Content {
				ep := elemPath(p+".env", e, j)
				if e.Kind != yaml.MappingNode {
					mismatch(ps, ep, "a mapping with name and value or valueFrom", e)
					continue
				}
				if n := ynode.Lookup(e, "name"); n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
					*ps = append(*ps, problem{ep + ".name", "is required"})
				}
				if v := ynode.Lookup(e, "value"); v != nil && v.Kind != yaml.ScalarNode {
					mismatch(ps, ep+".value", "a string", v)
				}
			}
		}
	}
}

// listKeys identify the elements of the lists the function generates,
// the ones harden merges by; the first one an element has is its key.
var listKeys = harden.KeyFields()

// matching is the element of want that h stands for: the one with the
// same key, or the only one.
func matching(want, h *yaml.Node) *yaml.Node {
	for _, k := range listKeys {
		hk := ynode.Lookup(h, k)
		if hk == nil {
			continue
		}
		for _, w := range want.Content {
			if wk := ynode.Lookup(w, k); wk != nil && wk.Value == hk.Value {
				return w
			}
		}
		return nil
	}
	return nil
}

func elemPath(path string, n *yaml.Node, i int) string {
	if nm := ynode.Lookup(n, "name"); nm != nil && nm.Kind == yaml.ScalarNode && nm.Value != "" {
		return fmt.Sprintf("%s[name=%s]", path, nm.Value)
	}
	return fmt.Sprintf("%s[%d]", path, i)
}

func orTop(path string) string {
	if path == "" {
		return "(the resource)"
	}
	return path
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!int":
		return "an integer"
	case "!!bool":
		return "true or false"
	case "!!str":
		return "a string"
	}
	return "a value"
}
