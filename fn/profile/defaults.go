package profile

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/intstr"
)

// Defaults of the tutorial, named so the README and the code agree.
const (
	DefaultNamespace          = "kube-samples"
	DefaultWordPressImage     = "wordpress:6.8.3-apache"
	DefaultMySQLImage         = "mysql:8.4.7"
	DefaultCPU                = "200m"
	DefaultMemory             = "100Mi"
	DefaultEphemeralStorage   = "1Gi"
	DefaultMySQLCPU           = "500m"
	DefaultMySQLMemory        = "1Gi"
	DefaultPreStopSeconds     = 20
	DefaultPasswordKey        = "dbpwd"
	DefaultTopologyKey        = "kubernetes.io/hostname"
	ZoneTopologyKey           = "topology.kubernetes.io/zone"
	DefaultWordPressClass     = "csi-cephfs"
	DefaultWordPressSize      = "2Gi"
	DefaultMySQLClass         = "rook-ceph-block"
	DefaultMySQLSize          = "20Gi"
	DefaultIngressNamespace   = "traefik"
	DefaultCephFSName         = "myfs"
	DefaultCephFSNamespace    = "rook-ceph"
	DefaultExternalSecretKind = "ClusterSecretStore"
	// Monitoring: the Apache exporter Bitnami's chart runs (1.0.10), from
	// its upstream; the Prometheus project's mysqld exporter.
	DefaultApacheExporterImage = "quay.io/lusitaniae/apache-exporter:v1.0.10"
	DefaultMySQLExporterImage  = "quay.io/prometheus/mysqld-exporter:v0.17.2"
	DefaultExporterCPU         = "50m"
	DefaultExporterMemory      = "64Mi"
	DefaultExporterStorage     = "64Mi"
	DefaultPrometheusNamespace = "monitoring"
	DefaultScrapeInterval      = "30s"
	DefaultExporterUser        = "exporter"
	DefaultExporterPasswordKey = "exporter-pwd"
	// ApacheStatusPort is where the Apache of the official image serves
	// mod_status, on 127.0.0.1 only; ApacheExporterPort and
	// MySQLExporterPort are the exporters' own (their upstream defaults).
	ApacheStatusPort   = 8081
	ApacheExporterPort = 9117
	MySQLExporterPort  = 9104
)

// DefaultMonitoringLabels select the site's monitors and rules for a
// Prometheus installed by the kube-prometheus-stack chart.
var DefaultMonitoringLabels = map[string]string{"release": "kube-prometheus-stack"}

// DefaultMySQLArgs are the tutorial's character set and collation.
var DefaultMySQLArgs = []string{"--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"}

func boolp(b bool) *bool            { return &b }
func i32p(i int32) *int32           { return &i }
func i64p(i int64) *int64           { return &i }
func ios(i int) *intstr.IntOrString { v := intstr.FromInt32(int32(i)); return &v }

func setBool(p **bool, v bool) {
	if *p == nil {
		*p = boolp(v)
	}
}

func setI32(p **int32, v int32) {
	if *p == nil {
		*p = i32p(v)
	}
}

// ingressClassNamespace is where the usual ingress controllers run, by the
// IngressClass name their installers give: ingress-nginx's manifests and
// chart use namespace ingress-nginx, Traefik's traefik.
var ingressClassNamespace = map[string]string{
	"nginx":   "ingress-nginx",
	"traefik": "traefik",
}

func setStrPtr(p **string, v string) {
	if *p == nil {
		*p = &v
	}
}

func setStr(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

// On reports whether an optional switch is set and true.
func On(b *bool) bool { return b != nil && *b }

// Default fills every field the profile leaves out with its topology's
// preset. It never changes a field the profile sets.
func (p *WordPressProfile) Default() {
	s := &p.Spec
	setStr((*string)(&s.Topology), string(Production))
	prod := s.Topology == Production
	noha := s.Topology == NoHA
	setStr(&s.Name, p.Metadata.Name)
	setStr(&s.Namespace, p.Metadata.Namespace)
	setStr(&s.Namespace, DefaultNamespace)
	setBool(&s.CreateNamespace, true)

	w := &s.WordPress
	setStr(&w.Image, DefaultWordPressImage)
	setI32(&w.Port, 80)
	if noha {
		setI32(&w.Replicas, 1)
	} else {
		setI32(&w.Replicas, 3)
	}
	defaultResources(&w.Resources, DefaultCPU, DefaultMemory)
	setBool(&w.ReadinessProbe.Enabled, true)
	defaultProbe(&w.ReadinessProbe, *w.Port)
	setBool(&w.LivenessProbe.Enabled, false)
	defaultProbe(&w.LivenessProbe, *w.Port)
	setBool(&w.StartupProbe.Enabled, false)
	defaultProbe(&w.StartupProbe, *w.Port)
	setBool(&w.PreStop.Enabled, prod)
	setI32(&w.PreStop.Seconds, DefaultPreStopSeconds)
	if len(w.PreStop.Command) == 0 {
		w.PreStop.Command = []string{"/bin/sh", "-c", fmt.Sprintf("sleep %d", *w.PreStop.Seconds)}
	}
	if w.TerminationGracePeriodSeconds == nil {
		grace := int64(30)
		if On(w.PreStop.Enabled) && int64(*w.PreStop.Seconds)+10 > grace {
			grace = int64(*w.PreStop.Seconds) + 10
		}
		w.TerminationGracePeriodSeconds = i64p(grace)
	}
	setBool(&w.RollingUpdate.Enabled, prod)
	if w.RollingUpdate.MaxSurge == nil {
		w.RollingUpdate.MaxSurge = ios(1)
	}
	if w.RollingUpdate.MaxUnavailable == nil {
		w.RollingUpdate.MaxUnavailable = ios(0)
	}
	if w.AntiAffinity.Mode == "" {
		w.AntiAffinity.Mode = AntiAffinityNone
		if prod {
			w.AntiAffinity.Mode = AntiAffinitySoft
		}
	}
	setStr(&w.AntiAffinity.TopologyKey, DefaultTopologyKey)
	setBool(&w.AntiAffinity.ZoneSpread, false)
	setBool(&w.PDB.Enabled, prod)
	if w.PDB.MaxUnavailable == nil && w.PDB.MinAvailable == nil {
		w.PDB.MaxUnavailable = ios(1)
	}
	setBool(&w.HPA.Enabled, prod)
	setI32(&w.HPA.MinReplicas, 3)
	setI32(&w.HPA.MaxReplicas, 6)
	setI32(&w.HPA.TargetCPUUtilization, 20)
	setBool(&w.Persistence.Enabled, prod)
	setStr(&w.Persistence.ClaimName, s.Name+"-pvc")
	setStrPtr(&w.Persistence.StorageClass, DefaultWordPressClass)
	setStr(&w.Persistence.Size, DefaultWordPressSize)
	setStr(&w.Persistence.AccessMode, "ReadWriteMany")

	d := &s.Database
	setStr((*string)(&d.Mode), string(DatabaseEmbedded))
	setStr(&d.Name, "wordpress")
	setStr(&d.User, "wordpress")
	if d.Mode == DatabaseEmbedded {
		e := &d.Embedded
		setStr(&e.Image, DefaultMySQLImage)
		if e.Args == nil {
			e.Args = append([]string(nil), DefaultMySQLArgs...)
		}
		defaultResources(&e.Resources, DefaultMySQLCPU, DefaultMySQLMemory)
		setBool(&e.ReadinessProbe.Enabled, true)
		defaultProbe(&e.ReadinessProbe, 3306)
		setBool(&e.Persistence.Enabled, prod)
		setStr(&e.Persistence.ClaimName, s.Name+"-mysql-pvc")
		setStrPtr(&e.Persistence.StorageClass, DefaultMySQLClass)
		setStr(&e.Persistence.Size, DefaultMySQLSize)
		setStr(&e.Persistence.AccessMode, "ReadWriteOnce")
	}
	if d.External != nil {
		setI32(&d.External.Port, 3306)
	}

	c := &s.Credentials
	setStr(&c.SecretName, s.Name+"-db-pwd")
	setStr(&c.PasswordKey, DefaultPasswordKey)
	setStr(&c.RootPasswordKey, DefaultPasswordKey)
	es := &c.ExternalSecret
	setBool(&es.Enabled, false)
	if On(es.Enabled) {
		setStr(&es.StoreKind, DefaultExternalSecretKind)
		setStr(&es.PasswordProperty, "password")
		setStr(&es.RootPasswordProperty, "root-password")
		setStr(&es.ExporterPasswordProperty, "exporter-password")
		setStr(&es.RefreshInterval, "1h")
	}

	x := &s.Exposure
	if x.Mode == "" {
		x.Mode = ExposureNodePort
		if prod {
			x.Mode = ExposureTraefik
		}
	}
	if x.Mode == ExposureTraefik {
		setStr(&x.Traefik.WebEntryPoint, "web")
		setStr(&x.Traefik.WebSecureEntryPoint, "websecure")
		setBool(&x.Traefik.RedirectHTTPS, true)
	}

	cf := &s.Storage.CephFilesystem
	setBool(&cf.Enabled, false)
	if On(cf.Enabled) {
		setStr(&cf.Name, DefaultCephFSName)
		setStr(&cf.Namespace, DefaultCephFSNamespace)
		setI32(&cf.Replicas, 3)
		setStr(&cf.StorageClassName, DefaultWordPressClass)
		setStr(&cf.ReclaimPolicy, "Retain")
	}

	setBool(&s.NetworkPolicy.Enabled, prod)
	if s.Exposure.Mode == ExposureIngress {
		// The namespace each controller's own manifests install it in.
		setStr(&s.NetworkPolicy.IngressControllerNamespace, ingressClassNamespace[s.Exposure.Ingress.ClassName])
	}
	setStr(&s.NetworkPolicy.IngressControllerNamespace, DefaultIngressNamespace)
	setBool(&s.NetworkPolicy.Egress.Enabled, true)
	setBool(&s.NetworkPolicy.Egress.Internet, true)

	m := &s.Monitoring
	setBool(&m.Enabled, prod)
	if m.Labels == nil {
		m.Labels = map[string]string{}
		for k, v := range DefaultMonitoringLabels {
			m.Labels[k] = v
		}
	}
	setStr(&m.PrometheusNamespace, DefaultPrometheusNamespace)
	setStr(&m.Interval, DefaultScrapeInterval)
	setBool(&m.Alerts, true)
	// PHP-FPM images have no Apache.
	setBool(&m.ApacheExporter.Enabled, !strings.Contains(w.Image, "fpm"))
	setStr(&m.ApacheExporter.Image, DefaultApacheExporterImage)
	defaultExporterResources(&m.ApacheExporter.Resources)
	setBool(&m.MySQLExporter.Enabled, d.Mode == DatabaseEmbedded)
	setStr(&m.MySQLExporter.Image, DefaultMySQLExporterImage)
	defaultExporterResources(&m.MySQLExporter.Resources)
	setStr(&m.MySQLExporter.User, DefaultExporterUser)
	setStr(&m.MySQLExporter.PasswordKey, DefaultExporterPasswordKey)

	setStr((*string)(&s.Security.Mode), string(SecurityDefault))
	if s.Security.WordPressUser == nil {
		s.Security.WordPressUser = i64p(33)
	}
	if s.Security.MySQLUser == nil {
		s.Security.MySQLUser = i64p(999)
	}
}

func defaultResources(r *ResourcesSpec, cpu, mem string) {
	setStr(&r.CPU, cpu)
	setStr(&r.Memory, mem)
	setStr(&r.EphemeralStorage, DefaultEphemeralStorage)
}

func defaultExporterResources(r *ResourcesSpec) {
	setStr(&r.CPU, DefaultExporterCPU)
	setStr(&r.Memory, DefaultExporterMemory)
	setStr(&r.EphemeralStorage, DefaultExporterStorage)
}

func defaultProbe(p *ProbeSpec, port int32) {
	if p.HTTPPath == "" {
		setI32(&p.TCPPort, port)
	}
	setI32(&p.InitialDelaySeconds, 5)
	setI32(&p.PeriodSeconds, 5)
	setI32(&p.TimeoutSeconds, 1)
	setI32(&p.FailureThreshold, 3)
}
