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
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"github.com/kube-samples/wordpress-fn/fn/site"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	storagev1 "k8s.io/api/storage/v1"
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
