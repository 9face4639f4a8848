package aliases

import (
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func parse(t *testing.T, s string) *yaml.Node {
	t.Helper()
	n, err := yaml.Parse(s)
	require.NoError(t, err)
	return n.YNode()
}

func TestFind(t *testing.T) {
	y := parse(t, "a: &x {b: 1}\nc: [1, *x]\n")
	p, a := Find(y)
	require.Equal(t, "c[1]", p)
	require.Equal(t, "x", a.Value)

	y = parse(t, "a: &x {b: 1}\nc: {<<: *x}\n")
	p, a = Find(y)
	require.Equal(t, "c.<<", p, "a merge key is named")
	require.Equal(t, "x", a.Value)

	_, a = Find(parse(t, "a: &x 1\n"))
	require.Nil(t, a, "an anchor alone is no alias")
}

func TestRead(t *testing.T) {
	dep := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  x: &a {b: 1}\n  y: *a\n"
	_, a := Read(parse(t, dep))
	require.Nil(t, a, "an alias outside what is read of a Deployment passes")
	p, a := Read(parse(t, "apiVersion: v1\nkind: WordPressProfile\nspec:\n  x: &a {b: 1}\n  y: *a\n"))
	require.NotNil(t, a, "a profile is read whole")
	require.Equal(t, "spec.y", p)
	p, a = Identity(parse(t, "kind: Deployment\nmetadata: {labels: &l {app: w}}\nspec: {template: {metadata: {labels: *l}}}\n"))
	require.NotNil(t, a)
	require.Equal(t, "spec.template.metadata.labels", p)
}

func TestForeign(t *testing.T) {
	list := parse(t, "- &a {x: 1}\n- {y: *a}\n")
	require.Nil(t, Foreign(list.Content[0]))
	require.Equal(t, "a", Foreign(list.Content[1]).Value)
}

func TestMessage(t *testing.T) {
	a := &yaml.Node{Kind: yaml.AliasNode, Value: "l"}
	require.Equal(t, "a YAML alias (*l): wordpress-fn edits resources in place and does not read anchors and aliases; write the value out in full",
		Message(a, "", EditsInPlace("resources")))
	require.Equal(t, "a YAML alias (*l) to an anchor in another item: each item must stand on its own; write the value out in full",
		Message(a, " to an anchor in another item", "each item must stand on its own"))
}
