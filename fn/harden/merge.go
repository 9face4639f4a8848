package harden

import (
	"slices"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// keyedLists are the lists whose elements Fill merges one by one: the
// list's path ("[]" for any element of a list) and the field that
// identifies an element. Lists not named here are atomic: the user's list,
// when present, is kept whole. The order decides KeyFields'.
var keyedLists = []struct{ path, key string }{
	{"spec.template.spec.containers", "name"},
	{"spec.template.spec.initContainers", "name"},
	{"spec.template.spec.containers[].ports", "containerPort"},
	{"spec.template.spec.containers[].volumeMounts", "mountPath"},
	{"spec.template.spec.containers[].env", "name"},
	{"spec.template.spec.volumes", "name"},
	{"spec.ports", "port"},
}

// listKeys is keyedLists by path.
var listKeys = func() map[string]string {
	m := map[string]string{}
	for _, l := range keyedLists {
		m[l.path] = l.key
	}
	return m
}()

// keyFields are the key fields of keyedLists, each once, in order.
var keyFields = func() []string {
	var out []string
	for _, l := range keyedLists {
		if !slices.Contains(out, l.key) {
			out = append(out, l.key)
		}
	}
	return out
}()

// KeyFields are the fields that identify an element of a list the
// function generates and merges (name, containerPort, mountPath, port), in
// order of precedence: the first one an element has is its key. The
// processor's shape check pairs a user's list element with a generated one
// by them. The caller must not modify the slice.
func KeyFields() []string { return keyFields }

// atomic fields are kept whole when the user has them: merging two of them
// field by field would make an invalid or surprising object (two probe
// handlers, a Recreate strategy with rollingUpdate settings, an env var
// with both value and valueFrom).
var atomic = map[string]bool{
	"spec.selector": true,
	"spec.strategy": true,
	"spec.template.spec.affinity.podAntiAffinity":                  true,
	"spec.template.spec.containers[].readinessProbe":               true,
	"spec.template.spec.containers[].livenessProbe":                true,
	"spec.template.spec.containers[].startupProbe":                 true,
	"spec.template.spec.containers[].lifecycle":                    true,
	"spec.template.spec.containers[].resources":                    true,
	"spec.template.spec.containers[].env[]":                        true,
	"spec.template.spec.containers[].securityContext.capabilities": true,
	"spec.template.spec.volumes[]":                                 true,
	"spec.tls":                                                     true,
	"spec.routes":                                                  true,
	"spec.rules":                                                   true,
	"spec.metrics":                                                 true,
	"spec.scaleTargetRef":                                          true,
}

// Fill copies every field of src that dst lacks into dst, recursing into
// mappings and keyed lists; dst's own values always win. Comments, order
// and unknown fields of dst are kept.
func Fill(dst, src *yaml.RNode) {
	fill(dst.YNode(), src.YNode(), "")
}

func fill(dst, src *yaml.Node, path string) {
	if dst.Kind != src.Kind {
		return
	}
	switch src.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(src.Content); i += 2 {
			k, sv := src.Content[i], src.Content[i+1]
			p := ynode.Join(path, k.Value)
			dv := ynode.Lookup(dst, k.Value)
			if dv == nil || ynode.IsNull(dv) {
				setField(dst, k.Value, yaml.CopyYNode(sv))
				continue
			}
			if atomic[p] {
				continue
			}
			fill(dv, sv, p)
		}
	case yaml.SequenceNode:
		key, ok := listKeys[path]
		if !ok || key == "" {
			return
		}
		for _, se := range src.Content {
			kv := ynode.Lookup(se, key)
			if kv == nil {
				continue
			}
			if de := findElem(dst, key, kv.Value); de != nil {
				if !atomic[path+"[]"] {
					fill(de, se, path+"[]")
				}
				continue
			}
			dst.Content = append(dst.Content, yaml.CopyYNode(se))
		}
	}
}

// setField sets or adds a mapping's field, keeping its position when it
// exists.
func setField(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

// removeField deletes a mapping's field; it reports whether it was there.
func removeField(m *yaml.Node, key string) bool {
	if m == nil || m.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return true
		}
	}
	return false
}

func findElem(seq *yaml.Node, key, value string) *yaml.Node {
	for _, e := range seq.Content {
		if kv := ynode.Lookup(e, key); kv != nil && kv.Value == value {
			return e
		}
	}
	return nil
}

// at walks a path of mapping fields, returning nil when one is missing.
func at(n *yaml.Node, path string) *yaml.Node {
	return ynode.At(n, strings.Split(path, ".")...)
}

// ensure walks a path of mapping fields, creating empty mappings for the
// missing ones.
func ensure(n *yaml.Node, path string) *yaml.Node {
	for _, f := range strings.Split(path, ".") {
		next := ynode.Lookup(n, f)
		if next == nil || ynode.IsNull(next) {
			next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			setField(n, f, next)
		}
		n = next
	}
	return n
}
