// Command render writes every output the project can produce (each example
// expanded, the hardened base, each golden case that succeeds, each
// real-world case of e2e/testdata/realworld hardened) as plain
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
var notServed = map[string]bool{"example.com": true, "serving.knative.dev": true}

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
	m, err := renderRealWorld(out)
	if err != nil {
		return err
	}
	n += m
	fmt.Printf("rendered %d outputs into %s\n", n, out)
	return nil
}

// realWorldDir holds users' real manifests (e2e/realworld_test.go): each
// case's input.yaml hardened with its profile.yaml is validated too, unless
// its expect.yaml says harden refuses it.
const realWorldDir = "e2e/testdata/realworld"

// renderRealWorld writes realworld-<case>.yaml for every case that
// harden must succeed on. Real inputs hold what a test API server cannot
// take, and that the function passes through as the user wrote it:
//   - custom resources whose CRD hack/kube-apiserver.sh does not install
//     (it installs hack/crds only: Traefik, Rook's CephFilesystem,
//     external-secrets and the Prometheus Operator's ServiceMonitor,
//     PodMonitor and PrometheusRule): no server could validate them;
//   - API versions Kubernetes removed (autoscaling/v2beta2 since 1.26, ...):
//     the pinned v1.34 server no longer serves them.
//
// Those objects are left out of the file, each named on stdout; everything
// else the function emits is validated.
func renderRealWorld(out string) (int, error) {
	served, err := servedCustomKinds("hack/crds")
	if err != nil {
		return 0, err
	}
	cases, _ := filepath.Glob(filepath.Join(realWorldDir, "*", "input.yaml"))
	sort.Strings(cases)
	n := 0
	for _, input := range cases {
		dir := filepath.Dir(input)
		name := "realworld-" + filepath.Base(dir)
		profile := filepath.Join(dir, "profile.yaml")
		if _, err := os.Stat(profile); err != nil {
			fmt.Printf("%s: no profile.yaml yet, not rendered\n", name)
			continue
		}
		if refused(filepath.Join(dir, "expect.yaml")) {
			continue // a case that fails on purpose has no output
		}
		in, err := os.ReadFile(input)
		if err != nil {
			return n, err
		}
		keep := func(node *yaml.RNode) bool {
			av := node.GetApiVersion()
			group, _, _ := strings.Cut(av, "/")
			if !strings.Contains(av, "/") {
				group = ""
			}
			switch {
			case removedVersions[av]:
				fmt.Printf("%s: left out %s %s/%s: %s is no longer served by Kubernetes\n", name, node.GetKind(), node.GetNamespace(), node.GetName(), av)
				return false
			case builtinGroup(group) || served[group+"/"+node.GetKind()]:
				return true
			default:
				fmt.Printf("%s: left out %s %s/%s: no CRD for %s %s in hack/crds\n", name, node.GetKind(), node.GetNamespace(), node.GetName(), av, node.GetKind())
				return false
			}
		}
		if err := writeFiltered(out, name, profile, in, keep); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// refused reports whether an expect.yaml says `refused: true`.
func refused(path string) bool {
	node, err := yaml.ReadFile(path)
	if err != nil {
		return false
	}
	v, err := node.Pipe(yaml.Lookup("refused"))
	return err == nil && v != nil && yaml.GetValue(v) == "true"
}

// builtinGroup: the core group, the unqualified ones (apps, batch, policy,
// autoscaling) and *.k8s.io are Kubernetes' own.
func builtinGroup(group string) bool {
	return group == "" || !strings.Contains(group, ".") || strings.HasSuffix(group, ".k8s.io")
}

// removedVersions are API versions Kubernetes no longer serves in v1.34.
var removedVersions = map[string]bool{
	"extensions/v1beta1": true, "apps/v1beta1": true, "apps/v1beta2": true,
	"autoscaling/v2beta1": true, "autoscaling/v2beta2": true, "policy/v1beta1": true,
	"batch/v1beta1": true, "networking.k8s.io/v1beta1": true, "rbac.authorization.k8s.io/v1beta1": true,
	"storage.k8s.io/v1beta1": true, "scheduling.k8s.io/v1beta1": true, "discovery.k8s.io/v1beta1": true,
	"events.k8s.io/v1beta1": true, "node.k8s.io/v1beta1": true, "coordination.k8s.io/v1beta1": true,
	"admissionregistration.k8s.io/v1beta1": true, "apiextensions.k8s.io/v1beta1": true,
	"certificates.k8s.io/v1beta1": true, "flowcontrol.apiserver.k8s.io/v1beta1": true,
	"flowcontrol.apiserver.k8s.io/v1beta2": true, "flowcontrol.apiserver.k8s.io/v1beta3": true,
}

// servedCustomKinds is group/kind of every CRD in dir: what the test API
// server serves besides Kubernetes' own kinds.
func servedCustomKinds(dir string) (map[string]bool, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	out := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		for _, n := range nodes {
			if n.GetKind() != "CustomResourceDefinition" {
				continue
			}
			group, _ := n.Pipe(yaml.Lookup("spec", "group"))
			kind, _ := n.Pipe(yaml.Lookup("spec", "names", "kind"))
			if group != nil && kind != nil {
				out[yaml.GetValue(group)+"/"+yaml.GetValue(kind)] = true
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no CustomResourceDefinition in %s", dir)
	}
	return out, nil
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
	return writeFiltered(dir, name, profile, in, func(n *yaml.RNode) bool {
		group := strings.SplitN(n.GetApiVersion(), "/", 2)[0]
		return !notServed[group]
	})
}

// writeFiltered runs expand (in == nil) or harden, in process, and writes
// the objects keep keeps.
func writeFiltered(dir, name, profile string, in []byte, keep func(*yaml.RNode) bool) error {
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
	var kept []*yaml.RNode
	for _, n := range nodes {
		if keep(n) {
			kept = append(kept, n)
		}
	}
	var b bytes.Buffer
	if err := (kio.ByteWriter{Writer: &b}).Write(kept); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".yaml"), b.Bytes(), 0o644)
}
