package e2e

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const kptPackage = "examples/kpt/wordpress"

// kptCopy copies the checked-in package to a temporary directory: the tests
// render there, never in place.
func kptCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "wordpress")
	copyDir(t, filepath.Join(root(t), kptPackage), dir)
	return dir
}

// kptExecVariant switches a package copy's mutator from the image to the
// binary, as the README's kpt section says; kpt resolves exec against its
// working directory, the repository root here.
func kptExecVariant(t *testing.T, pkg string) {
	t.Helper()
	replaceIn(t, filepath.Join(pkg, "Kptfile"), `(?m)^  - image: ghcr\.io/kube-samples/wordpress-fn:\S+$`, "  - exec: bin/wordpress-fn")
}

// kptObjects reads a rendered package as a deployer would: every object of
// every YAML file, local-config objects dropped.
func kptObjects(t *testing.T, pkg string) []*yaml.RNode {
	t.Helper()
	nodes, err := (&kio.LocalPackageReader{PackagePath: pkg, OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatal(err)
	}
	return withoutLocal(nodes)
}

func kptRender(t *testing.T, pkg string, args ...string) result {
	t.Helper()
	return mustRun(t, root(t), nil, kpt(t), append([]string{"fn", "render", pkg, "--truncate-output=false"}, args...)...)
}

// checkKptRender asserts on a package rendered in place: hardened, the
// package's comments kept, results shown and written, nothing else touched.
func checkKptRender(t *testing.T, pkg string, r result, resultsDir string) {
	t.Helper()
	checkProduction(t, "kpt fn render", kptObjects(t, pkg), site{namespace: true})
	for _, f := range []string{"namespace.yaml", "mysql.yaml", "wordpress.yaml", "profile.yaml", "Kptfile"} {
		orig, err := os.ReadFile(filepath.Join(root(t), kptPackage, f))
		if err != nil {
			t.Fatal(err)
		}
		rendered, err := os.ReadFile(filepath.Join(pkg, f))
		if err != nil {
			t.Fatalf("the render removed %s: %v", f, err)
		}
		if got, want := comments(rendered), comments(orig); got != want {
			t.Errorf("%s: the render lost comments:\n--- rendered\n%s\n--- package\n%s", f, got, want)
		}
		if f == "profile.yaml" && string(rendered) != string(orig) {
			t.Errorf("the render changed the profile:\n%s", rendered)
		}
	}
	for _, want := range []string{"[PASS]", "literal password replaced by a reference to Secret wordpress-db-pwd"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("kpt does not show the function's results (%q):\n%s", want, r.stderr)
		}
	}
	results, err := os.ReadFile(filepath.Join(resultsDir, "results.yaml"))
	if err != nil {
		t.Fatalf("no results file: %v", err)
	}
	if !strings.Contains(string(results), "kind: FunctionResultList") || !strings.Contains(string(results), "exitCode: 0") {
		t.Errorf("results.yaml is not a passing FunctionResultList:\n%s", results)
	}
	checkQuotesNoPassword(t, "kpt fn render's stderr", r.stderr)
	checkQuotesNoPassword(t, "kpt fn render's results.yaml", string(results))
}

// comments are a file's comment lines, in order.
func comments(data []byte) string {
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if i := strings.Index(l, "#"); i >= 0 && (i == 0 || strings.HasPrefix(strings.TrimSpace(l), "#") || l[i-1] == ' ') {
			out = append(out, strings.TrimSpace(l[i:]))
		}
	}
	return strings.Join(out, "\n")
}

func TestKptRenderExec(t *testing.T) {
	fnBin(t)
	pkg := kptCopy(t)
	kptExecVariant(t, pkg)
	results := t.TempDir()
	r := kptRender(t, pkg, "--allow-exec", "--results-dir", results)
	checkKptRender(t, pkg, r, results)

	t.Run("idempotent", func(t *testing.T) {
		before := readTree(t, pkg)
		kptRender(t, pkg, "--allow-exec")
		if after := readTree(t, pkg); !equalTrees(before, after) {
			t.Errorf("a second render changes the package:\n%s", treeDiff(before, after))
		}
	})
}

// The Kptfile as checked in: the function image, through Docker. It renders
// the very files the exec variant does.
func TestKptRenderImage(t *testing.T) {
	functionImage(t)
	pkg := kptCopy(t)
	results := t.TempDir()
	r := kptRender(t, pkg, "--image-pull-policy", "Never", "--results-dir", results)
	checkKptRender(t, pkg, r, results)

	execPkg := kptCopy(t)
	kptExecVariant(t, execPkg)
	kptRender(t, execPkg, "--allow-exec")
	img, ex := readTree(t, pkg), readTree(t, execPkg)
	delete(img, "Kptfile")
	delete(ex, "Kptfile")
	if !equalTrees(img, ex) {
		t.Errorf("the image and exec renders differ:\n%s", treeDiff(img, ex))
	}
}

// kpt fn eval --exec with the profile as --fn-config renders what the
// pipeline does, and -o unwrap leaves the package alone.
func TestKptEvalExec(t *testing.T) {
	fnBin(t)
	pkg := kptCopy(t)
	before := readTree(t, pkg)
	r := mustRun(t, root(t), nil, kpt(t), "fn", "eval", "--exec", "bin/wordpress-fn",
		"--fn-config", filepath.Join(pkg, "profile.yaml"), pkg, "-o", "unwrap")
	objs := withoutLocal(objects(t, "kpt fn eval -o unwrap", []byte(r.stdout)))
	checkProduction(t, "kpt fn eval --exec", objs, site{namespace: true})
	checkQuotesNoPassword(t, "kpt fn eval's stderr", r.stderr)
	if after := readTree(t, pkg); !equalTrees(before, after) {
		t.Errorf("kpt fn eval -o unwrap changed the package:\n%s", treeDiff(before, after))
	}

	rendered := kptCopy(t)
	kptExecVariant(t, rendered)
	kptRender(t, rendered, "--allow-exec")
	if got, want := canonical(t, objs), canonical(t, kptObjects(t, rendered)); got != want {
		t.Errorf("kpt fn eval and kpt fn render differ:\n--- eval\n%s\n--- render\n%s", got, want)
	}
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func treeDiff(a, b map[string]string) string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			out = append(out, "only in the first: "+k)
		} else if w != v {
			out = append(out, "differs: "+k+"\n--- first\n"+v+"\n--- second\n"+w)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, "only in the second: "+k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// A bad profile under kpt: every problem at once, each naming the
// package's file and the field, and the line in that file when the
// function can read it (an exec function: kpt says where the package is).
// Never a line counted from the ResourceList kpt wrote, whose profile has
// kpt's annotations added.
func TestKptNamesTheProfileFile(t *testing.T) {
	fnBin(t)
	pkg := kptCopy(t)
	kptExecVariant(t, pkg)
	profile := filepath.Join(pkg, "profile.yaml")
	replaceIn(t, profile, `(?m)^  topology: production$`, "  topology: prod")
	replaceIn(t, profile, `(?m)^  wordpress:$`, "  wordpress:\n    replica: 3")
	data, err := os.ReadFile(profile)
	if err != nil {
		t.Fatal(err)
	}
	lineOf := func(s string) string {
		for i, l := range strings.Split(string(data), "\n") {
			if l == s {
				return strconv.Itoa(i + 1)
			}
		}
		t.Fatalf("profile.yaml has no line %q", s)
		return ""
	}
	want := []struct{ line, rest string }{
		{lineOf("  topology: prod"), `spec.topology: must be one of noha, ha, production, not \"prod\"`},
		{lineOf("    replica: 3"), `spec.wordpress.replica: unknown field (did you mean \"replicas\"?)`},
	}
	before := readTree(t, pkg)
	check := func(how string, r result, withLine bool) {
		t.Helper()
		if r.err == nil {
			t.Fatalf("%s succeeded with a bad profile", how)
		}
		for _, w := range want {
			s := "error: profile.yaml: " + w.rest
			if withLine {
				s = "error: profile.yaml:" + w.line + ": " + w.rest
			}
			if !strings.Contains(r.stderr, s) {
				t.Errorf("%s does not show %s:\n%s", how, s, r.stderr)
			}
		}
	}
	// render: the items carry the package's path, the line is the file's.
	check("kpt fn render", run(t, root(t), nil, kpt(t), "fn", "render", pkg, "--allow-exec", "--truncate-output=false"), true)
	// eval --fn-config: the config comes without a path; the results name
	// the same profile among the items, whose file eval does not locate.
	check("kpt fn eval --fn-config", run(t, root(t), nil, kpt(t), "fn", "eval", "--exec", "bin/wordpress-fn",
		"--fn-config", profile, pkg, "--truncate-output=false"), false)
	if after := readTree(t, pkg); !equalTrees(before, after) {
		t.Errorf("a failed render changed the package:\n%s", treeDiff(before, after))
	}
}
