package processor

import (
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// A caller that hands the processor parsed nodes (kustomize in-process,
// fn/build) gets the aliases refused as results, never a crash in the SDK.
func TestProcessRefusesAliases(t *testing.T) {
	dep, err := yaml.Parse(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: wordpress
  namespace: kube-samples
  labels: &l {app: wordpress, tier: frontend}
spec:
  selector: {matchLabels: *l}
  template:
    metadata: {labels: *l}
    spec:
      containers: [{name: wordpress, image: "wordpress:6.8.3-apache"}]
`)
	require.NoError(t, err)
	fc, err := yaml.Parse("apiVersion: wordpress.kube-samples.io/v1alpha1\nkind: WordPressProfile\nmetadata: {name: wordpress}\nspec: {topology: ha}\n")
	require.NoError(t, err)
	before := dep.MustString()
	rl := &fn.ResourceList{Items: fn.KubeObjects{fn.MoveToKubeObject(dep)}, FunctionConfig: fn.MoveToKubeObject(fc)}

	ok, err := Processor{}.Process(rl)
	require.NoError(t, err)
	require.False(t, ok)
	require.Len(t, rl.Items, 1, "nothing generated")
	require.Equal(t, before, rl.Items[0].String(), "the item is unchanged")
	require.Len(t, rl.Results, 1)
	r := rl.Results[0]
	require.Equal(t, fn.Error, r.Severity)
	require.Equal(t, "spec.template.metadata.labels", r.Field.Path)
	require.Equal(t, "Deployment", r.ResourceRef.Kind)
	require.Contains(t, r.Message, "a YAML alias (*l)")
}
