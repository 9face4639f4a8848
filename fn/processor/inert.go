package processor

import (
	"encoding/json"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Most items of a large list are inert: the processor reads their
// identity (duplicates, the order of the output), scans them for literal
// credentials, and passes them through unchanged. A caller that reads a
// list item by item may hold such an item as a stub (its apiVersion, kind,
// name and namespace: a few nodes instead of the whole tree) with what the
// processor would have read of the rest (Inert), and write the item's own
// bytes where the stub comes out (issue 10: memory in proportion to the
// input). Which items are inert is decided here, next to the code whose
// behaviour it must preserve:
//
//   - site.Find reads, across namespaces, only workloads (apps/v1
//     Deployments and StatefulSets) that run a known image, or whose name
//     or pod labels name the profile's site (byLabelsOrName, narrow); then
//     everything in the site's namespace and everything without one.
//   - realize and shapes read the items of the generated objects' keys:
//     the profile's namespace (or the site's), another namespace the
//     profile names (a CephFilesystem's), or none.
//   - policyWarning reads the text of every pod owner (Inert.text).
//   - literalSecrets scans every item (Inert.literals).
//   - unpackLists replaces v1 *List items; a profile is read whole.
//
// So an item is inert when it is a plain resource (Stubbable) in a
// namespace in which no item names the site or runs a known image, and
// that no profile names (Hot). Anything else keeps its nodes. A caller
// must fall back to reading the list whole when the processor reports an
// error: the error paths (duplicates, aliases, shapes) are not reasoned
// about here.

// Inert is what the processor reads of an item held as a stub.
type Inert struct {
	// literals are literalHits of the item.
	literals []literal
	// text is the item's String(), for a pod owner (policyWarning).
	text string
}

func inertOf(inert func(*fn.KubeObject) *Inert, o *fn.KubeObject) *Inert {
	if inert == nil {
		return nil
	}
	return inert(o)
}

// ScanInert reads what the processor needs of an item it will be given
// as a stub: n is the item as the processor would have been given it. It
// is nil when that is nothing: the processor finds nothing on the stub
// either (it has no annotations, no containers, is no pod owner).
func ScanInert(n *yaml.RNode) *Inert {
	o := fn.MoveToKubeObject(n)
	in := &Inert{literals: literalHits(o)}
	if isPodOwner(o) {
		in.text = o.String()
	}
	if in.literals == nil && in.text == "" {
		return nil
	}
	return in
}

// ShareText keeps s, a string the caller holds anyway (a part of the
// input), in place of the item's text when they are equal: one copy less.
func (in *Inert) ShareText(s string) {
	if in.text == s {
		in.text = s
	}
}

// Facts are what decides whether an item may be held as a stub.
type Facts struct {
	// Stubbable: a mapping without anchors or aliases, with string
	// apiVersion, kind, metadata.name and metadata.namespace, none empty;
	// not a profile, not a *List.
	Stubbable bool
	// Namespace is metadata.namespace.
	Namespace string
	// Seeds: the item may make its namespace the site's: it names an
	// image the function knows (images.Lookup), or has an image field
	// that is not a string.
	Seeds bool
	// Names are a Deployment's or StatefulSet's name and pod label
	// values, which Hot compares with the profiles' names.
	Names []string
	// Odd: metadata or its namespace is not what Namespace can say (not
	// a mapping, not a scalar): when such an item Seeds, the caller
	// cannot tell which namespace it makes hot.
	Odd bool
}

// FactsOf reads the facts of an item (its mapping node).
func FactsOf(n *yaml.Node) Facts {
	var f Facts
	if n == nil || n.Kind != yaml.MappingNode {
		return f
	}
	plain, dup := true, false
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Anchor != "" || n.Kind == yaml.AliasNode {
			plain = false
			return
		}
		if n.Kind == yaml.MappingNode {
			// A key given twice, or a key that is no scalar: the SDK's
			// accessors read one of the two (the first) where field
			// reads neither, so the namespace or the pod labels read
			// here are not the processor's (namespace: team-05 twice
			// made no namespace hot, and the site's Service in team-05
			// came out unhardened). The caller leaves such an input to
			// the whole path.
			seen := make(map[string]bool, len(n.Content)/2)
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := n.Content[i]; k.Kind != yaml.ScalarNode || seen[k.Value] {
					dup = true
				} else {
					seen[k.Value] = true
				}
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k, v := n.Content[i], n.Content[i+1]; k.Value == "image" {
					if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
						f.Seeds = true
					} else if _, ok := images.Lookup(v.Value); ok {
						f.Seeds = true
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	if dup {
		f.Seeds, f.Odd, plain = true, true, false
	}
	apiVersion, kind := str(field(n, "apiVersion")), str(field(n, "kind"))
	md := field(n, "metadata")
	name, ns := str(field(md, "name")), str(field(md, "namespace"))
	if kind == "Deployment" || kind == "StatefulSet" {
		f.Names = append(f.Names, name)
		if l := field(field(field(field(n, "spec"), "template"), "metadata"), "labels"); l != nil {
			if l.Kind != yaml.MappingNode {
				f.Seeds = true
			}
			for _, c := range l.Content {
				if c.Kind != yaml.ScalarNode {
					f.Seeds = true
				}
				f.Names = append(f.Names, c.Value)
			}
		}
	}
	if v := field(md, "namespace"); v != nil && v.Kind == yaml.ScalarNode {
		f.Namespace = v.Value
	} else if v != nil || (md != nil && md.Kind != yaml.MappingNode) {
		f.Odd = true
	}
	// A *List is unpacked (unpackLists): its items keep their own
	// namespaces, which are not its metadata.namespace, and a workload
	// among them names no needle here. Which namespace it makes hot
	// cannot be said: the caller leaves the input to the whole path
	// (a v1 List holding the site's Deployment in team-05 left the
	// site's Service in team-05 a stub, unhardened, exit 0).
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == "kind" && strings.HasSuffix(v.Value, "List") {
			f.Seeds, f.Odd = true, true
		}
	}
	f.Stubbable = plain && apiVersion != "" && kind != "" && name != "" && ns != "" && ns == f.Namespace &&
		md.Kind == yaml.MappingNode && kind != profile.Kind && !strings.HasSuffix(kind, "List") &&
		mappingOrAbsent(field(md, "labels")) && mappingOrAbsent(field(md, "annotations"))
	return f
}

func mappingOrAbsent(n *yaml.Node) bool { return n == nil || n.Kind == yaml.MappingNode }

// field is the value of key k in mapping m; nil when m is not a mapping,
// has no such key or has it twice.
func field(m *yaml.Node, k string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var v *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			if v != nil || m.Content[i].Kind != yaml.ScalarNode {
				return nil
			}
			v = m.Content[i+1]
		}
	}
	return v
}

// str is the value of a plain string scalar, "" for anything else.
func str(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!str" || n.Anchor != "" || n.Alias != nil {
		return ""
	}
	return n.Value
}

// Hot says which namespaces hold items the processor may read or edit.
type Hot struct {
	namespaces map[string]bool
	needles    []string
}

// NewHot reads the profiles (every document of kind WordPressProfile); ok
// is false when one does not load: the processor then reports an error,
// and nothing is held as a stub.
func NewHot(profiles []*yaml.Node) (h *Hot, ok bool) {
	h = &Hot{namespaces: map[string]bool{}}
	if len(profiles) == 0 {
		return nil, false
	}
	for _, pn := range profiles {
		// Every string a profile holds, as written and with its
		// defaults, may be a namespace the processor reads.
		var walk func(*yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.ScalarNode {
				h.namespaces[n.Value] = true
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(pn)
		raw, p, _ := profile.Load(yaml.NewRNode(yaml.CopyYNode(pn)))
		if raw == nil || p == nil {
			return nil, false
		}
		for _, q := range []*profile.WordPressProfile{raw, p} {
			b, err := json.Marshal(q)
			if err != nil {
				return nil, false
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				return nil, false
			}
			h.strings(v)
			h.needles = append(h.needles, q.Spec.Name, q.Metadata.Name, q.Spec.Name+"-mysql")
			for _, ref := range []*profile.WorkloadRef{q.Spec.Match.WordPress, q.Spec.Match.Database} {
				if ref != nil {
					h.needles = append(h.needles, ref.Name)
				}
			}
		}
	}
	return h, true
}

func (h *Hot) strings(v any) {
	switch v := v.(type) {
	case string:
		h.namespaces[v] = true
	case map[string]any:
		for k, e := range v {
			h.namespaces[k] = true
			h.strings(e)
		}
	case []any:
		for _, e := range v {
			h.strings(e)
		}
	}
}

// Seeds reports whether an item with facts f makes its namespace hot:
// it runs a known image, or a workload's name or pod labels hold a name
// of a profile (its site, or a workload spec.match names).
func (h *Hot) Seeds(f Facts) bool {
	if f.Seeds {
		return true
	}
	for _, s := range f.Names {
		for _, n := range h.needles {
			if n != "" && strings.Contains(s, n) {
				return true
			}
		}
	}
	return false
}

// Named reports whether a profile names the namespace.
func (h *Hot) Named(ns string) bool { return h.namespaces[ns] }

// Stubs makes stubs: shared nodes for the keys and for the values that
// repeat (apiVersion, kind, namespace), which no one edits.
type Stubs struct {
	keys   map[string]*yaml.Node
	values map[stubValue]*yaml.Node
}

type stubValue struct {
	value, tag string
	style      yaml.Style
}

// Stub is an item with the identity of n (a Stubbable item) and nothing
// else.
func (s *Stubs) Stub(n *yaml.Node) *yaml.Node {
	if s.keys == nil {
		s.keys, s.values = map[string]*yaml.Node{}, map[stubValue]*yaml.Node{}
	}
	key := func(k string) *yaml.Node {
		if s.keys[k] == nil {
			s.keys[k] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
		}
		return s.keys[k]
	}
	shared := func(v *yaml.Node) *yaml.Node {
		sv := stubValue{v.Value, v.Tag, v.Style}
		if s.values[sv] == nil {
			s.values[sv] = &yaml.Node{Kind: yaml.ScalarNode, Tag: v.Tag, Value: v.Value, Style: v.Style}
		}
		return s.values[sv]
	}
	md := field(n, "metadata")
	name := field(md, "name")
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		key("apiVersion"), shared(field(n, "apiVersion")),
		key("kind"), shared(field(n, "kind")),
		key("metadata"), {Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			key("name"), {Kind: yaml.ScalarNode, Tag: name.Tag, Value: name.Value, Style: name.Style},
			key("namespace"), shared(field(md, "namespace")),
		}},
	}}
}
