package profile

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

// maxNameLen keeps "<name>-mysql" a valid Service name (63 characters).
const maxNameLen = 63 - len("-mysql")

type validator struct {
	raw  *WordPressProfile // as written, before defaults
	p    *WordPressProfile // defaulted
	errs ErrorList
}

func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Path: path, Message: fmt.Sprintf(format, shorten(args)...)})
}

func (v *validator) warn(path, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Path: path, Message: fmt.Sprintf(format, shorten(args)...), Warning: true})
}

// shorten cuts long string arguments: a message quotes the start of a
// value, it does not repeat a huge one.
func shorten(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok {
			a = ynode.Abbreviate(s)
		}
		out[i] = a
	}
	return out
}

// Validate checks a defaulted profile and returns every problem at once,
// errors and warnings, each with its field path. raw is the profile as
// written, before Default, so a check can tell a value the user chose from
// a preset.
func Validate(raw, p *WordPressProfile) ErrorList {
	v := &validator{raw: raw, p: p}
	if !v.meta() {
		// Every other name derives from the site's: checking them would
		// only repeat this error.
		return v.errs
	}
	v.wordpress()
	v.database()
	v.credentials()
	v.exposure()
	v.storage()
	v.security()
	v.monitoring()
	return v.errs
}

// meta checks the object and the site's name; it reports whether the name
// is usable.
func (v *validator) meta() bool {
	p := v.p
	if p.APIVersion != APIVersion {
		v.add("apiVersion", "must be %s, not %q", APIVersion, p.APIVersion)
	}
	if p.Kind != Kind {
		v.add("kind", "must be %s, not %q", Kind, p.Kind)
	}
	nameOK := true
	if v.raw.Metadata.Name == "" {
		v.add("metadata.name", "is required")
		nameOK = false
	}
	s := p.Spec
	switch s.Topology {
	case NoHA, HA, Production:
	default:
		v.add("spec.topology", "must be one of noha, ha, production, not %q", s.Topology)
	}
	namePath := "spec.name"
	if v.raw.Spec.Name == "" {
		namePath = "metadata.name"
	}
	if s.Name != "" {
		for _, m := range validation.IsDNS1035Label(s.Name) {
			v.add(namePath, "%q is not a valid name: %s", s.Name, m)
			nameOK = false
		}
		if len(s.Name) > maxNameLen {
			v.add(namePath, "must be at most %d characters, so that %q stays a valid Service name", maxNameLen, s.Name+"-mysql")
			nameOK = false
		}
	}
	for _, m := range validation.IsDNS1123Label(s.Namespace) {
		v.add("spec.namespace", "%q is not a valid namespace: %s", s.Namespace, m)
	}
	v.labels("spec.labels", s.Labels)
	return nameOK
}

func (v *validator) labels(path string, l map[string]string) {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		val := l[k]
		for _, m := range validation.IsQualifiedName(k) {
			v.add(path, "label key %q: %s", k, m)
		}
		for _, m := range validation.IsValidLabelValue(val) {
			v.add(path+"."+k, "label value %q: %s", val, m)
		}
	}
}

func (v *validator) wordpress() {
	w, rw := v.p.Spec.WordPress, v.raw.Spec.WordPress
	s := v.p.Spec
	const P = "spec.wordpress"
	v.image(P+".image", w.Image, DefaultWordPressImage)
	if c, ok := images.Lookup(w.Image); ok && c.Role == images.WordPress && !c.HTTP {
		// expand renders, and harden keeps, a WordPress that serves HTTP
		// on spec.wordpress.port: php-fpm speaks FastCGI on 9000, so the
		// Service would get connection refused and the site be down.
		v.add(P+".image", "%q is a php-fpm image (FastCGI on port %d, no web server): the site is rendered for an image that serves HTTP on spec.wordpress.port; use an -apache tag such as %s", w.Image, c.Port, DefaultWordPressImage)
	}
	v.port(P+".port", *w.Port)
	hpa := On(w.HPA.Enabled)
	if *w.Replicas < 1 {
		v.add(P+".replicas", "must be >= 1, not %d", *w.Replicas)
	}
	if s.Topology == NoHA {
		if *w.Replicas != 1 {
			v.add(P+".replicas", "must be 1 when spec.topology is noha: every pod carries its own MySQL")
		}
		if hpa {
			v.add(P+".hpa.enabled", "must be false when spec.topology is noha: every pod carries its own MySQL")
		}
	}
	if hpa {
		if rw.Replicas != nil {
			v.warn(P+".replicas", "is ignored while spec.wordpress.hpa is enabled: the Deployment carries no spec.replicas and the HPA keeps %d..%d", *w.HPA.MinReplicas, *w.HPA.MaxReplicas)
		}
		if *w.HPA.MinReplicas < 1 {
			v.add(P+".hpa.minReplicas", "must be >= 1, not %d", *w.HPA.MinReplicas)
		}
		if *w.HPA.MaxReplicas < *w.HPA.MinReplicas {
			v.add(P+".hpa.maxReplicas", "must be >= spec.wordpress.hpa.minReplicas (%d), not %d", *w.HPA.MinReplicas, *w.HPA.MaxReplicas)
		}
		if t := *w.HPA.TargetCPUUtilization; t < 1 || t > 100 {
			v.add(P+".hpa.targetCPUUtilization", "must be a percentage between 1 and 100, not %d", t)
		}
	}
	minPods, maxPods := *w.Replicas, *w.Replicas
	minPath := P + ".replicas"
	if hpa {
		minPods, maxPods = *w.HPA.MinReplicas, *w.HPA.MaxReplicas
		minPath = P + ".hpa.minReplicas"
	}
	if s.Topology == Production && minPods < 2 {
		v.add(minPath, "must be >= 2 when spec.topology is production: one replica is a single point of failure")
	} else if On(w.PDB.Enabled) && minPods < 2 && s.Topology != NoHA {
		v.add(minPath, "must be >= 2 when spec.wordpress.pdb is enabled: a budget over one pod blocks node drains or protects nothing")
	}
	if On(w.PDB.Enabled) && s.Topology == NoHA {
		v.add(P+".pdb.enabled", "must be false when spec.topology is noha: a budget over one pod blocks node drains")
	}
	v.resources(P+".resources", w.Resources)
	v.probe(P+".readinessProbe", w.ReadinessProbe, rw.ReadinessProbe)
	v.probe(P+".livenessProbe", w.LivenessProbe, rw.LivenessProbe)
	v.probe(P+".startupProbe", w.StartupProbe, rw.StartupProbe)
	if On(w.PreStop.Enabled) {
		sec := *w.PreStop.Seconds
		if sec < 1 || sec > 600 {
			v.add(P+".preStop.seconds", "must be between 1 and 600, not %d", sec)
		}
		if !On(w.ReadinessProbe.Enabled) {
			v.add(P+".readinessProbe.enabled", "must be true when spec.wordpress.preStop is enabled: without readiness the endpoints never drop the pod")
		}
		if *w.TerminationGracePeriodSeconds <= int64(sec) {
			v.add(P+".terminationGracePeriodSeconds", "must be greater than spec.wordpress.preStop.seconds (%d), or the kubelet kills the pod during the wait", sec)
		}
	}
	if *w.TerminationGracePeriodSeconds < 0 {
		v.add(P+".terminationGracePeriodSeconds", "must be >= 0")
	}
	if On(w.RollingUpdate.Enabled) {
		su := v.intOrPercent(P+".rollingUpdate.maxSurge", *w.RollingUpdate.MaxSurge)
		un := v.intOrPercent(P+".rollingUpdate.maxUnavailable", *w.RollingUpdate.MaxUnavailable)
		if su && un && isZero(*w.RollingUpdate.MaxSurge) && isZero(*w.RollingUpdate.MaxUnavailable) {
			v.add(P+".rollingUpdate", "maxSurge and maxUnavailable must not both be 0")
		}
	}
	switch w.AntiAffinity.Mode {
	case AntiAffinityNone, AntiAffinitySoft:
	case AntiAffinityHard:
		v.warn(P+".antiAffinity.mode", "hard anti-affinity needs at least %d schedulable nodes (one per replica); extra replicas stay Pending", maxPods)
	default:
		v.add(P+".antiAffinity.mode", "must be one of none, soft, hard, not %q", w.AntiAffinity.Mode)
	}
	for _, m := range validation.IsQualifiedName(w.AntiAffinity.TopologyKey) {
		v.add(P+".antiAffinity.topologyKey", "%s", m)
	}
	if On(w.PDB.Enabled) {
		if w.PDB.MaxUnavailable != nil && w.PDB.MinAvailable != nil {
			v.add(P+".pdb", "set maxUnavailable or minAvailable, not both")
		}
		if w.PDB.MaxUnavailable != nil {
			v.intOrPercent(P+".pdb.maxUnavailable", *w.PDB.MaxUnavailable)
		}
		if w.PDB.MinAvailable != nil {
			v.intOrPercent(P+".pdb.minAvailable", *w.PDB.MinAvailable)
		}
	}
	if On(w.Persistence.Enabled) {
		v.persistence(P+".persistence", w.Persistence)
		if maxPods > 1 && w.Persistence.AccessMode != "ReadWriteMany" {
			v.add(P+".persistence.accessMode", "must be ReadWriteMany when WordPress runs more than one replica (%d): every pod mounts /var/www/html", maxPods)
		}
	}
}

func (v *validator) database() {
	d, rd := v.p.Spec.Database, v.raw.Spec.Database
	const P = "spec.database"
	for _, f := range []struct{ path, val string }{{P + ".name", d.Name}, {P + ".user", d.User}} {
		if !mysqlIdent(f.val) {
			v.add(f.path, "%q is not a valid MySQL identifier (letters, digits, _ and $, at most 32 characters)", f.val)
		}
	}
	switch d.Mode {
	case DatabaseEmbedded:
		if d.External != nil {
			v.add(P+".external", "must not be set when spec.database.mode is embedded")
		}
		e := d.Embedded
		v.image(P+".embedded.image", e.Image, DefaultMySQLImage)
		v.resources(P+".embedded.resources", e.Resources)
		v.probe(P+".embedded.readinessProbe", e.ReadinessProbe, rd.Embedded.ReadinessProbe)
		if On(e.Persistence.Enabled) {
			v.persistence(P+".embedded.persistence", e.Persistence)
			if On(v.p.Spec.WordPress.Persistence.Enabled) && e.Persistence.ClaimName == v.p.Spec.WordPress.Persistence.ClaimName {
				v.add(P+".embedded.persistence.claimName", "%q is also spec.wordpress.persistence.claimName", e.Persistence.ClaimName)
			}
		}
	case DatabaseExternal:
		if v.p.Spec.Topology == NoHA {
			v.add(P+".mode", "must be embedded when spec.topology is noha: the noha pod carries MySQL next to WordPress")
		}
		if !reflect.ValueOf(rd.Embedded).IsZero() {
			v.add(P+".embedded", "must not be set when spec.database.mode is external")
		}
		if d.External == nil || d.External.Host == "" {
			v.add(P+".external.host", "is required when spec.database.mode is external")
		} else {
			if ms := validation.IsDNS1123Subdomain(d.External.Host); len(ms) > 0 && len(validation.IsValidIP(nil, d.External.Host)) > 0 {
				v.add(P+".external.host", "%q is neither a DNS name nor an IP address", d.External.Host)
			}
			v.port(P+".external.port", *d.External.Port)
		}
	default:
		v.add(P+".mode", "must be embedded or external, not %q", d.Mode)
	}
}

func (v *validator) credentials() {
	c := v.p.Spec.Credentials
	const P = "spec.credentials"
	for _, m := range validation.IsDNS1123Subdomain(c.SecretName) {
		v.add(P+".secretName", "%q: %s", c.SecretName, m)
	}
	for _, k := range []struct{ path, val string }{{P + ".passwordKey", c.PasswordKey}, {P + ".rootPasswordKey", c.RootPasswordKey}} {
		for _, m := range validation.IsConfigMapKey(k.val) {
			v.add(k.path, "%q: %s", k.val, m)
		}
	}
	es := c.ExternalSecret
	if !On(es.Enabled) {
		return
	}
	if es.StoreName == "" {
		v.add(P+".externalSecret.storeName", "is required when the ExternalSecret is enabled")
	}
	if es.RemoteKey == "" {
		v.add(P+".externalSecret.remoteKey", "is required when the ExternalSecret is enabled")
	}
	if es.StoreKind != "SecretStore" && es.StoreKind != "ClusterSecretStore" {
		v.add(P+".externalSecret.storeKind", "must be SecretStore or ClusterSecretStore, not %q", es.StoreKind)
	}
	if _, err := time.ParseDuration(es.RefreshInterval); err != nil {
		v.add(P+".externalSecret.refreshInterval", "%q is not a duration such as 1h", es.RefreshInterval)
	}
}

func (v *validator) exposure() {
	x, rx := v.p.Spec.Exposure, v.raw.Spec.Exposure
	const P = "spec.exposure"
	switch x.Mode {
	case ExposureNodePort, ExposureNone:
	case ExposureTraefik, ExposureIngress:
		if x.Host == "" {
			v.add(P+".host", "is required when spec.exposure.mode is %s", x.Mode)
		}
	default:
		v.add(P+".mode", "must be one of nodePort, traefik, ingress, none, not %q", x.Mode)
	}
	if x.Host != "" {
		for _, m := range validation.IsDNS1123Subdomain(x.Host) {
			v.add(P+".host", "%q: %s", x.Host, m)
		}
	}
	if x.NodePort != nil {
		if x.Mode != ExposureNodePort {
			v.add(P+".nodePort", "is only used when spec.exposure.mode is nodePort")
		} else if *x.NodePort < 30000 || *x.NodePort > 32767 {
			v.add(P+".nodePort", "must be in the default NodePort range 30000-32767, not %d", *x.NodePort)
		}
	}
	if x.Mode == ExposureTraefik {
		t := x.Traefik
		if t.CertResolver == "" && t.TLSSecretName == "" {
			v.add(P+".traefik", "set certResolver (ACME) or tlsSecretName: the site is served on %s with TLS", t.WebSecureEntryPoint)
		}
		if t.CertResolver != "" && t.TLSSecretName != "" {
			v.add(P+".traefik", "set certResolver or tlsSecretName, not both")
		}
		for i, d := range t.Domains {
			if d.Main == "" {
				v.add(fmt.Sprintf(P+".traefik.domains[%d].main", i), "is required")
			}
		}
	} else if !reflect.ValueOf(rx.Traefik).IsZero() {
		v.add(P+".traefik", "is only used when spec.exposure.mode is traefik, not %s", x.Mode)
	}
	if x.Mode != ExposureIngress && !reflect.ValueOf(rx.Ingress).IsZero() {
		v.add(P+".ingress", "is only used when spec.exposure.mode is ingress, not %s", x.Mode)
	}
	if x.Ingress.TLSSecretName != "" {
		for _, m := range validation.IsDNS1123Subdomain(x.Ingress.TLSSecretName) {
			v.add(P+".ingress.tlsSecretName", "%s", m)
		}
	}
}

func (v *validator) storage() {
	s := v.p.Spec
	cf := s.Storage.CephFilesystem
	const P = "spec.storage.cephFilesystem"
	if On(cf.Enabled) {
		for _, m := range validation.IsDNS1123Label(cf.Name) {
			v.add(P+".name", "%s", m)
		}
		for _, m := range validation.IsDNS1123Label(cf.Namespace) {
			v.add(P+".namespace", "%s", m)
		}
		for _, m := range validation.IsDNS1123Subdomain(cf.StorageClassName) {
			v.add(P+".storageClassName", "%s", m)
		}
		if *cf.Replicas < 1 {
			v.add(P+".replicas", "must be >= 1, not %d", *cf.Replicas)
		}
		if cf.ReclaimPolicy != "Retain" && cf.ReclaimPolicy != "Delete" {
			v.add(P+".reclaimPolicy", "must be Retain or Delete, not %q", cf.ReclaimPolicy)
		}
	}
	if On(s.NetworkPolicy.Enabled) {
		for _, m := range validation.IsDNS1123Label(s.NetworkPolicy.IngressControllerNamespace) {
			v.add("spec.networkPolicy.ingressControllerNamespace", "%s", m)
		}
		x := s.Exposure
		if x.Mode == ExposureIngress && v.raw.Spec.NetworkPolicy.IngressControllerNamespace == "" && ingressClassNamespace[x.Ingress.ClassName] == "" {
			v.warn("spec.networkPolicy.ingressControllerNamespace", "only namespace %q may reach WordPress, but the ingress class %q does not say where its controller runs: set this field to the controller's namespace, or every request is dropped",
				s.NetworkPolicy.IngressControllerNamespace, x.Ingress.ClassName)
		}
		if e := v.raw.Spec.NetworkPolicy.Egress; e.Internet != nil && !*e.Internet && !On(s.NetworkPolicy.Egress.Enabled) {
			v.add("spec.networkPolicy.egress.internet", "closes nothing while spec.networkPolicy.egress.enabled is false (outbound traffic is left open): enable egress, or remove this field")
		}
	}
	v.match()
}

// match checks the names of the workloads harden adopts.
func (v *validator) match() {
	for _, m := range []struct {
		path string
		ref  *WorkloadRef
	}{{"spec.match.wordpress", v.p.Spec.Match.WordPress}, {"spec.match.database", v.p.Spec.Match.Database}} {
		if m.ref == nil {
			continue
		}
		if m.ref.Kind != "" && m.ref.Kind != "Deployment" && m.ref.Kind != "StatefulSet" {
			v.add(m.path+".kind", "must be Deployment or StatefulSet, not %q", m.ref.Kind)
		}
		if m.ref.Name == "" {
			v.add(m.path+".name", "is required")
		}
	}
	if v.p.Spec.Match.Database != nil && v.p.Spec.Database.Mode == DatabaseExternal {
		v.add("spec.match.database", "names a database workload, but spec.database.mode is external")
	}
}

func (v *validator) security() {
	s := v.p.Spec.Security
	switch s.Mode {
	case SecurityDefault, SecurityOff:
	case SecurityStrict:
		if *v.p.Spec.WordPress.Port < 1024 {
			v.warn("spec.security.mode", "strict runs WordPress as uid %d with no capabilities, so it cannot bind port %d: use an image that listens on a port >= 1024 and set spec.wordpress.port", *s.WordPressUser, *v.p.Spec.WordPress.Port)
		}
		if *s.WordPressUser < 1 {
			v.add("spec.security.wordpressUser", "must be a non-root uid (>= 1) in strict mode")
		}
		if *s.MySQLUser < 1 {
			v.add("spec.security.mysqlUser", "must be a non-root uid (>= 1) in strict mode")
		}
	default:
		v.add("spec.security.mode", "must be one of default, strict, off, not %q", s.Mode)
	}
}

func (v *validator) image(path, image, example string) {
	if image == "" {
		v.add(path, "is required")
		return
	}
	repo := strings.TrimSuffix(strings.SplitN(image, "@", 2)[0], ":"+tagOf(image))
	if repo == "" || strings.ContainsAny(image, " \t\n") || strings.ToLower(repo) != repo {
		v.add(path, "%q is not a valid image reference", image)
		return
	}
	tag := tagOf(image)
	switch {
	case strings.Contains(image, "@sha256:"):
	case tag == "":
		v.add(path, "%q has no tag: pin a version such as %s, never latest", image, example)
	case tag == "latest":
		v.add(path, "%q uses the latest tag: pin a version, so every replica runs the same code", image)
	}
}

// tagOf returns the tag of an image reference, "" when it has none.
func tagOf(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	slash := strings.LastIndex(image, "/")
	if c := strings.LastIndex(image, ":"); c > slash {
		return image[c+1:]
	}
	return ""
}

func (v *validator) port(path string, port int32) {
	if port < 1 || port > 65535 {
		v.add(path, "must be a port between 1 and 65535, not %d", port)
	}
}

func (v *validator) quantity(path, val string, required bool) (resource.Quantity, bool) {
	if val == "" {
		if required {
			v.add(path, "is required")
		}
		return resource.Quantity{}, false
	}
	q, err := resource.ParseQuantity(val)
	if err != nil {
		v.add(path, "%q is not a quantity such as 200m, 100Mi or 2Gi", val)
		return q, false
	}
	if q.Sign() <= 0 {
		v.add(path, "must be greater than zero, not %q", val)
		return q, false
	}
	return q, true
}

func (v *validator) resources(path string, r ResourcesSpec) {
	cpu, okc := v.quantity(path+".cpu", r.CPU, true)
	mem, okm := v.quantity(path+".memory", r.Memory, true)
	eph, oke := v.quantity(path+".ephemeralStorage", r.EphemeralStorage, true)
	if r.Limits == nil {
		return
	}
	l := r.Limits
	for _, c := range []struct {
		name, val string
		req       resource.Quantity
		ok        bool
	}{{"cpu", l.CPU, cpu, okc}, {"memory", l.Memory, mem, okm}, {"ephemeralStorage", l.EphemeralStorage, eph, oke}} {
		lim, ok := v.quantity(path+".limits."+c.name, c.val, false)
		if ok && c.ok && lim.Cmp(c.req) < 0 {
			v.add(path+".limits."+c.name, "%s must be >= the request %s", c.val, c.req.String())
		}
	}
	v.warn(path+".limits", "limits that differ from the requests make the pod Burstable, not Guaranteed: it is killed before Guaranteed pods when the node runs out of memory")
}

func (v *validator) probe(path string, p, raw ProbeSpec) {
	if !On(p.Enabled) {
		return
	}
	if raw.TCPPort != nil && raw.HTTPPath != "" {
		v.add(path, "set tcpPort or httpPath, not both")
	}
	if p.TCPPort != nil {
		v.port(path+".tcpPort", *p.TCPPort)
	}
	if p.HTTPPath != "" && !strings.HasPrefix(p.HTTPPath, "/") {
		v.add(path+".httpPath", "must start with /, not %q", p.HTTPPath)
	}
	if *p.InitialDelaySeconds < 0 {
		v.add(path+".initialDelaySeconds", "must be >= 0, not %d", *p.InitialDelaySeconds)
	}
	for _, f := range []struct {
		name string
		val  int32
	}{{"periodSeconds", *p.PeriodSeconds}, {"timeoutSeconds", *p.TimeoutSeconds}, {"failureThreshold", *p.FailureThreshold}} {
		if f.val < 1 {
			v.add(path+"."+f.name, "must be >= 1, not %d", f.val)
		}
	}
}

func (v *validator) persistence(path string, p PersistenceSpec) {
	for _, m := range validation.IsDNS1123Subdomain(p.ClaimName) {
		v.add(path+".claimName", "%q: %s", p.ClaimName, m)
	}
	if p.StorageClass != nil && *p.StorageClass != "" {
		for _, m := range validation.IsDNS1123Subdomain(*p.StorageClass) {
			v.add(path+".storageClass", "%q: %s", *p.StorageClass, m)
		}
	}
	v.quantity(path+".size", p.Size, true)
	switch p.AccessMode {
	case "ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod":
	default:
		v.add(path+".accessMode", "must be ReadWriteOnce, ReadWriteMany or ReadWriteOncePod, not %q", p.AccessMode)
	}
}

func (v *validator) intOrPercent(path string, x intstr.IntOrString) bool {
	if x.Type == intstr.Int {
		if x.IntVal < 0 {
			v.add(path, "must be >= 0, not %d", x.IntVal)
			return false
		}
		return true
	}
	s := x.StrVal
	var n int
	if _, err := fmt.Sscanf(s, "%d%%", &n); err != nil || fmt.Sprintf("%d%%", n) != s || n < 0 || n > 100 {
		v.add(path, "must be an integer or a percentage such as 25%%, not %q", s)
		return false
	}
	return true
}

func isZero(x intstr.IntOrString) bool {
	return (x.Type == intstr.Int && x.IntVal == 0) || (x.Type == intstr.String && x.StrVal == "0%")
}

func mysqlIdent(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '$' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return false
		}
	}
	return true
}

// promDuration is the Prometheus Operator CRDs' pattern for a duration.
var promDuration = regexp.MustCompile(`^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`)

func (v *validator) monitoring() {
	m, rm := v.p.Spec.Monitoring, v.raw.Spec.Monitoring
	const P = "spec.monitoring"
	if !On(m.Enabled) {
		return
	}
	v.labels(P+".labels", m.Labels)
	for _, e := range validation.IsDNS1123Label(m.PrometheusNamespace) {
		v.add(P+".prometheusNamespace", "%q is not a valid namespace: %s", m.PrometheusNamespace, e)
	}
	if m.Interval == "" || m.Interval == "0" || !promDuration.MatchString(m.Interval) {
		v.add(P+".interval", "%q is not a scrape interval such as 30s or 1m", m.Interval)
	}
	if a := m.ApacheExporter; On(a.Enabled) {
		v.image(P+".apacheExporter.image", a.Image, DefaultApacheExporterImage)
		v.resources(P+".apacheExporter.resources", a.Resources)
		if strings.Contains(v.p.Spec.WordPress.Image, "fpm") && On(rm.ApacheExporter.Enabled) {
			v.add(P+".apacheExporter.enabled", "%q runs PHP-FPM, not Apache: there is no mod_status for the Apache exporter to read", v.p.Spec.WordPress.Image)
		}
		if *v.p.Spec.WordPress.Port == ApacheStatusPort || *v.p.Spec.WordPress.Port == ApacheExporterPort {
			v.add("spec.wordpress.port", "%d is taken by the Apache exporter (status page on 127.0.0.1:%d, metrics on %d): choose another port, or set spec.monitoring.apacheExporter.enabled: false", *v.p.Spec.WordPress.Port, ApacheStatusPort, ApacheExporterPort)
		}
	}
	if x := m.MySQLExporter; On(x.Enabled) {
		if v.p.Spec.Database.Mode != DatabaseEmbedded {
			if On(rm.MySQLExporter.Enabled) {
				v.add(P+".mysqlExporter.enabled", "needs spec.database.mode embedded: an external database is watched where it runs")
			}
			return
		}
		v.image(P+".mysqlExporter.image", x.Image, DefaultMySQLExporterImage)
		v.resources(P+".mysqlExporter.resources", x.Resources)
		switch {
		case !mysqlIdent(x.User):
			v.add(P+".mysqlExporter.user", "%q is not a valid MySQL identifier (letters, digits, _ and $, at most 32 characters)", x.User)
		case x.User == "root" || x.User == v.p.Spec.Database.User:
			v.add(P+".mysqlExporter.user", "%q must be a user of its own: the exporter needs only PROCESS, REPLICATION CLIENT and SELECT", x.User)
		}
		for _, e := range validation.IsConfigMapKey(x.PasswordKey) {
			v.add(P+".mysqlExporter.passwordKey", "%q: %s", x.PasswordKey, e)
		}
	}
}
