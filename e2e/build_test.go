package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A repository that `wordpress-fn build` renders (in Argo CD: anyone who
// can push to a watched repository) tries to make it run code or reach
// the network. Each attack must be refused by default, with a message
// naming the file and the switch an administrator would set; nothing it
// names may run: its canary file must not appear, and the git, helm and
// docker on PATH (recorders) must not be invoked.

// attackEnv is a PATH of recorders for git, helm and docker (each writes
// its name into dir/invoked) plus sh, and the canary's directory.
func attackEnv(t *testing.T, dir string, extra ...string) []string {
	t.Helper()
	bin := filepath.Join(dir, "path")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"git", "helm", "docker"} {
		script := "#!/bin/sh\necho " + name + " \"$@\" >> " + filepath.Join(dir, "invoked") + "\nexit 1\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return append([]string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + dir}, extra...)
}

// writeRepo writes files (path: content) under dir; a content starting
// with "-> " is a symlink.
func writeRepo(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "-> "); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mode := os.FileMode(0o644)
		if strings.HasPrefix(content, "#!") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
}

// CANARY in a case's files is replaced by the path the attack would create.
const canaryMark = "CANARY"

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: site
data:
  a: b
`

// fnConfig is a transformer config whose function annotation is spec.
func fnConfig(key, spec string) string {
	return `apiVersion: example.com/v1
kind: Anything
metadata:
  name: x
  annotations:
    ` + key + `: |
` + indent(spec, "      ")
}

const shExec = "exec:\n  path: /bin/sh\n  args: [-c, \"touch CANARY; cat\"]"

type attack struct {
	name  string
	files map[string]string
	env   []string // more environment
	// want: substrings of stderr (the message users read).
	want []string
	// allow: the switch that lets it through; with it the canary appears.
	allow string
}

var attacks = []attack{
	{
		name: "exec path",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n",
			"app/cm.yaml":            configMap,
			"app/fn.yaml":            fnConfig("config.kubernetes.io/function", shExec),
		},
		want:  []string{"error: fn.yaml: metadata.annotations[config.kubernetes.io/function]: the exec function /bin/sh: refused; an administrator allows it with --enable-exec (WORDPRESS_FN_BUILD_ENABLE_EXEC=1 in the sidecar's env)"},
		allow: "--enable-exec",
	},
	{
		name: "script in the repository",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n",
			"app/cm.yaml":            configMap,
			"app/fn.yaml":            fnConfig("config.kubernetes.io/function", "exec:\n  path: ./tools/fn.sh"),
			"app/tools/fn.sh":        "#!/bin/sh\ntouch CANARY\ncat\n",
		},
		want:  []string{"error: fn.yaml: metadata.annotations[config.kubernetes.io/function]: the exec function ./tools/fn.sh: refused", "--enable-exec"},
		allow: "--enable-exec",
	},
	{
		name: "legacy annotation",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n",
			"app/cm.yaml":            configMap,
			"app/fn.yaml":            fnConfig("config.k8s.io/function", shExec),
		},
		want:  []string{"error: fn.yaml: metadata.annotations[config.k8s.io/function]: the legacy annotation config.k8s.io/function names the exec function /bin/sh: refused", "--enable-exec"},
		allow: "--enable-exec",
	},
	{
		name: "generator",
		files: map[string]string{
			"app/kustomization.yaml": "generators: [gen.yaml]\n",
			"app/gen.yaml":           fnConfig("config.kubernetes.io/function", shExec),
		},
		want:  []string{"error: gen.yaml: metadata.annotations[config.kubernetes.io/function]: the exec function /bin/sh: refused", "--enable-exec"},
		allow: "--enable-exec",
	},
	{
		name: "inline transformer",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers:\n- |\n" + indent(fnConfig("config.kubernetes.io/function", shExec), "  ") + "\n",
			"app/cm.yaml":            configMap,
		},
		want:  []string{"error: kustomization.yaml: transformers[0].metadata.annotations[config.kubernetes.io/function]: the exec function /bin/sh: refused", "--enable-exec"},
		allow: "--enable-exec",
	},
	{
		name: "annotation added by a patch",
		files: map[string]string{
			"app/kustomization.yaml":    "resources: [cm.yaml]\ntransformers: [fn]\n",
			"app/cm.yaml":               configMap,
			"app/fn/kustomization.yaml": "resources: [config.yaml]\npatches:\n- target: {kind: Anything}\n  patch: |\n" + indent(fnConfig("config.kubernetes.io/function", shExec), "    ") + "\n",
			"app/fn/config.yaml":        "apiVersion: example.com/v1\nkind: Anything\nmetadata:\n  name: x\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn:v0.1.0\n",
		},
		want:  []string{"error: fn/kustomization.yaml: patches[0].patch.metadata.annotations[config.kubernetes.io/function]: the exec function /bin/sh: refused", "--enable-exec"},
		allow: "--enable-exec",
	},
	{
		name: "container function of another image",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n",
			"app/cm.yaml":            configMap,
			"app/fn.yaml":            fnConfig("config.kubernetes.io/function", "container:\n  image: ghcr.io/attacker/steal:v1"),
		},
		want: []string{"error: fn.yaml: metadata.annotations[config.kubernetes.io/function]: the container function ghcr.io/attacker/steal:v1, not wordpress-fn: refused", "--enable-exec"},
	},
	{
		// A name that starts like ours is not ours.
		name: "look-alike image",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn.yaml]\n",
			"app/cm.yaml":            configMap,
			"app/fn.yaml":            fnConfig("config.kubernetes.io/function", "container:\n  image: ghcr.io/kube-samples/wordpress-fn-evil:v1"),
		},
		want: []string{"the container function ghcr.io/kube-samples/wordpress-fn-evil:v1, not wordpress-fn: refused"},
	},
	{
		// The file checks cannot see an image a replacement writes: the
		// sandbox's docker (this binary) refuses it when kustomize starts it.
		name: "container image set by a replacement",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn]\n",
			"app/cm.yaml":            configMap,
			"app/fn/kustomization.yaml": `resources: [config.yaml]
replacements:
- source: {kind: Anything, fieldPath: spec.next}
  targets:
  - select: {kind: Anything}
    fieldPaths: [metadata.annotations.config\.kubernetes\.io/function]
`,
			// Ours, until the replacement runs.
			"app/fn/config.yaml": "apiVersion: example.com/v1\nkind: Anything\nmetadata:\n  name: x\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn:v0.1.0\nspec:\n  next: |\n    container:\n      image: ghcr.io/attacker/steal:v1\n",
		},
		want: []string{"error: a kustomization runs the container function ghcr.io/attacker/steal:v1, not wordpress-fn: refused; an administrator allows it with --enable-exec"},
	},
	{
		name: "legacy exec plugin",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [plugin.yaml]\n",
			"app/cm.yaml":            configMap,
			"app/plugin.yaml":        "apiVersion: someteam.example.com/v1\nkind: Evil\nmetadata:\n  name: x\n",
			// A plugin home as kustomize looks for it ($KUSTOMIZE_PLUGIN_HOME).
			"plugins/someteam.example.com/v1/evil/Evil": "#!/bin/sh\ntouch CANARY\ncat\n",
		},
		env:   []string{"KUSTOMIZE_PLUGIN_HOME=PLUGINS"},
		want:  []string{"error: plugin.yaml: the legacy kustomize plugin someteam.example.com/v1/Evil (an executable or Go plugin from the plugin home): refused", "--enable-exec"},
		allow: "--enable-exec",
	},
	{
		// A config that a transformer directory yields: the file checks do
		// not follow it; the sandbox holds, with no plugin home at all. The plugin
		// sits where kustomize looks by default ($HOME/.config/...).
		name: "legacy exec plugin from a transformer directory",
		files: map[string]string{
			"app/kustomization.yaml":        "resources: [cm.yaml]\ntransformers: [plugin]\n",
			"app/cm.yaml":                   configMap,
			"app/plugin/kustomization.yaml": "resources: [config.yaml]\n",
			"app/plugin/config.yaml":        "apiVersion: someteam.example.com/v1\nkind: Evil\nmetadata:\n  name: x\n",
			".config/kustomize/plugin/someteam.example.com/v1/evil/Evil": "#!/bin/sh\ntouch CANARY\ncat\n",
		},
		want:  []string{"error: a kustomization: a legacy kustomize plugin (a generators, transformers or validators config that is neither builtin nor a KRM function: an executable or Go plugin from the plugin home): refused; an administrator allows it with --enable-exec"},
		allow: "--enable-exec",
	},
	{
		// The plugin's path is the plugin home joined with the config's
		// apiVersion and kind: ../ climbs out of any home, and
		// /proc/self/cwd is the app's directory, where the repository
		// ships the executable. Only a home that does not exist holds.
		name: "legacy exec plugin climbing out of the plugin home",
		files: map[string]string{
			"app/kustomization.yaml":        "resources: [cm.yaml]\ntransformers: [plugin]\n",
			"app/cm.yaml":                   configMap,
			"app/plugin/kustomization.yaml": "resources: [config.yaml]\n",
			"app/plugin/config.yaml":        "apiVersion: ../../../../../../../../../../../../../../../../proc/self/cwd\nkind: x\nmetadata:\n  name: x\n",
			"app/x/x":                       "#!/bin/sh\n/usr/bin/touch CANARY\n/bin/cat\n",
		},
		want: []string{"a legacy kustomize plugin", "refused; an administrator allows it with --enable-exec"},
	},
	{
		// One line of flow YAML is an inline config to kustomize.
		name: "legacy exec plugin inline on one line",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers:\n- '--- {apiVersion: ../../../../../../../../../../../../../../../../proc/self/cwd, kind: x, metadata: {name: x}}'\n",
			"app/cm.yaml":            configMap,
			"app/x/x":                "#!/bin/sh\n/usr/bin/touch CANARY\n/bin/cat\n",
		},
		want: []string{"error: kustomization.yaml: transformers[0]: the legacy kustomize plugin ../../../../../../../../../../../../../../../../proc/self/cwd/x (an executable or Go plugin from the plugin home): refused; an administrator allows it with --enable-exec"},
	},
	{
		name: "remote base",
		files: map[string]string{
			"app/kustomization.yaml": "resources:\n- github.com/attacker/repo//base?ref=main\n- https://attacker.invalid/site.yaml\n",
		},
		want: []string{
			"error: kustomization.yaml: resources[0]: the remote github.com/attacker/repo//base?ref=main: refused; an administrator allows it with --allow-remote (WORDPRESS_FN_BUILD_ALLOW_REMOTE=1 in the sidecar's env)",
			"error: kustomization.yaml: resources[1]: the remote https://attacker.invalid/site.yaml: refused",
		},
	},
	{
		// A token in the URL is refused with the URL masked: Argo CD shows
		// the message to whoever can view the app.
		name: "remote base with a token",
		files: map[string]string{
			"app/kustomization.yaml": "resources:\n- https://oauth2:ghp_S3CRET@github.com/org/repo//base?ref=main\n",
		},
		want: []string{"error: kustomization.yaml: resources[0]: the remote https://oauth2:<redacted>@github.com/org/repo//base?ref=main: refused; an administrator allows it with --allow-remote"},
	},
	{
		name: "remote patch file",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- path: https://attacker.invalid/patch.yaml\n",
			"app/cm.yaml":            configMap,
		},
		want: []string{"error: kustomization.yaml: patches[0].path: the remote https://attacker.invalid/patch.yaml: refused", "--allow-remote"},
	},
	{
		// A builtin plugin config can name a URL too: kustomize's http
		// loader gets a transport that refuses before any lookup.
		name: "remote file in a builtin transformer",
		files: map[string]string{
			"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [patch.yaml]\n",
			"app/cm.yaml":            configMap,
			"app/patch.yaml":         "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: https://attacker.invalid/patch.yaml\n",
		},
		want: []string{"error: patch.yaml: path: the remote https://attacker.invalid/patch.yaml: refused", "--allow-remote"},
	},
	{
		name: "helm chart",
		files: map[string]string{
			"app/kustomization.yaml": "helmCharts:\n- name: evil\n  repo: https://charts.attacker.invalid\n  version: 1.0.0\n",
		},
		want: []string{
			"error: kustomization.yaml: helmCharts[0]: Helm chart inflation (evil) runs helm: refused; an administrator allows it with --enable-helm (WORDPRESS_FN_BUILD_ENABLE_HELM=1 in the sidecar's env)",
			"error: kustomization.yaml: helmCharts[0].repo: the remote chart repository https://charts.attacker.invalid: refused; an administrator allows it with --allow-remote",
		},
	},
	{
		name: "symlink out of the root",
		files: map[string]string{
			"app/kustomization.yaml":   "resources: [cm.yaml, leak.yaml]\n",
			"app/cm.yaml":              configMap,
			"app/leak.yaml":            "-> ../outside/credentials.yaml",
			"outside/credentials.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  token: S3CRET-TOKEN\n",
		},
		want: []string{"error: leak.yaml: resolves outside its kustomization's directory . (a symbolic link?): refused; kustomize's load restrictor stays RootOnly, no switch lifts it"},
	},
}

func TestBuildRefusesAttacks(t *testing.T) {
	bin := fnBin(t)
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			dir := t.TempDir()
			canary := filepath.Join(dir, "canary")
			files := map[string]string{}
			for k, v := range a.files {
				files[k] = strings.ReplaceAll(v, canaryMark, canary)
			}
			writeRepo(t, dir, files)
			var extra []string
			for _, e := range a.env {
				extra = append(extra, strings.ReplaceAll(e, "PLUGINS", filepath.Join(dir, "plugins")))
			}
			env := attackEnv(t, dir, extra...)
			app := filepath.Join(dir, "app")
			r := run(t, app, env, bin, "build", ".")
			if r.err == nil {
				t.Errorf("build succeeded:\n%s", r.stdout)
			}
			if r.stdout != "" {
				t.Errorf("a refused build printed YAML:\n%s", r.stdout)
			}
			for _, w := range a.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "S3CRET") {
				t.Errorf("the message quotes a file outside the root:\n%s", r.stderr)
			}
			if _, err := os.Stat(canary); err == nil {
				t.Errorf("the attack ran: %s exists", canary)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "invoked")); err == nil {
				t.Errorf("build invoked %s", b)
			}
			t.Logf("refused, stderr:\n%s", r.stderr)
			if a.allow == "" {
				return
			}
			// The administrator's switch lets it run, flag or env.
			r = run(t, app, env, bin, "build", a.allow, ".")
			if r.err != nil {
				t.Fatalf("build %s: %v\nstderr:\n%s", a.allow, r.err, r.stderr)
			}
			if _, err := os.Stat(canary); err != nil {
				t.Errorf("with %s the function did not run", a.allow)
			}
			os.Remove(canary)
			r = run(t, app, append(env, "WORDPRESS_FN_BUILD_ENABLE_EXEC=1"), bin, "build", ".")
			if _, err := os.Stat(canary); r.err != nil || err != nil {
				t.Errorf("with WORDPRESS_FN_BUILD_ENABLE_EXEC=1 the function did not run: %v\n%s", r.err, r.stderr)
			}
		})
	}
}

// The switches let through what they name, and only that: a remote base
// (a local git repository, by file://, which kustomize clones with git)
// with --allow-remote; a chart in the repository with --enable-helm.
func TestBuildSwitches(t *testing.T) {
	bin := fnBin(t)
	helmBin := helm(t)
	dir := t.TempDir()
	writeRepo(t, dir, map[string]string{
		"upstream/base/kustomization.yaml": "resources: [cm.yaml]\n",
		"upstream/base/cm.yaml":            configMap,
		"app/remote/kustomization.yaml":    "resources: [file://" + filepath.Join(dir, "upstream") + "//base]\n",
		"app/chart/kustomization.yaml":     "helmGlobals: {chartHome: charts}\nhelmCharts:\n- {name: wordpress, releaseName: blog, namespace: kube-samples}\n",
	})
	copyDir(t, filepath.Join(root(t), "examples/helm/wordpress"), filepath.Join(dir, "app/chart/charts/wordpress"))
	up := filepath.Join(dir, "upstream")
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base"}} {
		mustRun(t, up, nil, "git", args...)
	}
	tools := t.TempDir()
	for name, p := range map[string]string{"helm": helmBin} {
		if err := os.Symlink(p, filepath.Join(tools, name)); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"PATH=" + tools + ":/usr/bin:/bin", "HOME=" + dir}

	for _, c := range []struct{ dir, allow, want, env string }{
		{"remote", "--allow-remote", "name: site", "WORDPRESS_FN_BUILD_ALLOW_REMOTE=1"},
		{"chart", "--enable-helm", "kind: Deployment", "WORDPRESS_FN_BUILD_ENABLE_HELM=1"},
	} {
		app := filepath.Join(dir, "app", c.dir)
		if r := run(t, app, env, bin, "build", "."); r.err == nil || r.stdout != "" {
			t.Errorf("%s without %s: %v\n%s", c.dir, c.allow, r.err, r.stdout)
		}
		for _, e := range [][]string{append(env, c.env), env} {
			args := []string{"build", "."}
			if len(e) == len(env) {
				args = []string{"build", c.allow, "."}
			}
			r := run(t, app, e, bin, args...)
			if r.err != nil || !strings.Contains(r.stdout, c.want) {
				t.Errorf("%s %v: %v\nstdout:\n%s\nstderr:\n%s", c.dir, args, r.err, r.stdout, r.stderr)
			}
		}
	}
}

// What is ours is served however the kustomization names it: an annotation
// a patch adds (the file checks see the patch; kustomize starts the
// container, which the binary serves), and a retagged image named by
// WORDPRESS_FN_IMAGE in the sidecar's env. Each renders what overlays/prod
// renders.
func TestBuildServesOurs(t *testing.T) {
	bin := fnBin(t)
	want := mustRun(t, root(t), nil, bin, "build", "overlays/prod").stdout
	repo := t.TempDir()
	copyDir(t, filepath.Join(root(t), "base"), filepath.Join(repo, "base"))
	copyDir(t, filepath.Join(root(t), "overlays/prod"), filepath.Join(repo, "overlays/prod"))
	writeRepo(t, repo, map[string]string{
		"overlays/patched/kustomization.yaml":         "resources: [../../base]\ntransformers: [profile]\n",
		"overlays/patched/profile/kustomization.yaml": "resources: [../../prod/profile]\npatches:\n- target: {kind: WordPressProfile}\n  patch: |\n    apiVersion: wordpress.kube-samples.io/v1alpha1\n    kind: WordPressProfile\n    metadata:\n      name: any\n      annotations:\n        config.kubernetes.io/function: |\n          container:\n            image: ghcr.io/kube-samples/wordpress-fn@sha256:0123456789abcdef\n",
	})
	env := attackEnv(t, t.TempDir())
	if r := run(t, filepath.Join(repo, "overlays/patched"), env, bin, "build", "."); r.err != nil || r.stdout != want {
		t.Errorf("an annotation a patch adds is not served: %v\n%s", r.err, r.stderr)
	}
	replaceIn(t, filepath.Join(repo, "overlays/prod/profile/profile.yaml"),
		`image: ghcr\.io/kube-samples/wordpress-fn:v0\.1\.0`, "image: registry.example.com/me/wordpress-fn:v0.1.0")
	prod := filepath.Join(repo, "overlays/prod")
	if r := run(t, prod, env, bin, "build", "."); r.err == nil || !strings.Contains(r.stderr, "the container function registry.example.com/me/wordpress-fn:v0.1.0, not wordpress-fn: refused") {
		t.Errorf("a retagged image nobody named is served: %v\n%s", r.err, r.stderr)
	}
	if r := run(t, prod, append(env, "WORDPRESS_FN_IMAGE=registry.example.com/me/wordpress-fn"), bin, "build", "."); r.err != nil || r.stdout != want {
		t.Errorf("WORDPRESS_FN_IMAGE does not serve the retagged image: %v\n%s", r.err, r.stderr)
	}
}

// The known gap: an exec function that only a replacement writes is
// invisible to the file checks. kustomize, with exec functions off, skips
// it as `kustomize build` without --enable-exec does: it never runs, but
// the build says nothing (README, Security model, Limits).
func TestBuildNeverRunsHiddenExec(t *testing.T) {
	bin := fnBin(t)
	dir := t.TempDir()
	canary := filepath.Join(dir, "canary")
	writeRepo(t, dir, map[string]string{
		"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [fn]\n",
		"app/cm.yaml":            configMap,
		"app/fn/kustomization.yaml": `resources: [config.yaml]
replacements:
- source: {kind: Anything, fieldPath: spec.next}
  targets:
  - select: {kind: Anything}
    fieldPaths: [metadata.annotations.config\.kubernetes\.io/function]
`,
		"app/fn/config.yaml": "apiVersion: example.com/v1\nkind: Anything\nmetadata:\n  name: x\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn:v0.1.0\nspec:\n  next: |\n    exec:\n      path: /bin/sh\n      args: [-c, \"touch " + canary + "; cat\"]\n",
	})
	r := run(t, filepath.Join(dir, "app"), attackEnv(t, dir), bin, "build", ".")
	if _, err := os.Stat(canary); err == nil {
		t.Fatalf("the hidden exec function ran")
	}
	t.Logf("not run; build: %v, stderr %q", r.err, r.stderr)
	if r.err == nil && !strings.Contains(r.stdout, "name: site") {
		t.Errorf("the build succeeded without the site's ConfigMap:\n%s", r.stdout)
	}
}

// An item's kpt annotations name a file; under kpt, an exec function reads
// it for a problem's line. Under build the repository writes those
// annotations, and the line (or its absence) told whether a file outside
// the repository holds the value at a path. The served function reads no
// such file, as a container could not.
func TestBuildReadsNoFileAnItemNames(t *testing.T) {
	bin := fnBin(t)
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside")
	writeRepo(t, dir, map[string]string{
		"outside/creds.yaml":     "apiVersion: v1\nkind: Secret\nmetadata:\n  name: repo-creds\nstringData:\n  password: S3CRET\nspec:\n  topology: guess\n",
		"app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [profile.yaml]\n",
		"app/cm.yaml":            configMap,
		"app/profile.yaml": `apiVersion: wordpress.kube-samples.io/v1alpha1
kind: WordPressProfile
metadata:
  name: wordpress
  annotations:
    config.kubernetes.io/local-config: "true"
    internal.config.kubernetes.io/package-path: ` + outside + `
    internal.config.kubernetes.io/path: creds.yaml
    internal.config.kubernetes.io/index: "0"
    config.kubernetes.io/function: |
      container:
        image: ghcr.io/kube-samples/wordpress-fn:v0.1.0
spec:
  topology: guess
`,
	})
	r := run(t, filepath.Join(dir, "app"), attackEnv(t, dir), bin, "build", ".")
	if r.err == nil {
		t.Fatalf("an invalid profile built:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "spec.topology") || strings.Contains(r.stderr, "creds.yaml:8") {
		t.Errorf("the message reads the file outside the repository (a line 8 says it holds the guess):\n%s", r.stderr)
	}
}

// `wordpress-fn build` runs bin/wordpress-fn-build (kustomize's api stays
// out of the function's binary): its usage, its exit codes and its stderr
// come through as they are.
func TestBuildRunsItsBinary(t *testing.T) {
	bin := fnBin(t)
	if r := run(t, root(t), nil, bin, "build", "--help"); r.err != nil || !strings.Contains(r.stdout, "Usage: wordpress-fn build") {
		t.Errorf("wordpress-fn build --help (usage on stdout, as asked for): %v\n%s", r.err, r.stdout)
	}
	r := run(t, root(t), nil, bin, "build")
	if r.err == nil || r.stdout != "" || !strings.Contains(r.stderr, "expects exactly one directory") {
		t.Errorf("wordpress-fn build with no directory: %v, stdout %q, stderr %q", r.err, r.stdout, r.stderr)
	}
}
