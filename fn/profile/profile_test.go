package profile

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func load(t *testing.T, spec string) (*WordPressProfile, ErrorList) {
	t.Helper()
	node, err := yaml.Parse("apiVersion: wordpress.kube-samples.io/v1alpha1\nkind: WordPressProfile\nmetadata:\n  name: wordpress\nspec:\n" + spec)
	require.NoError(t, err)
	_, p, errs := Load(node)
	return p, errs
}

// The production preset is the tutorial's values, row by row of its digest.
func TestProductionDefaultsAreTheSeeds(t *testing.T) {
	p, errs := load(t, "  exposure: {host: wordpress.qikqiak.com, traefik: {certResolver: ali}}\n")
	require.Empty(t, errs.Errors())
	s := p.Spec
	w := s.WordPress
	assert.Equal(t, "kube-samples", s.Namespace)
	assert.Equal(t, int32(3), *w.Replicas)
	assert.Equal(t, AntiAffinitySoft, w.AntiAffinity.Mode)
	assert.Equal(t, "kubernetes.io/hostname", w.AntiAffinity.TopologyKey)
	assert.Equal(t, intstr.FromInt32(1), *w.PDB.MaxUnavailable)
	assert.True(t, On(w.ReadinessProbe.Enabled))
	assert.Equal(t, int32(80), *w.ReadinessProbe.TCPPort)
	assert.Equal(t, int32(5), *w.ReadinessProbe.InitialDelaySeconds)
	assert.Equal(t, int32(5), *w.ReadinessProbe.PeriodSeconds)
	assert.False(t, On(w.LivenessProbe.Enabled), "no liveness probe by default, on purpose")
	assert.Equal(t, "200m", w.Resources.CPU)
	assert.Equal(t, "100Mi", w.Resources.Memory)
	assert.Nil(t, w.Resources.Limits, "requests == limits: Guaranteed")
	assert.Equal(t, intstr.FromInt32(1), *w.RollingUpdate.MaxSurge)
	assert.Equal(t, intstr.FromInt32(0), *w.RollingUpdate.MaxUnavailable)
	assert.Equal(t, int32(20), *w.PreStop.Seconds)
	assert.Greater(t, *w.TerminationGracePeriodSeconds, int64(20))
	assert.Equal(t, []int32{3, 6, 20}, []int32{*w.HPA.MinReplicas, *w.HPA.MaxReplicas, *w.HPA.TargetCPUUtilization})
	assert.Equal(t, "wordpress-db-pwd", s.Credentials.SecretName)
	assert.Equal(t, "dbpwd", s.Credentials.PasswordKey)
	assert.Equal(t, PersistenceSpec{Enabled: boolp(true), ClaimName: "wordpress-pvc", StorageClass: strp("csi-cephfs"), Size: "2Gi", AccessMode: "ReadWriteMany"}, w.Persistence)
	e := s.Database.Embedded
	assert.Equal(t, PersistenceSpec{Enabled: boolp(true), ClaimName: "wordpress-mysql-pvc", StorageClass: strp("rook-ceph-block"), Size: "20Gi", AccessMode: "ReadWriteOnce"}, e.Persistence)
	assert.Equal(t, []string{"--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"}, e.Args)
	assert.Equal(t, ExposureTraefik, s.Exposure.Mode)
	assert.Equal(t, "websecure", s.Exposure.Traefik.WebSecureEntryPoint)
	assert.True(t, On(s.Exposure.Traefik.RedirectHTTPS))
}

func TestPresetsAndOverrides(t *testing.T) {
	p, errs := load(t, "  topology: noha\n")
	require.Empty(t, errs)
	assert.Equal(t, int32(1), *p.Spec.WordPress.Replicas)
	assert.False(t, On(p.Spec.WordPress.HPA.Enabled))
	assert.Equal(t, ExposureNodePort, p.Spec.Exposure.Mode)

	// A field written in the profile wins over the preset.
	p, errs = load(t, "  topology: ha\n  wordpress:\n    preStop: {enabled: true, seconds: 40}\n")
	require.Empty(t, errs)
	assert.True(t, On(p.Spec.WordPress.PreStop.Enabled))
	assert.Equal(t, int64(50), *p.Spec.WordPress.TerminationGracePeriodSeconds, "the grace period covers the wait")
	assert.False(t, On(p.Spec.WordPress.PDB.Enabled), "the rest of the ha preset stays")
}

// A typo or a wrong type does not hide the rest: what decodes is still
// validated, and every problem has its line, in the order written.
func TestEveryProblemAtOnceWithPathAndLine(t *testing.T) {
	_, errs := load(t, "  wordpress:\n    replica: 3\n    image: [x]\n  databse: {}\n  exposure: {mode: none}\n  security: {mode: paranoid}\n")
	require.Len(t, errs, 4, "%v", errs)
	assert.Equal(t, FieldError{Path: "spec.wordpress.replica", Line: 7, Message: `unknown field (did you mean "replicas"?)`}, errs[0])
	assert.Equal(t, "spec.wordpress.image", errs[1].Path)
	assert.Equal(t, "must be a string, not a list", errs[1].Message)
	assert.Equal(t, 8, errs[1].Line)
	assert.Equal(t, "spec.databse", errs[2].Path)
	assert.Contains(t, errs[2].Message, `did you mean "database"?`)
	assert.Equal(t, FieldError{Path: "spec.security.mode", Line: 11, Message: `must be one of default, strict, off, not "paranoid"`}, errs[3],
		"a value error after decoding errors, at its line")
}

// A field that did not decode is not reported a second time as missing,
// and a topology that did not decode stops the checks that depend on it.
func TestDecodingErrorsAreNotRepeated(t *testing.T) {
	_, errs := load(t, "  wordpress: {replicas: many}\n  exposure: {mode: none}\n")
	require.Len(t, errs, 1, "%v", errs)
	assert.Equal(t, "spec.wordpress.replicas", errs[0].Path)

	_, errs = load(t, "  topology: [production]\n  wordpress: {replicas: 1}\n")
	require.Len(t, errs, 1, "%v", errs)
	assert.Equal(t, "spec.topology", errs[0].Path)
}

func TestIngressControllerNamespaceFollowsTheClass(t *testing.T) {
	p, errs := load(t, "  exposure: {mode: ingress, host: a.example.com, ingress: {className: nginx}}\n")
	require.Empty(t, errs)
	assert.Equal(t, "ingress-nginx", p.Spec.NetworkPolicy.IngressControllerNamespace, "ingress-nginx runs in its own namespace, not traefik's")

	// A class that does not say where its controller runs: a warning, as
	// the policy would drop every request if the guess is wrong.
	_, errs = load(t, "  exposure: {mode: ingress, host: a.example.com, ingress: {className: haproxy}}\n")
	require.Len(t, errs, 1)
	assert.True(t, errs[0].Warning)
	assert.Equal(t, "spec.networkPolicy.ingressControllerNamespace", errs[0].Path)
}

func TestValidProfileHasNoProblems(t *testing.T) {
	for _, spec := range []string{
		"  topology: noha\n",
		"  topology: ha\n",
		"  exposure: {mode: ingress, host: a.example.com, ingress: {className: nginx}}\n",
		"  exposure: {mode: ingress, host: a.example.com}\n  networkPolicy: {ingressControllerNamespace: ingress-nginx}\n",
		"  exposure: {mode: none}\n  database: {mode: external, external: {host: 10.0.0.7}}\n",
		"  topology: ha\n  wordpress: {resources: {cpu: 1, memory: 512Mi, ephemeralStorage: 2.5Gi}}\n", // numbers, as Kubernetes takes them
	} {
		_, errs := load(t, spec)
		assert.Empty(t, errs, spec)
	}
}

func strp(s string) *string { return &s }
