package profile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// FuzzLoad feeds arbitrary bytes to the profile decoder the way the CLI
// does (kyaml parses, Load decodes, defaults and validates) and expands
// every profile Load accepts.
//
// Invariants: nothing panics; a rejected profile comes back as nil with
// at least one error, each a message a person can read (no Go type names,
// no decoder internals); an accepted profile expands without error.
//
// Seeds: testdata/fuzz/FuzzLoad (committed, including every crasher found)
// plus every example and golden-case profile. A bounded run:
//
//	go test -run='^$' -fuzz='^FuzzLoad$' -fuzztime=20s ./fn/profile
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"../../examples/*/profile.yaml", "../testdata/*/_fnconfig.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		node, err := yaml.Parse(string(data))
		if err != nil || node == nil {
			return // not one YAML document: the CLI reports that before Load
		}
		raw, p, problems := profile.Load(node)
		for _, e := range problems {
			if strings.TrimSpace(e.Message) == "" {
				t.Fatalf("a problem without a message at %q", e.Path)
			}
			for _, leak := range []string{"json: ", "Go struct", "Go value", "reflect", "*internal", "yaml: unmarshal"} {
				if strings.Contains(e.Message, leak) {
					t.Fatalf("message leaks decoder internals (%q): %s", leak, e.Error())
				}
			}
		}
		if len(problems.Errors()) > 0 {
			if raw != nil || p != nil {
				t.Fatalf("Load returned a profile along with errors: %v", problems)
			}
			return
		}
		if raw == nil || p == nil {
			t.Fatalf("Load returned no profile and no error")
		}
		if _, err := expand.Expand(p); err != nil {
			t.Fatalf("a profile Load accepted does not expand: %v", err)
		}
	})
}
