package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/cli"
	"github.com/kube-samples/wordpress-fn/fn/internal/goldencase"
	"github.com/stretchr/testify/require"
)

// Golden tests in the kpt-functions-catalog layout: testdata/<case>/ holds
// the input items (*.yaml), the function config (_fnconfig.yaml, optional:
// profiles may be items), the whole
// output ResourceList (_expected.yaml), what a person reads on stderr
// (_stderr.txt) and, for a failing case, the exit code (_exitcode). Each
// case runs through the real KRM entry point, then once more on its own
// output, which must not change the items (idempotency).
//
// Two more kinds of case feed the function something no list of items can
// express:
//   - _stdin holds the raw bytes given as-is to the KRM entry point (broken
//     YAML, not a ResourceList, ...); with _args, the manifests on stdin;
//   - _args holds a command line (e.g. "harden -f profile.yaml"), run in
//     the case directory: the CLI mode; stdout, empty on failure, is
//     compared to _expected.yaml;
//   - a case named in generated gets its stdin from a Go function (inputs
//     too large or too regular to commit).
//
// Every failing case must exit non-zero without a stack trace and without
// partial output: in KRM mode stdout is empty or holds the input items
// unchanged plus an error result; in CLI mode stdout is empty.
//
// WRITE_GOLDEN_OUTPUT=1 go test ./fn/ rewrites the expected files; read
// the diff before committing it.

func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*")
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			if args, err := os.ReadFile(filepath.Join(dir, "_args")); err == nil {
				runCLICase(t, dir, strings.Fields(string(args)))
				return
			}
			input, built := caseInput(t, dir)
			stdout, stderr, code := runKRM(input)
			if _, gen := generated[filepath.Base(dir)]; gen {
				stdout, stderr = abbreviate(stdout), abbreviate(stderr)
			}

			wantCode := 0
			if b, err := os.ReadFile(filepath.Join(dir, "_exitcode")); err == nil {
				wantCode, err = strconv.Atoi(strings.TrimSpace(string(b)))
				require.NoError(t, err)
			}
			compare(t, filepath.Join(dir, "_expected.yaml"), stdout)
			compare(t, filepath.Join(dir, "_stderr.txt"), stderr)
			require.Equal(t, wantCode, code, "exit code; stderr:\n%s", stderr)
			if code != 0 {
				noCrash(t, stderr)
				if stdout != "" {
					// The KRM contract on failure: the items as they came,
					// and results that say why.
					require.Contains(t, stdout, "severity: error", "a failure reports an error result")
					if built {
						// The SDK sorts the items it writes; kpt puts them back
						// in order by their path and index annotations.
						require.Equal(t, sortedItems(t, string(input)), sortedItems(t, stdout), "a failure must leave the items unchanged")
					}
				}
				return
			}
			// Idempotency: the output, run again, keeps its items.
			again, stderr2, code2 := runKRM(withoutResults(t, stdout))
			require.Equal(t, 0, code2, stderr2)
			require.Equal(t, items(t, stdout), items(t, again), "a second run changed the output")
		})
	}
}

// generated inputs, by case directory: too large or too regular to commit.
var generated = map[string]func() []byte{
	// Nesting deeper than the YAML parser's limit (10,000 levels).
	"error-stdin-deeply-nested": func() []byte {
		const depth = 20000
		return []byte("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: deep}\n  data: " +
			strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n")
	},
	// A 4 MiB scalar where a name goes: refused with a message that does
	// not repeat the 4 MiB.
	"error-huge-name": func() []byte {
		return []byte("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n" +
			"  apiVersion: wordpress.kube-samples.io/v1alpha1\n  kind: WordPressProfile\n  metadata:\n    name: " +
			strings.Repeat("w", 4<<20) + "\n")
	},
}

func TestGeneratedCasesExist(t *testing.T) {
	for name := range generated {
		_, err := os.Stat(filepath.Join("testdata", name, "_exitcode"))
		require.NoError(t, err, "generated case %s has no directory", name)
	}
}

// caseInput is the KRM input of a case, and whether it was built from
// items (so its items can be compared with the output's).
func caseInput(t *testing.T, dir string) ([]byte, bool) {
	if gen, ok := generated[filepath.Base(dir)]; ok {
		return gen(), false
	}
	if data, err := os.ReadFile(filepath.Join(dir, "_stdin")); err == nil {
		return data, false
	}
	return resourceList(t, dir), true
}

// runCLICase runs a command line in the case directory, stdin from _stdin.
func runCLICase(t *testing.T, dir string, args []string) {
	stdin, err := os.ReadFile(filepath.Join(dir, "_stdin"))
	if err != nil && !os.IsNotExist(err) {
		require.NoError(t, err)
	}
	abs, err := filepath.Abs(dir)
	require.NoError(t, err)
	t.Chdir(abs)
	var out, errb bytes.Buffer
	code := cli.Main(args, bytes.NewReader(stdin), &out, &errb)
	wantCode := 0
	if b, err := os.ReadFile("_exitcode"); err == nil {
		wantCode, err = strconv.Atoi(strings.TrimSpace(string(b)))
		require.NoError(t, err)
	}
	compare(t, "_expected.yaml", out.String())
	compare(t, "_stderr.txt", errb.String())
	require.Equal(t, wantCode, code, "exit code; stderr:\n%s", errb.String())
	if code != 0 {
		noCrash(t, errb.String())
		require.Empty(t, out.String(), "a failed command writes nothing to stdout")
	}
}

// abbreviate writes a run of more than 64 equal bytes as <N x 'c'>, so a
// generated case's golden files stay small and still show how much of its
// input the output repeats.
func abbreviate(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if j-i > 64 {
			fmt.Fprintf(&b, "<%d x %q>", j-i, s[i])
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

func noCrash(t *testing.T, stderr string) {
	t.Helper()
	require.NotContains(t, stderr, "panic", "a failure must never be a crash")
	require.NotContains(t, stderr, "goroutine ", "no stack trace")
	require.NotEmpty(t, strings.TrimSpace(stderr), "a failure says why")
}

func runKRM(input []byte) (string, string, int) {
	var out, errb bytes.Buffer
	code := cli.Main(nil, bytes.NewReader(input), &out, &errb)
	return out.String(), errb.String(), code
}

func resourceList(t *testing.T, dir string) []byte {
	data, err := goldencase.ResourceList(dir)
	require.NoError(t, err)
	return data
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

func sortedItems(t *testing.T, out string) []string {
	rl, err := fn.ParseResourceList([]byte(out))
	require.NoError(t, err)
	var all []string
	for _, it := range rl.Items {
		all = append(all, it.String())
	}
	sort.Strings(all)
	return all
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
