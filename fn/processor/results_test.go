package processor

import (
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/stretchr/testify/require"
)

// A result names the file of its object from the orchestrator's path and
// index annotations, the legacy ones too, and only when there is a path.
func TestResultFile(t *testing.T) {
	obj := func(annotations string) *fn.KubeObject {
		o, err := fn.ParseKubeObject([]byte("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: n\n  annotations: " + annotations + "\n"))
		require.NoError(t, err)
		return o
	}
	for _, c := range []struct {
		name, annotations string
		want              *fn.File
		where             string
	}{
		{"internal", `{internal.config.kubernetes.io/path: a.yaml, internal.config.kubernetes.io/index: "2"}`, &fn.File{Path: "a.yaml", Index: 2}, "a.yaml (document 2)"},
		{"legacy", `{config.kubernetes.io/path: b.yaml, config.kubernetes.io/index: "1"}`, &fn.File{Path: "b.yaml", Index: 1}, "b.yaml (document 1)"},
		{"internal wins", `{config.kubernetes.io/path: b.yaml, internal.config.kubernetes.io/path: a.yaml}`, &fn.File{Path: "a.yaml"}, "a.yaml"},
		{"no path", `{internal.config.kubernetes.io/index: "3"}`, nil, "Service s"},
		{"none", `{}`, nil, "Service s"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := obj(c.annotations)
			r := result(fn.Warning, o, "spec.type", "%d%%", 50)
			require.Equal(t, &fn.Result{Severity: fn.Warning, Message: "50%",
				ResourceRef: &fn.ResourceRef{APIVersion: "v1", Kind: "Service", Name: "s", Namespace: "n"},
				File:        c.want, Field: &fn.Field{Path: "spec.type"}}, r)
			require.Equal(t, c.where, where(o))
		})
	}
	require.Equal(t, &fn.Result{Severity: fn.Error, Message: "m"}, result(fn.Error, nil, "", "m"))
}
