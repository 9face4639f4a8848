package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const root = "../.."

func invoke(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func parseDocs(t *testing.T, s string) []*yaml.RNode {
	t.Helper()
	nodes, err := (&kio.ByteReader{Reader: strings.NewReader(s), OmitReaderAnnotations: true}).Read()
	require.NoError(t, err)
	return nodes
}

func id(n *yaml.RNode) string {
	return n.GetKind() + " " + n.GetNamespace() + "/" + n.GetName()
}

// readBase is what `kustomize build base` gives: the files in order.
func readBase(t *testing.T) string {
	var b strings.Builder
	for _, f := range []string{"namespace.yaml", "mysql.yaml", "wordpress.yaml"} {
		data, err := os.ReadFile(filepath.Join(root, "base", f))
		require.NoError(t, err)
		b.Write(data)
		b.WriteString("---\n")
	}
	return b.String()
}

func TestExpandPrintsEveryResourceInApplyOrder(t *testing.T) {
	out, stderr, code := invoke(t, "", "expand", "-f", filepath.Join(root, "examples/seed-production/profile.yaml"))
	require.Equal(t, 0, code, stderr)
	docs := parseDocs(t, out)
	var ids []string
	for _, d := range docs {
		ids = append(ids, id(d))
		assert.Empty(t, d.GetAnnotations()["config.kubernetes.io/local-config"], "generated %s must not be local config", id(d))
	}
	assert.Equal(t, "Namespace /kube-samples", ids[0], "the namespace comes first so kubectl apply -f works")
	for _, want := range []string{
		"Deployment kube-samples/wordpress", "Deployment kube-samples/wordpress-mysql",
		"Service kube-samples/wordpress", "Service kube-samples/wordpress-mysql",
		"PersistentVolumeClaim kube-samples/wordpress-pvc", "PersistentVolumeClaim kube-samples/mysql-pvc",
		"PodDisruptionBudget kube-samples/wordpress-pdb", "HorizontalPodAutoscaler kube-samples/wordpress",
		"IngressRoute kube-samples/wordpress-https", "IngressRoute kube-samples/wordpress-http",
		"Middleware kube-samples/wordpress-redirect-https", "NetworkPolicy kube-samples/wordpress",
		"NetworkPolicy kube-samples/wordpress-mysql", "CephFilesystem rook-ceph/myfs", "StorageClass /csi-cephfs",
	} {
		assert.Contains(t, ids, want)
	}
	assert.NotContains(t, out, "policy/v1beta1")
	assert.NotContains(t, out, "traefik.containo.us")
}

// The acceptance check: hardening the plain base gives the
// production settings, loses nothing and duplicates nothing.
func TestHardenBaseLosesAndDuplicatesNothing(t *testing.T) {
	base := readBase(t)
	out, stderr, code := invoke(t, base, "harden", "-f", filepath.Join(root, "examples/seed-production/profile.yaml"))
	require.Equal(t, 0, code, stderr)
	docs := parseDocs(t, out)
	count := map[string]int{}
	byID := map[string]*yaml.RNode{}
	for _, d := range docs {
		count[id(d)]++
		byID[id(d)] = d
	}
	for _, b := range parseDocs(t, base) {
		assert.Equal(t, 1, count[id(b)], "%s must appear exactly once", id(b))
	}
	for k, n := range count {
		assert.Equal(t, 1, n, "%s duplicated", k)
	}

	wp := byID["Deployment kube-samples/wordpress"]
	require.NotNil(t, wp)
	s, err := wp.String()
	require.NoError(t, err)
	for _, want := range []string{
		"name: init-db", "image: busybox:1.36", // the user's init container survives
		"readinessProbe:", "preStop:", "podAntiAffinity:", "maxUnavailable: 0", "maxSurge: 1",
		"secretKeyRef:", "mountPath: /var/www/html", "seccompProfile:",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "replicas:", "the HPA owns the replica count")
	assert.NotContains(t, out, "rootPassW0rd", "a literal password survived")
	for _, d := range docs {
		assertNoLiteralPassword(t, d)
	}
	c, err := wp.Pipe(yaml.Lookup("spec", "template", "spec", "containers", "[name=wordpress]"))
	require.NoError(t, err)
	env, err := c.Pipe(yaml.Lookup("env"))
	require.NoError(t, err)
	names := map[string]int{}
	for _, e := range env.Content() {
		names[yaml.NewRNode(e).Field("name").Value.YNode().Value]++
	}
	for n, k := range names {
		assert.Equal(t, 1, k, "env %s duplicated", n)
	}
	for _, r := range []string{"requests", "limits"} {
		for _, q := range []string{"cpu", "memory"} {
			v, err := c.Pipe(yaml.Lookup("resources", r, q))
			require.NoError(t, err)
			require.NotNil(t, v, "resources.%s.%s", r, q)
		}
	}
	assert.Contains(t, stderr, "literal password replaced")
}

// assertNoLiteralPassword fails when a container of d has an env var named
// like a password with a literal value.
func assertNoLiteralPassword(t *testing.T, d *yaml.RNode) {
	t.Helper()
	for _, path := range [][]string{{"spec", "template", "spec", "containers"}, {"spec", "template", "spec", "initContainers"}} {
		cs, err := d.Pipe(yaml.Lookup(path...))
		require.NoError(t, err)
		if cs == nil {
			continue
		}
		for _, c := range cs.Content() {
			env := yaml.NewRNode(c).Field("env")
			if env == nil {
				continue
			}
			for _, e := range env.Value.Content() {
				en := yaml.NewRNode(e)
				name := en.Field("name").Value.YNode().Value
				if strings.Contains(name, "PASSWORD") {
					assert.Nil(t, en.Field("value"), "%s: %s has a literal value", id(d), name)
				}
			}
		}
	}
}

func TestErrorsWriteNothingToStdout(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("apiVersion: wordpress.kube-samples.io/v1alpha1\nkind: WordPressProfile\nmetadata:\n  name: x\nspec:\n  wordpress:\n    replica: 3\n"), 0o644))
	broken := filepath.Join(dir, "broken.yaml")
	require.NoError(t, os.WriteFile(broken, []byte("apiVersion: v1\nkind: [unclosed\n"), 0o644))
	other := filepath.Join(dir, "other.yaml")
	require.NoError(t, os.WriteFile(other, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"), 0o644))

	for _, tc := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"unknown field", "", []string{"expand", "-f", bad}, 1, "error: " + bad + ":7: spec.wordpress.replica: unknown field (did you mean \"replicas\"?)"},
		{"broken profile YAML", "", []string{"expand", "-f", broken}, 1, "not valid YAML"},
		{"profile of another kind", "", []string{"expand", "-f", other}, 1, "is a v1 ConfigMap, not a WordPressProfile"},
		{"missing file", "", []string{"expand", "-f", filepath.Join(dir, "nope.yaml")}, 1, "no such file"},
		{"no -f", "", []string{"expand"}, 2, "expects exactly -f PROFILE.yaml"},
		{"unknown command", "", []string{"frobnicate"}, 2, "unknown command"},
		{"broken manifests", "kind: [", []string{"harden", "-f", filepath.Join(root, "examples/seed-ha/profile.yaml")}, 1, "error: stdin:1: not valid YAML"},
		{"not a ResourceList", "just: text\n", nil, 1, "wordpress-fn"},
		{"broken ResourceList", "items: [", nil, 1, "error: stdin:1: not valid YAML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := invoke(t, tc.stdin, tc.args...)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, stderr, tc.stderr)
			assert.NotContains(t, stderr, "goroutine", "no stack trace")
			if tc.args != nil {
				assert.Empty(t, out, "nothing half-written to stdout")
			}
		})
	}
}

func TestHardenIsIdempotent(t *testing.T) {
	profile := filepath.Join(root, "examples/seed-production/profile.yaml")
	once, stderr, code := invoke(t, readBase(t), "harden", "-f", profile)
	require.Equal(t, 0, code, stderr)
	twice, stderr, code := invoke(t, once, "harden", "-f", profile)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, once, twice)
	assert.NotContains(t, stderr, "replaced", "nothing left to replace on the second run")
}

// Every subcommand answers -h and --help with the usage, exit 0.
func TestHelpOnEverySubcommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"expand", "--help"}, {"harden", "-h"}, {"expand", "-f", "x.yaml", "--help"}} {
		out, errOut, code := invoke(t, "", args...)
		assert.Equal(t, 0, code, "%v: %s", args, errOut)
		assert.Contains(t, out, "Usage:", "%v", args)
	}
}

// wordpress-fn build runs wordpress-fn-build from next to the executable
// (e2e runs it through bin/); the test binary has none beside it, and says
// which program is missing and how to build it.
func TestBuildWithoutItsBinary(t *testing.T) {
	out, errOut, code := invoke(t, "", "build", "--help")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "wordpress-fn-build is missing")
	assert.Contains(t, errOut, "make build")
}

// expand -f - reads the profile from stdin; harden, whose stdin holds the
// manifests, says why it cannot.
func TestProfileFromStdin(t *testing.T) {
	profile, err := os.ReadFile(filepath.Join(root, "examples/seed-production/profile.yaml"))
	require.NoError(t, err)
	fromFile, _, code := invoke(t, "", "expand", "-f", filepath.Join(root, "examples/seed-production/profile.yaml"))
	require.Equal(t, 0, code)
	fromStdin, errOut, code := invoke(t, string(profile), "expand", "-f", "-")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, fromFile, fromStdin)

	out, errOut, code := invoke(t, readBase(t), "harden", "-f", "-")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "give the profile as a file")
}

// `< /dev/null` is a character device but no terminal: it reads as an
// empty input, and says so, in the KRM mode and in harden.
func TestDevNullIsNoTerminal(t *testing.T) {
	for _, args := range [][]string{nil, {"harden", "-f", filepath.Join(root, "examples/seed-production/profile.yaml")}} {
		null, err := os.Open(os.DevNull)
		require.NoError(t, err)
		var out, errb bytes.Buffer
		code := Main(args, null, &out, &errb)
		null.Close()
		assert.Equal(t, 1, code, "%v", args)
		assert.Empty(t, out.String())
		assert.NotContains(t, errb.String(), "terminal", "%v", args)
		assert.Regexp(t, "the input is empty|no manifests to harden", errb.String(), "%v", args)
	}
}
