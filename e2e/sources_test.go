package e2e

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The profile copies the integrations need (kustomize and kpt read nothing
// outside their root) have the spec of the one production profile.
func TestProfilesDoNotDrift(t *testing.T) {
	spec := func(file string) map[string]any {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(root(t), file))
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Spec map[string]any `yaml:"spec"`
		}
		if err := yaml.Unmarshal(data, &p); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		return p.Spec
	}
	want := spec("examples/seed-production/profile.yaml")
	for _, f := range []string{"overlays/prod/profile/profile.yaml", "examples/generator/profile.yaml", "examples/kpt/wordpress/profile.yaml", "examples/helm/profile.yaml"} {
		got := spec(f)
		if f == "examples/helm/profile.yaml" {
			if got["createNamespace"] != false {
				t.Errorf("%s: createNamespace must be false: Helm owns the release namespace", f)
			}
			delete(got, "createNamespace")
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s has drifted from examples/seed-production/profile.yaml:\n got %v\nwant %v", f, got, want)
		}
	}
}

// The kpt package's manifests are the base's.
func TestKptPackageIsTheBase(t *testing.T) {
	for _, f := range []string{"namespace.yaml", "mysql.yaml", "wordpress.yaml"} {
		a, err := os.ReadFile(filepath.Join(root(t), "base", f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(root(t), kptPackage, f))
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Errorf("%s/%s differs from base/%s: copy it again", kptPackage, f, f)
		}
	}
}

// Every function annotation and Kptfile names the image `make image`
// builds, and each profile used as a kustomize function config is local.
func TestImageNames(t *testing.T) {
	r := mustRun(t, root(t), nil, "make", "-n", "image")
	m := regexp.MustCompile(`docker build -t (\S+) `).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("make -n image runs no docker build -t:\n%s", r.stdout)
	}
	if m[1] != image {
		t.Fatalf("make image builds %s, the tests expect %s", m[1], image)
	}
	for _, f := range []string{"overlays/prod/profile/profile.yaml", "examples/generator/profile.yaml", "examples/kpt/wordpress/Kptfile"} {
		data, err := os.ReadFile(filepath.Join(root(t), f))
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if !strings.Contains(s, "image: "+image+"\n") {
			t.Errorf("%s does not name the image make image builds, %s", f, image)
		}
		if strings.HasSuffix(f, "profile.yaml") && !strings.Contains(s, `config.kubernetes.io/local-config: "true"`) {
			t.Errorf("%s is not local-config: the profile would be deployed", f)
		}
	}
}
