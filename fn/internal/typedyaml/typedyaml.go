// Package typedyaml turns a typed object (a struct of fn/kube, a map) into
// the yaml.v3 node tree that
//
//	yaml.Parse(string(sigsyaml.Marshal(obj)))
//
// returns (kyaml's Parse, sigs.k8s.io/yaml's Marshal), without its three
// serializations: sigs.k8s.io/yaml writes JSON, reads it back with yaml.v2,
// writes YAML with yaml.v2, and kyaml reads that YAML with yaml.v3. That
// chain is 98 % of expand.Expand's time (pprof: sigs.k8s.io/yaml.Marshal
// 69 %, kyaml.Parse 29 %) and ~5 ms per WordPressProfile.
//
// Node marshals obj to JSON once and builds the tree from it. The few
// decisions of the chain that depend on a value (how yaml.v2 quotes a
// string, formats a number, and what tag and style yaml.v3 then reads) are
// taken by running the chain itself on that one value, once per distinct
// value, and cached; maps get yaml.v2's key order. The result is the same
// tree, node for node, except that nodes carry no line and column (nothing
// reads them on generated objects).
package typedyaml

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

// Node returns what yaml.Parse(string(sigsyaml.Marshal(obj))) returns.
func Node(obj any) (*yaml.RNode, error) {
	nodes, err := Nodes(obj)
	if err != nil {
		return nil, err
	}
	return nodes[0], nil
}

// Nodes is Node of each of objs. The chain runs once for all the leaves
// of objs that need it and are not cached yet, not once per leaf: each
// run starts a yaml.v2 encoder and two parsers, which were most of what
// a single site's expand allocated (issue 10).
func Nodes(objs ...any) ([]*yaml.RNode, error) {
	values := make([]any, len(objs))
	for i, obj := range objs {
		j, err := json.Marshal(obj)
		if err != nil {
			return nil, fmt.Errorf("error marshaling into JSON: %w", err)
		}
		dec := json.NewDecoder(bytes.NewReader(j))
		dec.UseNumber()
		if err := dec.Decode(&values[i]); err != nil {
			return nil, err
		}
	}
	var pending []leaf
	seen := map[leaf]bool{}
	for _, v := range values {
		if err := collect(v, false, seen, &pending); err != nil {
			return nil, err
		}
	}
	if err := chainAll(pending); err != nil {
		return nil, err
	}
	out := make([]*yaml.RNode, len(values))
	for i, v := range values {
		n, err := build(v)
		if err != nil {
			return nil, err
		}
		out[i] = yaml.NewRNode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{n}})
	}
	return out, nil
}

// collect appends to pending the leaves of v that neither plain nor the
// cache answers, once each.
func collect(v any, key bool, seen map[leaf]bool, pending *[]leaf) error {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if err := collect(k, true, seen, pending); err != nil {
				return err
			}
			if err := collect(e, false, seen, pending); err != nil {
				return err
			}
		}
		return nil
	case []any:
		for _, e := range v {
			if err := collect(e, false, seen, pending); err != nil {
				return err
			}
		}
		return nil
	}
	l, err := leafOf(v, key)
	if err != nil {
		return err
	}
	if plain(l) != nil || seen[l] {
		return nil
	}
	if _, ok := cache.Load(l); ok {
		return nil
	}
	seen[l] = true
	*pending = append(*pending, l)
	return nil
}

func build(v any) (*yaml.Node, error) {
	switch v := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if len(v) == 0 {
			n.Style = yaml.FlowStyle // yaml.v2 writes {}
			return n, nil
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return v2Less(keys[i], keys[j]) })
		n.Content = make([]*yaml.Node, 0, 2*len(keys))
		for _, k := range keys {
			kn, err := scalar(k, true)
			if err != nil {
				return nil, err
			}
			vn, err := build(v[k])
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, kn, vn)
		}
		return n, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if len(v) == 0 {
			n.Style = yaml.FlowStyle // yaml.v2 writes []
			return n, nil
		}
		n.Content = make([]*yaml.Node, 0, len(v))
		for _, e := range v {
			en, err := build(e)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, en)
		}
		return n, nil
	default:
		return scalar(v, false)
	}
}

// leaf identifies a JSON value in a key or value position.
type leaf struct {
	key bool
	// kind and text: the JSON value (string, json.Number, bool or nil).
	kind byte
	text string
}

var cache sync.Map // leaf -> *yaml.Node (a template: copied, never handed out)

// leafOf identifies the JSON value v.
func leafOf(v any, key bool) (leaf, error) {
	l := leaf{key: key}
	switch v := v.(type) {
	case string:
		l.kind, l.text = 's', v
	case json.Number:
		l.kind, l.text = 'n', string(v)
	case bool:
		l.kind = 'b'
		if v {
			l.text = "true"
		}
	case nil:
		l.kind = '0'
	default:
		return l, fmt.Errorf("typedyaml: unexpected JSON value %T", v)
	}
	return l, nil
}

// value is the JSON value a leaf identifies.
func (l leaf) value() any {
	switch l.kind {
	case 's':
		return l.text
	case 'n':
		return json.Number(l.text)
	case 'b':
		return l.text == "true"
	}
	return nil
}

// scalar is the node the chain makes of the JSON value v, as a mapping key
// or as a value.
func scalar(v any, key bool) (*yaml.Node, error) {
	l, err := leafOf(v, key)
	if err != nil {
		return nil, err
	}
	if n := plain(l); n != nil {
		return n, nil
	}
	if t, ok := cache.Load(l); ok {
		c := *t.(*yaml.Node)
		return &c, nil
	}
	t, err := chain(v, key)
	if err != nil {
		return nil, err
	}
	cache.Store(l, t)
	c := *t
	return &c, nil
}

// chainAll runs the chain once on all of leaves and caches each one's
// node: the values as the values of one mapping, under keys of the same
// width (k0000, k0001, ...), and the keys as the keys of another. Each
// value or key is written and read back as it would be alone: a scalar's
// style and tag depend on the scalar, and where yaml.v2 folds a long one
// (at its column) yaml.v3 reads the same value back. A leaf whose node
// cannot be told apart is left to chain.
func chainAll(leaves []leaf) error {
	values := map[string]any{}
	keys := map[string]int{}
	var ordered []leaf
	for _, l := range leaves {
		if l.key {
			keys[l.text] = 0
			continue
		}
		values[fmt.Sprintf("k%06d", len(ordered))] = l.value()
		ordered = append(ordered, l)
	}
	for _, batch := range []any{values, keys} {
		if reflectLen(batch) == 0 {
			continue
		}
		data, err := sigsyaml.Marshal(batch)
		if err != nil {
			return err
		}
		rn, err := yaml.Parse(string(data))
		if err != nil {
			return err
		}
		m := rn.YNode()
		if m.Kind != yaml.MappingNode || len(m.Content) != 2*reflectLen(batch) {
			return fmt.Errorf("typedyaml: unexpected YAML for %d leaves: %q", reflectLen(batch), data)
		}
		for i := 0; i < len(m.Content); i += 2 {
			k, n := m.Content[i], m.Content[i+1]
			var l leaf
			if _, isKeys := batch.(map[string]int); isKeys {
				if _, ok := keys[k.Value]; !ok {
					continue // chain, when it is met
				}
				l, n = leaf{key: true, kind: 's', text: k.Value}, k
			} else {
				var idx int
				if _, err := fmt.Sscanf(k.Value, "k%06d", &idx); err != nil || idx < 0 || idx >= len(ordered) {
					return fmt.Errorf("typedyaml: unexpected key %q", k.Value)
				}
				l = ordered[idx]
			}
			if n.Kind != yaml.ScalarNode || len(n.Content) > 0 || n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
				return fmt.Errorf("typedyaml: unexpected YAML for %v: %q", l.value(), data)
			}
			t := *n
			t.Line, t.Column = 0, 0
			cache.Store(l, &t)
		}
	}
	return nil
}

func reflectLen(batch any) int {
	switch b := batch.(type) {
	case map[string]any:
		return len(b)
	case map[string]int:
		return len(b)
	}
	return 0
}

// chain runs sigs.k8s.io/yaml and kyaml on a one-entry map holding v, as
// its key or its value, and returns v's node.
// plain returns, without running the chain, the node the chain returns
// for the most common leaves of a generated object: a name, label, image or
// path (an ASCII letter, then letters, digits and . _ / -) and a small
// decimal integer; nil for any other leaf. yaml.v2 writes such a string
// plain (it starts with a letter, so yaml.v2 reads it as a string unless it
// is one of YAML 1.1's booleans or null, excluded below, and none of its
// characters needs quoting), and yaml.v3 reads it back as a plain !!str; an
// integer is written as JSON wrote it and read back as !!int.
// TestPlainIsTheChain runs the chain on such leaves and their near misses.
// The chain costs one yaml.v2 encoder and two parsers per distinct leaf:
// most of what a single site's expand spent (pprof, issue 10).
func plain(l leaf) *yaml.Node {
	switch l.kind {
	case 's':
		if !plainString(l.text) {
			return nil
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: l.text}
	case 'n':
		if l.key || !smallInt(l.text) {
			return nil
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: l.text}
	}
	return nil
}

func plainString(s string) bool {
	// Long keys are written as complex keys ("? "): keep to short ones.
	if len(s) == 0 || len(s) > 100 {
		return false
	}
	if c := s[0]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '/' || c == '-') {
			return false
		}
	}
	// YAML 1.1's booleans and null, which yaml.v2 quotes, in any case.
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "true", "false", "on", "off", "null":
		return false
	}
	return true
}

// smallInt: JSON's form of an integer (no leading zero), far from the
// limits of int64.
func smallInt(s string) bool {
	d := strings.TrimPrefix(s, "-")
	if s == "-0" || len(d) == 0 || len(d) > 15 || (d[0] == '0' && len(d) > 1) {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

func chain(v any, key bool) (*yaml.Node, error) {
	var obj any = map[string]any{"k": v}
	if key {
		obj = map[string]int{v.(string): 0}
	}
	data, err := sigsyaml.Marshal(obj)
	if err != nil {
		return nil, err
	}
	rn, err := yaml.Parse(string(data))
	if err != nil {
		return nil, err
	}
	m := rn.YNode()
	if m.Kind != yaml.MappingNode || len(m.Content) != 2 {
		return nil, fmt.Errorf("typedyaml: unexpected YAML for %v: %q", v, data)
	}
	n := m.Content[1]
	if key {
		n = m.Content[0]
	}
	if n.Kind != yaml.ScalarNode || len(n.Content) > 0 || n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
		return nil, fmt.Errorf("typedyaml: unexpected YAML for %v: %q", v, data)
	}
	t := *n
	t.Line, t.Column = 0, 0
	return &t, nil
}

// v2Less is yaml.v2's order of string map keys (its sorter.go): runs of
// digits compare as numbers, letters before other characters.
func v2Less(a, b string) bool {
	ar, br := []rune(a), []rune(b)
	for i := 0; i < len(ar) && i < len(br); i++ {
		if ar[i] == br[i] {
			continue
		}
		al := unicode.IsLetter(ar[i])
		bl := unicode.IsLetter(br[i])
		if al && bl {
			return ar[i] < br[i]
		}
		if al || bl {
			return bl
		}
		var ai, bi int
		var an, bn int64
		if ar[i] == '0' || br[i] == '0' {
			for j := i - 1; j >= 0 && unicode.IsDigit(ar[j]); j-- {
				if ar[j] != '0' {
					an = 1
					bn = 1
					break
				}
			}
		}
		for ai = i; ai < len(ar) && unicode.IsDigit(ar[ai]); ai++ {
			an = an*10 + int64(ar[ai]-'0')
		}
		for bi = i; bi < len(br) && unicode.IsDigit(br[bi]); bi++ {
			bn = bn*10 + int64(br[bi]-'0')
		}
		if an != bn {
			return an < bn
		}
		if ai != bi {
			return ai < bi
		}
		return ar[i] < br[i]
	}
	return len(ar) < len(br)
}
