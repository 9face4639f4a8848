package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Under kpt the function config arrives re-written, kpt's annotations
// added (so its lines are not the file's), with the package's place on
// disk: the results give the line in the user's file, but only where the
// file still holds the value the function was given.
func TestKptLinesComeFromThePackageFile(t *testing.T) {
	pkg := t.TempDir()
	file := "# the site\napiVersion: wordpress.kube-samples.io/v1alpha1\nkind: WordPressProfile\nmetadata:\n  name: blog\nspec:\n  topology: prod\n  wordpress:\n    replica: 3\n    image: wordpress:6.8\n"
	require.NoError(t, os.WriteFile(filepath.Join(pkg, "profile.yaml"), []byte(file), 0o644))
	list := func(image string) string {
		return "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n" +
			"  apiVersion: wordpress.kube-samples.io/v1alpha1\n  kind: WordPressProfile\n  metadata:\n    name: blog\n    annotations:\n" +
			"      internal.config.kubernetes.io/package-path: '" + pkg + "'\n" +
			"      internal.config.kubernetes.io/path: 'profile.yaml'\n      internal.config.kubernetes.io/index: '0'\n" +
			"  spec:\n    topology: prod\n    wordpress:\n      replica: 3\n      image: " + image + "\n"
	}
	_, stderr, code := invoke(t, list("wordpress:6.8"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "error: profile.yaml:7: spec.topology: must be one of")
	assert.Contains(t, stderr, `error: profile.yaml:9: spec.wordpress.replica: unknown field (did you mean "replicas"?)`)

	// An earlier function (or an edit since) changed the image: its
	// problem is not at the file's image line, so no line is given.
	_, stderr, _ = invoke(t, list("wordpress:latest"))
	assert.Contains(t, stderr, `error: profile.yaml: spec.wordpress.image: "wordpress:latest" uses the latest tag`)
	assert.Contains(t, stderr, "error: profile.yaml:7: spec.topology")

	// No file there (a container cannot see the package): no line.
	require.NoError(t, os.Remove(filepath.Join(pkg, "profile.yaml")))
	_, stderr, _ = invoke(t, list("wordpress:6.8"))
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		assert.True(t, strings.HasPrefix(l, "error: profile.yaml: "), l)
	}
}
