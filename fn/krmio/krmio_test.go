package krmio

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/bench/gen"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// both parses data twice and returns what the SDK and Marshal write for
// the list after f (when not nil) ran on it.
func both(t *testing.T, data []byte, f func(*fn.ResourceList)) (sdk, ours []byte) {
	t.Helper()
	a, err := fn.ParseResourceList(data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if f != nil {
		f(a)
		f(b)
	}
	sdk, err = a.ToYAML()
	if err != nil {
		t.Fatal(err)
	}
	ours, err = Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return sdk, ours
}

func same(t *testing.T, name string, sdk, ours []byte) {
	t.Helper()
	if bytes.Equal(sdk, ours) {
		return
	}
	i := 0
	for i < len(sdk) && i < len(ours) && sdk[i] == ours[i] {
		i++
	}
	from := max(0, bytes.LastIndexByte(sdk[:i], '\n')-200)
	t.Fatalf("%s: output differs from the SDK's at byte %d:\nSDK:\n%s\nkrmio:\n%s", name, i,
		sdk[from:min(len(sdk), i+200)], ours[from:min(len(ours), i+200)])
}

func generated(t *testing.T, n int) []byte {
	t.Helper()
	base, err := gen.ReadDir("../../base")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := os.ReadFile("../../examples/seed-production/profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data, err := gen.ResourceList(gen.Options{N: n, Seed: 3, Base: base, FunctionConfig: fc})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestMarshalMatchesSDKOnGeneratedList(t *testing.T) {
	sdk, ours := both(t, generated(t, 3000), nil)
	same(t, "generated", sdk, ours)
}

// A list whose items are random trees (many of them written by yaml.v3,
// not the emitter) with few distinct names, so that many items sort equal.
func randomList(seed uint64, n, odd int) []byte {
	g := &treeGen{r: rand.New(rand.NewPCG(seed, 9)), odd: odd}
	items := &yaml.Node{Kind: yaml.SequenceNode}
	for i := 0; i < n; i++ {
		item := g.mapping(0)
		meta := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Value: "name"}, {Kind: yaml.ScalarNode, Value: fmt.Sprintf("n%d", g.r.IntN(5))},
		}}
		item.Content = append([]*yaml.Node{
			{Kind: yaml.ScalarNode, Value: "apiVersion"}, {Kind: yaml.ScalarNode, Value: "v1"},
			{Kind: yaml.ScalarNode, Value: "kind"}, {Kind: yaml.ScalarNode, Value: []string{"A", "B", "C"}[g.r.IntN(3)]},
			{Kind: yaml.ScalarNode, Value: "metadata"}, meta,
		}, item.Content...)
		items.Content = append(items.Content, item)
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "apiVersion"}, {Kind: yaml.ScalarNode, Value: "config.kubernetes.io/v1"},
		{Kind: yaml.ScalarNode, Value: "kind"}, {Kind: yaml.ScalarNode, Value: "ResourceList"},
		{Kind: yaml.ScalarNode, Value: "items"}, items,
	}}
	var buf bytes.Buffer
	if err := yaml.NewEncoder(&buf).Encode(root); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func TestMarshalMatchesSDKOnRandomLists(t *testing.T) {
	compared := 0
	for seed := uint64(0); seed < 40; seed++ {
		data := randomList(seed, 100, int(seed%4)*10)
		if _, err := fn.ParseResourceList(data); err != nil {
			continue // yaml.v3 wrote something it cannot read back
		}
		sdk, ours := both(t, data, nil)
		same(t, fmt.Sprintf("seed %d", seed), sdk, ours)
		compared++
	}
	if compared < 10 {
		t.Fatalf("only %d random lists could be read back", compared)
	}
}

// The function's own edits, new items and results come out as the SDK
// writes them.
func TestMarshalMatchesSDKAfterEdits(t *testing.T) {
	edit := func(rl *fn.ResourceList) {
		for i, it := range rl.Items {
			if i%7 == 0 {
				_ = it.SetLabel("edited", "true")
				_ = it.SetAnnotation("note", "a: b")
			}
		}
		obj := fn.NewEmptyKubeObject()
		_ = obj.SetAPIVersion("v1")
		_ = obj.SetKind("ConfigMap")
		_ = obj.SetName("added")
		_ = obj.SetNestedField("0777", "data", "mode")
		rl.Items = append(rl.Items, obj)
		rl.Results = append(rl.Results,
			&fn.Result{Severity: fn.Info, Message: "hardened", ResourceRef: &fn.ResourceRef{APIVersion: "apps/v1", Kind: "Deployment", Name: "wordpress"},
				Field: &fn.Field{Path: "spec.replicas"}, File: &fn.File{Path: "base/wordpress.yaml", Index: 1}},
			&fn.Result{Severity: fn.Warning, Message: "multi\nline: message", Tags: map[string]string{"line": "3"}})
	}
	sdk, ours := both(t, generated(t, 500), edit)
	same(t, "edited", sdk, ours)
	rl, err := Parse(ours)
	if err != nil {
		t.Fatal(err)
	}
	if len(rl.Results) != 2 || rl.Results[1].Message != "multi\nline: message" || rl.Results[0].Field.Path != "spec.replicas" {
		t.Fatalf("results did not survive the round trip: %v", rl.Results)
	}
}

const annotated = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
# The site's web tier.
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web # the Service selects it
    annotations:
      config.kubernetes.io/index: '0'
      config.kubernetes.io/path: 'apps/web.yaml'
      internal.config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/path: 'apps/web.yaml'
      internal.config.kubernetes.io/seqindent: 'wide'
  spec:
    # three, for the PDB
    replicas: 3
    template:
      spec:
        containers:
        - name: web
          args: ["--a", "b"]
          command:
            - /bin/web # wide, as written
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: conf
    annotations:
      internal.config.kubernetes.io/seqindent: 'compact'
      internal.config.kubernetes.io/path: 'apps/conf.yaml'
  data:
    app.properties: |
      a=1

      b=2
    empty: ""
  # a foot comment
functionConfig:
  apiVersion: example.com/v1
  kind: Config # the config
  spec:
    x: 1
results:
- message: from an earlier function
  severity: info
`

func TestRoundTripKeepsCommentsAnnotationsAndResults(t *testing.T) {
	sdk, ours := both(t, []byte(annotated), nil)
	same(t, "annotated", sdk, ours)
	for _, want := range []string{
		"# The site's web tier.", "name: web # the Service selects it", "# three, for the PDB", "- /bin/web # wide, as written",
		"internal.config.kubernetes.io/seqindent: 'wide'", "internal.config.kubernetes.io/seqindent: 'compact'",
		"config.kubernetes.io/path: 'apps/web.yaml'", "internal.config.kubernetes.io/index: '0'",
		"      a=1\n\n      b=2\n", "kind: Config # the config", "message: from an earlier function", "# a foot comment",
	} {
		if !strings.Contains(string(ours), want) {
			t.Errorf("lost %q:\n%s", want, ours)
		}
	}
	// Deterministic, and a fixed point.
	_, again := both(t, ours, nil)
	if !bytes.Equal(ours, again) {
		t.Errorf("writing the output again changed it:\n%s\n---\n%s", ours, again)
	}
}

func TestEmptyAndMinimalLists(t *testing.T) {
	for _, in := range []string{
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n",
		"kind: ResourceList\nitems:\n- kind: A\n  metadata: {name: x}\nfunctionConfig: {}\n",
	} {
		sdk, ours := both(t, []byte(in), nil)
		same(t, in, sdk, ours)
	}
}

func TestParseRejectsWhatTheSDKRejects(t *testing.T) {
	for _, in := range []string{"kind: List\nitems: []\n", "a: [", "kind: ResourceList\nitems: 3\n"} {
		_, e1 := fn.ParseResourceList([]byte(in))
		_, e2 := Parse([]byte(in))
		if (e1 == nil) != (e2 == nil) {
			t.Errorf("%q: SDK error %v, krmio error %v", in, e1, e2)
		}
	}
}

func TestSortMatchesSDK(t *testing.T) {
	data := randomList(99, 2000, 0)
	a, err := fn.ParseResourceList(data)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := fn.ParseResourceList(data)
	a.Sort()
	Sort(b.Items)
	for i := range a.Items {
		if a.Items[i].String() != b.Items[i].String() {
			t.Fatalf("item %d: SDK has\n%s\nkrmio has\n%s", i, a.Items[i], b.Items[i])
		}
	}
}
