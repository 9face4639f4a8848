// Package profile defines the WordPressProfile API: its Go types, the
// topology presets and defaults, strict decoding and validation.
//
// Every default below is the value of the tutorial this project follows
// (see the README's profile reference); a field left out of a profile takes
// its topology's preset, and a field written in a profile always wins over
// the preset.
package profile

import (
	"k8s.io/apimachinery/pkg/util/intstr"
)

const (
	// Group and Version of the WordPressProfile API.
	Group   = "wordpress.kube-samples.io"
	Version = "v1alpha1"
	// APIVersion is Group/Version.
	APIVersion = Group + "/" + Version
	// Kind of the profile object.
	Kind = "WordPressProfile"
)

// Topology names one of the tutorial's three stages.
type Topology string

const (
	// NoHA is one Pod with the wordpress and mysql containers talking over
	// localhost, exposed by a NodePort Service.
	NoHA Topology = "noha"
	// HA splits MySQL into its own workload and Service and runs several
	// WordPress replicas.
	HA Topology = "ha"
	// Production is HA plus every production setting of the tutorial.
	Production Topology = "production"
)

// WordPressProfile describes one WordPress site.
type WordPressProfile struct {
	APIVersion string      `json:"apiVersion"`
	Kind       string      `json:"kind"`
	Metadata   ObjectMeta  `json:"metadata"`
	Spec       ProfileSpec `json:"spec"`
}

// ObjectMeta is the part of Kubernetes' metadata a profile uses.
type ObjectMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// ProfileSpec is the whole site.
type ProfileSpec struct {
	// Topology is the preset: noha, ha or production. Default production.
	Topology Topology `json:"topology,omitempty"`
	// Name prefixes every resource of the site and is its `app` label.
	// Default metadata.name. The tutorial's names come from "wordpress".
	Name string `json:"name,omitempty"`
	// Namespace of every namespaced resource. Default metadata.namespace,
	// else the tutorial's "kube-samples".
	Namespace string `json:"namespace,omitempty"`
	// CreateNamespace emits the Namespace object. Default true.
	CreateNamespace *bool `json:"createNamespace,omitempty"`
	// Labels are added to every resource (not to selectors).
	Labels map[string]string `json:"labels,omitempty"`

	WordPress     WordPressSpec     `json:"wordpress,omitempty"`
	Database      DatabaseSpec      `json:"database,omitempty"`
	Credentials   CredentialsSpec   `json:"credentials,omitempty"`
	Exposure      ExposureSpec      `json:"exposure,omitempty"`
	Storage       StorageSpec       `json:"storage,omitempty"`
	NetworkPolicy NetworkPolicySpec `json:"networkPolicy,omitempty"`
	Security      SecuritySpec      `json:"security,omitempty"`
	// Monitoring: exporters, scrape configuration and alerts. On in
	// production: the site has no liveness probe on purpose, so alerts
	// raise the alarm instead of a restart.
	Monitoring MonitoringSpec `json:"monitoring,omitempty"`
	// Match names the user's workloads that harden adopts, where finding
	// them by image, labels and name is ambiguous. Harden only.
	Match MatchSpec `json:"match,omitempty"`
}

// MatchSpec names existing workloads.
type MatchSpec struct {
	// WordPress is the workload that runs WordPress.
	WordPress *WorkloadRef `json:"wordpress,omitempty"`
	// Database is the workload that runs its MySQL or MariaDB.
	Database *WorkloadRef `json:"database,omitempty"`
}

// WorkloadRef names a Deployment or StatefulSet in the site's namespace.
type WorkloadRef struct {
	// Kind: Deployment or StatefulSet; any of the two when left out.
	Kind string `json:"kind,omitempty"`
	Name string `json:"name"`
}

// WordPressSpec is the WordPress workload.
type WordPressSpec struct {
	// Image with a pinned tag (never latest). Default wordpress:6.8.3-apache.
	Image string `json:"image,omitempty"`
	// Port the container listens on, default 80. The Service always
	// serves port 80.
	Port *int32 `json:"port,omitempty"`
	// Replicas when the HPA is off. Default 1 (noha), 3 (ha, production).
	Replicas *int32 `json:"replicas,omitempty"`
	// Resources of the container; Guaranteed QoS (requests == limits) unless
	// limits are given separately. Default 200m / 100Mi / 1Gi ephemeral.
	Resources ResourcesSpec `json:"resources,omitempty"`
	// ReadinessProbe, on by default: tcp 80, delay 5 s, period 5 s.
	ReadinessProbe ProbeSpec `json:"readinessProbe,omitempty"`
	// LivenessProbe, off by default on purpose: a failing pod is kept for
	// debugging and monitoring raises the alarm.
	LivenessProbe ProbeSpec `json:"livenessProbe,omitempty"`
	// StartupProbe, off by default.
	StartupProbe ProbeSpec `json:"startupProbe,omitempty"`
	// PreStop wait before SIGTERM. Default on in production, 20 s.
	PreStop PreStopSpec `json:"preStop,omitempty"`
	// TerminationGracePeriodSeconds; always at least preStop + 10 s.
	// Default max(30, preStop.seconds + 10).
	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty"`
	// RollingUpdate strategy. Default on in production: maxSurge 1,
	// maxUnavailable 0.
	RollingUpdate RollingUpdateSpec `json:"rollingUpdate,omitempty"`
	// AntiAffinity spreads replicas over nodes: none, soft or hard.
	// Default soft in production, none otherwise.
	AntiAffinity AntiAffinitySpec `json:"antiAffinity,omitempty"`
	// PDB is a policy/v1 PodDisruptionBudget. Default on in production,
	// maxUnavailable 1.
	PDB PDBSpec `json:"pdb,omitempty"`
	// HPA is an autoscaling/v2 HorizontalPodAutoscaler. Default on in
	// production: cpu 20 %, 3..6 replicas.
	HPA HPASpec `json:"hpa,omitempty"`
	// Persistence of /var/www/html. Default on in production: 2Gi,
	// ReadWriteMany, class csi-cephfs.
	Persistence PersistenceSpec `json:"persistence,omitempty"`
}

// ResourcesSpec sets cpu, memory and ephemeral-storage. The amounts are
// both requests and limits (Guaranteed QoS) unless Limits is set.
type ResourcesSpec struct {
	CPU              string          `json:"cpu,omitempty"`
	Memory           string          `json:"memory,omitempty"`
	EphemeralStorage string          `json:"ephemeralStorage,omitempty"`
	Limits           *ResourceAmount `json:"limits,omitempty"`
}

// ResourceAmount is a set of limits that differ from the requests
// (Burstable QoS).
type ResourceAmount struct {
	CPU              string `json:"cpu,omitempty"`
	Memory           string `json:"memory,omitempty"`
	EphemeralStorage string `json:"ephemeralStorage,omitempty"`
}

// ProbeSpec is a tcp or http probe.
type ProbeSpec struct {
	Enabled *bool `json:"enabled,omitempty"`
	// TCPPort probes a tcp socket (the default, on the container port).
	TCPPort *int32 `json:"tcpPort,omitempty"`
	// HTTPPath probes an http GET on the container port instead of tcp.
	HTTPPath            string `json:"httpPath,omitempty"`
	InitialDelaySeconds *int32 `json:"initialDelaySeconds,omitempty"`
	PeriodSeconds       *int32 `json:"periodSeconds,omitempty"`
	TimeoutSeconds      *int32 `json:"timeoutSeconds,omitempty"`
	FailureThreshold    *int32 `json:"failureThreshold,omitempty"`
}

// PreStopSpec is the wait before SIGTERM that lets endpoints and
// kube-proxy drop the pod first.
type PreStopSpec struct {
	Enabled *bool `json:"enabled,omitempty"`
	// Seconds to wait. Default 20.
	Seconds *int32 `json:"seconds,omitempty"`
	// Command run; default ["/bin/sh", "-c", "sleep <seconds>"].
	Command []string `json:"command,omitempty"`
}

// RollingUpdateSpec is the Deployment's update strategy.
type RollingUpdateSpec struct {
	Enabled        *bool               `json:"enabled,omitempty"`
	MaxSurge       *intstr.IntOrString `json:"maxSurge,omitempty"`
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
}

// AntiAffinityMode is none, soft or hard.
type AntiAffinityMode string

const (
	AntiAffinityNone AntiAffinityMode = "none"
	AntiAffinitySoft AntiAffinityMode = "soft"
	AntiAffinityHard AntiAffinityMode = "hard"
)

// AntiAffinitySpec spreads WordPress replicas.
type AntiAffinitySpec struct {
	Mode AntiAffinityMode `json:"mode,omitempty"`
	// TopologyKey, default kubernetes.io/hostname.
	TopologyKey string `json:"topologyKey,omitempty"`
	// ZoneSpread adds a topologySpreadConstraint on
	// topology.kubernetes.io/zone (ScheduleAnyway). Default false.
	ZoneSpread *bool `json:"zoneSpread,omitempty"`
}

// PDBSpec is the PodDisruptionBudget; set one of maxUnavailable or
// minAvailable.
type PDBSpec struct {
	Enabled        *bool               `json:"enabled,omitempty"`
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	MinAvailable   *intstr.IntOrString `json:"minAvailable,omitempty"`
}

// HPASpec is the HorizontalPodAutoscaler. While it is on, the Deployment
// carries no spec.replicas, so an apply never fights the autoscaler.
type HPASpec struct {
	Enabled              *bool  `json:"enabled,omitempty"`
	MinReplicas          *int32 `json:"minReplicas,omitempty"`
	MaxReplicas          *int32 `json:"maxReplicas,omitempty"`
	TargetCPUUtilization *int32 `json:"targetCPUUtilization,omitempty"`
}

// PersistenceSpec is a PersistentVolumeClaim mounted by the workload.
type PersistenceSpec struct {
	Enabled *bool `json:"enabled,omitempty"`
	// ClaimName, default <name>-pvc (WordPress) or <name>-mysql-pvc (MySQL).
	ClaimName string `json:"claimName,omitempty"`
	// StorageClass of the claim, default csi-cephfs (WordPress) or
	// rook-ceph-block (MySQL). "" asks for no class: the claim binds a
	// PersistentVolume made by hand (storageClassName: "").
	StorageClass *string `json:"storageClass,omitempty"`
	Size         string  `json:"size,omitempty"`
	// AccessMode: ReadWriteOnce, ReadWriteMany or ReadWriteOncePod.
	AccessMode string `json:"accessMode,omitempty"`
}

// DatabaseMode is embedded or external.
type DatabaseMode string

const (
	DatabaseEmbedded DatabaseMode = "embedded"
	DatabaseExternal DatabaseMode = "external"
)

// DatabaseSpec is where WordPress keeps its data.
type DatabaseSpec struct {
	// Mode embedded (a MySQL workload of the site) or external. Default
	// embedded.
	Mode DatabaseMode `json:"mode,omitempty"`
	// Name of the database, default wordpress.
	Name string `json:"name,omitempty"`
	// User WordPress connects as, default wordpress.
	User string `json:"user,omitempty"`
	// Embedded MySQL settings.
	Embedded EmbeddedDatabaseSpec `json:"embedded,omitempty"`
	// External database settings; required when mode is external.
	External *ExternalDatabaseSpec `json:"external,omitempty"`
}

// EmbeddedDatabaseSpec is the site's own MySQL.
type EmbeddedDatabaseSpec struct {
	// Image with a pinned tag. Default mysql:8.4.
	Image string `json:"image,omitempty"`
	// Args, default the tutorial's utf8mb4 character set and collation.
	Args []string `json:"args,omitempty"`
	// Resources, Guaranteed; default 500m / 1Gi / 1Gi ephemeral.
	Resources ResourcesSpec `json:"resources,omitempty"`
	// ReadinessProbe, default tcp 3306, delay 5 s, period 5 s.
	ReadinessProbe ProbeSpec `json:"readinessProbe,omitempty"`
	// Persistence of /var/lib/mysql. Default on in production: 20Gi,
	// ReadWriteOnce, class rook-ceph-block.
	Persistence PersistenceSpec `json:"persistence,omitempty"`
}

// ExternalDatabaseSpec is a database the site does not run.
type ExternalDatabaseSpec struct {
	Host string `json:"host"`
	// Port, default 3306.
	Port *int32 `json:"port,omitempty"`
}

// CredentialsSpec names the Secret holding the database passwords. A
// password itself never appears in a profile.
type CredentialsSpec struct {
	// SecretName, default <name>-db-pwd (the tutorial's wordpress-db-pwd).
	SecretName string `json:"secretName,omitempty"`
	// PasswordKey of the WordPress user's password, default dbpwd.
	PasswordKey string `json:"passwordKey,omitempty"`
	// RootPasswordKey of the MySQL root password (embedded only),
	// default dbpwd.
	RootPasswordKey string `json:"rootPasswordKey,omitempty"`
	// ExternalSecret fills the Secret from a store such as Vault.
	ExternalSecret ExternalSecretSpec `json:"externalSecret,omitempty"`
}

// ExternalSecretSpec emits an external-secrets.io/v1 ExternalSecret.
type ExternalSecretSpec struct {
	Enabled *bool `json:"enabled,omitempty"`
	// StoreName and StoreKind (SecretStore or ClusterSecretStore, default
	// ClusterSecretStore) of the store to read from.
	StoreName string `json:"storeName,omitempty"`
	StoreKind string `json:"storeKind,omitempty"`
	// RemoteKey is the path in the store, e.g. secret/data/wordpress.
	RemoteKey string `json:"remoteKey,omitempty"`
	// PasswordProperty and RootPasswordProperty inside the remote key,
	// default password and root-password.
	PasswordProperty     string `json:"passwordProperty,omitempty"`
	RootPasswordProperty string `json:"rootPasswordProperty,omitempty"`
	// ExporterPasswordProperty fills the mysqld exporter's key
	// (spec.monitoring.mysqlExporter.passwordKey), default
	// exporter-password.
	ExporterPasswordProperty string `json:"exporterPasswordProperty,omitempty"`
	// RefreshInterval, default 1h.
	RefreshInterval string `json:"refreshInterval,omitempty"`
}

// ExposureMode says how users reach the site.
type ExposureMode string

const (
	ExposureNodePort ExposureMode = "nodePort"
	ExposureTraefik  ExposureMode = "traefik"
	ExposureIngress  ExposureMode = "ingress"
	ExposureNone     ExposureMode = "none"
)

// ExposureSpec is the Service and the route in front of it.
type ExposureSpec struct {
	// Mode nodePort (noha, ha), traefik (production), ingress or none.
	Mode ExposureMode `json:"mode,omitempty"`
	// Host name of the site; required for traefik and ingress.
	Host string `json:"host,omitempty"`
	// NodePort number for nodePort mode; default chosen by the cluster.
	NodePort *int32 `json:"nodePort,omitempty"`
	// Traefik IngressRoute settings.
	Traefik TraefikSpec `json:"traefik,omitempty"`
	// Ingress settings.
	Ingress IngressSpec `json:"ingress,omitempty"`
}

// TraefikSpec is two traefik.io/v1alpha1 IngressRoutes and a Middleware.
type TraefikSpec struct {
	// EntryPoints, default web and websecure.
	WebEntryPoint       string `json:"webEntryPoint,omitempty"`
	WebSecureEntryPoint string `json:"webSecureEntryPoint,omitempty"`
	// CertResolver for ACME; or TLSSecretName; one of the two.
	CertResolver  string `json:"certResolver,omitempty"`
	TLSSecretName string `json:"tlsSecretName,omitempty"`
	// Domains of the certificate, e.g. main "*.qikqiak.com".
	Domains []TLSDomain `json:"domains,omitempty"`
	// RedirectHTTPS adds the http route with a redirectScheme Middleware.
	// Default true.
	RedirectHTTPS *bool `json:"redirectHTTPS,omitempty"`
}

// TLSDomain is a certificate's main name and SANs.
type TLSDomain struct {
	Main string   `json:"main"`
	SANs []string `json:"sans,omitempty"`
}

// IngressSpec is a networking.k8s.io/v1 Ingress.
type IngressSpec struct {
	ClassName     string `json:"className,omitempty"`
	TLSSecretName string `json:"tlsSecretName,omitempty"`
	// ClusterIssuer sets cert-manager.io/cluster-issuer.
	ClusterIssuer string            `json:"clusterIssuer,omitempty"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// StorageSpec provisions storage for the site.
type StorageSpec struct {
	// CephFilesystem emits the tutorial's Rook CephFilesystem and its
	// csi-cephfs StorageClass, for ReadWriteMany volumes. Off by default.
	CephFilesystem CephFilesystemSpec `json:"cephFilesystem,omitempty"`
}

// CephFilesystemSpec is a Rook CephFilesystem plus StorageClass.
type CephFilesystemSpec struct {
	Enabled *bool `json:"enabled,omitempty"`
	// Name default myfs; Namespace default rook-ceph (also the clusterID).
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	// Replicas of the metadata and data pools, default 3.
	Replicas *int32 `json:"replicas,omitempty"`
	// StorageClassName, default csi-cephfs.
	StorageClassName string `json:"storageClassName,omitempty"`
	// ReclaimPolicy, default Retain.
	ReclaimPolicy string `json:"reclaimPolicy,omitempty"`
}

// NetworkPolicySpec restricts traffic: MySQL only from WordPress,
// WordPress only from the ingress controller's namespace.
type NetworkPolicySpec struct {
	// Enabled, default true in production.
	Enabled *bool `json:"enabled,omitempty"`
	// IngressControllerNamespace may reach WordPress; default traefik.
	// With exposure nodePort, WordPress accepts traffic from anywhere.
	IngressControllerNamespace string `json:"ingressControllerNamespace,omitempty"`
	// Egress limits where the pods may connect: WordPress to DNS, its
	// database and HTTPS; MySQL to DNS only.
	Egress EgressSpec `json:"egress,omitempty"`
}

// EgressSpec is the egress part of the NetworkPolicies.
type EgressSpec struct {
	// Enabled, default true: the policies list what the pods may reach
	// (DNS in kube-system, the database's port, HTTPS), and cut the rest.
	// false leaves outbound traffic open.
	Enabled *bool `json:"enabled,omitempty"`
	// Internet, default true: WordPress may open HTTPS (TCP 443)
	// connections to any address, for core, plugin and theme updates.
	// false closes them: updates then come with a new image.
	Internet *bool `json:"internet,omitempty"`
}

// SecurityMode is the container hardening level.
type SecurityMode string

const (
	// SecurityDefault: seccomp RuntimeDefault, no privilege escalation,
	// capabilities dropped to what the official images need, a read-only
	// root file system with an emptyDir at each path the image writes.
	SecurityDefault SecurityMode = "default"
	// SecurityStrict additionally runs as a non-root user and drops every
	// capability, for images that support it.
	SecurityStrict SecurityMode = "strict"
	// SecurityOff leaves securityContext alone.
	SecurityOff SecurityMode = "off"
)

// SecuritySpec is the container securityContext.
type SecuritySpec struct {
	Mode SecurityMode `json:"mode,omitempty"`
	// RunAsUser in strict mode; default 33 (www-data) for WordPress and
	// 999 (mysql) for MySQL.
	WordPressUser *int64 `json:"wordpressUser,omitempty"`
	MySQLUser     *int64 `json:"mysqlUser,omitempty"`
}

// MonitoringSpec watches the site with the Prometheus Operator's
// monitoring.coreos.com/v1 objects: exporter sidecars, PodMonitors and a
// PrometheusRule whose alerts stand in for the liveness probe.
type MonitoringSpec struct {
	// Enabled, default true in production.
	Enabled *bool `json:"enabled,omitempty"`
	// Labels on the PodMonitors and the PrometheusRule, for the
	// Prometheus' podMonitorSelector and ruleSelector. Default
	// release: kube-prometheus-stack (the chart's own release label).
	Labels map[string]string `json:"labels,omitempty"`
	// PrometheusNamespace is where the scraper runs: the NetworkPolicies
	// admit it to the metrics ports only. Default monitoring.
	PrometheusNamespace string `json:"prometheusNamespace,omitempty"`
	// Interval between scrapes, default 30s.
	Interval string `json:"interval,omitempty"`
	// Alerts emits the PrometheusRule. Default true.
	Alerts *bool `json:"alerts,omitempty"`
	// ApacheExporter is a sidecar of WordPress reading Apache's
	// mod_status on the pod's loopback.
	ApacheExporter ExporterSpec `json:"apacheExporter,omitempty"`
	// MySQLExporter is a sidecar of the embedded MySQL.
	MySQLExporter MySQLExporterSpec `json:"mysqlExporter,omitempty"`
}

// ExporterSpec is a metrics exporter sidecar.
type ExporterSpec struct {
	// Enabled, default true when monitoring is on.
	Enabled *bool `json:"enabled,omitempty"`
	// Image with a pinned tag.
	Image string `json:"image,omitempty"`
	// Resources, Guaranteed; default 50m / 64Mi / 64Mi ephemeral.
	Resources ResourcesSpec `json:"resources,omitempty"`
}

// MySQLExporterSpec is the mysqld exporter: it logs in as its own user,
// with the least privilege it needs (PROCESS, REPLICATION CLIENT, SELECT).
type MySQLExporterSpec struct {
	// Enabled, default true when monitoring is on and the database is
	// embedded.
	Enabled *bool `json:"enabled,omitempty"`
	// Image with a pinned tag.
	Image string `json:"image,omitempty"`
	// Resources, Guaranteed; default 50m / 64Mi / 64Mi ephemeral.
	Resources ResourcesSpec `json:"resources,omitempty"`
	// User the exporter logs in as, default exporter.
	User string `json:"user,omitempty"`
	// PasswordKey of its password in the credentials Secret, default
	// exporter-pwd.
	PasswordKey string `json:"passwordKey,omitempty"`
}
