// Package typedyaml turns a typed object (a k8s.io/api struct, a map) into
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
	j, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("error marshaling into JSON: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	n, err := build(v)
	if err != nil {
		return nil, err
	}
	return yaml.NewRNode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{n}}), nil
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

// scalar is the node the chain makes of the JSON value v, as a mapping key
// or as a value.
func scalar(v any, key bool) (*yaml.Node, error) {
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
		return nil, fmt.Errorf("typedyaml: unexpected JSON value %T", v)
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
