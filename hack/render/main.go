// Command render writes every output the project can produce (each example
// expanded, the hardened base, each golden case that succeeds) as plain
// multi-document YAML into a directory, for validation against a real
// kube-apiserver (hack/validate-k8s.sh) and for production checkers.
//
// Usage: go run ./hack/render OUTDIR
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/cli"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// notServed are kinds of golden inputs that exist only to prove that
// unknown resources pass through; no API server serves them.
var notServed = map[string]bool{"example.com": true}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: render OUTDIR")
		os.Exit(2)
	}
	if err := render(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
}

func render(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	n := 0
	examples, _ := filepath.Glob("examples/*/profile.yaml")
	for _, p := range examples {
		name := "example-" + filepath.Base(filepath.Dir(p))
		if err := write(out, name, p, nil); err != nil {
			return err
		}
		n++
	}
	base, err := readFiles([]string{"base/namespace.yaml", "base/mysql.yaml", "base/wordpress.yaml"})
	if err != nil {
		return err
	}
	if err := write(out, "harden-base-production", "examples/seed-production/profile.yaml", base); err != nil {
		return err
	}
	n++
	cases, _ := filepath.Glob("fn/testdata/*")
	sort.Strings(cases)
	for _, dir := range cases {
		if _, err := os.Stat(filepath.Join(dir, "_exitcode")); err == nil {
			continue // a case that fails on purpose has no output
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		var inputs []string
		config := filepath.Join(dir, "_fnconfig.yaml")
		if !isProfileFile(config) {
			config = "" // no config, or kpt's empty ConfigMap: the profiles are items
		}
		for _, f := range files {
			if !strings.HasPrefix(filepath.Base(f), "_") {
				inputs = append(inputs, f)
			}
		}
		if config == "" { // the profiles are items
			for _, f := range inputs {
				if isProfileFile(f) {
					config = f
					break
				}
			}
			if config == "" {
				continue
			}
		}
		in, err := readFiles(inputs)
		if err != nil {
			return err
		}
		if err := write(out, "golden-"+filepath.Base(dir), config, in); err != nil {
			return err
		}
		n++
	}
	fmt.Printf("rendered %d outputs into %s\n", n, out)
	return nil
}

// isProfileFile reports whether path holds a WordPressProfile.
func isProfileFile(path string) bool {
	n, err := yaml.ReadFile(path)
	return err == nil && n.GetKind() == "WordPressProfile"
}

func readFiles(files []string) ([]byte, error) {
	var b bytes.Buffer
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		b.Write(data)
		b.WriteString("\n---\n")
	}
	return b.Bytes(), nil
}

// write runs expand (in == nil) or harden, in process, and keeps what an
// API server serves.
func write(dir, name, profile string, in []byte) error {
	args := []string{"expand", "-f", profile}
	if in != nil {
		args[0] = "harden"
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Main(args, bytes.NewReader(in), &stdout, &stderr); code != 0 {
		return fmt.Errorf("%s: wordpress-fn %s exited %d:\n%s", name, strings.Join(args, " "), code, stderr.String())
	}
	nodes, err := (&kio.ByteReader{Reader: &stdout, OmitReaderAnnotations: true}).Read()
	if err != nil {
		return err
	}
	var keep []*yaml.RNode
	for _, n := range nodes {
		group := strings.SplitN(n.GetApiVersion(), "/", 2)[0]
		if !notServed[group] {
			keep = append(keep, n)
		}
	}
	var b bytes.Buffer
	if err := (kio.ByteWriter{Writer: &b}).Write(keep); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".yaml"), b.Bytes(), 0o644)
}
