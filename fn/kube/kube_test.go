package kube_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/internal/typedyaml"
	"github.com/kube-samples/wordpress-fn/fn/kube"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"github.com/kube-samples/wordpress-fn/fn/site"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// upstream is the k8s.io/api type of each kind package kube declares.
var upstream = map[string]reflect.Type{
	"v1/Namespace":                           reflect.TypeFor[corev1.Namespace](),
	"v1/Service":                             reflect.TypeFor[corev1.Service](),
	"v1/ConfigMap":                           reflect.TypeFor[corev1.ConfigMap](),
	"v1/PersistentVolumeClaim":               reflect.TypeFor[corev1.PersistentVolumeClaim](),
	"apps/v1/Deployment":                     reflect.TypeFor[appsv1.Deployment](),
	"autoscaling/v2/HorizontalPodAutoscaler": reflect.TypeFor[autoscalingv2.HorizontalPodAutoscaler](),
	"networking.k8s.io/v1/NetworkPolicy":     reflect.TypeFor[networkingv1.NetworkPolicy](),
	"networking.k8s.io/v1/Ingress":           reflect.TypeFor[networkingv1.Ingress](),
	"policy/v1/PodDisruptionBudget":          reflect.TypeFor[policyv1.PodDisruptionBudget](),
	"storage.k8s.io/v1/StorageClass":         reflect.TypeFor[storagev1.StorageClass](),
}

// Every object expand builds from package kube's types, for every profile
// of every golden case (alone, and beside the case's manifests as harden
// expands it), is strictly decoded into the k8s.io/api type (a field
// upstream does not have fails) and written again the way expand writes
// (typedyaml, then no status and no empty spec): it must come out the
// same, byte for byte. So the hand-written types write what upstream's
// would, for every value the goldens reach: same fields, same omitempty,
// same quantities.
func TestObjectsAreUpstreams(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	seen := map[string]int{}
	for _, dir := range dirs {
		profiles, items := caseObjects(t, dir)
		for _, node := range profiles {
			raw, p, _ := profile.Load(node)
			if p == nil {
				continue
			}
			s, err := expand.Expand(p)
			if err != nil {
				continue // an invalid profile: the golden says why
			}
			check(t, dir, s, seen)
			if len(items) == 0 {
				continue
			}
			found, _ := site.Find(items, p, raw)
			if found == nil {
				continue
			}
			s, err = expand.ExpandExisting(p, found.Existing())
			if err != nil {
				continue
			}
			check(t, dir+" (harden)", s, seen)
		}
	}
	for kind := range upstream {
		if seen[kind] == 0 {
			t.Errorf("no golden case expands a %s: the check covers nothing of it", kind)
		}
	}
	t.Logf("objects checked: %v", seen)
}

func check(t *testing.T, where string, s *expand.Site, seen map[string]int) {
	t.Helper()
	for _, r := range s.Resources {
		kind := r.Object.GetApiVersion() + "/" + r.Object.GetKind()
		typ, ok := upstream[kind]
		if !ok {
			continue // a custom resource, built as a map
		}
		seen[kind]++
		data, err := r.Object.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		obj := reflect.New(typ).Interface()
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(obj); err != nil {
			t.Errorf("%s: %s %s: not a %s: %v", where, r.Role, r.Object.GetName(), typ, err)
			continue
		}
		again, err := typedyaml.Node(obj)
		if err != nil {
			t.Fatal(err)
		}
		if err := again.PipeE(yaml.Clear("status")); err != nil {
			t.Fatal(err)
		}
		if spec := again.Field("spec"); spec != nil && len(spec.Value.YNode().Content) == 0 {
			if err := again.PipeE(yaml.Clear("spec")); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := r.Object.MustString(), again.MustString(); got != want {
			t.Errorf("%s: %s %s: k8s.io/api writes it differently:\n--- expand\n%s\n--- k8s.io/api\n%s", where, r.Role, r.Object.GetName(), got, want)
		}
	}
}

// caseObjects reads a golden case's YAML files: its WordPressProfiles
// (function config or items) and its other objects.
func caseObjects(t *testing.T, dir string) (profiles []*yaml.RNode, items fn.KubeObjects) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	sort.Strings(files)
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "_") && name != "_fnconfig.yaml" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
		if err != nil {
			continue // a broken input case
		}
		for _, n := range nodes {
			if n.GetKind() == "WordPressProfile" {
				profiles = append(profiles, n)
				continue
			}
			if name == "_fnconfig.yaml" {
				continue
			}
			o, err := fn.ParseKubeObject([]byte(n.MustString()))
			if err != nil {
				continue
			}
			items = append(items, o)
		}
	}
	return profiles, items
}

// The named values are upstream's.
func TestConstantsAreUpstreams(t *testing.T) {
	for got, want := range map[string]string{
		string(kube.ProtocolTCP):                         string(corev1.ProtocolTCP),
		string(kube.ProtocolUDP):                         string(corev1.ProtocolUDP),
		string(kube.SeccompProfileTypeRuntimeDefault):    string(corev1.SeccompProfileTypeRuntimeDefault),
		string(kube.PullIfNotPresent):                    string(corev1.PullIfNotPresent),
		string(kube.ResourceCPU):                         string(corev1.ResourceCPU),
		string(kube.ResourceMemory):                      string(corev1.ResourceMemory),
		string(kube.ResourceEphemeralStorage):            string(corev1.ResourceEphemeralStorage),
		string(kube.ResourceStorage):                     string(corev1.ResourceStorage),
		string(kube.ServiceTypeClusterIP):                string(corev1.ServiceTypeClusterIP),
		string(kube.ServiceTypeNodePort):                 string(corev1.ServiceTypeNodePort),
		string(kube.ScheduleAnyway):                      string(corev1.ScheduleAnyway),
		string(kube.ReadWriteOnce):                       string(corev1.ReadWriteOnce),
		string(kube.ReadWriteMany):                       string(corev1.ReadWriteMany),
		string(kube.PolicyTypeIngress):                   string(networkingv1.PolicyTypeIngress),
		string(kube.PolicyTypeEgress):                    string(networkingv1.PolicyTypeEgress),
		string(kube.PathTypePrefix):                      string(networkingv1.PathTypePrefix),
		string(kube.LabelSelectorOpIn):                   string(metav1.LabelSelectorOpIn),
		string(kube.LabelSelectorOpNotIn):                string(metav1.LabelSelectorOpNotIn),
		string(kube.LabelSelectorOpExists):               string(metav1.LabelSelectorOpExists),
		string(kube.LabelSelectorOpDoesNotExist):         string(metav1.LabelSelectorOpDoesNotExist),
		string(kube.RollingUpdateDeploymentStrategyType): string(appsv1.RollingUpdateDeploymentStrategyType),
		string(kube.RecreateDeploymentStrategyType):      string(appsv1.RecreateDeploymentStrategyType),
		string(kube.UtilizationMetricType):               string(autoscalingv2.UtilizationMetricType),
		string(kube.ResourceMetricSourceType):            string(autoscalingv2.ResourceMetricSourceType),
	} {
		if got != want {
			t.Errorf("%q, upstream %q", got, want)
		}
	}
}

// LabelSelectorAsSelector is meta/v1's, on selectors valid and not.
func TestLabelSelectorAsSelectorIsUpstreams(t *testing.T) {
	labelSets := []map[string]string{{}, {"app": "wordpress"}, {"app": "wordpress", "tier": "db"}, {"tier": "frontend"}}
	selectors := []metav1.LabelSelector{
		{},
		{MatchLabels: map[string]string{"app": "wordpress"}},
		{MatchLabels: map[string]string{"app": "wordpress", "tier": "db"}},
		{MatchLabels: map[string]string{"bad key!": "x"}},
		{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"db", "cache"}}}},
		{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"db"}}}},
		{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpExists}}},
		{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpDoesNotExist}}},
		{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn}}},
		{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: "Near", Values: []string{"db"}}}},
		{MatchLabels: map[string]string{"app": "wordpress"}, MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpExists}}},
	}
	for _, up := range selectors {
		data, err := json.Marshal(up)
		if err != nil {
			t.Fatal(err)
		}
		var ours kube.LabelSelector
		if err := json.Unmarshal(data, &ours); err != nil {
			t.Fatal(err)
		}
		want, wantErr := metav1.LabelSelectorAsSelector(&up)
		got, gotErr := kube.LabelSelectorAsSelector(&ours)
		if (wantErr == nil) != (gotErr == nil) {
			t.Errorf("%s: error %v, upstream %v", data, gotErr, wantErr)
			continue
		}
		if wantErr != nil {
			continue
		}
		for _, l := range labelSets {
			if g, w := got.Matches(labels.Set(l)), want.Matches(labels.Set(l)); g != w {
				t.Errorf("%s on %v: %v, upstream %v", data, l, g, w)
			}
		}
	}
}
