package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kube-samples/wordpress-fn/e2e/internal/skip"
)

// image is the function image the overlays, the generator and the kpt
// package name; TestImageNames checks that `make image` builds exactly it.
const image = "ghcr.io/kube-samples/wordpress-fn:v0.1.0"

// once computes a value for the whole test binary: a tool path, or the
// reason it is missing.
type once struct {
	sync.Once
	val  string
	err  error
	skip string
}

func (o *once) get(t *testing.T, f func() (val, skip string, err error)) string {
	t.Helper()
	o.Do(func() { o.val, o.skip, o.err = f() })
	if o.err != nil {
		t.Fatal(o.err)
	}
	if o.skip != "" {
		skip.MissingTool(t, "%s", o.skip)
	}
	return o.val
}

var rootOnce, fnOnce, kustomizeOnce, helmOnce, kptOnce, dockerOnce, imageOnce once

// root is the repository root: the directory of this module's go.mod.
func root(t *testing.T) string {
	return rootOnce.get(t, func() (string, string, error) {
		dir, err := os.Getwd()
		if err != nil {
			return "", "", err
		}
		for {
			data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err == nil && bytes.Contains(data, []byte("module github.com/kube-samples/wordpress-fn\n")) {
				return dir, "", nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return "", "", errors.New("no go.mod of github.com/kube-samples/wordpress-fn above the working directory")
			}
			dir = parent
		}
	})
}

// makeTarget runs a Makefile target in the repository root.
func makeTarget(t *testing.T, target string) error {
	t.Helper()
	r := run(t, root(t), nil, "make", "-s", target)
	if r.err != nil {
		return fmt.Errorf("make %s: %v\n%s%s", target, r.err, r.stdout, r.stderr)
	}
	return nil
}

// fnBin is bin/wordpress-fn, rebuilt once per run (cheap when cached) so
// the tests never exercise a stale binary.
func fnBin(t *testing.T) string {
	return fnOnce.get(t, func() (string, string, error) {
		if err := makeTarget(t, "build"); err != nil {
			return "", "", err
		}
		return filepath.Join(root(t), "bin", "wordpress-fn"), "", nil
	})
}

// tool is the pinned NAME where `make tools` (run by `make e2e`) builds it
// once per machine, in the cache outside the clone (`make tool-path-NAME`
// says where). It is never built here: go test stays quick on a new
// machine, and a missing tool skips the test loudly (fails it under CI).
func tool(t *testing.T, o *once, name string) string {
	return o.get(t, func() (string, string, error) {
		r := run(t, root(t), nil, "make", "-s", "--no-print-directory", "tool-path-"+name)
		p := strings.TrimSpace(r.stdout)
		if r.err != nil || p == "" {
			return "", "", fmt.Errorf("make tool-path-%s: %v %q\n%s", name, r.err, p, r.stderr)
		}
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Sprintf("%s is not built at %s: `make e2e` (or `make tools`) builds the pinned version once per machine", name, p), nil
		}
		return p, "", nil
	})
}

func kustomize(t *testing.T) string { return tool(t, &kustomizeOnce, "kustomize") }
func helm(t *testing.T) string      { return tool(t, &helmOnce, "helm") }

// kpt is preinstalled on the build machines; it has no `go install`, and
// no target can install it (no network for its release binary). So its
// absence is skipped loudly even under CI, where a tool the Makefile
// builds fails instead: CI cannot be made to fail for what it cannot fix.
func kpt(t *testing.T) string {
	t.Helper()
	kptOnce.Do(func() {
		if p, err := exec.LookPath("kpt"); err != nil {
			kptOnce.skip = "kpt is not on PATH, and `go install` cannot install it: install kpt v1.0.0-beta (a release binary) to run the kpt tests"
		} else {
			kptOnce.val = p
		}
	})
	if kptOnce.skip != "" {
		skip.Loudly(t, "%s", kptOnce.skip)
	}
	return kptOnce.val
}

// docker skips the test unless a Docker engine answers.
func docker(t *testing.T) {
	dockerOnce.get(t, func() (string, string, error) {
		if _, err := exec.LookPath("docker"); err != nil {
			return "", "docker is not on PATH: the container function path is NOT tested", nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "docker", "info").CombinedOutput(); err != nil {
			return "", fmt.Sprintf("`docker info` fails, so the container function path is NOT tested: %v: %s", err, lastLine(out)), nil
		}
		return "", "", nil
	})
}

// functionImage builds the function image with `make image`, once per run,
// so that it holds the binary under test.
func functionImage(t *testing.T) string {
	docker(t)
	return imageOnce.get(t, func() (string, string, error) {
		if err := makeTarget(t, "image"); err != nil {
			return "", "", err
		}
		return image, "", nil
	})
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

type result struct {
	stdout, stderr string
	err            error
}

// run runs a command in dir; env, when not nil, is its whole environment.
func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = env
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return result{stdout.String(), stderr.String(), err}
}

// mustRun runs a command and fails the test when it fails.
func mustRun(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	r := run(t, dir, env, name, args...)
	if r.err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), r.err, r.stdout, r.stderr)
	}
	return r
}

// copyDir copies a directory tree (files and directories only).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTree maps the relative path of every file under dir to its content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// replaceIn rewrites a file with re replaced, failing unless re matches.
func replaceIn(t *testing.T, file, re, repl string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rx := regexp.MustCompile(re)
	if !rx.Match(data) {
		t.Fatalf("%s: nothing matches %s", file, re)
	}
	if err := os.WriteFile(file, rx.ReplaceAll(data, []byte(repl)), 0o644); err != nil {
		t.Fatal(err)
	}
}
