package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// cmpCommand is a command of a ConfigManagementPlugin: the CMP server runs
// command[0] with command[1:] and args appended.
type cmpCommand struct {
	Command []string `yaml:"command"`
	Args    []string `yaml:"args"`
}

type cmpPlugin struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Version  string `yaml:"version"`
		Discover struct {
			Find cmpCommand `yaml:"find"`
		} `yaml:"discover"`
		Generate cmpCommand `yaml:"generate"`
	} `yaml:"spec"`
}

func loadPlugin(t *testing.T) cmpPlugin {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root(t), "examples/argocd/plugin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var p cmpPlugin
	if err := yaml.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if p.APIVersion != "argoproj.io/v1alpha1" || p.Kind != "ConfigManagementPlugin" || len(p.Spec.Generate.Command) == 0 || len(p.Spec.Discover.Find.Command) == 0 {
		t.Fatalf("plugin.yaml is not a ConfigManagementPlugin with discover.find and generate commands: %+v", p)
	}
	return p
}

// sidecarPath is a PATH holding only what the sidecar image needs: a
// shell and wordpress-fn. No docker, no kustomize, no git.
func sidecarPath(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, c := range []string{"sh"} {
		p, err := exec.LookPath(c)
		if err != nil {
			t.Fatalf("the plugin's commands need %s: %v", c, err)
		}
		if err := os.Symlink(p, filepath.Join(dir, c)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(fnBin(t), filepath.Join(dir, "wordpress-fn")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runCMP runs a plugin command as argocd-cmp-server does: in the app's
// directory, with the app's environment and the Application's plugin env as
// ARGOCD_ENV_*.
func runCMP(t *testing.T, c cmpCommand, appDir string, env map[string]string) result {
	t.Helper()
	vars := []string{
		"PATH=" + sidecarPath(t),
		"ARGOCD_APP_NAME=wordpress",
		"ARGOCD_APP_NAMESPACE=kube-samples",
		"ARGOCD_APP_PROJECT_NAME=default",
		"ARGOCD_APP_REVISION=0123456789abcdef0123456789abcdef01234567",
		"ARGOCD_APP_SOURCE_PATH=overlays/prod",
		"ARGOCD_APP_SOURCE_REPO_URL=https://github.com/kube-samples/wordpress-fn.git",
		"ARGOCD_APP_SOURCE_TARGET_REVISION=main",
		"KUBE_VERSION=1.33.0",
		"KUBE_API_VERSIONS=v1,apps/v1,policy/v1,autoscaling/v2,networking.k8s.io/v1,storage.k8s.io/v1",
		"ARGOCD_ENV_TEAM=blog",
	}
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	args := append(append([]string(nil), c.Command[1:]...), c.Args...)
	return run(t, appDir, vars, c.Command[0], args...)
}

func TestArgoCDPlugin(t *testing.T) {
	p := loadPlugin(t)
	app := filepath.Join(root(t), "overlays/prod")

	// discover claims a directory whose kustomization really runs the
	// function, and nothing else: mentioning the image is not enough.
	t.Run("discover", func(t *testing.T) {
		repo := t.TempDir()
		copyDir(t, filepath.Join(root(t), "base"), filepath.Join(repo, "base"))
		copyDir(t, filepath.Join(root(t), "overlays"), filepath.Join(repo, "overlays"))
		writeRepo(t, repo, map[string]string{
			// An overlay of overlays/prod runs it too.
			"staging/kustomization.yaml": "resources: [../overlays/prod]\nnamePrefix: staging-\n",
			// The profile as a plain resource: nothing runs it.
			"resource-only/kustomization.yaml": "resources: [profile.yaml]\n",
			"resource-only/profile.yaml":       "-> ../overlays/prod/profile/profile.yaml",
			// Only a mention, in a comment and a README.
			"mention/kustomization.yaml": "# rendered by ghcr.io/kube-samples/wordpress-fn:v0.1.0 elsewhere\nresources: [../base]\n",
			"mention/README.md":          "config.kubernetes.io/function: {container: {image: ghcr.io/kube-samples/wordpress-fn:v0.1.0}}\n",
			// Another function: a look-alike image.
			"other-fn/kustomization.yaml":   "resources: [../base]\ntransformers: [fn.yaml]\n",
			"other-fn/fn.yaml":              fnConfig("config.kubernetes.io/function", "container:\n  image: ghcr.io/kube-samples/wordpress-fn-other:v1"),
			"no-kustomization/profile.yaml": "# ghcr.io/kube-samples/wordpress-fn\n",
		})
		for dir, want := range map[string]string{
			"overlays/prod":      "kustomization.yaml",
			"staging":            "kustomization.yaml",
			"overlays/dev":       "",
			"overlays/prod-exec": "", // an exec function: build refuses it by default
			"resource-only":      "",
			"mention":            "",
			"other-fn":           "",
			"no-kustomization":   "",
		} {
			r := runCMP(t, p.Spec.Discover.Find, filepath.Join(repo, dir), nil)
			if r.err != nil {
				t.Errorf("discover %s: %v\nstderr: %s", dir, r.err, r.stderr)
			}
			if got := strings.TrimSpace(r.stdout); got != want {
				t.Errorf("discover %s printed %q, want %q (empty: not claimed)", dir, got, want)
			}
		}
		// The image an Application names in its plugin env.
		replaceIn(t, filepath.Join(repo, "overlays/prod/profile/profile.yaml"),
			`image: ghcr\.io/kube-samples/wordpress-fn:v0\.1\.0`, "image: registry.example.com/me/wordpress-fn:v0.1.0")
		if r := runCMP(t, p.Spec.Discover.Find, filepath.Join(repo, "overlays/prod"), nil); strings.TrimSpace(r.stdout) != "" {
			t.Errorf("discover claims a retagged image the app did not name")
		}
		r := runCMP(t, p.Spec.Discover.Find, filepath.Join(repo, "overlays/prod"), map[string]string{"ARGOCD_ENV_WORDPRESS_FN_IMAGE": "registry.example.com/me/wordpress-fn"})
		if strings.TrimSpace(r.stdout) != "kustomization.yaml" {
			t.Errorf("discover does not claim the retagged image the app names: %q %v %s", r.stdout, r.err, r.stderr)
		}
	})

	var out string
	t.Run("generate", func(t *testing.T) {
		r := runCMP(t, p.Spec.Generate, app, nil)
		if r.err != nil {
			t.Fatalf("generate: %v\nstderr:\n%s", r.err, r.stderr)
		}
		out = r.stdout
		checkProduction(t, "plugin generate", objects(t, "plugin generate", []byte(out)), site{namespace: true})
	})

	// A retagged image (README: IMAGE=... make image) is served too, once
	// the Application names it in the plugin's env.
	t.Run("retagged image", func(t *testing.T) {
		repo := t.TempDir()
		copyDir(t, filepath.Join(root(t), "base"), filepath.Join(repo, "base"))
		copyDir(t, filepath.Join(root(t), "overlays/prod"), filepath.Join(repo, "overlays/prod"))
		replaceIn(t, filepath.Join(repo, "overlays/prod/profile/profile.yaml"),
			`image: ghcr\.io/kube-samples/wordpress-fn:v0\.1\.0`, "image: registry.example.com/me/wordpress-fn:v0.1.0")
		r := runCMP(t, p.Spec.Generate, filepath.Join(repo, "overlays/prod"),
			map[string]string{"ARGOCD_ENV_WORDPRESS_FN_IMAGE": "registry.example.com/me/wordpress-fn"})
		if r.err != nil {
			t.Fatalf("generate: %v\nstderr:\n%s", r.err, r.stderr)
		}
		if out != "" && r.stdout != out {
			t.Errorf("the retagged image renders differently:\n%s", r.stdout)
		}
	})
}

// The Application uses the plugin under the name Argo CD gives it, on
// overlays/prod; the patch adds the sidecar the way Argo CD documents it.
func TestArgoCDManifests(t *testing.T) {
	p := loadPlugin(t)
	data, err := os.ReadFile(filepath.Join(root(t), "examples/argocd/application.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	appNode := objects(t, "application.yaml", data)[0]
	if got, want := str(appNode, "spec", "source", "plugin", "name"), p.Metadata.Name+"-"+p.Spec.Version; got != want {
		t.Errorf("the Application names plugin %q; Argo CD calls it %q", got, want)
	}
	if got := str(appNode, "spec", "source", "path"); got != "overlays/prod" {
		t.Errorf("the Application renders %q, want overlays/prod", got)
	}

	// The patch, applied to a stand-in for Argo CD's repo-server.
	dir := t.TempDir()
	patch, err := os.ReadFile(filepath.Join(root(t), "examples/argocd/repo-server-patch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"repo-server-patch.yaml": string(patch),
		"kustomization.yaml":     "resources: [repo-server.yaml]\npatches:\n- path: repo-server-patch.yaml\n",
		"repo-server.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
  namespace: argocd
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: argocd-repo-server}
  template:
    metadata:
      labels: {app.kubernetes.io/name: argocd-repo-server}
    spec:
      containers:
      - name: argocd-repo-server
        image: quay.io/argoproj/argocd:v3.1.0
        volumeMounts:
        - {name: var-files, mountPath: /var/run/argocd}
        - {name: plugins, mountPath: /home/argocd/cmp-server/plugins}
      volumes:
      - {name: var-files, emptyDir: {}}
      - {name: plugins, emptyDir: {}}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := mustRun(t, dir, nil, kustomize(t), "build", ".").stdout
	d := objects(t, "patched repo-server", []byte(out))[0]
	if container(d, "containers", "argocd-repo-server") == nil {
		t.Errorf("the patch dropped the repo-server container")
	}
	side := container(d, "containers", "wordpress-fn")
	if side == nil {
		t.Fatalf("the patch adds no wordpress-fn sidecar:\n%s", out)
	}
	cmd, _ := side.Pipe(yaml.Lookup("command"))
	if cmd == nil || !strings.Contains(cmd.MustString(), "/var/run/argocd/argocd-cmp-server") {
		t.Errorf("the sidecar does not run argocd-cmp-server")
	}
	if str(side, "securityContext", "runAsUser") != "999" || str(side, "securityContext", "runAsNonRoot") != "true" {
		t.Errorf("the sidecar does not run as the repo-server's user 999")
	}
	mounts := side.MustString()
	for _, m := range []string{"/var/run/argocd", "/home/argocd/cmp-server/plugins", "/tmp"} {
		if !strings.Contains(mounts, "mountPath: "+m+"\n") {
			t.Errorf("the sidecar does not mount %s", m)
		}
	}
	vols, _ := d.Pipe(yaml.Lookup("spec", "template", "spec", "volumes"))
	for _, v := range []string{"var-files", "plugins", "wordpress-fn-tmp"} {
		if vols == nil || !strings.Contains(vols.MustString(), "name: "+v+"\n") {
			t.Errorf("the patched repo-server has no volume %s", v)
		}
	}
}

// The sidecar image recipe, built on scratch (its busybox base cannot be
// pulled here): its COPY sources exist and land where the CMP server and
// the plugin's commands look.
func TestArgoCDSidecarRecipe(t *testing.T) {
	fnBin(t)
	docker(t)
	tag := "wordpress-fn-cmp:e2e"
	mustRun(t, root(t), nil, "docker", "build", "-q", "-f", "examples/argocd/Dockerfile", "--build-arg", "BASE=scratch", "-t", tag, ".")
	defer run(t, root(t), nil, "docker", "rmi", "-f", tag)
	r := mustRun(t, root(t), nil, "docker", "run", "--rm", "--network", "none", "--entrypoint", "/usr/local/bin/wordpress-fn", tag, "version")
	if strings.TrimSpace(r.stdout) == "" {
		t.Errorf("wordpress-fn version printed nothing in the sidecar image")
	}
	// wordpress-fn build runs wordpress-fn-build from beside it.
	if r := run(t, root(t), nil, "docker", "run", "--rm", "--network", "none", "--entrypoint", "/usr/local/bin/wordpress-fn", tag, "build", "--help"); r.err != nil || !strings.Contains(r.stdout, "Usage: wordpress-fn build") {
		t.Errorf("wordpress-fn build --help in the sidecar image (usage on stdout): %v\n%s", r.err, r.stdout)
	}
	id := strings.TrimSpace(mustRun(t, root(t), nil, "docker", "create", tag, "x").stdout)
	defer run(t, root(t), nil, "docker", "rm", id)
	got := filepath.Join(t.TempDir(), "plugin.yaml")
	mustRun(t, root(t), nil, "docker", "cp", id+":/home/argocd/cmp-server/config/plugin.yaml", got)
	a, _ := os.ReadFile(got)
	b, _ := os.ReadFile(filepath.Join(root(t), "examples/argocd/plugin.yaml"))
	if string(a) != string(b) {
		t.Errorf("the image's plugin.yaml is not examples/argocd/plugin.yaml")
	}
}
