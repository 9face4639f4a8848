package e2e

import (
	"strings"
	"testing"
)

// helmTemplate renders the example chart, with the post-renderer args given.
func helmTemplate(t *testing.T, postRender ...string) result {
	t.Helper()
	args := append([]string{"template", "wordpress", "examples/helm/wordpress", "--namespace", "kube-samples"}, postRender...)
	return mustRun(t, root(t), nil, helm(t), args...)
}

// Helm v3 runs wordpress-fn harden as its post-renderer: the chart's plain
// output comes out hardened, its literal passwords gone.
func TestHelmPostRenderer(t *testing.T) {
	fnBin(t)
	if v := mustRun(t, root(t), nil, helm(t), "version", "--short").stdout; !strings.HasPrefix(v, "v3.") {
		t.Fatalf("helm %s: the post-renderer executable is Helm v3's (v4 made post-renderers plugins)", v)
	}
	plain := helmTemplate(t).stdout
	if !strings.Contains(plain, "rootPassW0rd") {
		t.Fatalf("the chart no longer renders a literal password: the test proves nothing\n%s", plain)
	}
	r := helmTemplate(t, "--post-renderer", "bin/wordpress-fn",
		"--post-renderer-args", "harden", "--post-renderer-args", "-f", "--post-renderer-args", "examples/helm/profile.yaml")
	checkProduction(t, "helm --post-renderer", objects(t, "helm template --post-renderer", []byte(r.stdout)), site{namespace: false})
	checkQuotesNoPassword(t, "helm --post-renderer's stderr", r.stderr)
}
