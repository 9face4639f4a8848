package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kustomizeBuild runs the real kustomize from the repository root.
func kustomizeBuild(t *testing.T, args ...string) string {
	t.Helper()
	return mustRun(t, root(t), nil, kustomize(t), append([]string{"build"}, args...)...).stdout
}

// The exec form: no Docker needed. It is also the reference the other
// forms must render byte for byte.
func TestKustomizeExec(t *testing.T) {
	fnBin(t)
	out := kustomizeBuild(t, "--enable-alpha-plugins", "--enable-exec", "overlays/prod-exec")
	checkProduction(t, "kustomize build overlays/prod-exec", objects(t, "overlays/prod-exec", []byte(out)), site{namespace: true})
}

// The container form, through Docker, renders exactly what the exec form
// does: one profile, two runtimes, no drift.
func TestKustomizeContainer(t *testing.T) {
	functionImage(t)
	out := kustomizeBuild(t, "--enable-alpha-plugins", "overlays/prod")
	checkProduction(t, "kustomize build overlays/prod", objects(t, "overlays/prod", []byte(out)), site{namespace: true})
	if exec := kustomizeBuild(t, "--enable-alpha-plugins", "--enable-exec", "overlays/prod-exec"); out != exec {
		t.Errorf("overlays/prod (container) and overlays/prod-exec (exec) render differently:\n--- container\n%s\n--- exec\n%s", out, exec)
	}
}

// A build that cannot run the function fails instead of printing the
// unhardened base: kustomize refuses a function without
// --enable-alpha-plugins, and overlays/prod-exec's guard fails the build
// when kustomize silently skips an exec function (no --enable-exec).
func TestKustomizeRefusesUnhardened(t *testing.T) {
	fnBin(t)
	for _, c := range []struct {
		args []string
		// what the user must read: the flags that fix it
		want string
	}{
		{[]string{"build", "overlays/prod"}, "external plugins disabled"},
		{[]string{"build", "overlays/prod-exec"}, "external plugins disabled"},
		// kustomize's own message says nothing of the flag; the guard's does.
		{[]string{"build", "--enable-alpha-plugins", "overlays/prod-exec"},
			"wordpress-fn did not run: kustomize skips an exec function without --enable-exec; run kustomize build --enable-alpha-plugins --enable-exec overlays/prod-exec"},
	} {
		r := run(t, root(t), nil, kustomize(t), c.args...)
		if r.err == nil {
			t.Errorf("kustomize %s succeeded:\n%s", strings.Join(c.args, " "), r.stdout)
		}
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("kustomize %s: the error does not say %q:\n%s", strings.Join(c.args, " "), c.want, r.stderr)
		}
	}
}

// The dev overlay is plain kustomize: cheap, and not hardened.
func TestKustomizeDev(t *testing.T) {
	out := kustomizeBuild(t, "overlays/dev")
	objs := objects(t, "overlays/dev", []byte(out))
	if len(objs) != len(baseObjects)+1 {
		t.Errorf("overlays/dev has %d objects, want the base's %d", len(objs), len(baseObjects)+1)
	}
	idx := byKey(objs)
	for _, k := range append(baseObjects, "Namespace//kube-samples") {
		k = strings.Replace(k, "kube-samples", "kube-samples-dev", 1)
		if len(idx[k]) != 1 {
			t.Errorf("overlays/dev: %s appears %d times, want once", k, len(idx[k]))
		}
	}
	if wp := one(idx, "Deployment/kube-samples-dev/wordpress"); wp != nil {
		if got := str(wp, "spec", "replicas"); got != "1" {
			t.Errorf("overlays/dev: wordpress has %s replicas, want 1", got)
		}
		if c := container(wp, "containers", "wordpress"); c == nil || str(c, "readinessProbe", "tcpSocket", "port") != "" {
			t.Errorf("overlays/dev: the wordpress container is hardened (or gone); dev runs no function")
		}
		if container(wp, "initContainers", "init-db") == nil {
			t.Errorf("overlays/dev: the init container is gone")
		}
	}
}

// The generator form sees only its profile: the whole site comes from it,
// the same objects `wordpress-fn expand` prints, by container and in-process.
func TestKustomizeGenerator(t *testing.T) {
	bin := fnBin(t)
	expand := mustRun(t, root(t), nil, bin, "expand", "-f", "examples/seed-production/profile.yaml").stdout
	want := canonical(t, objects(t, "expand", []byte(expand)))
	inProcess := mustRun(t, root(t), nil, bin, "build", "examples/generator").stdout
	if got := canonical(t, objects(t, "wordpress-fn build examples/generator", []byte(inProcess))); got != want {
		t.Errorf("the generator renders other objects than expand:\n--- generator\n%s\n--- expand\n%s", got, want)
	}
	t.Run("container", func(t *testing.T) {
		functionImage(t)
		out := kustomizeBuild(t, "--enable-alpha-plugins", "examples/generator")
		if out != inProcess {
			t.Errorf("kustomize (container) and wordpress-fn build render examples/generator differently:\n--- kustomize\n%s\n--- build\n%s", out, inProcess)
		}
	})
}

// wordpress-fn build renders what kustomize does, byte for byte, for every
// kustomization of the repository that needs no other function.
func TestBuildMatchesKustomize(t *testing.T) {
	bin := fnBin(t)
	for _, dir := range []string{"overlays/prod", "overlays/dev", "base"} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := mustRun(t, root(t), nil, bin, "build", dir).stdout
			ref := "overlays/prod-exec"
			args := []string{"--enable-alpha-plugins", "--enable-exec"}
			if dir != "overlays/prod" {
				ref, args = dir, nil
			}
			if want := kustomizeBuild(t, append(args, ref)...); got != want {
				t.Errorf("wordpress-fn build %s differs from kustomize build %s:\n--- build\n%s\n--- kustomize\n%s", dir, ref, got, want)
			}
		})
	}
}

// A base without a namespace whose Secret comes from a secretGenerator,
// hardened with a profile that names the namespace: the whole site moves
// there, the Secret with it, and every reference to the Secret, the
// user's and the one harden writes for a literal password, resolves to
// its hashed name.
func TestKustomizeGeneratedSecretFollowsTheSite(t *testing.T) {
	fnBin(t)
	dir := "e2e/testdata/kustomize-generated-secret/overlay"
	out := kustomizeBuild(t, "--enable-alpha-plugins", "--enable-exec", dir)
	objs := objects(t, dir, []byte(out))
	secret := ""
	for _, o := range objs {
		if o.GetNamespace() != "blog" {
			t.Errorf("%s %s is in namespace %q, not the site's blog", o.GetKind(), o.GetName(), o.GetNamespace())
		}
		if o.GetKind() == "Secret" {
			secret = o.GetName()
		}
	}
	if !strings.HasPrefix(secret, "mysql-pass-") {
		t.Fatalf("no hashed mysql-pass Secret in:\n%s", out)
	}
	refs := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "name: mysql-pass") {
			refs++
			if strings.TrimSpace(line) != "name: "+secret {
				t.Errorf("a reference does not resolve to the generated Secret %s: %q", secret, line)
			}
		}
	}
	if refs < 4 { // the Secret, two of the user's references, harden's
		t.Errorf("%d mentions of mysql-pass, want the Secret and 3 references:\n%s", refs, out)
	}
	if strings.Contains(out, "value: literal") {
		t.Errorf("the literal MYSQL_PASSWORD is still there:\n%s", out)
	}
}

// A bad profile under kustomize: kustomize passes the function config with
// no file, so each problem names the profile and the field, every problem
// at once.
func TestKustomizeNamesTheProfile(t *testing.T) {
	bin := fnBin(t)
	dir := t.TempDir()
	for _, d := range []string{"base", "overlays"} {
		copyDir(t, filepath.Join(root(t), d), filepath.Join(dir, d))
	}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(bin, filepath.Join(dir, "bin", "wordpress-fn")); err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(dir, "overlays", "prod", "profile", "profile.yaml")
	replaceIn(t, profile, `(?m)^  topology: production$`, "  topology: prod")
	replaceIn(t, profile, `(?m)^  wordpress:$`, "  wordpress:\n    replica: 3")
	r := run(t, dir, nil, kustomize(t), "build", "--enable-alpha-plugins", "--enable-exec", "overlays/prod-exec")
	if r.err == nil {
		t.Fatalf("kustomize built a bad profile:\n%s", r.stdout)
	}
	for _, w := range []string{
		`error: WordPressProfile wordpress: spec.topology: must be one of noha, ha, production, not "prod"`,
		`error: WordPressProfile wordpress: spec.wordpress.replica: unknown field (did you mean "replicas"?)`,
	} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("kustomize does not show %s:\n%s", w, r.stderr)
		}
	}
}
