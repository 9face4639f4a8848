package build

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func TestMainUsage(t *testing.T) {
	var out, errb strings.Builder
	if code := Main(nil, &out, &errb); code != 2 || out.Len() != 0 || !strings.Contains(errb.String(), "Usage") {
		t.Fatalf("no directory: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	if code := Main([]string{t.TempDir()}, &out, &errb); code != 1 || out.Len() != 0 || !strings.Contains(errb.String(), "kustomization") {
		t.Fatalf("no kustomization: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// The forms kustomize fetches (its git loader's and its http loader's) are
// remote; a local path, even one that merely mentions a host, is not.
func TestIsRemote(t *testing.T) {
	for p, want := range map[string]bool{
		"https://example.com/x.yaml":                true,
		"HTTP://example.com/x.yaml":                 true,
		"github.com/org/repo//base?ref=v1":          true,
		"github.com:org/repo":                       true,
		"git::https://example.com/repo.git":         true,
		"git@gitlab.example.com:org/repo.git//base": true,
		"ssh://git@example.com/org/repo.git":        true,
		"file:///srv/git/repo.git":                  true,
		"../../base":                                false,
		"profile":                                   false,
		"examples/github.com/x":                     false,
		"/etc/kustomize":                            false,
		"apiVersion: v1\nkind: X\nurl: https://x\n": false,
	} {
		if got := isRemote(p); got != want {
			t.Errorf("isRemote(%q) = %v, want %v", p, got, want)
		}
	}
}

// Only our repository, at a tag or a digest, is served: not a name that
// starts like it.
func TestServed(t *testing.T) {
	repos := []string{DefaultImage, "registry.example.com/me/wordpress-fn"}
	for image, want := range map[string]bool{
		DefaultImage:                              true,
		DefaultImage + ":v0.1.0":                  true,
		DefaultImage + "@sha256:0a1":              true,
		"registry.example.com/me/wordpress-fn:v2": true,
		DefaultImage + "-other:v1":                false,
		"ghcr.io/kube-samples/wordpress-fnx":      false,
		"evil.example.com/" + DefaultImage:        false,
		"":                                        false,
	} {
		if got := served(image, repos); got != want {
			t.Errorf("served(%q) = %v, want %v", image, got, want)
		}
	}
}

// While a build runs, kustomize's http loader gets a transport that
// refuses before dialing (no DNS lookup), PATH holds only the docker shim,
// and no legacy plugin home exists (an empty one would not do: an
// apiVersion of ../../proc/self/cwd climbs out of it); after it, all is
// as it was.
func TestSandbox(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path, home, userHome := os.Getenv("PATH"), os.Getenv("KUSTOMIZE_PLUGIN_HOME"), os.Getenv("HOME")
	transport := http.DefaultTransport
	s, err := enter(Options{Self: self, Images: []string{DefaultImage}})
	if err != nil {
		t.Fatal(err)
	}
	_, getErr := (&http.Client{}).Get("https://attacker.invalid/x.yaml")
	entries, _ := os.ReadDir(filepath.Join(s.dir, "bin"))
	var homes []string
	for _, h := range []string{os.Getenv("KUSTOMIZE_PLUGIN_HOME"), filepath.Join(os.Getenv("HOME"), ".config/kustomize/plugin"), filepath.Join(os.Getenv("HOME"), "kustomize/plugin")} {
		if _, err := os.Stat(h); err == nil {
			homes = append(homes, h)
		}
	}
	xdg, xdgSet := os.LookupEnv("XDG_CONFIG_HOME")
	inside := os.Getenv("PATH")
	s.leave()
	if !errors.Is(getErr, errNoRemote) || len(s.remote) != 1 {
		t.Errorf("an http GET in the sandbox: %v (refused %v)", getErr, s.remote)
	}
	if inside != filepath.Join(s.dir, "bin") || len(entries) != 1 || entries[0].Name() != "docker" {
		t.Errorf("PATH in the sandbox is %s holding %v", inside, entries)
	}
	if len(homes) != 0 || xdgSet {
		t.Errorf("a legacy plugin home exists in the sandbox: %v (XDG_CONFIG_HOME=%q)", homes, xdg)
	}
	if os.Getenv("PATH") != path || os.Getenv("KUSTOMIZE_PLUGIN_HOME") != home || os.Getenv("HOME") != userHome || http.DefaultTransport != transport {
		t.Errorf("the sandbox was not undone")
	}
	if _, err := os.Stat(s.dir); !os.IsNotExist(err) {
		t.Errorf("the sandbox directory is left: %v", err)
	}
}

// Checks the policy makes on what a kustomization itself says, refusing
// by default and letting through what the switch allows.
func TestPolicyKustomization(t *testing.T) {
	exec := "exec: {path: /bin/sh}"
	for _, tc := range []struct {
		name, kustomization string
		want                string // "" when nothing is refused
		allow               Allow
	}{
		{"our function", "transformers:\n- |\n  apiVersion: x/v1\n  kind: P\n  metadata:\n    name: p\n    annotations:\n      config.kubernetes.io/function: 'container: {image: " + DefaultImage + ":v1}'\n", "", Allow{}},
		{"commonAnnotations", "commonAnnotations:\n  config.kubernetes.io/function: '" + exec + "'\n", "commonAnnotations[config.kubernetes.io/function]: the exec function /bin/sh", Allow{}},
		{"generatorOptions", "generatorOptions:\n  annotations:\n    config.k8s.io/function: '" + exec + "'\n", "generatorOptions.annotations[config.k8s.io/function]: the legacy annotation config.k8s.io/function names the exec function /bin/sh", Allow{}},
		{"json6902 patch", "patches:\n- target: {kind: P}\n  patch: |\n    - op: add\n      path: /metadata/annotations/config.kubernetes.io~1function\n      value: '" + exec + "'\n", "patches[0].patch: the exec function /bin/sh", Allow{}},
		{"one-line inline transformer", "transformers:\n- '{apiVersion: x/v1, kind: P, metadata: {name: p, annotations: {config.kubernetes.io/function: \"" + exec + "\"}}}'\n", "transformers[0].metadata.annotations[config.kubernetes.io/function]: the exec function /bin/sh", Allow{}},
		{"one-line inline transformer behind ---", "transformers:\n- '--- {apiVersion: x/v1, kind: P, metadata: {name: p, annotations: {config.kubernetes.io/function: \"" + exec + "\"}}}'\n", "transformers[0].metadata.annotations[config.kubernetes.io/function]: the exec function /bin/sh", Allow{}},
		{"one-line inline legacy plugin behind ---", "generators:\n- '--- {apiVersion: ../../proc/self/cwd, kind: x, metadata: {name: x}}'\n", "generators[0]: the legacy kustomize plugin ../../proc/self/cwd/x", Allow{}},
		{"exec allowed", "commonAnnotations:\n  config.kubernetes.io/function: '" + exec + "'\n", "", Allow{Exec: true}},
		{"remote component", "components: [github.com/org/repo//c]\n", "components[0]: the remote github.com/org/repo//c", Allow{}},
		{"remote env file", "configMapGenerator:\n- name: c\n  envs: [https://x.invalid/e.env]\n", "configMapGenerator[0].envs[0]: the remote https://x.invalid/e.env", Allow{}},
		{"remote allowed", "resources: [https://x.invalid/r.yaml]\n", "", Allow{Remote: true}},
		{"helm allowed, local chart", "helmCharts:\n- name: c\n", "", Allow{Helm: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "kustomization.yaml")
			p := &policy{allow: tc.allow, images: []string{DefaultImage}}
			p.check(filesys.MakeFsOnDisk(), path, []byte(tc.kustomization))
			err := p.err()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want a refusal with %q", err, tc.want)
			}
		})
	}
}

// build --discover prints the kustomization that runs the function, and
// nothing (exit 0, as Argo CD's discover wants) for one that does not.
func TestMainDiscover(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fn := "apiVersion: x/v1\nkind: P\nmetadata:\n  name: p\n  annotations:\n    config.kubernetes.io/function: 'container: {image: " + DefaultImage + ":v1}'\n"
	write("runs/kustomization.yaml", "transformers: [fn.yaml]\n")
	write("runs/fn.yaml", fn)
	write("inline/kustomization.yaml", "transformers:\n- '--- {apiVersion: x/v1, kind: P, metadata: {name: p, annotations: {config.kubernetes.io/function: \"container: {image: "+DefaultImage+":v1}\"}}}'\n")
	write("mentions/kustomization.yaml", "resources: [fn.yaml]\n")
	write("mentions/fn.yaml", fn)
	for sub, want := range map[string]string{"runs": "kustomization.yaml", "inline": "kustomization.yaml", "mentions": ""} {
		var out, errb strings.Builder
		code := Main([]string{"--discover", filepath.Join(dir, sub)}, &out, &errb)
		got := strings.TrimSpace(out.String())
		if want != "" {
			want = filepath.Join(dir, sub, want)
		}
		if code != 0 || got != want || errb.Len() != 0 {
			t.Errorf("discover %s: exit %d, stdout %q (want %q), stderr %q", sub, code, got, want, errb.String())
		}
	}
}

// --help is asked for: the usage goes to stdout, exit 0; a flag after the
// directory is named, with where it goes.
func TestMainHelpAndLateFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "Usage: wordpress-fn build") || errb.Len() != 0 {
		t.Fatalf("--help: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}

	out.Reset()
	errb.Reset()
	if code := Main([]string{"overlays/prod", "--enable-exec"}, &out, &errb); code != 2 || out.Len() != 0 || !strings.Contains(errb.String(), "--enable-exec comes after the directory: flags go before it") {
		t.Fatalf("late flag: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
