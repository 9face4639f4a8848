// Package expand turns a defaulted WordPressProfile into the resources that
// realize it, each tagged with the role it plays so that the harden package
// can find the user's own version of it.
package expand

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/internal/typedyaml"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Role is the part a resource plays in a site.
type Role string

const (
	RoleNamespace         Role = "namespace"
	RoleWordPress         Role = "wordpress"
	RoleWordPressService  Role = "wordpress-service"
	RoleWordPressPVC      Role = "wordpress-pvc"
	RoleMySQL             Role = "mysql"
	RoleMySQLService      Role = "mysql-service"
	RoleMySQLPVC          Role = "mysql-pvc"
	RolePDB               Role = "pdb"
	RoleHPA               Role = "hpa"
	RoleIngressRouteHTTPS Role = "ingressroute-https"
	RoleIngressRouteHTTP  Role = "ingressroute-http"
	RoleRedirect          Role = "middleware-redirect"
	RoleIngress           Role = "ingress"
	RoleWordPressPolicy   Role = "networkpolicy-wordpress"
	RoleMySQLPolicy       Role = "networkpolicy-mysql"
	RoleExternalSecret    Role = "externalsecret"
	RoleCephFilesystem    Role = "cephfilesystem"
	RoleStorageClass      Role = "storageclass"
	// Monitoring (monitoring.go).
	RoleApacheStatusConfig  Role = "configmap-apache-status"
	RoleMySQLExporterInit   Role = "configmap-mysql-exporter-init"
	RoleWordPressPodMonitor Role = "podmonitor-wordpress"
	RoleMySQLPodMonitor     Role = "podmonitor-mysql"
	RolePrometheusRule      Role = "prometheusrule"
)

// Resource is one object a profile needs.
type Resource struct {
	Role   Role
	Object *yaml.RNode
	// Selector is the workload's pod selector, for matching a user's
	// workload by labels (WordPress and MySQL only).
	Selector map[string]string
}

// Site is everything a profile needs.
type Site struct {
	Profile   *profile.WordPressProfile
	Resources []Resource
}

// Existing is what harden found of a site in the user's manifests: what it
// generates beside them selects, targets and reaches them as they are.
type Existing struct {
	// Namespace of the site.
	Namespace string
	// WordPress and Database are the user's workloads; nil where the site
	// has none (the database is external, or generated).
	WordPress, Database *Workload
	// Service is the user's Service in front of WordPress, if any.
	Service *ServiceRef
	// DatabaseHost is the "host:port" where WordPress reaches a database
	// these manifests do not run; DatabaseInPod: the database runs in
	// WordPress's pod (loopback, no policy applies); DatabaseUnknown:
	// WordPress's database is neither found nor generated, so egress is
	// left open rather than cut it off.
	DatabaseHost    string
	DatabaseInPod   bool
	DatabaseUnknown bool
	// DatabaseElsewhere: WordPress's database is outside these manifests
	// (an external host). With DatabaseInPod, no mysqld exporter is added
	// for it.
	DatabaseElsewhere bool
	// PDB and HPA name the user's PodDisruptionBudget and autoscaler of
	// WordPress, if any (the alerts watch them).
	PDB, HPA string
	// WordPressClaim and DatabaseClaim match the user's claims at the data
	// paths (a PromQL regular expression: a StatefulSet has one per pod);
	// "" where harden adds the profile's. WordPressNoClaim and
	// DatabaseNoClaim: the data is on another kind of volume, kept as
	// written, so no claim is watched.
	WordPressClaim, DatabaseClaim     string
	WordPressNoClaim, DatabaseNoClaim bool
}

// Workload is a user's Deployment or StatefulSet.
type Workload struct {
	Kind, Name string
	// Selector is its spec.selector.matchLabels: exactly its pods.
	Selector map[string]string
	// Port its container serves on; DataPath where its image keeps data
	// ("" for an image harden does not know).
	Port     int32
	DataPath string
	// Family of its image ("wordpress", "wordpress-fpm", "mysql",
	// "bitnami/mariadb"...), "" for an image harden does not know.
	Family string
	// Exporter names the Prometheus exporter container its pod already
	// has, if any: none is added beside it.
	Exporter string
	// ExporterImage is that container's image.
	ExporterImage string
}

// ServiceRef is a Service and the port that reaches WordPress.
type ServiceRef struct {
	Name string
	Port int32
}

// Labels shared by the resources of one site.
type names struct {
	p                       *profile.WordPressProfile
	name, ns                string
	common                  map[string]string
	wpSelector, sqlSelector map[string]string
	// What the generated objects point at: the site's own names, or the
	// user's objects (Existing).
	wpKind, wpName         string
	wpService              string
	wpServicePort          int32
	wpPort, dbPort         int32
	wpDataPath, dbDataPath string
	// Where WordPress's database is, for its egress rule: pods
	// (sqlSelector, dbPort) when dbPods, else dbAddr:dbHostPort when
	// dbAddr is set; nothing (loopback) otherwise. dbUnknown leaves egress
	// open.
	dbPods     bool
	dbAddr     string
	dbHostPort int32
	dbUnknown  bool
	// What the alerts watch: the database workload, the PDB, the HPA
	// and the claims, by name.
	dbKind, dbName   string
	pdbName, hpaName string
	wpClaim, dbClaim string
	// hardening: the site is a user's (ExpandExisting with one); ex is
	// what harden found of it.
	hardening bool
	ex        *Existing
}

func newNames(p *profile.WordPressProfile, ex *Existing) *names {
	s := p.Spec
	n := &names{p: p, name: s.Name, ns: s.Namespace}
	defer n.existing(ex)
	n.common = map[string]string{
		"app":                          s.Name,
		"app.kubernetes.io/instance":   s.Name,
		"app.kubernetes.io/part-of":    "wordpress",
		"app.kubernetes.io/managed-by": "wordpress-fn",
	}
	for k, v := range s.Labels {
		n.common[k] = v
	}
	n.wpSelector = map[string]string{"app": s.Name, "tier": "frontend"}
	n.sqlSelector = map[string]string{"app": s.Name, "tier": "mysql"}
	return n
}

// WordPressLabels are the labels of the WordPress workload and its pods.
func (n *names) wpLabels() map[string]string {
	return merge(n.common, n.wpSelector, map[string]string{
		"app.kubernetes.io/name":      "wordpress",
		"app.kubernetes.io/component": "frontend",
	})
}

func (n *names) sqlLabels() map[string]string {
	return merge(n.common, n.sqlSelector, map[string]string{
		"app.kubernetes.io/name":      "mysql",
		"app.kubernetes.io/component": "database",
	})
}

// existing points the generated objects at the user's.
func (n *names) existing(ex *Existing) {
	n.wpKind, n.wpName = "Deployment", n.name
	n.wpService, n.wpServicePort = n.name, 80
	n.wpPort, n.dbPort = *n.p.Spec.WordPress.Port, 3306
	n.wpDataPath, n.dbDataPath = WordPressDataPath, MySQLDataPath
	n.dbKind, n.dbName = "Deployment", n.name+"-mysql"
	n.pdbName, n.hpaName = n.name+"-pdb", n.name
	n.wpClaim = n.p.Spec.WordPress.Persistence.ClaimName
	n.dbClaim = n.p.Spec.Database.Embedded.Persistence.ClaimName
	db := n.p.Spec.Database
	switch {
	case db.Mode == profile.DatabaseExternal && db.External != nil:
		n.dbAddr, n.dbHostPort = db.External.Host, 3306
		if db.External.Port != nil {
			n.dbHostPort = *db.External.Port
		}
	case n.p.Spec.Topology != profile.NoHA:
		n.dbPods = true
	}
	if ex == nil {
		return
	}
	n.hardening, n.ex = true, ex
	switch {
	case ex.Database != nil:
		n.dbPods, n.dbAddr = true, ""
	case ex.DatabaseInPod:
		n.dbPods, n.dbAddr = false, ""
	case ex.DatabaseHost != "":
		host, p := SplitDBHost(ex.DatabaseHost)
		n.dbPods, n.dbAddr, n.dbHostPort = false, host, 3306
		if port, err := strconv.ParseInt(p, 10, 32); err == nil && port > 0 && port < 65536 {
			n.dbHostPort = int32(port)
		}
	}
	n.dbUnknown = ex.DatabaseUnknown
	n.ns = ex.Namespace
	if w := ex.WordPress; w != nil {
		n.wpKind, n.wpName = w.Kind, w.Name
		if len(w.Selector) > 0 { // else the workload gets the profile's
			n.wpSelector = w.Selector
		}
		if w.Port != 0 {
			n.wpPort = w.Port
		}
		n.wpDataPath = w.DataPath
	}
	if ex.PDB != "" {
		n.pdbName = ex.PDB
	}
	if ex.HPA != "" {
		n.hpaName = ex.HPA
	}
	if ex.WordPressClaim != "" || ex.WordPressNoClaim {
		n.wpClaim = ex.WordPressClaim
	}
	if ex.DatabaseClaim != "" || ex.DatabaseNoClaim {
		n.dbClaim = ex.DatabaseClaim
	}
	if d := ex.Database; d != nil {
		n.dbKind, n.dbName = d.Kind, d.Name
		if len(d.Selector) > 0 {
			n.sqlSelector = d.Selector
		}
		if d.Port != 0 {
			n.dbPort = d.Port
		}
		n.dbDataPath = d.DataPath
	}
	if ex.Service != nil {
		n.wpService, n.wpServicePort = ex.Service.Name, ex.Service.Port
	}
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// Expand returns every resource the profile needs, in a fixed order.
func Expand(p *profile.WordPressProfile) (*Site, error) {
	return ExpandExisting(p, nil)
}

// ExpandExisting is Expand for a site harden found: the generated objects
// select, target and reach the user's as they are (ex may be nil).
func ExpandExisting(p *profile.WordPressProfile, ex *Existing) (*Site, error) {
	n := newNames(p, ex)
	b := &builder{n: n}
	s := p.Spec
	if profile.On(s.CreateNamespace) {
		b.add(RoleNamespace, n.namespace(), nil)
	}
	if profile.On(s.Storage.CephFilesystem.Enabled) {
		b.add(RoleCephFilesystem, n.cephFilesystem(), nil)
		b.add(RoleStorageClass, n.storageClass(), nil)
	}
	if profile.On(s.Credentials.ExternalSecret.Enabled) {
		b.add(RoleExternalSecret, n.withExporterKey(n.externalSecret()), nil)
	}
	embedded := s.Database.Mode == profile.DatabaseEmbedded
	if embedded && s.Topology != profile.NoHA {
		if profile.On(s.Database.Embedded.Persistence.Enabled) {
			b.add(RoleMySQLPVC, n.pvc(s.Database.Embedded.Persistence, n.sqlLabels()), nil)
		}
		if n.mysqlExporterOn() && !n.userDatabase() {
			b.add(RoleMySQLExporterInit, n.mysqlExporterInitConfigMap(), nil)
		}
		b.add(RoleMySQL, evictable(n.addExporters(n.mysqlDeployment())), n.sqlSelector)
		b.add(RoleMySQLService, n.mysqlService(), nil)
	}
	if s.Topology == profile.NoHA && profile.On(s.Database.Embedded.Persistence.Enabled) {
		b.add(RoleMySQLPVC, n.pvc(s.Database.Embedded.Persistence, n.sqlLabels()), nil)
	}
	if profile.On(s.WordPress.Persistence.Enabled) {
		b.add(RoleWordPressPVC, n.pvc(s.WordPress.Persistence, n.wpLabels()), nil)
	}
	if n.apacheExporterOn() {
		b.add(RoleApacheStatusConfig, n.apacheStatusConfigMap(), nil)
	}
	if s.Topology == profile.NoHA && n.mysqlExporterOn() {
		b.add(RoleMySQLExporterInit, n.mysqlExporterInitConfigMap(), nil)
	}
	b.add(RoleWordPress, evictable(n.addExporters(n.wordpressDeployment())), n.wpSelector)
	b.add(RoleWordPressService, n.wordpressService(), nil)
	if profile.On(s.WordPress.PDB.Enabled) {
		b.add(RolePDB, n.pdb(), nil)
	}
	if profile.On(s.WordPress.HPA.Enabled) {
		b.add(RoleHPA, n.hpa(), nil)
	}
	switch s.Exposure.Mode {
	case profile.ExposureTraefik:
		b.add(RoleIngressRouteHTTPS, n.ingressRouteHTTPS(), nil)
		if profile.On(s.Exposure.Traefik.RedirectHTTPS) {
			b.add(RoleRedirect, n.redirectMiddleware(), nil)
			b.add(RoleIngressRouteHTTP, n.ingressRouteHTTP(), nil)
		}
	case profile.ExposureIngress:
		b.add(RoleIngress, n.ingress(), nil)
	}
	if profile.On(s.NetworkPolicy.Enabled) {
		b.add(RoleWordPressPolicy, n.admitScraper(n.wordpressPolicy(), n.wordpressMetricsPorts()...), nil)
		if embedded && s.Topology != profile.NoHA {
			b.add(RoleMySQLPolicy, n.admitScraper(n.mysqlPolicy(), n.mysqlMetricsPorts()...), nil)
		}
	}
	if n.monitoringOn() {
		if len(n.wordpressMetricsPorts()) > 0 {
			b.add(RoleWordPressPodMonitor, n.wordpressPodMonitor(), nil)
		}
		if embedded && s.Topology != profile.NoHA && n.mysqlExporterOn() {
			b.add(RoleMySQLPodMonitor, n.mysqlPodMonitor(), nil)
		}
		if profile.On(s.Monitoring.Alerts) {
			b.add(RolePrometheusRule, n.prometheusRule(), nil)
		}
	}
	out, err := b.build()
	if err != nil {
		return nil, err
	}
	return &Site{Profile: p, Resources: out}, nil
}

type builder struct {
	n    *names
	objs []any
	out  []Resource
}

// add queues a typed object; build converts them all at once.
func (b *builder) add(role Role, obj any, selector map[string]string) {
	b.objs = append(b.objs, obj)
	b.out = append(b.out, Resource{Role: role, Selector: selector})
}

// build converts the objects to YAML together: the nodes
// yaml.Parse(sigsyaml.Marshal(obj)) gives, from one JSON conversion each
// and one run of that chain for the leaves of all of them that need it
// (typedyaml.Nodes).
func (b *builder) build() ([]Resource, error) {
	nodes, err := typedyaml.Nodes(b.objs...)
	if err != nil {
		// Name the object that fails.
		for i, obj := range b.objs {
			if _, err := typedyaml.Node(obj); err != nil {
				return nil, fmt.Errorf("building %s: %w", b.out[i].Role, err)
			}
		}
		return nil, err
	}
	for i, node := range nodes {
		if err := clean(node); err != nil {
			return nil, fmt.Errorf("building %s: %w", b.out[i].Role, err)
		}
		b.out[i].Object = node
	}
	return b.out, nil
}

// clean drops from a converted object what the typed structs carry but a
// manifest should not (status, an empty spec).
func clean(node *yaml.RNode) error {
	if err := node.PipeE(yaml.Clear("status")); err != nil {
		return err
	}
	if spec := node.Field("spec"); spec != nil && len(spec.Value.YNode().Content) == 0 {
		if err := node.PipeE(yaml.Clear("spec")); err != nil {
			return err
		}
	}
	return nil
}

// SplitDBHost splits a WORDPRESS_DB_HOST value as WordPress does
// (wpdb::parse_db_host): a ":/socket" suffix comes off; a value with two
// colons or more is an IPv6 address, bracketed when a port follows
// ("[fd00::5]:3307", or "fd00::5" alone, whose last group is not a port);
// otherwise "host:port". port is "" when the value names none.
func SplitDBHost(v string) (host, port string) {
	if i := strings.Index(v, ":/"); i >= 0 {
		v = v[:i]
	}
	if strings.Count(v, ":") > 1 {
		h := strings.TrimPrefix(v, "[")
		if i := strings.Index(h, "]"); i >= 0 {
			h, port = h[:i], strings.TrimPrefix(h[i+1:], ":")
		}
		return h, port
	}
	if i := strings.LastIndex(v, ":"); i >= 0 {
		return v[:i], v[i+1:]
	}
	return v, ""
}
