package expand_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

func site(t *testing.T, spec string) *expand.Site {
	t.Helper()
	node, err := yaml.Parse("apiVersion: wordpress.kube-samples.io/v1alpha1\nkind: WordPressProfile\nmetadata:\n  name: wordpress\nspec:\n  " +
		strings.ReplaceAll(strings.TrimSpace(spec), "\n", "\n  ") + "\n")
	require.NoError(t, err)
	_, p, problems := profile.Load(node)
	require.Empty(t, problems.Errors())
	s, err := expand.Expand(p)
	require.NoError(t, err)
	return s
}

func as[T any](t *testing.T, s *expand.Site, role expand.Role) *T {
	t.Helper()
	for _, r := range s.Resources {
		if r.Role == role {
			var out T
			require.NoError(t, sigsyaml.Unmarshal([]byte(r.Object.MustString()), &out))
			return &out
		}
	}
	return nil
}

// The production site watches itself: both pods carry an exporter, and
// stay Guaranteed (every container's requests equal its limits).
func TestProductionPodsCarryExportersAndStayGuaranteed(t *testing.T) {
	s := site(t, "topology: production\nexposure: {mode: nodePort}")
	for role, exporter := range map[expand.Role]string{expand.RoleWordPress: expand.ApacheExporterName, expand.RoleMySQL: expand.MySQLExporterName} {
		d := as[appsv1.Deployment](t, s, role)
		require.NotNil(t, d, role)
		var names []string
		for _, c := range d.Spec.Template.Spec.Containers {
			names = append(names, c.Name)
			assert.Equal(t, c.Resources.Requests, c.Resources.Limits, "%s: container %s is not Guaranteed", role, c.Name)
			if expand.IsExporter(c.Name) {
				sc := c.SecurityContext
				require.NotNil(t, sc, c.Name)
				assert.True(t, *sc.RunAsNonRoot && *sc.ReadOnlyRootFilesystem && !*sc.AllowPrivilegeEscalation, c.Name)
				assert.Equal(t, []corev1.Capability{"ALL"}, sc.Capabilities.Drop, c.Name)
				assert.NotNil(t, c.ReadinessProbe, c.Name)
				assert.NotContains(t, c.Image, ":latest", c.Name)
			}
		}
		assert.Contains(t, names, exporter, role)
	}
}

// Apache's status page never leaves the pod: it listens on loopback only,
// no container port or NetworkPolicy names it, and the scraper's namespace
// is admitted to the exporters' ports alone.
func TestStatusPageStaysInThePod(t *testing.T) {
	s := site(t, "topology: production\nexposure: {mode: none}\nmonitoring: {prometheusNamespace: prom}")
	status := fmt.Sprint(profile.ApacheStatusPort)
	var conf string
	for _, r := range s.Resources {
		if r.Role == expand.RoleApacheStatusConfig {
			conf = r.Object.MustString()
		}
	}
	require.NotEmpty(t, conf)
	assert.Contains(t, conf, "Listen 127.0.0.1:"+status)
	assert.Equal(t, 1, strings.Count(conf, "Listen "), "one Listen, on loopback")
	assert.Contains(t, conf, "Require local")

	d := as[appsv1.Deployment](t, s, expand.RoleWordPress)
	for _, c := range d.Spec.Template.Spec.Containers {
		for _, p := range c.Ports {
			assert.NotEqual(t, int32(profile.ApacheStatusPort), p.ContainerPort, c.Name)
		}
		if c.Name == expand.ApacheExporterName {
			assert.Contains(t, strings.Join(c.Args, " "), "--scrape_uri=http://127.0.0.1:"+status+"/server-status?auto")
		}
	}
	for role, port := range map[expand.Role]int32{expand.RoleWordPressPolicy: profile.ApacheExporterPort, expand.RoleMySQLPolicy: profile.MySQLExporterPort} {
		pol := as[networkingv1.NetworkPolicy](t, s, role)
		require.NotNil(t, pol, role)
		admitted := false
		for _, rule := range pol.Spec.Ingress {
			for _, p := range rule.Ports {
				assert.NotEqual(t, status, p.Port.String(), role)
			}
			for _, from := range rule.From {
				if from.NamespaceSelector != nil && from.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] == "prom" {
					require.Len(t, rule.Ports, 1, "the scraper reaches the metrics port only")
					assert.Equal(t, port, rule.Ports[0].Port.IntVal, role)
					admitted = true
				}
			}
		}
		assert.True(t, admitted, "%s admits the scraper's namespace", role)
	}
}

// The exporter's password is a reference, never a literal, and a missing
// key does not keep MySQL from starting.
func TestExporterPasswordIsAnOptionalReference(t *testing.T) {
	s := site(t, "topology: production\nexposure: {mode: none}")
	d := as[appsv1.Deployment](t, s, expand.RoleMySQL)
	seen := 0
	for _, c := range d.Spec.Template.Spec.Containers {
		for _, e := range c.Env {
			if e.Name == "MYSQLD_EXPORTER_PASSWORD" || e.Name == expand.MySQLExporterPasswordEnv {
				seen++
				assert.Empty(t, e.Value)
				require.NotNil(t, e.ValueFrom.SecretKeyRef)
				assert.Equal(t, "exporter-pwd", e.ValueFrom.SecretKeyRef.Key)
				assert.True(t, *e.ValueFrom.SecretKeyRef.Optional)
			}
		}
	}
	assert.Equal(t, 2, seen, "the exporter and the init script's env")
}

// noha and ha watch nothing unless asked; production has every alert the
// site's missing liveness probe is replaced by.
func TestAlertsByTopology(t *testing.T) {
	for _, topo := range []string{"noha", "ha"} {
		s := site(t, "topology: "+topo)
		for _, r := range s.Resources {
			assert.NotEqual(t, "monitoring.coreos.com/v1", r.Object.GetApiVersion(), "%s: %s", topo, r.Role)
		}
	}
	node, err := yaml.Parse("apiVersion: wordpress.kube-samples.io/v1alpha1\nkind: WordPressProfile\nmetadata:\n  name: wordpress\nspec:\n  exposure: {mode: none}\n")
	require.NoError(t, err)
	_, p, problems := profile.Load(node)
	require.Empty(t, problems.Errors())
	var names []string
	for _, a := range expand.AlertsOf(p) {
		names = append(names, a.Name)
		assert.Contains(t, []string{"warning", "critical"}, a.Severity, a.Name)
		assert.NotEmpty(t, a.Runbook, a.Name)
		assert.NotEmpty(t, a.For, a.Name)
	}
	assert.Equal(t, []string{"WordPressPodNotReady", "WordPressBelowDisruptionBudget", "WordPressAutoscalerAtMax",
		"MySQLDown", "MySQLConnectionsNearLimit", "MySQLPodNotReady", "WordPressVolumeNearlyFull", "WordPressContainerRestarted"}, names)
}
