package expand

import (
	"fmt"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/kube"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Monitoring (spec.monitoring): the site has no liveness probe on purpose
// (the tutorial keeps a failing pod for debugging), so exporters, scrape
// configuration and alerts raise the alarm instead.
const (
	ApacheExporterName       = "apache-exporter"
	MySQLExporterName        = "mysql-exporter"
	ApacheMetricsPortName    = "apache-metrics"
	MySQLMetricsPortName     = "mysql-metrics"
	ApacheStatusVolume       = "apache-status"
	ApacheStatusFile         = "wordpress-fn-status.conf"
	ApacheConfDir            = "/etc/apache2/conf-enabled"
	MySQLExporterInitVolume  = "mysql-exporter-init"
	MySQLExporterInitFile    = "50-wordpress-fn-exporter-user.sh"
	MySQLInitDir             = "/docker-entrypoint-initdb.d"
	MySQLExporterPasswordEnv = "MYSQL_EXPORTER_PASSWORD"
	// exporterUID is nobody: both exporters' images run as USER nobody,
	// a name the kubelet cannot check against runAsNonRoot.
	exporterUID = 65534
)

func (n *names) monitoringOn() bool { return profile.On(n.p.Spec.Monitoring.Enabled) }

// apacheExporterOn: WordPress gets the Apache exporter. On a user's
// site, only where the status page it ships works (the official image's
// Apache) and the pod has no exporter of its own.
func (n *names) apacheExporterOn() bool {
	if !n.monitoringOn() || !profile.On(n.p.Spec.Monitoring.ApacheExporter.Enabled) {
		return false
	}
	if w := n.userWordPress(); w != nil {
		return w.Family == "wordpress" && (w.Exporter == "" || w.Exporter == ApacheExporterName)
	}
	return true
}

// mysqlExporterOn: MySQL gets the mysqld exporter. On a user's site, in a
// database workload of its own that runs MySQL or MariaDB and has no
// exporter yet, or in the one the function generates for it.
func (n *names) mysqlExporterOn() bool {
	if !n.monitoringOn() || !profile.On(n.p.Spec.Monitoring.MySQLExporter.Enabled) ||
		n.p.Spec.Database.Mode != profile.DatabaseEmbedded {
		return false
	}
	if !n.hardening {
		return true
	}
	if n.ex.DatabaseInPod || n.ex.DatabaseElsewhere || n.p.Spec.Topology == profile.NoHA {
		return false
	}
	if d := n.ex.Database; d != nil {
		return d.Family != "" && (d.Exporter == "" || d.Exporter == MySQLExporterName)
	}
	return true // generated
}

// mysqlMetrics: a mysqld exporter watches the database, ours or the
// user's own (Bitnami's metrics sidecar on its MariaDB), so the alerts on
// its metrics apply.
func (n *names) mysqlMetrics() bool {
	if n.mysqlExporterOn() {
		return true
	}
	if !n.monitoringOn() || !n.hardening || n.ex.Database == nil {
		return false
	}
	return strings.Contains(n.ex.Database.ExporterImage, "mysqld")
}

// userWordPress is the user's WordPress workload harden found, if any.
func (n *names) userWordPress() *Workload {
	if n.ex == nil {
		return nil
	}
	return n.ex.WordPress
}

// userDatabase: the database workload is the user's (its data directory
// exists: the init script never runs there).
func (n *names) userDatabase() bool { return n.ex != nil && n.ex.Database != nil }

func (n *names) apacheStatusName() string      { return n.name + "-apache-status" }
func (n *names) mysqlExporterInitName() string { return n.name + "-mysql-exporter-init" }

// apacheStatusConf serves mod_status on the pod's loopback only, on a
// port of its own: on the site's port WordPress's .htaccess would rewrite
// /server-status to index.php, and the page would be reachable by anyone
// the Service lets in.
func apacheStatusConf() string {
	return fmt.Sprintf(`# Written by wordpress-fn for the Apache exporter sidecar: mod_status on
# the pod's loopback only, on a port of its own, where WordPress's
# .htaccess (whose rewrite sends /server-status to index.php) does not apply.
Listen 127.0.0.1:%[1]d
<VirtualHost 127.0.0.1:%[1]d>
    DocumentRoot /var/www
    <Directory /var/www>
        AllowOverride None
    </Directory>
    <Location "/server-status">
        SetHandler server-status
        Require local
    </Location>
</VirtualHost>
`, profile.ApacheStatusPort)
}

// mysqlExporterInit creates the exporter's user with the least privilege
// mysqld_exporter needs. The official image's entrypoint sources it once,
// when it initializes an empty data directory; the password comes from
// the Secret through the env, never from this file.
func (n *names) mysqlExporterInit() string {
	user := n.p.Spec.Monitoring.MySQLExporter.User
	return fmt.Sprintf(`# Written by wordpress-fn: the mysqld exporter's own user, with the least
# privilege it needs. The official mysql image's entrypoint sources this
# once, when it initializes an empty data directory; on an existing one,
# run the same statements by hand (see the README, Monitoring).
if [ -n "${%[1]s:-}" ]; then
  exporterPassword="$(docker_sql_escape_string_literal "${%[1]s}")"
  docker_process_sql --database=mysql <<EOSQL
CREATE USER IF NOT EXISTS '%[2]s'@'127.0.0.1' IDENTIFIED BY '${exporterPassword}' WITH MAX_USER_CONNECTIONS 3;
GRANT PROCESS, REPLICATION CLIENT, SELECT ON *.* TO '%[2]s'@'127.0.0.1';
EOSQL
else
  mysql_warn "%[1]s is empty: no user %[2]s for the mysqld exporter"
fi
`, MySQLExporterPasswordEnv, user)
}

func (n *names) apacheStatusConfigMap() *kube.ConfigMap {
	return &kube.ConfigMap{
		TypeMeta:   typeMeta("v1", "ConfigMap"),
		ObjectMeta: n.meta(n.apacheStatusName(), n.wpLabels()),
		Data:       map[string]string{ApacheStatusFile: apacheStatusConf()},
	}
}

func (n *names) mysqlExporterInitConfigMap() *kube.ConfigMap {
	return &kube.ConfigMap{
		TypeMeta:   typeMeta("v1", "ConfigMap"),
		ObjectMeta: n.meta(n.mysqlExporterInitName(), n.sqlLabels()),
		Data:       map[string]string{MySQLExporterInitFile: n.mysqlExporterInit()},
	}
}

// exporterSecurity is the main containers' rules without their
// capabilities: non-root, nothing to escalate, a read-only root.
func (n *names) exporterSecurity() *kube.SecurityContext {
	if n.p.Spec.Security.Mode == profile.SecurityOff {
		return nil
	}
	return &kube.SecurityContext{
		AllowPrivilegeEscalation: ptr(false),
		Privileged:               ptr(false),
		RunAsNonRoot:             ptr(true),
		RunAsUser:                ptr(int64(exporterUID)),
		RunAsGroup:               ptr(int64(exporterUID)),
		ReadOnlyRootFilesystem:   ptr(true),
		Capabilities:             &kube.Capabilities{Drop: []kube.Capability{"ALL"}},
		SeccompProfile:           &kube.SeccompProfile{Type: kube.SeccompProfileTypeRuntimeDefault},
	}
}

func exporterProbe(port int32) *kube.Probe {
	return &kube.Probe{
		ProbeHandler:        kube.ProbeHandler{TCPSocket: &kube.TCPSocketAction{Port: intstr.FromInt32(port)}},
		InitialDelaySeconds: 5,
		PeriodSeconds:       10,
		TimeoutSeconds:      1,
		FailureThreshold:    3,
	}
}

func (n *names) apacheExporterContainer() kube.Container {
	a := n.p.Spec.Monitoring.ApacheExporter
	return kube.Container{
		Name:            ApacheExporterName,
		Image:           a.Image,
		ImagePullPolicy: kube.PullIfNotPresent,
		Args: []string{
			fmt.Sprintf("--scrape_uri=http://127.0.0.1:%d/server-status?auto", profile.ApacheStatusPort),
			fmt.Sprintf("--telemetry.address=:%d", profile.ApacheExporterPort),
		},
		Ports:           []kube.ContainerPort{{Name: ApacheMetricsPortName, ContainerPort: profile.ApacheExporterPort, Protocol: kube.ProtocolTCP}},
		Resources:       resources(a.Resources),
		ReadinessProbe:  exporterProbe(profile.ApacheExporterPort),
		SecurityContext: n.exporterSecurity(),
	}
}

func (n *names) mysqlExporterContainer() kube.Container {
	x := n.p.Spec.Monitoring.MySQLExporter
	pw := secretEnv("MYSQLD_EXPORTER_PASSWORD", n.p.Spec.Credentials.SecretName, x.PasswordKey)
	// Optional: a Secret without the key must not keep MySQL from
	// starting; the exporter then fails to log in and MySQLDown says so.
	pw.ValueFrom.SecretKeyRef.Optional = ptr(true)
	return kube.Container{
		Name:            MySQLExporterName,
		Image:           x.Image,
		ImagePullPolicy: kube.PullIfNotPresent,
		Args: []string{
			fmt.Sprintf("--mysqld.address=127.0.0.1:%d", n.dbPort),
			"--mysqld.username=" + x.User,
			fmt.Sprintf("--web.listen-address=:%d", profile.MySQLExporterPort),
		},
		Env:             []kube.EnvVar{pw},
		Ports:           []kube.ContainerPort{{Name: MySQLMetricsPortName, ContainerPort: profile.MySQLExporterPort, Protocol: kube.ProtocolTCP}},
		Resources:       resources(x.Resources),
		ReadinessProbe:  exporterProbe(profile.MySQLExporterPort),
		SecurityContext: n.exporterSecurity(),
	}
}

// addExporters puts the exporter sidecars into a workload of the site:
// the Apache exporter beside WordPress, the mysqld exporter beside MySQL
// (both in noha's one pod), with what their main containers need.
func (n *names) addExporters(d *kube.Deployment) *kube.Deployment {
	pod := &d.Spec.Template.Spec
	for i := range pod.Containers {
		c := &pod.Containers[i]
		switch c.Name {
		case WordPressContainerName:
			if !n.apacheExporterOn() {
				continue
			}
			c.VolumeMounts = append(c.VolumeMounts, kube.VolumeMount{
				Name: ApacheStatusVolume, MountPath: ApacheConfDir + "/" + ApacheStatusFile, SubPath: ApacheStatusFile, ReadOnly: true,
			})
			pod.Volumes = append(pod.Volumes, configMapVolume(ApacheStatusVolume, n.apacheStatusName()))
		case MySQLContainerName:
			if !n.mysqlExporterOn() || n.userDatabase() {
				continue
			}
			pw := secretEnv(MySQLExporterPasswordEnv, n.p.Spec.Credentials.SecretName, n.p.Spec.Monitoring.MySQLExporter.PasswordKey)
			pw.ValueFrom.SecretKeyRef.Optional = ptr(true)
			c.Env = append(c.Env, pw)
			c.VolumeMounts = append(c.VolumeMounts, kube.VolumeMount{Name: MySQLExporterInitVolume, MountPath: MySQLInitDir, ReadOnly: true})
			pod.Volumes = append(pod.Volumes, configMapVolume(MySQLExporterInitVolume, n.mysqlExporterInitName()))
		}
	}
	var sidecars []kube.Container
	for _, c := range pod.Containers {
		switch {
		case c.Name == WordPressContainerName && n.apacheExporterOn():
			sidecars = append(sidecars, n.apacheExporterContainer())
		case c.Name == MySQLContainerName && n.mysqlExporterOn():
			sidecars = append(sidecars, n.mysqlExporterContainer())
		}
	}
	pod.Containers = append(pod.Containers, sidecars...)
	return d
}

// withExporterKey has the ExternalSecret fill the mysqld exporter's
// password too.
func (n *names) withExporterKey(es obj) obj {
	if !n.mysqlExporterOn() {
		return es
	}
	c := n.p.Spec.Credentials
	spec := es["spec"].(obj)
	spec["data"] = append(spec["data"].([]any), obj{
		"secretKey": n.p.Spec.Monitoring.MySQLExporter.PasswordKey,
		"remoteRef": obj{"key": c.ExternalSecret.RemoteKey, "property": c.ExternalSecret.ExporterPasswordProperty},
	})
	return es
}

// IsExporter tells the exporter sidecars apart from the containers they
// watch.
func IsExporter(container string) bool {
	return container == ApacheExporterName || container == MySQLExporterName
}

func configMapVolume(name, configMap string) kube.Volume {
	return kube.Volume{Name: name, VolumeSource: kube.VolumeSource{
		ConfigMap: &kube.ConfigMapVolumeSource{LocalObjectReference: kube.LocalObjectReference{Name: configMap}},
	}}
}

// admitScraper lets the scraper's namespace reach the metrics ports of
// the policy's pods, and nothing else.
func (n *names) admitScraper(pol *kube.NetworkPolicy, ports ...int32) *kube.NetworkPolicy {
	if len(ports) == 0 {
		return pol
	}
	rule := kube.NetworkPolicyIngressRule{
		From: []kube.NetworkPolicyPeer{{NamespaceSelector: &kube.LabelSelector{
			MatchLabels: map[string]string{"kubernetes.io/metadata.name": n.p.Spec.Monitoring.PrometheusNamespace},
		}}},
	}
	for _, p := range ports {
		rule.Ports = append(rule.Ports, kube.NetworkPolicyPort{Protocol: ptr(kube.ProtocolTCP), Port: ptr(intstr.FromInt32(p))})
	}
	pol.Spec.Ingress = append(pol.Spec.Ingress, rule)
	return pol
}

// wordpressMetricsPorts are the exporter ports in WordPress's pod (both in
// noha's), mysqlMetricsPorts in MySQL's.
func (n *names) wordpressMetricsPorts() []int32 {
	var out []int32
	if n.apacheExporterOn() {
		out = append(out, profile.ApacheExporterPort)
	}
	if n.p.Spec.Topology == profile.NoHA && n.mysqlExporterOn() {
		out = append(out, profile.MySQLExporterPort)
	}
	return out
}

func (n *names) mysqlMetricsPorts() []int32 {
	if n.mysqlExporterOn() {
		return []int32{profile.MySQLExporterPort}
	}
	return nil
}

func (n *names) monitorLabels(base map[string]string) map[string]string {
	return merge(base, n.p.Spec.Monitoring.Labels)
}

// podMonitor scrapes the exporter port of the pods the selector picks.
// PodMonitors rather than ServiceMonitors: a metrics port on the site's
// Service would be published on every node in nodePort mode, and the
// alerts are about single pods anyway.
func (n *names) podMonitor(name string, labels, selector map[string]string, ports ...string) obj {
	var eps []any
	for _, p := range ports {
		eps = append(eps, obj{"port": p, "path": "/metrics", "interval": n.p.Spec.Monitoring.Interval})
	}
	sel := obj{}
	for k, v := range selector {
		sel[k] = v
	}
	return obj{
		"apiVersion": "monitoring.coreos.com/v1",
		"kind":       "PodMonitor",
		"metadata":   n.crMeta(name, n.ns, n.monitorLabels(labels)),
		"spec": obj{
			"selector":            obj{"matchLabels": sel},
			"podMetricsEndpoints": eps,
		},
	}
}

func (n *names) wordpressPodMonitor() obj {
	ports := []string{}
	if n.apacheExporterOn() {
		ports = append(ports, ApacheMetricsPortName)
	}
	if n.p.Spec.Topology == profile.NoHA && n.mysqlExporterOn() {
		ports = append(ports, MySQLMetricsPortName)
	}
	return n.podMonitor(n.name, n.wpLabels(), n.wpSelector, ports...)
}

func (n *names) mysqlPodMonitor() obj {
	return n.podMonitor(n.name+"-mysql", n.sqlLabels(), n.sqlSelector, MySQLMetricsPortName)
}

// podRegex matches the pods of a workload by name: a Deployment's are
// <name>-<replicaset hash>-<5 characters>, a StatefulSet's <name>-<ordinal>.
// kube-state-metrics exports no pod labels unless told to, so the alerts
// select pods by name.
func podRegex(kind, name string) string {
	if kind == "StatefulSet" {
		return name + "-[0-9]+"
	}
	return name + "-[a-z0-9]+-[a-z0-9]{5}"
}

// sel is a PromQL label matcher list.
func (n *names) sel(extra ...string) string {
	var ms []string
	if n.ns != "" {
		ms = append(ms, fmt.Sprintf("namespace=%q", n.ns))
	}
	ms = append(ms, extra...)
	return "{" + strings.Join(ms, ", ") + "}"
}

// Alert is one rule of the site's PrometheusRule.
type Alert struct {
	Name, Expr, For, Severity, Summary, Runbook string
}

// wpPodMatcher, dbPodMatcher are the PromQL pod matchers of WordPress and MySQL.
func (n *names) wpPodMatcher() string { return fmt.Sprintf("pod=~%q", podRegex(n.wpKind, n.wpName)) }

func (n *names) dbPodMatcher() string {
	if n.p.Spec.Topology == profile.NoHA {
		return n.wpPodMatcher()
	}
	return fmt.Sprintf("pod=~%q", podRegex(n.dbKind, n.dbName))
}

// Alerts are the rules that stand in for the liveness probe the site does
// not have: each names what to look at in the pod that is kept.
func (n *names) Alerts() []Alert {
	s := n.p.Spec
	w := s.WordPress
	var out []Alert
	rp := w.ReadinessProbe
	unready := "the readiness probe"
	if profile.On(rp.Enabled) {
		unready = fmt.Sprintf("the readiness probe (every %d s, %d failures)", *rp.PeriodSeconds, *rp.FailureThreshold)
	}
	out = append(out, Alert{
		Name:     "WordPressPodNotReady",
		Expr:     fmt.Sprintf(`max by (namespace, pod) (kube_pod_status_ready%s) == 1`, n.sel(n.wpPodMatcher(), `condition="false"`)),
		For:      "5m",
		Severity: "warning",
		Summary:  fmt.Sprintf("WordPress pod {{ $labels.pod }} has failed %s for 5 minutes; it is out of the Service but kept, not restarted", unready),
		Runbook:  "The pod is kept for debugging (no liveness probe): kubectl -n {{ $labels.namespace }} describe pod {{ $labels.pod }} (events, probe failures), kubectl logs {{ $labels.pod }} -c wordpress (PHP fatal errors, database connection errors), kubectl exec into it and curl -sI localhost; delete the pod once understood.",
	})
	if profile.On(w.PDB.Enabled) {
		pdb := fmt.Sprintf("poddisruptionbudget=%q", n.pdbName)
		out = append(out, Alert{
			Name:     "WordPressBelowDisruptionBudget",
			Expr:     fmt.Sprintf(`kube_poddisruptionbudget_status_current_healthy%s < kube_poddisruptionbudget_status_desired_healthy%s`, n.sel(pdb), n.sel(pdb)),
			For:      "2m",
			Severity: "critical",
			Summary:  "Fewer WordPress pods are ready than the PodDisruptionBudget {{ $labels.poddisruptionbudget }} requires: no node can be drained, and one more failure takes capacity the site was sized for",
			Runbook:  "kubectl -n {{ $labels.namespace }} get pods -o wide: find the pods that are not Ready (see WordPressPodNotReady) or Pending (no node with room, the claim not attached); kubectl describe on them.",
		})
	}
	if profile.On(w.HPA.Enabled) {
		hpa := fmt.Sprintf("horizontalpodautoscaler=%q", n.hpaName)
		out = append(out, Alert{
			Name:     "WordPressAutoscalerAtMax",
			Expr:     fmt.Sprintf(`kube_horizontalpodautoscaler_status_current_replicas%s >= kube_horizontalpodautoscaler_spec_max_replicas%s`, n.sel(hpa), n.sel(hpa)),
			For:      "15m",
			Severity: "warning",
			Summary:  "The HorizontalPodAutoscaler {{ $labels.horizontalpodautoscaler }} has run WordPress at its maximum of replicas for 15 minutes: more load cannot be absorbed",
			Runbook:  "kubectl -n {{ $labels.namespace }} describe hpa {{ $labels.horizontalpodautoscaler }} (current CPU against the target); kubectl top pods: a traffic peak, a crawler, or a plugin burning CPU; raise spec.wordpress.hpa.maxReplicas if the load is real.",
		})
	}
	if n.mysqlMetrics() {
		mysql := n.sel(n.dbPodMatcher())
		out = append(out,
			Alert{
				Name:     "MySQLDown",
				Expr:     fmt.Sprintf(`mysql_up%s == 0`, mysql),
				For:      "2m",
				Severity: "critical",
				Summary:  "The mysqld exporter in {{ $labels.pod }} cannot log in to MySQL: the database is down or refuses connections, and every WordPress page fails",
				Runbook:  "The pod is kept (no liveness probe): kubectl -n {{ $labels.namespace }} logs {{ $labels.pod }} -c mysql (crash recovery, disk full, OOM), kubectl logs {{ $labels.pod }} -c mysql-exporter (Access denied: the exporter user is missing, create it as the README says).",
			},
			Alert{
				Name:     "MySQLConnectionsNearLimit",
				Expr:     fmt.Sprintf(`max_over_time(mysql_global_status_threads_connected%s[5m]) / mysql_global_variables_max_connections%s > 0.8`, mysql, mysql),
				For:      "5m",
				Severity: "warning",
				Summary:  "MySQL in {{ $labels.pod }} uses more than 80 % of max_connections: each WordPress pod's Apache workers open one connection each, and past the limit pages fail with 'Error establishing a database connection'",
				Runbook:  "kubectl -n {{ $labels.namespace }} exec {{ $labels.pod }} -c mysql -- mysql -uroot -p -e 'SHOW PROCESSLIST' (long queries holding connections); raise max_connections in spec.database.embedded.args, or lower the WordPress replicas.",
			})
	}
	// In noha MySQL shares WordPress's pod: WordPressPodNotReady covers it.
	if n.monitoringOn() && n.p.Spec.Database.Mode == profile.DatabaseEmbedded && s.Topology != profile.NoHA {
		out = append(out, Alert{
			Name:     "MySQLPodNotReady",
			Expr:     fmt.Sprintf(`max by (namespace, pod) (kube_pod_status_ready%s) == 1`, n.sel(n.dbPodMatcher(), `condition="false"`)),
			For:      "2m",
			Severity: "critical",
			Summary:  "The MySQL pod {{ $labels.pod }} has not been ready for 2 minutes: MySQL is a single replica, so WordPress has no database",
			Runbook:  "kubectl -n {{ $labels.namespace }} describe pod {{ $labels.pod }} (events: the claim not attached, OOMKilled), kubectl logs {{ $labels.pod }} -c mysql (InnoDB recovery can take minutes after a crash: wait for 'ready for connections').",
		})
	}
	var claims []string
	if profile.On(w.Persistence.Enabled) && n.wpClaim != "" {
		claims = append(claims, n.wpClaim)
	}
	if s.Database.Mode == profile.DatabaseEmbedded && profile.On(s.Database.Embedded.Persistence.Enabled) && n.dbClaim != "" {
		claims = append(claims, n.dbClaim)
	}
	if len(claims) > 0 {
		pvc := fmt.Sprintf("persistentvolumeclaim=~%q", strings.Join(claims, "|"))
		out = append(out, Alert{
			Name:     "WordPressVolumeNearlyFull",
			Expr:     fmt.Sprintf(`kubelet_volume_stats_available_bytes%s / kubelet_volume_stats_capacity_bytes%s < 0.15`, n.sel(pvc), n.sel(pvc)),
			For:      "10m",
			Severity: "warning",
			Summary:  "PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} has less than 15 % free: MySQL stops writing, and WordPress uploads fail, when it is full",
			Runbook:  "kubectl -n {{ $labels.namespace }} exec into a pod that mounts it and run du -sh on the data path (/var/www/html/wp-content/uploads, /var/lib/mysql: binary logs); expand the claim (the storage class allows it) or clean up.",
		})
	}
	out = append(out, Alert{
		Name:     "WordPressContainerRestarted",
		Expr:     fmt.Sprintf(`increase(kube_pod_container_status_restarts_total%s[15m]) > 0`, n.sel(fmt.Sprintf("pod=~%q", n.restartPods()))),
		For:      "0s",
		Severity: "warning",
		Summary:  "Container {{ $labels.container }} of {{ $labels.pod }} restarted: with no liveness probe, that is a crash or an OOM kill, not a probe",
		Runbook:  "kubectl -n {{ $labels.namespace }} describe pod {{ $labels.pod }}: lastState.terminated.reason (OOMKilled: raise its resources.memory; Error: its exit code), kubectl logs {{ $labels.pod }} -c {{ $labels.container }} --previous.",
	})
	return out
}

// restartPods matches every pod of the site.
func (n *names) restartPods() string {
	if n.p.Spec.Topology == profile.NoHA || n.p.Spec.Database.Mode != profile.DatabaseEmbedded {
		return podRegex(n.wpKind, n.wpName)
	}
	return podRegex(n.wpKind, n.wpName) + "|" + podRegex(n.dbKind, n.dbName)
}

func (n *names) prometheusRule() obj {
	var rules []any
	for _, a := range n.Alerts() {
		rules = append(rules, obj{
			"alert":  a.Name,
			"expr":   a.Expr,
			"for":    a.For,
			"labels": obj{"severity": a.Severity},
			"annotations": obj{
				"summary": a.Summary,
				"runbook": a.Runbook,
			},
		})
	}
	return obj{
		"apiVersion": "monitoring.coreos.com/v1",
		"kind":       "PrometheusRule",
		"metadata":   n.crMeta(n.name, n.ns, n.monitorLabels(n.common)),
		"spec": obj{
			"groups": []any{obj{"name": n.name + ".rules", "rules": rules}},
		},
	}
}

// AlertsOf returns the alerts a defaulted profile's site gets (for tests
// and documentation).
func AlertsOf(p *profile.WordPressProfile) []Alert {
	return newNames(p, nil).Alerts()
}
