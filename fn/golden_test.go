package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/cli"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Golden tests in the kpt-functions-catalog layout: testdata/<case>/ holds
// the input items (*.yaml), the function config (_fnconfig.yaml, optional:
// profiles may be items), the whole
// output ResourceList (_expected.yaml), what a person reads on stderr
// (_stderr.txt) and, for a failing case, the exit code (_exitcode). Each
// case runs through the real KRM entry point, then once more on its own
// output, which must not change the items (idempotency).
//
// WRITE_GOLDEN_OUTPUT=1 go test ./fn/ rewrites the expected files; read
// the diff before committing it.

func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*")
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			input := resourceList(t, dir)
			stdout, stderr, code := runKRM(input)

			wantCode := 0
			if b, err := os.ReadFile(filepath.Join(dir, "_exitcode")); err == nil {
				wantCode, err = strconv.Atoi(strings.TrimSpace(string(b)))
				require.NoError(t, err)
			}
			compare(t, filepath.Join(dir, "_expected.yaml"), stdout)
			compare(t, filepath.Join(dir, "_stderr.txt"), stderr)
			require.Equal(t, wantCode, code, "exit code; stderr:\n%s", stderr)
			if code != 0 {
				require.NotContains(t, stderr, "panic", "a failure must never be a crash")
				return
			}
			// Idempotency: the output, run again, keeps its items.
			again, stderr2, code2 := runKRM(withoutResults(t, stdout))
			require.Equal(t, 0, code2, stderr2)
			require.Equal(t, items(t, stdout), items(t, again), "a second run changed the output")
		})
	}
}

func runKRM(input []byte) (string, string, int) {
	var out, errb bytes.Buffer
	code := cli.Main(nil, bytes.NewReader(input), &out, &errb)
	return out.String(), errb.String(), code
}

// resourceList builds the function's input from a case directory, with the
// path annotations kpt would set.
func resourceList(t *testing.T, dir string) []byte {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	require.NoError(t, err)
	var items []*yaml.RNode
	var config *yaml.RNode
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "_") && name != "_fnconfig.yaml" {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
		require.NoError(t, err, f)
		if name == "_fnconfig.yaml" {
			require.Len(t, nodes, 1, "one function config")
			config = nodes[0]
			continue
		}
		for i, n := range nodes {
			require.NoError(t, n.PipeE(yaml.SetAnnotation(kioutil.PathAnnotation, name)))
			require.NoError(t, n.PipeE(yaml.SetAnnotation(kioutil.IndexAnnotation, strconv.Itoa(i))))
			items = append(items, n)
		}
	}
	var buf bytes.Buffer
	w := kio.ByteWriter{Writer: &buf, KeepReaderAnnotations: true, FunctionConfig: config,
		WrappingAPIVersion: kio.ResourceListAPIVersion, WrappingKind: kio.ResourceListKind}
	require.NoError(t, w.Write(items))
	return buf.Bytes()
}

func withoutResults(t *testing.T, out string) []byte {
	rl, err := fn.ParseResourceList([]byte(out))
	require.NoError(t, err)
	rl.Results = nil
	b, err := rl.ToYAML()
	require.NoError(t, err)
	return b
}

func items(t *testing.T, out string) string {
	rl, err := fn.ParseResourceList([]byte(out))
	require.NoError(t, err)
	var b strings.Builder
	for _, it := range rl.Items {
		b.WriteString(it.String())
		b.WriteString("---\n")
	}
	return b.String()
}

func compare(t *testing.T, path, got string) {
	t.Helper()
	if os.Getenv("WRITE_GOLDEN_OUTPUT") != "" {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run with WRITE_GOLDEN_OUTPUT=1 and read the result")
	require.Equal(t, string(want), got, "differs from %s", path)
}
