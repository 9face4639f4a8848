package jsonschema

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	sjs "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const root = "../../.."

var checkedIn = filepath.Join(root, "schema", "wordpressprofile.schema.json")

// The checked-in schema is what the Go types generate: change the types,
// then run WRITE_GOLDEN_OUTPUT=1 go test ./fn/profile/jsonschema/.
func TestSchemaIsInSyncWithTheTypes(t *testing.T) {
	got, err := Generate(root)
	require.NoError(t, err)
	if os.Getenv("WRITE_GOLDEN_OUTPUT") != "" {
		require.NoError(t, os.WriteFile(checkedIn, got, 0o644))
	}
	want, err := os.ReadFile(checkedIn)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "schema/ is stale: regenerate it")
}

// A standard validator accepts every example with the schema and rejects
// what the function rejects: an unknown field, a wrong type, a bad enum.
func TestSchemaValidatesProfiles(t *testing.T) {
	f, err := os.Open(checkedIn)
	require.NoError(t, err)
	defer f.Close()
	doc, err := sjs.UnmarshalJSON(f)
	require.NoError(t, err)
	c := sjs.NewCompiler()
	require.NoError(t, c.AddResource(ID, doc))
	sch, err := c.Compile(ID)
	require.NoError(t, err)

	asJSON := func(t *testing.T, y string) any {
		node, err := yaml.Parse(y)
		require.NoError(t, err)
		j, err := node.MarshalJSON()
		require.NoError(t, err)
		v, err := sjs.UnmarshalJSON(bytes.NewReader(j))
		require.NoError(t, err)
		return v
	}
	examples, err := filepath.Glob(filepath.Join(root, "examples", "*", "profile.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	for _, ex := range examples {
		data, err := os.ReadFile(ex)
		require.NoError(t, err)
		assert.NoError(t, sch.Validate(asJSON(t, string(data))), ex)
	}
	head := "apiVersion: wordpress.kube-samples.io/v1alpha1\nkind: WordPressProfile\nmetadata: {name: x}\n"
	for _, bad := range []string{
		"spec: {wordpress: {replica: 3}}",
		"spec: {wordpress: {replicas: three}}",
		"spec: {topology: cluster}",
		"spec: {wordpress: {pdb: {maxUnavailable: lots}}}",
		"spec: {credentials: {password: hunter2}}",
	} {
		assert.Error(t, sch.Validate(asJSON(t, head+bad)), bad)
	}
	wrongKind := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nspec: {}"
	assert.Error(t, sch.Validate(asJSON(t, wrongKind)))
}
