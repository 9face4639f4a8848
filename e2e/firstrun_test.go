package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// firstRunEnv is this process's environment on a machine whose tool cache
// is the empty directory cache: CI as given (unset when ci is false).
func firstRunEnv(cache string, ci bool) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "CI" || k == "WORDPRESS_FN_CACHE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "WORDPRESS_FN_CACHE="+cache)
	if ci {
		env = append(env, "CI=true")
	}
	return env
}

// On a new machine (an empty tool cache) the tests that need Helm or
// kube-score skip, loudly and with the command that runs them, instead of
// building the tools: the first `make test` stays quick. Under CI the same
// tests fail, so CI cannot pass without running them.
func TestFirstRunSkipsRealToolTestsLoudly(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("go is not on PATH: %v", err)
	}
	cases := []struct{ pkg, test, tool string }{
		{"./e2e", "TestHelmPostRenderer", "helm"},
		{"./e2e/checkers", "TestKubeScore", "kube-score"},
	}
	for _, c := range cases {
		t.Run(c.tool, func(t *testing.T) {
			cache := t.TempDir()
			args := []string{"test", "-count=1", "-v", "-run", "^" + c.test + "$", c.pkg}

			r := run(t, root(t), firstRunEnv(cache, false), "go", args...)
			out := r.stdout + r.stderr
			if r.err != nil {
				t.Fatalf("go test %s without the tool failed instead of skipping: %v\n%s", c.test, r.err, out)
			}
			for _, want := range []string{"--- SKIP: " + c.test, "!!! SKIPPED " + c.test, c.tool + " is not built", "make e2e"} {
				if !strings.Contains(out, want) {
					t.Errorf("go test %s without the tool: the output lacks %q\n%s", c.test, want, out)
				}
			}
			if entries, _ := os.ReadDir(cache); len(entries) > 0 {
				t.Errorf("go test %s built something into the empty tool cache %s: %v", c.test, cache, entries)
			}

			r = run(t, root(t), firstRunEnv(cache, true), "go", args...)
			out = r.stdout + r.stderr
			if r.err == nil {
				t.Errorf("under CI, go test %s without the tool passed; it must fail\n%s", c.test, out)
			}
			for _, want := range []string{"--- FAIL: " + c.test, "CI is set"} {
				if !strings.Contains(out, want) {
					t.Errorf("under CI, go test %s without the tool: the output lacks %q\n%s", c.test, want, out)
				}
			}
		})
	}
}

// With an empty cache, `make test` would skip validate-k8s and the cluster
// test rather than build Kubernetes or run apt-get, saying so and naming
// `make e2e`; and `make e2e` first lists what it will build and install,
// marking what needs root.
func TestFirstRunStatusNamesWhatIsMissing(t *testing.T) {
	cache := t.TempDir()
	env := append(firstRunEnv(cache, false), "WPFN_TOOL_PATHS="+filepath.Join(cache, "tools", "helm-v0", "helm"))
	status := filepath.Join(root(t), "hack", "e2e-status.sh")

	r := run(t, root(t), env, status, "ready", "validate-k8s")
	if r.err == nil {
		t.Fatalf("hack/e2e-status.sh ready validate-k8s says ready with an empty cache %s", cache)
	}
	for _, want := range []string{"make validate-k8s was SKIPPED", "kube-apiserver v1.34", "make e2e"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("ready validate-k8s: the notice lacks %q\n%s", want, r.stderr)
		}
	}

	r = run(t, root(t), env, status, "plan")
	if r.err != nil {
		t.Fatalf("hack/e2e-status.sh plan: %v\n%s", r.err, r.stderr)
	}
	for _, want := range []string{"make e2e builds or installs first", "helm v0", "kube-apiserver"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("plan lacks %q\n%s", want, r.stderr)
		}
	}
	if _, err := exec.LookPath("etcd"); err != nil && !strings.Contains(r.stderr, "apt-get install etcd-server (needs root") {
		t.Errorf("etcd is not on PATH, and the plan does not say that it will apt-get install it as root\n%s", r.stderr)
	}

	r = run(t, root(t), env, status, "summary")
	for _, want := range []string{"did NOT run", "make validate-k8s", "make e2e"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("summary lacks %q\n%s", want, r.stderr)
		}
	}
	if entries, _ := os.ReadDir(cache); len(entries) > 0 {
		t.Errorf("hack/e2e-status.sh wrote into the cache %s: %v", cache, entries)
	}
}

// The README starts with exactly the two set-up commands, then says what
// the first run installs and how long it takes, what needs root, and how
// to get kpt: what a newcomer reads before typing anything.
func TestReadmeFirstLinesTellTheFirstRun(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "```sh\n")
	if start < 0 {
		t.Fatal("README.md has no ```sh block")
	}
	block, rest, ok := strings.Cut(text[start+len("```sh\n"):], "```")
	if !ok {
		t.Fatal("README.md: the first ```sh block is not closed")
	}
	var cmds []string
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		cmds = append(cmds, strings.TrimSpace(strings.SplitN(l, "#", 2)[0]))
	}
	if len(cmds) != 2 || cmds[0] != "make demo" || cmds[1] != "make test" {
		t.Errorf("the README's first commands are %q, not exactly `make demo` and `make test`", cmds)
	}
	intro, _, _ := strings.Cut(rest, "\n## ")
	for _, want := range []string{"make e2e", "cold", "warm", "root", "kpt", "CI"} {
		if !strings.Contains(intro, want) {
			t.Errorf("the README's first section does not mention %q (what the first run installs, how long, what needs root, kpt, CI)", want)
		}
	}
	for _, placeholder := range []string{"@COLD@", "@WARM@", "TODO"} {
		if strings.Contains(intro, placeholder) {
			t.Errorf("the README's first section still holds %s", placeholder)
		}
	}
}
