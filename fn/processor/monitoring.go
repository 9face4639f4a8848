package processor

import (
	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// monitoringNotes tell what spec.monitoring did to a user's site: the
// exporters added to running pods (and what the mysqld one needs that
// harden cannot create), the ones left out and why, and the user's
// NetworkPolicies that would keep the scraper out.
//
// before are the exporter containers of WordPress's and the database's
// pods as the user wrote them (exportersBefore, taken before hardening).
func (s *source) monitoringNotes(before [2]string) fn.Results {
	m := s.p.Spec.Monitoring
	f := s.found
	if !profile.On(m.Enabled) || f == nil {
		return nil
	}
	var results fn.Results
	added := map[string]bool{}
	for _, r := range s.site.Resources {
		if r.Role != expand.RoleWordPress && r.Role != expand.RoleMySQL {
			continue
		}
		for _, c := range containerNames(r.Object) {
			if expand.IsExporter(c) {
				added[c] = true
			}
		}
	}
	if w := f.WordPress; w != nil && profile.On(m.ApacheExporter.Enabled) {
		switch {
		case before[0] == expand.ApacheExporterName:
			// ours, from an earlier run
		case before[0] != "":
			results = append(results, result(fn.Info, w.Obj, "", "has its own exporter (container %s): none added, and no PodMonitor; scrape it with your own ServiceMonitor or PodMonitor", before[0]))
		case !added[expand.ApacheExporterName]:
			results = append(results, result(fn.Info, w.Obj, "", "no Apache exporter added: its status page is shipped for the official wordpress image's Apache only; the PrometheusRule's alerts from kube-state-metrics and the kubelet apply"))
		}
	}
	if d := f.Database; d != nil && profile.On(m.MySQLExporter.Enabled) && s.p.Spec.Database.Mode == profile.DatabaseEmbedded {
		x := m.MySQLExporter
		switch {
		case before[1] == expand.MySQLExporterName:
			// ours, from an earlier run
		case before[1] != "":
			results = append(results, result(fn.Info, d.Obj, "", "has its own exporter (container %s): none added, and no PodMonitor; scrape it with your own ServiceMonitor or PodMonitor (the PrometheusRule's MySQL alerts read a mysqld exporter's metrics)", before[1]))
		case added[expand.MySQLExporterName]:
			results = append(results, result(fn.Warning, d.Obj, "", "gains the mysqld exporter sidecar %s, which logs in as %s@127.0.0.1: a user this database does not have (the init scripts ran when its data directory was created). Before applying, run as root: CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '...' WITH MAX_USER_CONNECTIONS 3; GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO '%s'@'127.0.0.1'; and put the password in Secret %s key %s, or MySQLDown fires. Applying restarts the database pod",
				expand.MySQLExporterName, x.User, x.User, x.User, s.p.Spec.Credentials.SecretName, x.PasswordKey))
		}
	}
	for _, p := range []struct {
		role expand.Role
		port int32
		on   bool
	}{
		{expand.RoleWordPressPolicy, profile.ApacheExporterPort, added[expand.ApacheExporterName] && before[0] == ""},
		{expand.RoleMySQLPolicy, profile.MySQLExporterPort, added[expand.MySQLExporterName] && before[1] == ""},
	} {
		if pol := f.Adopted[p.role]; pol != nil && p.on && !admitsScraper(pol, m.PrometheusNamespace, p.port) {
			results = append(results, result(fn.Warning, pol, "spec.ingress",
				"kept as written: admit namespace %s to port %d, or Prometheus cannot scrape the exporter added beside the pods it selects", m.PrometheusNamespace, p.port))
		}
	}
	return results
}

// admitsScraper: some ingress rule of the policy lets the scraper's
// namespace in on port: from anywhere, or a namespaceSelector naming it
// (or selecting every namespace); on every port, or that one.
func admitsScraper(pol *fn.KubeObject, ns string, port int32) bool {
	rules, _, _ := pol.NestedSlice("spec", "ingress")
	for _, r := range rules {
		from, _, _ := r.NestedSlice("from")
		fromOK := len(from) == 0
		for _, f := range from {
			if !f.HasField("namespaceSelector") || f.HasField("podSelector") {
				continue
			}
			labels, _, _ := f.NestedStringMap("namespaceSelector", "matchLabels")
			exprs, _, _ := f.NestedSlice("namespaceSelector", "matchExpressions")
			if len(exprs) == 0 && (len(labels) == 0 || len(labels) == 1 && labels["kubernetes.io/metadata.name"] == ns) {
				fromOK = true
			}
		}
		if !fromOK {
			continue
		}
		ports, _, _ := r.NestedSlice("ports")
		if len(ports) == 0 {
			return true
		}
		for _, p := range ports {
			if n, ok, _ := p.NestedInt64("port"); ok && int32(n) == port {
				return true
			}
		}
	}
	return false
}

// exportersBefore names the exporter containers of the user's WordPress
// and database pods, before harden adds its own.
func (s *source) exportersBefore() [2]string {
	var out [2]string
	if f := s.found; f != nil {
		if f.WordPress != nil {
			out[0] = f.WordPress.Exporter()
		}
		if f.Database != nil {
			out[1] = f.Database.Exporter()
		}
	}
	return out
}

// containerNames are the names of a generated workload's containers.
func containerNames(o *yaml.RNode) []string {
	cs, err := o.Pipe(yaml.Lookup("spec", "template", "spec", "containers"))
	if err != nil || cs == nil {
		return nil
	}
	var out []string
	for _, c := range cs.YNode().Content {
		out = append(out, ynode.Scalar(c, "name"))
	}
	return out
}
