// Package checkers holds the project-wide checks of what wordpress-fn
// produces: kube-score on the production output (kubescore_test.go), no
// resource lost or changed through kpt and kustomize (nothinglost_test.go)
// and no literal credential in any output (secrets_test.go).
//
// The tests build their own copy of the function from ./fn, so they never
// race with another package rebuilding bin/wordpress-fn; they use the
// pinned tools where `make tools` caches them (make tool-path-NAME) and kpt
// from PATH, and skip loudly, with the command that installs what is
// missing (under CI, where every tool is built first, they fail instead).
package checkers

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kube-samples/wordpress-fn/e2e/internal/skip"
)

var (
	buildOnce sync.Once
	fnPath    string
	buildErr  error
	tmpRoot   string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if tmpRoot != "" {
		os.RemoveAll(tmpRoot)
	}
	os.Exit(code)
}

// repo is the repository root.
func repo(t testing.TB) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "fn", "main.go")); err != nil {
		t.Fatalf("not the repository root: %s", abs)
	}
	return abs
}

// function is the absolute path of a wordpress-fn built from this tree,
// with its wordpress-fn-build beside it.
func function(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		tmpRoot, buildErr = os.MkdirTemp("", "wordpress-fn-checkers-")
		if buildErr != nil {
			return
		}
		fnPath = filepath.Join(tmpRoot, "wordpress-fn")
		// wordpress-fn build runs wordpress-fn-build, found next to it.
		for out, pkg := range map[string]string{fnPath: "./fn", filepath.Join(tmpRoot, "wordpress-fn-build"): "./fn/build/wordpress-fn-build"} {
			cmd := exec.Command("go", "build", "-o", out, pkg)
			cmd.Dir = repo(t)
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local")
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return fnPath
}

// toolPath is where `make tools` (make e2e) caches the pinned NAME,
// outside the clone, and whether it is built there; never built here.
func toolPath(t *testing.T, name string) (string, bool) {
	t.Helper()
	cmd := exec.Command("make", "-s", "--no-print-directory", "tool-path-"+name)
	cmd.Dir = repo(t)
	out, err := cmd.Output()
	p := string(bytes.TrimSpace(out))
	if err != nil || p == "" {
		t.Fatalf("make tool-path-%s: %v %q", name, err, p)
	}
	_, err = os.Stat(p)
	return p, err == nil
}

// pinnedTool is the pinned NAME; the test skips loudly when it is not built.
func pinnedTool(t *testing.T, name string) string {
	t.Helper()
	p, ok := toolPath(t, name)
	if !ok {
		skip.MissingTool(t, "%s is not built at %s: `make e2e` (or `make tools`) builds the pinned version once per machine", name, p)
	}
	return p
}

// optionalTool is the pinned NAME for a test that checks less without it:
// "" when it is not built (the caller says loudly what it left out), and a
// failure under CI.
func optionalTool(t *testing.T, name string) string {
	t.Helper()
	p, ok := toolPath(t, name)
	if !ok {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set, so a missing tool fails: %s is not built at %s", name, p)
		}
		return ""
	}
	return p
}

type result struct {
	stdout, stderr []byte
	code           int
}

// run runs a command; a failure to start it fails the test, a non-zero
// exit does not.
func run(t *testing.T, dir string, stdin []byte, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{out.Bytes(), errb.Bytes(), code}
}

// mustRun runs a command that must exit 0.
func mustRun(t *testing.T, dir string, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	r := run(t, dir, stdin, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %v: exit %d\n%s", name, args, r.code, r.stderr)
	}
	return r.stdout
}

// baseManifests is what `kustomize build base` would list: the files of
// base/kustomization.yaml, in order, as one multi-document stream.
func baseManifests(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, f := range []string{"namespace.yaml", "mysql.yaml", "wordpress.yaml"} {
		data, err := os.ReadFile(filepath.Join(repo(t), "base", f))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteString("\n---\n")
	}
	return b.Bytes()
}
