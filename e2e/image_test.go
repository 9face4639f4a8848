package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The image runs as kustomize and kpt run it, and more locked down still
// (--read-only, a numeric user): stdin to stdout, nothing else, and it
// answers as the binary does.
func TestImageContract(t *testing.T) {
	img := functionImage(t)
	cfg := strings.TrimSpace(mustRun(t, root(t), nil, "docker", "image", "inspect", "-f", "{{.Config.User}} {{json .Config.Entrypoint}}", img).stdout)
	if cfg != `65532:65532 ["/usr/local/bin/wordpress-fn"]` {
		t.Errorf("image user and entrypoint: %s", cfg)
	}

	// A ResourceList: the base, and the production profile as the config.
	base := mustRun(t, root(t), nil, kustomize(t), "build", "base").stdout
	profile, err := os.ReadFile(filepath.Join(root(t), "examples/seed-production/profile.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	in := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + indentList(base) +
		"functionConfig:\n" + indent(string(profile), "  ")

	want := pipe(t, in, fnBin(t))
	if !strings.Contains(want, "kind: ResourceList") || !strings.Contains(want, "readinessProbe") {
		t.Fatalf("the binary did not harden the input:\n%s", want)
	}
	for _, user := range []string{"nobody", "65532"} {
		got := pipe(t, in, "docker", "run", "--rm", "-i", "--network", "none", "--read-only",
			"--user", user, "--security-opt=no-new-privileges", img)
		if got != want {
			t.Errorf("the image (--user %s) and the binary answer differently:\n--- image\n%s\n--- binary\n%s", user, got, want)
		}
	}
}

func pipe(t *testing.T, in, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(in)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func indent(s, by string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// indentList turns multi-document YAML into the items of a YAML list.
func indentList(docs string) string {
	var out strings.Builder
	for _, d := range strings.Split(docs, "\n---\n") {
		if strings.TrimSpace(d) == "" {
			continue
		}
		d = indent(strings.TrimPrefix(d, "---\n"), "  ")
		out.WriteString("- " + d[2:])
	}
	return out.String()
}
