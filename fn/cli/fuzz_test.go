package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/internal/goldencase"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// FuzzKRM feeds arbitrary bytes to the KRM entry point (what kustomize and
// kpt run) and checks the function contract:
//
//   - it never panics and never prints a stack trace;
//   - it exits 0 or 1, never anything else;
//   - exit 0: stdout is a ResourceList, and running the function again on
//     it exits 0 and changes no item (idempotency);
//   - exit 1: stdout is empty, or it is a ResourceList whose items are
//     exactly the input's and whose results hold an error: a failure
//     never writes half-done work.
//
// Seeds: testdata/fuzz/FuzzKRM (committed, including every crasher found)
// plus the input of every golden case. A bounded run:
//
//	go test -run='^$' -fuzz='^FuzzKRM$' -fuzztime=20s ./fn/cli
func FuzzKRM(f *testing.F) {
	dirs, err := filepath.Glob("../testdata/*")
	if err != nil {
		f.Fatal(err)
	}
	for _, dir := range dirs {
		if data, err := os.ReadFile(filepath.Join(dir, "_stdin")); err == nil {
			f.Add(data)
			continue
		}
		if data := goldenInput(f, dir); data != nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, stderr, code := runKRM(data)
		if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") {
			t.Fatalf("stack trace on stderr:\n%s", stderr)
		}
		switch code {
		case 0:
			rl, err := fn.ParseResourceList(out)
			if err != nil {
				t.Fatalf("exit 0 but stdout is not a ResourceList: %v\n%s", err, out)
			}
			rl.Results = nil
			again, err := rl.ToYAML()
			if err != nil {
				t.Fatal(err)
			}
			out2, stderr2, code2 := runKRM(again)
			if code2 != 0 {
				t.Fatalf("the function fails on its own output (exit %d):\n%s", code2, stderr2)
			}
			if a, b := items(t, out, true), items(t, out2, true); a != b {
				t.Fatalf("a second run changed the items:\n--- first\n%s\n--- second\n%s", a, b)
			}
		case 1:
			if len(out) == 0 {
				if strings.TrimSpace(stderr) == "" {
					t.Fatal("exit 1 with nothing on stderr")
				}
				return
			}
			rl, err := fn.ParseResourceList(out)
			if err != nil {
				t.Fatalf("exit 1 and stdout is not a ResourceList: %v\n%s", err, out)
			}
			hasError := false
			for _, r := range rl.Results {
				hasError = hasError || r.Severity == fn.Error || r.Severity == ""
			}
			if !hasError {
				t.Fatalf("exit 1 but no error result:\n%s", out)
			}
			// The items' content, not their text: yaml.v3 may move a
			// comment at the end of a document on its first re-encoding
			// (kpt discards a failed run's output anyway).
			if a, b := items(t, data, false), items(t, out, false); a != b {
				t.Fatalf("a failed run changed the items:\n--- in\n%s\n--- out\n%s", a, b)
			}
		default:
			t.Fatalf("exit %d; stderr:\n%s", code, stderr)
		}
	})
}

func runKRM(in []byte) ([]byte, string, int) {
	var out, errb bytes.Buffer
	code := Main(nil, bytes.NewReader(in), &out, &errb)
	return out.Bytes(), errb.String(), code
}

// items is the items of a ResourceList in a canonical order (the SDK
// sorts the items it writes), with their comments or without.
func items(t *testing.T, data []byte, comments bool) string {
	t.Helper()
	rl, err := fn.ParseResourceList(data)
	if err != nil {
		t.Fatalf("not a ResourceList: %v", err)
	}
	all := make([]string, 0, len(rl.Items))
	for _, it := range rl.Items {
		n := it.CopyToResourceNode()
		if !comments {
			uncomment(n.YNode())
		}
		all = append(all, n.MustString())
	}
	sort.Strings(all)
	return strings.Join(all, "---\n")
}

// docsData is multi-document YAML without its comments.
func docsData(t *testing.T, data []byte) string {
	t.Helper()
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatalf("output is not YAML: %v", err)
	}
	all := make([]string, 0, len(nodes))
	for _, n := range nodes {
		uncomment(n.YNode())
		all = append(all, n.MustString())
	}
	return strings.Join(all, "---\n")
}

func uncomment(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		uncomment(c)
	}
}

// goldenInput builds the ResourceList of a golden case directory the way
// fn/golden_test.go does; nil for a case that is not a KRM run.
func goldenInput(f *testing.F, dir string) []byte {
	if _, err := os.Stat(filepath.Join(dir, "_args")); err == nil {
		return nil
	}
	data, err := goldencase.ResourceList(dir)
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// FuzzHarden feeds arbitrary manifests to `harden -f PROFILE` (the Helm
// post-renderer): never a panic or a stack trace, exit 0 or 1; exit 1
// writes nothing to stdout; exit 0 writes manifests that harden leaves
// as they are. Seeds: base/, the kpt example, the golden CLI inputs.
//
//	go test -run='^$' -fuzz='^FuzzHarden$' -fuzztime=20s ./fn/cli
func FuzzHarden(f *testing.F) {
	var base bytes.Buffer
	for _, p := range []string{"../../base/namespace.yaml", "../../base/mysql.yaml", "../../base/wordpress.yaml"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		base.Write(data)
		base.WriteString("\n---\n")
	}
	f.Add(base.Bytes())
	stdins, _ := filepath.Glob("../testdata/*/_stdin")
	for _, p := range stdins {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	const profile = "../../examples/seed-production/profile.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		var out, errb bytes.Buffer
		code := Main([]string{"harden", "-f", profile}, bytes.NewReader(data), &out, &errb)
		if s := errb.String(); strings.Contains(s, "goroutine ") || strings.Contains(s, "panic:") {
			t.Fatalf("stack trace on stderr:\n%s", s)
		}
		switch code {
		case 0:
			var again, errb2 bytes.Buffer
			if c := Main([]string{"harden", "-f", profile}, bytes.NewReader(out.Bytes()), &again, &errb2); c != 0 {
				t.Fatalf("harden fails on its own output (exit %d):\n%s\n--- output\n%s", c, errb2.String(), out.String())
			}
			// By content: yaml.v3 may move a comment at the end of a
			// document on its first re-encoding (the YAML library's doing).
			if a, b := docsData(t, out.Bytes()), docsData(t, again.Bytes()); a != b {
				t.Fatalf("a second harden changed the output:\n--- first\n%s\n--- second\n%s", out.String(), again.String())
			}
		case 1:
			if out.Len() != 0 {
				t.Fatalf("exit 1 but stdout holds:\n%s", out.String())
			}
			if strings.TrimSpace(errb.String()) == "" {
				t.Fatal("exit 1 with nothing on stderr")
			}
		default:
			t.Fatalf("exit %d; stderr:\n%s", code, errb.String())
		}
	})
}
