package krmio

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// v3 is what yaml.v3 writes for item n inside a list's items.
func v3(t testing.TB, n *yaml.Node) string {
	t.Helper()
	var buf bytes.Buffer
	if err := yaml.NewEncoder(&buf).Encode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{n}}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func fast(n *yaml.Node) string {
	var buf bytes.Buffer
	if !(&emitter{buf: &buf}).item(n) {
		return "(not written by the emitter)"
	}
	return buf.String()
}

// scalars are values that take every branch of yaml.v3's choice of style.
var scalars = []string{
	"", " ", "a", "abc", "a b", " a", "a ", "-", "- a", "-a", "--", "---", "---a", "...", "..a", "?", "? a", "?a",
	":", ": a", ":a", "a:", "a: b", "a:b", "a :b", "#", "#a", "a#b", "a #b", ",", ",a", "a,b", "[", "a[", "]", "{", "}", "a{b}",
	"&a", "*a", "!a", "|", ">", "'", "'a'", "a'b", "\"", "a\"b", "%", "@", "`", "a\\b", "\\",
	"true", "false", "True", "yes", "no", "on", "off", "y", "n", "null", "Null", "~", "NULL",
	"0", "1", "-1", "+1", "012", "0x1F", "0o17", "0b101", "1_000", "1.5", ".5", "1e3", "-.inf", ".nan", ".Inf",
	"2001-12-14", "2001-12-14T21:59:43.10-05:00", "1:20", "12:30:45", "=", "<<",
	"http://example.com/a?b=c#d", "nginx:1.27", "--port=8080", "*.example.com", "a b c", "100Mi", "200m",
	strings.Repeat("k", 128), strings.Repeat("k", 129),
	"tab\there", "line\nbreak", "trail\n", "caf\u00e9", "\u2028", "nul\x00",
	"a\nb\n", "a\n\nb", "a\nb\n\n", "\n", "\n\n", " lead\nx\n", "\nlead\n", "x \ny", "x\ny ", "- a\n- b\n", "#x\n y\n",
	"key: v\nother: w\n", "a\r\nb",
}

var comments = []string{"# note", "#tight", "# two\n# lines", "# a: b, [c]", "not a comment", "# \u00e9", "# x\n\n# gap", ""}

var tags = []string{"", "!!str", "!!str", "!!str", "!!int", "!!bool", "!!null", "!!float", "!!timestamp", "!!binary", "!custom", "tag:yaml.org,2002:str"}

var styles = []yaml.Style{0, 0, 0, 0, yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle, yaml.LiteralStyle, yaml.FoldedStyle, yaml.FlowStyle, yaml.TaggedStyle}

type treeGen struct {
	r *rand.Rand
	// odd makes rare features (comments, anchors, flow collections) likely.
	odd int
}

// tame are values an emitter writes without a fuss, so that most random
// items are accepted and the rarer features get covered.
var tame = []string{"a", "web", "nginx:1.27", "8080", "true", "", "x y", "a\nb\n", "- a", "a: b", "'", "#"}

func (g *treeGen) scalar() *yaml.Node {
	v := scalars[g.r.IntN(len(scalars))]
	if g.r.IntN(10) < 7 {
		v = tame[g.r.IntN(len(tame))]
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: v, Tag: tags[g.r.IntN(len(tags))]}
	if g.r.IntN(3) == 0 {
		// What the decoder gives a plain scalar: the resolved tag.
		n.Tag = resolve(v)
	}
	if g.r.IntN(3) == 0 {
		n.Style = styles[g.r.IntN(len(styles))]
	}
	if g.r.IntN(100) < g.odd {
		n.LineComment = comments[g.r.IntN(len(comments))]
	}
	if g.r.IntN(100) < g.odd/2 {
		n.HeadComment = comments[g.r.IntN(len(comments))]
	}
	return n
}

func (g *treeGen) node(depth int) *yaml.Node {
	switch k := g.r.IntN(10); {
	case depth > 3 || k < 5:
		return g.scalar()
	case k < 8:
		return g.mapping(depth + 1)
	default:
		return g.sequence(depth + 1)
	}
}

func (g *treeGen) mapping(depth int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := g.r.IntN(5); i > 0; i-- {
		k := g.scalar()
		if g.r.IntN(2) == 0 {
			k.Value = fmt.Sprintf("key%d", i)
			k.Tag, k.Style = "!!str", 0
		}
		n.Content = append(n.Content, k, g.node(depth))
	}
	g.decorate(n)
	return n
}

func (g *treeGen) sequence(depth int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for i := g.r.IntN(4); i > 0; i-- {
		n.Content = append(n.Content, g.node(depth))
	}
	g.decorate(n)
	return n
}

func (g *treeGen) decorate(n *yaml.Node) {
	switch x := g.r.IntN(100); {
	case x < g.odd/4:
		n.Style = yaml.FlowStyle
	case x < 2*g.odd/4:
		n.HeadComment = comments[g.r.IntN(len(comments))]
	case x < 3*g.odd/4:
		n.LineComment = comments[g.r.IntN(len(comments))]
	case x < g.odd:
		n.Tag = ""
	}
	if n.Kind == yaml.SequenceNode && g.r.IntN(100) < g.odd {
		// A flow sequence of scalars, as in accessModes: [ReadWriteOnce].
		n.Style = yaml.FlowStyle
		for i := range n.Content {
			n.Content[i] = g.scalar()
		}
	}
}

// TestEmitterMatchesYAMLv3 compares the emitter with yaml.v3 on random
// items built to hit every decision the emitter copies.
func TestEmitterMatchesYAMLv3(t *testing.T) {
	for _, odd := range []int{0, 5, 30, 60} {
		g := &treeGen{r: rand.New(rand.NewPCG(uint64(odd), 4)), odd: odd}
		accepted := 0
		features := map[string]int{}
		const n = 30000
		for i := 0; i < n; i++ {
			item := g.mapping(0)
			if !simple(item) {
				continue
			}
			accepted++
			count(item, features)
			if want, got := v3(t, item), fast(item); want != got {
				t.Fatalf("odd=%d item %d differs:\nyaml.v3:\n%s\nemitter:\n%s", odd, i, want, got)
			}
		}
		t.Logf("odd=%d: %d of %d random items written by the emitter, with %v", odd, accepted, n, features)
		if accepted < n/20 {
			t.Errorf("odd=%d: only %d of %d items were simple: the test covers too little", odd, accepted, n)
		}
		if odd == 30 {
			for _, f := range []string{"head", "line", "flow", "literal", "single", "double"} {
				if features[f] < 15 {
					t.Errorf("odd=%d: only %d accepted items with %s", odd, features[f], f)
				}
			}
		}
	}
}

// count counts the features of an item the emitter writes.
func count(n *yaml.Node, features map[string]int) {
	if n.HeadComment != "" {
		features["head"]++
	}
	if n.LineComment != "" {
		features["line"]++
	}
	switch {
	case n.Kind == yaml.SequenceNode && n.Style&yaml.FlowStyle != 0 && len(n.Content) > 0:
		features["flow"]++
	case n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "\n"):
		features["literal"]++
	case n.Kind == yaml.ScalarNode && n.Style&yaml.SingleQuotedStyle != 0:
		features["single"]++
	case n.Kind == yaml.ScalarNode && n.Style&yaml.DoubleQuotedStyle != 0:
		features["double"]++
	}
	for _, c := range n.Content {
		count(c, features)
	}
}

// TestEmitterCases pins the shapes of real manifests.
func TestEmitterCases(t *testing.T) {
	for _, src := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: \"1\"\n  b: 'x y'\n  c: \"\"\n  d: ''\n",
		"a:\n- b\n- c: d\n  e: []\n- - x\n  - y\n- {}\n- []\n- - - z\n",
		"spec:\n  template:\n    spec:\n      containers:\n      - name: x\n        args:\n        - --a=1\n        - \"b\"\n        resources: {}\n",
		"a: null\nb: ~\nc:\nd: true\ne: \"true\"\nf: 'null'\ng: 0x1F\nh: \"0o17\"\ni: 1e3\nj: 2001-12-14\n",
		"'': a\n'key with: colon': b\n\"#k\": c\n" + strings.Repeat("k", 128) + ": long\n",
		"a: x-\nb: '- a'\nc: ':'\nd: a:b\ne: 'a: b'\nf: 'a #b'\ng: a#b\nh: '---'\ni: '...'\nj: ---a\n",
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		item := doc.Content[0]
		if !simple(item) {
			t.Errorf("not written by the emitter:\n%s", src)
			continue
		}
		if want, got := v3(t, item), fast(item); want != got {
			t.Errorf("differs for\n%s\nyaml.v3:\n%s\nemitter:\n%s", src, want, got)
		}
	}
}

// FuzzEmitter checks the emitter against yaml.v3 on any YAML document.
func FuzzEmitter(f *testing.F) {
	f.Add("a: b\nc:\n- d\n- e: f\n")
	f.Add("a: 'b'\nc: \"d\"\ne: [f, g]\nh: {}\n")
	f.Add("a: -1\nb: '1'\nc: yes\nd: \"no\"\n")
	f.Add("# top\napiVersion: v1 # line\n# head\nkind: X\nlist:\n# item\n- a # b\n- |\n  x\n\n  y\nz: |-\n  q\n")
	f.Add("a:\n  # first\n  b: c\n- d")
	f.Add("items:\n- # dash line\n  k: v\n  m: [a, 'b', \"c\"]\n")
	f.Fuzz(func(t *testing.T, src string) {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil || len(doc.Content) != 1 {
			return
		}
		item := doc.Content[0]
		if !simple(item) {
			return
		}
		if want, got := v3(t, item), fast(item); want != got {
			t.Fatalf("differs:\nyaml.v3:\n%s\nemitter:\n%s", want, got)
		}
	})
}

// resolve's shortcut agrees with yaml.v3 for every first character.
func TestResolveShortcut(t *testing.T) {
	vals := append(append([]string{}, scalars...), tame...)
	for c := 0x20; c < 0x7f; c++ {
		vals = append(vals, string(rune(c)), string(rune(c))+"abc", string(rune(c))+"1", string(rune(c))+".5", string(rune(c))+"rue")
	}
	for _, v := range vals {
		n := yaml.Node{Kind: yaml.ScalarNode, Value: v}
		if got, want := resolve(v), n.ShortTag(); got != want {
			t.Errorf("resolve(%q) = %s, yaml.v3 says %s", v, got, want)
		}
	}
}
