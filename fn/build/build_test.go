package build

import (
	"strings"
	"testing"
)

func TestServe(t *testing.T) {
	o := Options{Images: []string{DefaultImage, "registry.example.com/me/wordpress-fn"}, Self: "/usr/local/bin/wordpress-fn"}
	profile := func(annotation string) string {
		return `# a comment
apiVersion: wordpress.kube-samples.io/v1alpha1
kind: WordPressProfile
metadata:
  name: wordpress
  annotations:
    config.kubernetes.io/local-config: "true"
` + annotation + `spec:
  topology: production
`
	}
	for _, tc := range []struct {
		name, in string
		served   bool
	}{
		{"our image", profile("    config.kubernetes.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn:v0.1.0\n"), true},
		{"another tag", profile("    config.kubernetes.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn:v9\n"), true},
		{"a digest", profile("    config.kubernetes.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn@sha256:0123\n"), true},
		{"no tag", profile("    config.kubernetes.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn\n"), true},
		{"container and exec", profile("    config.kubernetes.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn:v0.1.0\n      exec:\n        path: ../../bin/wordpress-fn\n"), true},
		{"legacy key", profile("    config.k8s.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn:v0.1.0\n"), true},
		{"a retagged image", profile("    config.kubernetes.io/function: |\n      container:\n        image: registry.example.com/me/wordpress-fn:v0.1.0\n"), true},
		{"another function", profile("    config.kubernetes.io/function: |\n      container:\n        image: ghcr.io/kube-samples/wordpress-fn-other:v1\n"), false},
		{"an exec function", profile("    config.kubernetes.io/function: |\n      exec:\n        path: ./fn\n"), false},
		{"no function", profile(""), false},
		{"not yaml", "a: [b\n/function\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := serve("profile.yaml", []byte(tc.in), o)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.served {
				if string(out) != tc.in {
					t.Fatalf("changed a file it does not serve:\n%s", out)
				}
				return
			}
			s := string(out)
			if !strings.Contains(s, "exec:\n        path: /usr/local/bin/wordpress-fn\n") || strings.Contains(s, "container:") {
				t.Fatalf("not served by the binary:\n%s", s)
			}
			for _, keep := range []string{"# a comment", `config.kubernetes.io/local-config: "true"`, "topology: production"} {
				if !strings.Contains(s, keep) {
					t.Errorf("lost %q:\n%s", keep, s)
				}
			}
		})
	}
}

func TestMainUsage(t *testing.T) {
	var out, errb strings.Builder
	if code := Main(nil, &out, &errb); code != 2 || out.Len() != 0 || !strings.Contains(errb.String(), "Usage") {
		t.Fatalf("no directory: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	if code := Main([]string{t.TempDir()}, &out, &errb); code != 1 || out.Len() != 0 || !strings.Contains(errb.String(), "kustomization") {
		t.Fatalf("no kustomization: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
