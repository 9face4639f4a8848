package e2e

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// objects parses rendered YAML, failing on anything that is not a list of
// Kubernetes objects (stdout polluted by logs, for one).
func objects(t *testing.T, what string, data []byte) []*yaml.RNode {
	t.Helper()
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatalf("%s: not YAML objects: %v\n%s", what, err, data)
	}
	if len(nodes) == 0 {
		t.Fatalf("%s: no objects", what)
	}
	for i, n := range nodes {
		if n.GetApiVersion() == "" || n.GetKind() == "" || n.GetName() == "" {
			t.Fatalf("%s: document %d is not a Kubernetes object:\n%s", what, i, n.MustString())
		}
	}
	return nodes
}

// withoutLocal drops local-config objects, as kpt live apply and
// kustomize do: what a package deploys.
func withoutLocal(nodes []*yaml.RNode) []*yaml.RNode {
	var out []*yaml.RNode
	for _, n := range nodes {
		if n.GetAnnotations()["config.kubernetes.io/local-config"] != "true" {
			out = append(out, n)
		}
	}
	return out
}

func key(n *yaml.RNode) string {
	return n.GetKind() + "/" + n.GetNamespace() + "/" + n.GetName()
}

func byKey(nodes []*yaml.RNode) map[string][]*yaml.RNode {
	m := map[string][]*yaml.RNode{}
	for _, n := range nodes {
		m[key(n)] = append(m[key(n)], n)
	}
	return m
}

// canonical is the objects as sorted YAML documents: two renders with the
// same canonical form deploy the same thing, whatever their order.
func canonical(t *testing.T, nodes []*yaml.RNode) string {
	t.Helper()
	docs := make([]string, len(nodes))
	for i, n := range nodes {
		c := n.Copy()
		for _, a := range []string{"config.kubernetes.io/path", "config.kubernetes.io/index",
			"internal.config.kubernetes.io/path", "internal.config.kubernetes.io/index",
			"internal.config.kubernetes.io/id", "internal.config.kubernetes.io/annotations-migration-resource-id",
			"internal.config.kubernetes.io/seqindent"} {
			_ = c.PipeE(yaml.ClearAnnotation(a))
		}
		if len(c.GetAnnotations()) == 0 {
			_ = c.PipeE(yaml.Lookup("metadata"), yaml.Clear("annotations"))
		}
		// Normalize the formatting: a JSON round trip through one encoder.
		j, err := c.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		r, err := yaml.ConvertJSONToYamlNode(string(j))
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = r.MustString()
	}
	sort.Strings(docs)
	return strings.Join(docs, "---\n")
}

// site is what a production render must hold.
type site struct {
	// namespace: whether the Namespace object belongs to the output (Helm
	// owns it; kustomize and kpt get it from the base).
	namespace bool
}

// the base's objects (base/ and the Helm chart render the same ones).
var baseObjects = []string{
	"Service/kube-samples/wordpress",
	"Service/kube-samples/wordpress-mysql",
	"Deployment/kube-samples/wordpress",
	"Deployment/kube-samples/wordpress-mysql",
}

// checkProduction asserts that objs is the tutorial's production stage
// made from the base: every base object once and hardened, the objects the
// profile adds present once, no secret in clear, nothing local left.
func checkProduction(t *testing.T, what string, objs []*yaml.RNode, s site) {
	t.Helper()
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: %s", what, fmt.Sprintf(format, args...))
	}
	idx := byKey(objs)
	for k, ns := range idx {
		if len(ns) > 1 {
			errorf("%s appears %d times", k, len(ns))
		}
	}
	want := append([]string(nil), baseObjects...)
	if s.namespace {
		want = append(want, "Namespace//kube-samples")
	} else if len(idx["Namespace//kube-samples"]) > 0 {
		errorf("holds a Namespace object, which the release owns")
	}
	gvks := map[string]string{
		"PodDisruptionBudget/kube-samples/wordpress-pdb":   "policy/v1",
		"HorizontalPodAutoscaler/kube-samples/wordpress":   "autoscaling/v2",
		"PersistentVolumeClaim/kube-samples/wordpress-pvc": "v1",
		"PersistentVolumeClaim/kube-samples/mysql-pvc":     "v1",
		"NetworkPolicy/kube-samples/wordpress-mysql":       "networking.k8s.io/v1",
		"StorageClass//csi-cephfs":                         "storage.k8s.io/v1",
	}
	for k, av := range gvks {
		want = append(want, k)
		if ns := idx[k]; len(ns) == 1 && ns[0].GetApiVersion() != av {
			errorf("%s is %s, want %s", k, ns[0].GetApiVersion(), av)
		}
	}
	for _, k := range want {
		if len(idx[k]) == 0 {
			errorf("%s is missing", k)
		}
	}
	if hpa := one(idx, "HorizontalPodAutoscaler/kube-samples/wordpress"); hpa != nil {
		if got := str(hpa, "spec", "scaleTargetRef", "name"); got != "wordpress" {
			errorf("the HorizontalPodAutoscaler scales %q, not the base's Deployment wordpress", got)
		}
	}
	if pdb := one(idx, "PodDisruptionBudget/kube-samples/wordpress-pdb"); pdb != nil && str(pdb, "spec", "selector", "matchLabels", "tier") != "frontend" {
		errorf("the PodDisruptionBudget does not select the WordPress pods")
	}
	all := ""
	for _, o := range objs {
		all += o.MustString()
	}
	if !strings.Contains(all, "wordpress.qikqiak.com") {
		errorf("no object routes the host wordpress.qikqiak.com")
	}
	if wp := one(idx, "Deployment/kube-samples/wordpress"); wp != nil {
		c := container(wp, "containers", "wordpress")
		if c == nil {
			errorf("Deployment wordpress lost its wordpress container")
		} else {
			for _, f := range [][]string{{"readinessProbe"}, {"lifecycle", "preStop"}} {
				if v, _ := c.Pipe(yaml.Lookup(f...)); v == nil {
					errorf("the wordpress container has no %s", strings.Join(f, "."))
				}
			}
		}
		if v, _ := wp.Pipe(yaml.Lookup("spec", "template", "spec", "affinity", "podAntiAffinity")); v == nil {
			errorf("Deployment wordpress has no pod anti-affinity")
		}
		ic := container(wp, "initContainers", "init-db")
		if ic == nil || !strings.Contains(ic.MustString(), "nslookup wordpress-mysql") {
			errorf("Deployment wordpress lost the base's init container init-db")
		}
	}
	if db := one(idx, "Deployment/kube-samples/wordpress-mysql"); db != nil {
		if container(db, "containers", "mysql") == nil {
			errorf("Deployment wordpress-mysql lost its mysql container")
		}
		if got := str(db, "spec", "strategy", "type"); got != "Recreate" {
			errorf("Deployment wordpress-mysql has strategy %q, want Recreate (one ReadWriteOnce volume)", got)
		}
	}
	for _, k := range []string{"Deployment/kube-samples/wordpress", "Deployment/kube-samples/wordpress-mysql"} {
		if d := one(idx, k); d != nil {
			checkGuaranteed(t, what, d)
		}
	}
	checkSecrets(t, what, objs, all)
	for _, o := range objs {
		if o.GetKind() == "WordPressProfile" {
			errorf("the WordPressProfile %s reached the output", o.GetName())
		}
		for a := range o.GetAnnotations() {
			if strings.HasPrefix(a, "config.kubernetes.io/") || strings.HasPrefix(a, "internal.config.kubernetes.io/") || strings.HasPrefix(a, "config.k8s.io/") {
				errorf("%s keeps the annotation %s", key(o), a)
			}
		}
	}
}

func one(idx map[string][]*yaml.RNode, k string) *yaml.RNode {
	if ns := idx[k]; len(ns) == 1 {
		return ns[0]
	}
	return nil
}

func str(n *yaml.RNode, path ...string) string {
	v, err := n.Pipe(yaml.Lookup(path...))
	if err != nil || v == nil {
		return ""
	}
	return yaml.GetValue(v)
}

// container is the named container of a workload's pod template, in list
// ("containers" or "initContainers").
func container(w *yaml.RNode, list, name string) *yaml.RNode {
	cs, err := w.Pipe(yaml.Lookup("spec", "template", "spec", list))
	if err != nil || cs == nil {
		return nil
	}
	elems, _ := cs.Elements()
	for _, c := range elems {
		if str(c, "name") == name {
			return c
		}
	}
	return nil
}

// checkGuaranteed asserts the pod's QoS class is Guaranteed, by
// Kubernetes' rule: every container, init containers included, has cpu and
// memory limits, and requests equal to them.
func checkGuaranteed(t *testing.T, what string, w *yaml.RNode) {
	t.Helper()
	for _, list := range []string{"initContainers", "containers"} {
		cs, _ := w.Pipe(yaml.Lookup("spec", "template", "spec", list))
		if cs == nil {
			continue
		}
		elems, _ := cs.Elements()
		for _, c := range elems {
			for _, res := range []string{"cpu", "memory"} {
				lim := str(c, "resources", "limits", res)
				req := str(c, "resources", "requests", res)
				if req == "" {
					req = lim // the API server defaults a missing request to the limit
				}
				if lim != "" && req == lim {
					continue
				}
				msg := fmt.Sprintf("%s %s: %s %s has %s request %q and limit %q: the pod is not Guaranteed",
					w.GetKind(), w.GetName(), list, str(c, "name"), res, req, lim)
				t.Errorf("%s: %s", what, msg)
			}
		}
	}
}

// The base's and the chart's literal passwords.
var literalPasswords = []string{"rootPassW0rd"}

// checkQuotesNoPassword asserts that what a tool wrote besides the
// objects (its stderr, a results file) quotes none of the literal
// passwords of its input: results travel there too.
func checkQuotesNoPassword(t *testing.T, what, text string) {
	t.Helper()
	for _, p := range literalPasswords {
		if strings.Contains(text, p) {
			t.Errorf("%s quotes the literal password of its input (%d bytes)", what, len(p))
		}
	}
}

// checkSecrets asserts that no password is in clear: every password
// variable of a workload refers to the profile's Secret.
func checkSecrets(t *testing.T, what string, objs []*yaml.RNode, all string) {
	t.Helper()
	for _, p := range literalPasswords {
		if strings.Contains(all, p) {
			t.Errorf("%s: the literal password %q is in the output", what, p)
		}
	}
	for _, o := range objs {
		if o.GetKind() != "Deployment" {
			continue
		}
		for _, list := range []string{"initContainers", "containers"} {
			cs, _ := o.Pipe(yaml.Lookup("spec", "template", "spec", list))
			if cs == nil {
				continue
			}
			elems, _ := cs.Elements()
			for _, c := range elems {
				env, _ := c.Pipe(yaml.Lookup("env"))
				if env == nil {
					continue
				}
				vars, _ := env.Elements()
				for _, e := range vars {
					name := str(e, "name")
					if !strings.Contains(name, "PASSWORD") {
						continue
					}
					if v, _ := e.Pipe(yaml.Lookup("value")); v != nil {
						t.Errorf("%s: %s %s: %s is a literal value", what, o.GetKind(), o.GetName(), name)
					}
					if got := str(e, "valueFrom", "secretKeyRef", "name"); got != "wordpress-db-pwd" {
						t.Errorf("%s: %s %s: %s refers to Secret %q, want the profile's wordpress-db-pwd", what, o.GetKind(), o.GetName(), name, got)
					}
				}
			}
		}
	}
}
