package typedyaml

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

// slow is the chain Node replaces.
func slow(t testing.TB, obj any) *yaml.RNode {
	t.Helper()
	data, err := sigsyaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	rn, err := yaml.Parse(string(data))
	if err != nil {
		t.Fatal(err)
	}
	return rn
}

// diff describes the first difference of two trees, line and column
// aside; "" when they are the same.
func diff(a, b *yaml.Node, path string) string {
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.HeadComment != b.HeadComment || a.LineComment != b.LineComment || a.FootComment != b.FootComment ||
		len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: chain has kind %d style %d tag %s value %q (%d children), Node has kind %d style %d tag %s value %q (%d children)",
			path, a.Kind, a.Style, a.Tag, a.Value, len(a.Content), b.Kind, b.Style, b.Tag, b.Value, len(b.Content))
	}
	for i := range a.Content {
		if d := diff(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

func same(t *testing.T, name string, obj any) {
	t.Helper()
	want := slow(t, obj)
	got, err := Node(obj)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if d := diff(want.Document(), got.Document(), ""); d != "" {
		t.Fatalf("%s: %s\nchain:\n%s", name, d, want.MustString())
	}
	if w, g := want.MustString(), got.MustString(); w != g {
		t.Fatalf("%s: written differently:\n%s\n---\n%s", name, w, g)
	}
}

func TestKubernetesObjects(t *testing.T) {
	q := resource.MustParse
	grace := int64(30)
	objs := map[string]any{
		"deployment": &appsv1.Deployment{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
			ObjectMeta: metav1.ObjectMeta{Name: "wordpress", Namespace: "kube-samples", Labels: map[string]string{"app": "wordpress", "app.kubernetes.io/name": "wordpress", "tier": "frontend", "a10": "x", "a9": "y", "01": "z", "1": "w"}},
			Spec: appsv1.DeploymentSpec{
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "wordpress"}},
				Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxSurge: &intstr.IntOrString{IntVal: 1}, MaxUnavailable: &intstr.IntOrString{Type: intstr.String, StrVal: "25%"}}},
				Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
					TerminationGracePeriodSeconds: &grace,
					Containers: []corev1.Container{{
						Name: "wordpress", Image: "wordpress:6.8.3-apache", ImagePullPolicy: corev1.PullIfNotPresent,
						Args:  []string{"--yes", "no", "on", "0777", "1e3", "true", "null", "~", "", " x", "a: b", "#c", "- d", "multi\nline\n", "tab\there", "caf\u00e9", "<&>", "\u2028", strings.Repeat("long ", 40)},
						Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 80, Protocol: corev1.ProtocolTCP}},
						Env: []corev1.EnvVar{{Name: "WORDPRESS_DB_HOST", Value: "wordpress-mysql:3306"}, {Name: "P", ValueFrom: &corev1.EnvVarSource{
							SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}, Key: "dbpwd"}}}},
						Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{"cpu": q("200m"), "memory": q("100Mi"), "ephemeral-storage": q("1Gi")},
							Limits: corev1.ResourceList{"cpu": q("1"), "memory": q("1.5Gi")}},
						ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(80)}}, InitialDelaySeconds: 5},
						Lifecycle:      &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"/bin/sh", "-c", "sleep 20"}}}},
					}},
					Volumes: []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
				}},
			},
		},
		"service": &corev1.Service{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Service"}, ObjectMeta: metav1.ObjectMeta{Name: "s"},
			Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromString("http")}}, Selector: map[string]string{"app": "x"}}},
		"pvc": &corev1.PersistentVolumeClaim{Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany},
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{"storage": q("20Gi")}}}},
		"hpa": &autoscalingv2.HorizontalPodAutoscaler{Spec: autoscalingv2.HorizontalPodAutoscalerSpec{MaxReplicas: 6, Metrics: []autoscalingv2.MetricSpec{{
			Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{Name: "cpu", Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType}}}}}},
		"pdb":     &policyv1.PodDisruptionBudget{Spec: policyv1.PodDisruptionBudgetSpec{MaxUnavailable: &intstr.IntOrString{IntVal: 1}}},
		"ingress": &networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{"cert-manager.io/cluster-issuer": "le", "x": "*.example.com"}}},
		"map": map[string]any{"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute", "spec": map[string]any{
			"entryPoints": []any{"websecure"}, "routes": []any{map[string]any{"match": "Host(`a.b`)", "kind": "Rule", "services": []any{map[string]any{"name": "wp", "port": 80}}}},
			"tls": map[string]any{"certResolver": "ali", "domains": []any{map[string]any{"main": "*.qikqiak.com"}}}, "empty": map[string]any{}, "none": []any{},
			"f": 1.5, "big": 1e21, "neg": -3, "zero": 0.0, "t": true, "n": nil}},
	}
	for name, obj := range objs {
		same(t, name, obj)
		same(t, name+" (cached)", obj)
	}
}

var leaves = []any{"", "a", "yes", "No", "on", "y", "0777", "0x1F", "1_000", "1e3", ".5", "-", "- a", ":", "a: b", "#", "a #b", "'", "\"", "\\", "true", "null", "~",
	"2001-12-14", "12:30", "<<", "=", "---", "...", "x\n", "\na", "a\n\nb", "tail ", " lead", "tab\t", "\u00e9", "\u2028", "\x01", "%", "@", "`", "!x", "&x", "*x",
	strings.Repeat("w ", 60), 0, 1, -1, 3.25, 1e-7, 1e21, true, false, nil}

func TestRandomTrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var gen func(depth int) any
	gen = func(depth int) any {
		switch k := r.IntN(6); {
		case depth > 3 || k < 3:
			return leaves[r.IntN(len(leaves))]
		case k < 5:
			m := map[string]any{}
			for i := r.IntN(5); i > 0; i-- {
				// Keys that start with a digit can make yaml.v2's key
				// order cyclic ("1a" < "2" < "10" < "1a"), and then the
				// chain itself depends on map iteration order.
				key := leaves[r.IntN(len(leaves))]
				s, ok := key.(string)
				if !ok || (s != "" && s[0] >= '0' && s[0] <= '9') {
					s = fmt.Sprintf("k%d", r.IntN(20))
				}
				m[s] = gen(depth + 1)
			}
			return m
		default:
			var l []any
			for i := r.IntN(4); i > 0; i-- {
				l = append(l, gen(depth+1))
			}
			return l
		}
	}
	for i := 0; i < 2000; i++ {
		obj := map[string]any{"kind": "X", "spec": gen(0)}
		same(t, fmt.Sprintf("tree %d", i), obj)
	}
}

// TestKeyOrder: yaml.v2's order of keys, where it is an order (keys that
// start with digits and letters mixed can make it cyclic, see above).
func TestKeyOrder(t *testing.T) {
	keys := []string{"a10", "a9", "a", "A", "b", "_x", "1", "10", "2", "a1", "a01", "é", "z0", "z00", "-", "app.kubernetes.io/name", "app"}
	m := map[string]int{}
	for _, k := range keys {
		m[k] = 0
	}
	same(t, "keys", m)
}

func BenchmarkChain(b *testing.B) {
	obj := deploymentForBench()
	for b.Loop() {
		slow(b, obj)
	}
}

func BenchmarkNode(b *testing.B) {
	obj := deploymentForBench()
	for b.Loop() {
		if _, err := Node(obj); err != nil {
			b.Fatal(err)
		}
	}
}

func deploymentForBench() any {
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "wordpress", Namespace: "kube-samples", Labels: map[string]string{"app": "wordpress", "tier": "frontend"}},
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "wordpress", Image: "wordpress:6.8.3-apache", Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 80}},
			Env: []corev1.EnvVar{{Name: "WORDPRESS_DB_HOST", Value: "wordpress-mysql:3306"}},
		}}}}},
	}
}

// TestPlainIsTheChain: the leaves plain answers for without the chain get
// the chain's node, and its near misses are left to the chain.
func TestPlainIsTheChain(t *testing.T) {
	words := []string{"a", "A", "wordpress", "wordpress-mysql", "kube-samples", "app.kubernetes.io/name", "apps/v1", "v1", "ReadWriteMany",
		"csi-cephfs", "wordpress:6.8.3-apache", "200m", "100Mi", "1Gi", "TCP", "http", "x_y", "a.b.c", "a/b/c", "Z9", "a--", "a..",
		"y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "true", "True", "TRUE",
		"false", "False", "FALSE", "null", "Null", "NULL", "yEs", "nULL", "ye", "yess", "nul", "o", "t", "f", "inf", "nan", "Inf", "NaN",
		"e1", "E5", "x1e3", "b0", "o17", "x1F", "a:b", "a b", "a#b", "a,b", "a[b", "a*b", "a&b", "a!b", "a%b", "a@b", "a`b", "a'b", "a\"b",
		"a\\b", "a\tb", "a\nb", "a\u00e9", "0", "1", "-1", "-0", "00", "01", "1a", "_a", ".a", "/a", "-a", "~", strings.Repeat("k", 100), strings.Repeat("k", 101),
		strings.Repeat("long-", 30), "2001-12-14", "a2001-12-14"}
	nums := []string{"0", "1", "-1", "-0", "00", "01", "20", "3306", "-42", "999999999999999", "9999999999999999", "1.5", "1e3", "-", "", "0x1", "1_0"}
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "abyYnNotTfFlLuUeEsS019._/-:# "
	for i := 0; i < 3000; i++ {
		b := make([]byte, 1+r.IntN(8))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		words = append(words, string(b))
	}
	check := func(l leaf, v any) {
		t.Helper()
		got := plain(l)
		if got == nil {
			return
		}
		want, err := chain(v, l.key)
		if err != nil {
			t.Fatalf("%q: the chain fails (%v) where plain answers", l.text, err)
		}
		if d := diff(want, got, ""); d != "" {
			t.Errorf("%q (key %v): %s", l.text, l.key, d)
		}
	}
	answered := 0
	for _, w := range words {
		for _, key := range []bool{false, true} {
			check(leaf{key: key, kind: 's', text: w}, w)
			if plain(leaf{key: key, kind: 's', text: w}) != nil {
				answered++
			}
		}
	}
	for _, n := range nums {
		check(leaf{kind: 'n', text: n}, json.Number(n))
		check(leaf{key: true, kind: 'n', text: n}, json.Number(n))
	}
	if answered < 100 {
		t.Fatalf("plain answered for only %d leaves: the test checks nothing", answered)
	}
}

// chainAll runs the chain once on many leaves, as values of one mapping
// and keys of another: each must get the node the chain gives it alone,
// long strings that yaml.v2 folds at its column included.
func TestBatchIsTheChain(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	parts := []string{"a", "word", " ", "  ", ": ", ":", "#", " #", "'", "\"", "\\", "{{ $labels.pod }}", "-", "- ", "?", "*", "&", "!", "|", ">", "%", "@", "`", ",", "[", "]", "{", "}", "\n", "\n\n", "\t", "é", "0", "1.5", "true", "null", "~", "yes", "0x1F", "1e3", "500m", "1Gi", "/var/lib", "=", "http://x:80/y?z"}
	for round := 0; round < 50; round++ {
		var batch []leaf
		seen := map[leaf]bool{}
		for i := 0; i < 60; i++ {
			var b strings.Builder
			for n := r.IntN(40); n >= 0; n-- {
				b.WriteString(parts[r.IntN(len(parts))])
			}
			l := leaf{key: r.IntN(4) == 0, kind: 's', text: fmt.Sprintf("%s%d-%d", b.String(), round, i)}
			if r.IntN(3) == 0 {
				l.text = b.String() // no suffix: ends as generated
			}
			if l.key && len(l.text) > 0 && l.text[0] >= '0' && l.text[0] <= '9' {
				l.key = false
			}
			if _, cached := cache.Load(l); cached || seen[l] || plain(l) != nil {
				continue
			}
			seen[l] = true
			batch = append(batch, l)
		}
		batch = append(batch, leaf{kind: 'n', text: fmt.Sprintf("%d.25", round)}, leaf{kind: 'n', text: fmt.Sprintf("1e%d", round+30)})
		if err := chainAll(batch); err != nil {
			t.Fatal(err)
		}
		for _, l := range batch {
			got, ok := cache.Load(l)
			if !ok {
				continue // a key the batch could not tell apart: chain runs on it later
			}
			want, err := chain(l.value(), l.key)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(want, got.(*yaml.Node), ""); d != "" {
				t.Fatalf("%q (key %v): %s", l.text, l.key, d)
			}
		}
	}
}
