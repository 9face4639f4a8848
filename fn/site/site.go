// Package site finds a WordPress site in manifests as users have them
// (a Helm chart's output, a kustomize base, the Kubernetes tutorial):
// which workload runs WordPress and which its database, by what they run,
// their labels and their names; then what the manifests already hold for
// them, by following the references the manifests make: the Services that
// select their pods, the database host WordPress connects to, the claims
// mounted at their data paths, and the PodDisruptionBudgets, autoscalers,
// NetworkPolicies and routes that select or target them.
//
// harden adopts what Find returns instead of generating a second one, and
// points what it does generate at the pods as they are labelled. Find
// reads only; it reports ambiguity as an error that names the candidates
// and the profile field that settles it.
package site

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/kube"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"k8s.io/apimachinery/pkg/labels"
)

// Workload is a Deployment or StatefulSet of the user's.
type Workload struct {
	Obj *fn.KubeObject
	// Container is the name of the container that runs the image; Known
	// tells whether its convention is known (Image is then set).
	Container string
	Image     images.Convention
	Known     bool
	// Selector is spec.selector; Labels the pod template's labels.
	Selector *kube.LabelSelector
	Labels   map[string]string
}

// Kind and Name of the workload.
func (w *Workload) Kind() string { return w.Obj.GetKind() }
func (w *Workload) Name() string { return w.Obj.GetName() }

// Data is what a workload mounts at its image's data path.
type Data struct {
	// Volume is the pod volume (or claim template) mounted there.
	Volume string
	// Template: a StatefulSet's volumeClaimTemplate, one claim per pod.
	Template bool
	// ClaimName is the PersistentVolumeClaim of a claim volume ("" for
	// another kind of volume: an emptyDir, a hostPath...); PVC is that
	// claim when the manifests hold it.
	ClaimName string
	PVC       *fn.KubeObject
	// Source is the volume's kind, for messages: "persistentVolumeClaim",
	// "emptyDir", "volumeClaimTemplates"...
	Source string
}

// Site is what Find found.
type Site struct {
	// Namespace of the site: its workloads', else the profile's.
	Namespace string
	WordPress *Workload
	// Database is the database workload; nil when it is in WordPress's pod
	// (DatabaseInPod), outside the manifests (ExternalHost), or missing.
	Database      *Workload
	DatabaseInPod bool
	// DatabaseHost is the host WordPress is configured to reach ("" when
	// its env says nothing), and HostEnv the variable that says it.
	DatabaseHost, HostEnv string
	// ExternalHost: WordPress reaches a database these manifests do not
	// hold; nothing is generated for it.
	ExternalHost bool
	// Services in front of WordPress and the database.
	Service, DatabaseService *fn.KubeObject
	ServicePort              int32
	// WordPressData and DatabaseData: what is mounted at the data paths
	// (nil: nothing, or the image's path is unknown).
	WordPressData, DatabaseData *Data
	// Adopted are the user's objects that play a role of the site.
	Adopted map[expand.Role]*fn.KubeObject
	// Routes are the user's Ingresses and IngressRoutes for the site.
	Routes []*fn.KubeObject
	// Members are the objects of the site, for keeping it in one
	// namespace: the workloads, what they refer to, what selects them.
	Members []*fn.KubeObject
	// Chosen says how the WordPress workload was told from others that
	// run WordPress too ("" when it was the only one).
	Chosen string
}

// Problem is a finding that stops harden, or a note for the user.
type Problem struct {
	Severity fn.Severity
	Obj      *fn.KubeObject // the object it is about, if one
	Field    string
	Message  string
}

// Found reports whether harden found the user's WordPress.
func (s *Site) Found() bool { return s != nil && s.WordPress != nil }

// Existing is what the generated objects must point at.
func (s *Site) Existing() *expand.Existing {
	if s == nil {
		return nil
	}
	ex := &expand.Existing{Namespace: s.Namespace, DatabaseInPod: s.DatabaseInPod, DatabaseElsewhere: s.ExternalHost}
	if s.WordPress != nil {
		ex.WordPress = s.WordPress.existing()
	}
	if s.Database != nil {
		ex.Database = s.Database.existing()
	}
	if s.Service != nil && s.ServicePort != 0 {
		ex.Service = &expand.ServiceRef{Name: s.Service.GetName(), Port: s.ServicePort}
	}
	// What the alerts watch by name.
	if o := s.Adopted[expand.RolePDB]; o != nil {
		ex.PDB = o.GetName()
	}
	if o := s.Adopted[expand.RoleHPA]; o != nil {
		ex.HPA = o.GetName()
	}
	if d := s.WordPressData; d != nil && s.WordPress != nil {
		ex.WordPressClaim, ex.WordPressNoClaim = d.claims(s.WordPress.Obj.GetName())
	}
	if d := s.DatabaseData; d != nil && s.Database != nil {
		ex.DatabaseClaim, ex.DatabaseNoClaim = d.claims(s.Database.Obj.GetName())
	}
	return ex
}

// claims is the PromQL regular expression of the claims that hold the
// data of the named workload: the claim, or a StatefulSet template's claims
// (<template>-<statefulset>-<ordinal>); none (true) when the data is on
// another kind of volume (an emptyDir, a hostPath), which the kubelet's
// volume metrics do not cover.
func (d *Data) claims(workload string) (string, bool) {
	switch {
	case d.Template:
		return regexp.QuoteMeta(d.Volume+"-"+workload+"-") + "[0-9]+", false
	case d.ClaimName != "":
		return d.ClaimName, false
	}
	return "", true
}

func (w *Workload) existing() *expand.Workload {
	e := &expand.Workload{Kind: w.Kind(), Name: w.Name(), Selector: w.Selector.MatchLabels}
	if len(w.Selector.MatchExpressions) > 0 || len(e.Selector) == 0 {
		// Generated objects select by labels alone: the pod template's
		// labels that the selector's expressions do not exclude.
		e.Selector = w.Labels
	}
	if w.Known {
		e.DataPath = w.Image.DataPath
	}
	e.Port = w.port()
	e.Exporter = w.Exporter()
	for _, c := range Containers(w.Obj) {
		if name, _, _ := c.NestedString("name"); name == e.Exporter && name != "" {
			e.ExporterImage, _, _ = c.NestedString("image")
		}
	}
	e.Family = ""
	if w.Known {
		e.Family = w.Image.Family
		if w.Image.Family == "wordpress" && !w.Image.HTTP {
			e.Family = "wordpress-fpm"
		}
	}
	return e
}

// Exporter is the name of a Prometheus exporter container in the
// workload's pod (Bitnami's metrics sidecar, one the user added), "" when
// there is none: harden then adds its own.
func (w *Workload) Exporter() string {
	for _, c := range Containers(w.Obj) {
		img, _, _ := c.NestedString("image")
		name, _, _ := c.NestedString("name")
		repo := strings.ToLower(strings.SplitN(img, "@", 2)[0])
		if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
			repo = repo[:i]
		}
		if strings.Contains(repo, "exporter") {
			return name
		}
	}
	return ""
}

// port is the port the container serves on: the image's when it declares
// it, else the first one it declares, else the image's.
func (w *Workload) port() int32 {
	c := w.container()
	var first int32
	if c != nil {
		ports, _, _ := c.NestedSlice("ports")
		for _, p := range ports {
			n, _, _ := p.NestedInt64("containerPort")
			if first == 0 {
				first = int32(n)
			}
			if w.Known && int32(n) == w.Image.Port {
				return w.Image.Port
			}
		}
	}
	if first != 0 {
		return first
	}
	if w.Known {
		return w.Image.Port
	}
	return 0
}

func (w *Workload) container() *fn.SubObject {
	for _, c := range Containers(w.Obj) {
		if name, _, _ := c.NestedString("name"); name == w.Container {
			return c
		}
	}
	return nil
}

func Containers(o *fn.KubeObject) []*fn.SubObject {
	cs, _, _ := o.NestedSlice("spec", "template", "spec", "containers")
	return cs
}

func isWorkload(o *fn.KubeObject) bool {
	return o.GetAPIVersion() == "apps/v1" && (o.GetKind() == "Deployment" || o.GetKind() == "StatefulSet")
}

func describe(o *fn.KubeObject) string {
	s := o.GetKind() + " " + o.GetName()
	if ns := o.GetNamespace(); ns != "" {
		s = o.GetKind() + " " + ns + "/" + o.GetName()
	}
	if p := o.GetAnnotation("internal.config.kubernetes.io/path"); p != "" {
		s += " (" + p + ")"
	} else if p := o.GetAnnotation("config.kubernetes.io/path"); p != "" {
		s += " (" + p + ")"
	}
	return s
}

func describeAll(ws []*Workload) string {
	var out []string
	for _, w := range ws {
		out = append(out, describe(w.Obj))
	}
	return strings.Join(out, ", ")
}

// candidate is a workload and the container that runs the role's image.
func candidates(items fn.KubeObjects, role images.Role) []*Workload {
	var out []*Workload
	for _, o := range items {
		if !isWorkload(o) {
			continue
		}
		for _, c := range Containers(o) {
			img, _, _ := c.NestedString("image")
			conv, ok := images.Lookup(img)
			if ok && conv.Role == role {
				name, _, _ := c.NestedString("name")
				out = append(out, newWorkload(o, name, conv, true))
				break
			}
		}
	}
	return out
}

func newWorkload(o *fn.KubeObject, container string, conv images.Convention, known bool) *Workload {
	w := &Workload{Obj: o, Container: container, Image: conv, Known: known, Selector: &kube.LabelSelector{}}
	if sel, found, _ := o.NestedSubObject("spec", "selector"); found {
		_ = sel.As(w.Selector)
	}
	w.Labels, _, _ = o.NestedStringMap("spec", "template", "metadata", "labels")
	return w
}

// byLabelsOrName finds a workload the profile names by its conventions,
// when no image says it: pod labels app=<name> with tier, or
// app.kubernetes.io/name and component, or the tutorial's name.
func byLabelsOrName(items fn.KubeObjects, p *profile.WordPressProfile, wordpress bool) []*Workload {
	name := p.Spec.Name
	tier, objName, component := "frontend", name, "wordpress"
	if !wordpress {
		tier, objName, component = "mysql", name+"-mysql", "database"
	}
	var out []*Workload
	for _, o := range items {
		if !isWorkload(o) {
			continue
		}
		l, _, _ := o.NestedStringMap("spec", "template", "metadata", "labels")
		match := l["app"] == name && l["tier"] == tier ||
			(l["app.kubernetes.io/name"] == name || l["app.kubernetes.io/instance"] == name) && (l["tier"] == tier || l["app.kubernetes.io/component"] == component) ||
			o.GetName() == objName
		if !match {
			continue
		}
		cs := Containers(o)
		if len(cs) == 0 {
			continue
		}
		// The container of that name, else the only one.
		cname := ""
		for _, c := range cs {
			if n, _, _ := c.NestedString("name"); n == component || n == tier || (!wordpress && (n == "mysql" || n == "mariadb")) {
				cname = n
			}
		}
		if cname == "" && len(cs) == 1 {
			cname, _, _ = cs[0].NestedString("name")
		}
		img := ""
		for _, c := range cs {
			if n, _, _ := c.NestedString("name"); n == cname {
				img, _, _ = c.NestedString("image")
			}
		}
		conv, known := images.Lookup(img)
		out = append(out, newWorkload(o, cname, conv, known))
	}
	return out
}

// narrow picks, among several candidates, those the profile points at:
// spec.match, then the profile's namespace when written, then the site's
// name.
func narrow(ws []*Workload, ref *profile.WorkloadRef, p, raw *profile.WordPressProfile) []*Workload {
	if ref != nil {
		var out []*Workload
		for _, w := range ws {
			if w.Name() == ref.Name && (ref.Kind == "" || ref.Kind == w.Kind()) {
				out = append(out, w)
			}
		}
		return out
	}
	if len(ws) <= 1 {
		return ws
	}
	if ns := explicitNamespace(raw); ns != "" {
		ws = filter(ws, func(w *Workload) bool { return w.Obj.GetNamespace() == ns || w.Obj.GetNamespace() == "" })
	}
	if len(ws) <= 1 {
		return ws
	}
	name := p.Spec.Name
	if byName := filter(ws, func(w *Workload) bool {
		return w.Labels["app"] == name || w.Labels["app.kubernetes.io/instance"] == name ||
			w.Name() == name || w.Name() == name+"-mysql" || strings.HasPrefix(w.Name(), name+"-")
	}); len(byName) > 0 {
		ws = byName
	}
	return ws
}

func filter(ws []*Workload, keep func(*Workload) bool) []*Workload {
	var out []*Workload
	for _, w := range ws {
		if keep(w) {
			out = append(out, w)
		}
	}
	return out
}

func explicitNamespace(raw *profile.WordPressProfile) string {
	if raw.Spec.Namespace != "" {
		return raw.Spec.Namespace
	}
	return raw.Metadata.Namespace
}

// Find finds the site of one profile among the items. It returns a nil
// Site (and no problem) when the items hold no WordPress workload: the
// whole site is then generated, as expand does.
func Find(items fn.KubeObjects, p, raw *profile.WordPressProfile) (*Site, []Problem) {
	var probs []Problem
	wps := candidates(items, images.WordPress)
	if len(wps) == 0 || p.Spec.Match.WordPress != nil {
		wps = append(wps, byLabelsOrName(items, p, true)...)
		wps = dedup(wps)
	}
	all := wps
	wps = narrow(wps, p.Spec.Match.WordPress, p, raw)
	chosen := ""
	if len(all) > 1 && len(wps) == 1 && p.Spec.Match.WordPress == nil {
		var others []*Workload
		for _, w := range all {
			if w != wps[0] {
				others = append(others, w)
			}
		}
		chosen = fmt.Sprintf("hardened as the site %q, by its name, labels or namespace; %s also run%s WordPress and %s left as %s: set spec.match.wordpress to choose another",
			p.Spec.Name, describeAll(others), map[bool]string{true: "s", false: ""}[len(others) == 1], map[bool]string{true: "is", false: "are"}[len(others) == 1], map[bool]string{true: "it is", false: "they are"}[len(others) == 1])
	}
	switch {
	case len(wps) == 0 && p.Spec.Match.WordPress != nil:
		return nil, []Problem{{Severity: fn.Error, Field: "spec.match.wordpress",
			Message: fmt.Sprintf("no Deployment or StatefulSet named %q in the manifests", p.Spec.Match.WordPress.Name)}}
	case len(wps) == 0:
		return findDatabaseOnly(items, p, raw)
	case len(wps) > 1:
		return nil, []Problem{{Severity: fn.Error, Field: "spec.match.wordpress",
			Message: fmt.Sprintf("%d workloads run WordPress: %s; name the one this profile hardens in spec.match.wordpress (kind and name), or give each its own profile", len(wps), describeAll(wps))}}
	}
	s := &Site{WordPress: wps[0], Adopted: map[expand.Role]*fn.KubeObject{}, Chosen: chosen}
	s.Namespace = s.WordPress.Obj.GetNamespace()
	if ns := explicitNamespace(raw); ns != "" && s.Namespace != "" && ns != s.Namespace {
		return nil, []Problem{{Severity: fn.Error, Obj: s.WordPress.Obj, Field: "spec.namespace",
			Message: fmt.Sprintf("is %q, but %s is in namespace %q: harden never moves a live object to another namespace (that would make a second site); set spec.namespace to %q or leave it out",
				ns, describe(s.WordPress.Obj), s.Namespace, s.Namespace)}}
	}
	// Objects without a namespace stay without one, unless the profile
	// names it: the user applies them where they always have (kubectl -n,
	// kustomize's namespace), and a default namespace here would make a
	// second site beside the live one.
	if s.Namespace == "" {
		s.Namespace = explicitNamespace(raw)
	}
	inNS := func(o *fn.KubeObject) bool {
		return o.GetNamespace() == s.Namespace || o.GetNamespace() == ""
	}
	var local fn.KubeObjects
	for _, o := range items {
		if inNS(o) {
			local = append(local, o)
		}
	}
	s.Adopted[expand.RoleWordPress] = s.WordPress.Obj

	probs = append(probs, s.findDatabase(local, p, raw)...)
	s.Service, s.ServicePort = frontService(local, s.WordPress)
	if s.Service != nil {
		s.Adopted[expand.RoleWordPressService] = s.Service
	}
	s.WordPressData = data(local, s.WordPress)
	if s.Database != nil {
		s.DatabaseData = data(local, s.Database)
	}
	if d := s.WordPressData; d != nil && d.PVC != nil {
		s.Adopted[expand.RoleWordPressPVC] = d.PVC
	}
	if d := s.DatabaseData; d != nil && d.PVC != nil {
		s.Adopted[expand.RoleMySQLPVC] = d.PVC
	}
	s.findPolicies(local)
	s.findRoutes(local)
	s.members(local)
	if s.WordPress.Obj.GetNamespace() == "" && s.Namespace != "" {
		s.namespaceless(items)
	}
	return s, probs
}

// namespaced are kinds that live in a namespace, by API group: the kinds
// a chart or base for a site holds beside its workloads.
var namespaced = map[string][]string{
	"":                          {"ConfigMap", "Secret", "Service", "ServiceAccount", "Pod", "PersistentVolumeClaim", "Endpoints", "LimitRange", "ResourceQuota", "ReplicationController"},
	"apps":                      {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"},
	"batch":                     {"Job", "CronJob"},
	"autoscaling":               {"HorizontalPodAutoscaler"},
	"policy":                    {"PodDisruptionBudget"},
	"networking.k8s.io":         {"Ingress", "NetworkPolicy"},
	"rbac.authorization.k8s.io": {"Role", "RoleBinding"},
	"traefik.io":                {"IngressRoute", "Middleware", "IngressRouteTCP", "ServersTransport", "TLSOption"},
	"traefik.containo.us":       {"IngressRoute", "Middleware", "IngressRouteTCP", "ServersTransport", "TLSOption"},
	"monitoring.coreos.com":     {"ServiceMonitor", "PodMonitor", "PrometheusRule"},
	"external-secrets.io":       {"ExternalSecret", "SecretStore"},
	"cert-manager.io":           {"Certificate", "Issuer"},
}

// namespaceless adds to the members every object of a namespaced kind
// that has no namespace: the profile names the namespace of manifests
// that had none, and the whole of them goes there, as kubectl apply -n
// or kustomize's namespace would put it (a test Pod of a chart that reads
// the chart's Secret must not be left behind).
func (s *Site) namespaceless(items fn.KubeObjects) {
	in := map[*fn.KubeObject]bool{}
	for _, m := range s.Members {
		in[m] = true
	}
	for _, o := range items {
		if o.GetNamespace() != "" || in[o] {
			continue
		}
		g := o.GroupKind()
		for _, k := range namespaced[g.Group] {
			if k == g.Kind {
				s.Members = append(s.Members, o)
				break
			}
		}
	}
}

// findDatabaseOnly finds the database of a site whose WordPress the
// manifests do not hold (it is generated): one workload that runs MySQL or
// MariaDB, so that no second database is generated beside it.
func findDatabaseOnly(items fn.KubeObjects, p, raw *profile.WordPressProfile) (*Site, []Problem) {
	if p.Spec.Database.Mode == profile.DatabaseExternal || p.Spec.Topology == profile.NoHA {
		return nil, nil
	}
	dbs := candidates(items, images.Database)
	if len(dbs) == 0 || p.Spec.Match.Database != nil {
		dbs = dedup(append(dbs, byLabelsOrName(items, p, false)...))
	}
	dbs = narrow(dbs, p.Spec.Match.Database, p, raw)
	switch len(dbs) {
	case 0:
		if p.Spec.Match.Database != nil {
			return nil, []Problem{{Severity: fn.Error, Field: "spec.match.database",
				Message: fmt.Sprintf("no Deployment or StatefulSet named %q in the manifests", p.Spec.Match.Database.Name)}}
		}
		return nil, nil
	case 1:
	default:
		return nil, []Problem{{Severity: fn.Error, Field: "spec.match.database",
			Message: fmt.Sprintf("%d workloads run a database: %s; name the one this site uses in spec.match.database", len(dbs), describeAll(dbs))}}
	}
	d := dbs[0]
	s := &Site{Adopted: map[expand.Role]*fn.KubeObject{}, Namespace: d.Obj.GetNamespace()}
	if ns := explicitNamespace(raw); ns != "" && s.Namespace != "" && ns != s.Namespace {
		return nil, []Problem{{Severity: fn.Error, Obj: d.Obj, Field: "spec.namespace",
			Message: fmt.Sprintf("is %q, but %s is in namespace %q: harden never moves a live object to another namespace; set spec.namespace to %q or leave it out",
				ns, describe(d.Obj), s.Namespace, s.Namespace)}}
	}
	if s.Namespace == "" {
		s.Namespace = explicitNamespace(raw)
	}
	var local fn.KubeObjects
	for _, o := range items {
		if o.GetNamespace() == s.Namespace || o.GetNamespace() == "" {
			local = append(local, o)
		}
	}
	s.setDatabase(d, local)
	s.DatabaseData = data(local, d)
	if dd := s.DatabaseData; dd != nil && dd.PVC != nil {
		s.Adopted[expand.RoleMySQLPVC] = dd.PVC
	}
	s.findPolicies(local)
	s.members(local)
	return s, nil
}

func dedup(ws []*Workload) []*Workload {
	seen := map[*fn.KubeObject]bool{}
	var out []*Workload
	for _, w := range ws {
		if !seen[w.Obj] {
			seen[w.Obj] = true
			out = append(out, w)
		}
	}
	return out
}

// findDatabase follows WordPress's database host to a Service and the
// pods it selects; without one, it looks for the one database workload.
func (s *Site) findDatabase(items fn.KubeObjects, p, raw *profile.WordPressProfile) []Problem {
	s.DatabaseHost, s.HostEnv = s.hostEnv()
	if p.Spec.Database.Mode == profile.DatabaseExternal {
		return nil
	}
	dbs := candidates(items, images.Database)
	if len(dbs) == 0 || p.Spec.Match.Database != nil {
		dbs = dedup(append(dbs, byLabelsOrName(items, p, false)...))
	}
	// The database container in WordPress's own pod (the tutorial's noha).
	for _, d := range dbs {
		if d.Obj == s.WordPress.Obj {
			host := HostOnly(s.DatabaseHost)
			if host == "" || host == "127.0.0.1" || host == "localhost" {
				s.DatabaseInPod = true
				return nil
			}
		}
	}
	dbs = filter(dbs, func(d *Workload) bool { return d.Obj != s.WordPress.Obj })
	if ref := p.Spec.Match.Database; ref != nil {
		dbs = narrow(dbs, ref, p, raw)
		if len(dbs) == 0 {
			return []Problem{{Severity: fn.Error, Field: "spec.match.database",
				Message: fmt.Sprintf("no Deployment or StatefulSet named %q in the manifests", ref.Name)}}
		}
		s.setDatabase(dbs[0], items)
		return nil
	}
	if host := HostOnly(s.DatabaseHost); host != "" {
		svcName := strings.SplitN(host, ".", 2)[0]
		for _, svc := range services(items) {
			if svc.GetName() != svcName {
				continue
			}
			sel, _, _ := svc.NestedStringMap("spec", "selector")
			var hit []*Workload
			for _, d := range dbs {
				if selects(sel, d.Labels) {
					hit = append(hit, d)
				}
			}
			// Any workload the Service selects is the database, whatever
			// it runs.
			if len(hit) == 0 {
				for _, o := range items {
					if isWorkload(o) && o != s.WordPress.Obj {
						l, _, _ := o.NestedStringMap("spec", "template", "metadata", "labels")
						if selects(sel, l) {
							c := ""
							if cs := Containers(o); len(cs) > 0 {
								c, _, _ = cs[0].NestedString("name")
							}
							hit = append(hit, newWorkload(o, c, images.Convention{}, false))
						}
					}
				}
			}
			switch len(hit) {
			case 0:
				// A Service without pods here (an ExternalName, endpoints
				// by hand): the database is elsewhere, and the Service is
				// the user's to keep as it is.
				s.ExternalHost = true
				return nil
			case 1:
				s.setDatabase(hit[0], items)
				s.DatabaseService = svc
				s.Adopted[expand.RoleMySQLService] = svc
				return nil
			default:
				return []Problem{{Severity: fn.Error, Obj: svc, Field: "spec.match.database",
					Message: fmt.Sprintf("Service %s, WordPress's database host, selects %d workloads: %s; name the database in spec.match.database", svcName, len(hit), describeAll(hit))}}
			}
		}
		// A host no Service here answers to: the database is elsewhere,
		// unless it is the name the profile would generate.
		if svcName != p.Spec.Name+"-mysql" {
			s.ExternalHost = true
			return nil
		}
	}
	switch len(dbs) {
	case 0:
		return nil
	case 1:
		s.setDatabase(dbs[0], items)
		return nil
	}
	dbs = narrow(dbs, nil, p, raw)
	if len(dbs) == 1 {
		s.setDatabase(dbs[0], items)
		return nil
	}
	return []Problem{{Severity: fn.Error, Field: "spec.match.database",
		Message: fmt.Sprintf("%d workloads run a database: %s, and WordPress's env names no database host that settles it; name the one WordPress uses in spec.match.database", len(dbs), describeAll(dbs))}}
}

func (s *Site) setDatabase(d *Workload, items fn.KubeObjects) {
	s.Database = d
	s.Adopted[expand.RoleMySQL] = d.Obj
	if s.DatabaseService == nil {
		for _, svc := range services(items) {
			sel, _, _ := svc.NestedStringMap("spec", "selector")
			if !selects(sel, d.Labels) {
				continue
			}
			if host := HostOnly(s.DatabaseHost); host != "" && strings.SplitN(host, ".", 2)[0] != svc.GetName() {
				continue
			}
			if s.DatabaseService == nil || headless(s.DatabaseService) && !headless(svc) {
				s.DatabaseService = svc
			}
		}
		if s.DatabaseService != nil {
			s.Adopted[expand.RoleMySQLService] = s.DatabaseService
		}
	}
}

func headless(svc *fn.KubeObject) bool {
	ip, _, _ := svc.NestedString("spec", "clusterIP")
	return ip == "None"
}

// hostEnv is the database host WordPress's container is configured with.
func (s *Site) hostEnv() (string, string) {
	c := s.WordPress.container()
	if c == nil {
		return "", ""
	}
	names := []string{"WORDPRESS_DB_HOST", "WORDPRESS_DATABASE_HOST", "MARIADB_HOST"}
	if s.WordPress.Known {
		names = s.WordPress.Image.HostEnv
	}
	env, _, _ := c.NestedSlice("env")
	for _, want := range names {
		for _, e := range env {
			if n, _, _ := e.NestedString("name"); n == want {
				v, _, _ := e.NestedString("value")
				return v, n
			}
		}
	}
	return "", ""
}

// HostOnly strips the port of host:port.
func HostOnly(hostPort string) string {
	host, _ := expand.SplitDBHost(hostPort)
	return host
}

func services(items fn.KubeObjects) fn.KubeObjects {
	var out fn.KubeObjects
	for _, o := range items {
		if o.GetAPIVersion() == "v1" && o.GetKind() == "Service" {
			out = append(out, o)
		}
	}
	return out
}

// selects: a Service-style selector (labels to match) that is not empty
// and that labels satisfy.
func selects(sel, l map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if l[k] != v {
			return false
		}
	}
	return true
}

// labelSelects evaluates a kube.LabelSelector held in a sub-object.
func labelSelects(o *fn.KubeObject, l map[string]string, fields ...string) bool {
	sub, found, _ := o.NestedSubObject(fields...)
	if !found {
		return false
	}
	var ls kube.LabelSelector
	if err := sub.As(&ls); err != nil {
		return false
	}
	if len(ls.MatchLabels) == 0 && len(ls.MatchExpressions) == 0 {
		return false // selects every pod of the namespace: not this site's
	}
	sel, err := kube.LabelSelectorAsSelector(&ls)
	if err != nil {
		return false
	}
	return sel.Matches(labels.Set(l))
}

// frontService is the Service in front of WordPress, and the port of it
// that reaches WordPress's container port.
func frontService(items fn.KubeObjects, w *Workload) (*fn.KubeObject, int32) {
	// Of the Services that select its pods, the one that reaches its
	// port: a chart's metrics Service (Bitnami's, to the exporter) selects
	// the same pods; then a Service with a cluster IP. Input order decides
	// the rest, never which of them comes first.
	var best *fn.KubeObject
	bestReaches := false
	for _, svc := range services(items) {
		sel, _, _ := svc.NestedStringMap("spec", "selector")
		if !selects(sel, w.Labels) {
			continue
		}
		_, reaches := servicePort(svc, w)
		if best == nil || reaches && !bestReaches || reaches == bestReaches && headless(best) && !headless(svc) {
			best, bestReaches = svc, reaches
		}
	}
	if best == nil {
		return nil, 0
	}
	port, _ := servicePort(best, w)
	return best, port
}

// servicePort is the Service's port that reaches the workload's
// container port, and whether one does (else its first port).
func servicePort(best *fn.KubeObject, w *Workload) (int32, bool) {
	ports, _, _ := best.NestedSlice("spec", "ports")
	var first int32
	cport := w.port()
	for _, p := range ports {
		port, _, _ := p.NestedInt64("port")
		if first == 0 {
			first = int32(port)
		}
		if tp, found, _ := p.NestedInt64("targetPort"); found && int32(tp) == cport {
			return int32(port), true
		}
		if tp, found, _ := p.NestedString("targetPort"); found && tp == portName(w, cport) {
			return int32(port), true
		}
		if _, found, _ := p.NestedString("targetPort"); !found && int32(port) == cport {
			if _, f2, _ := p.NestedInt64("targetPort"); !f2 {
				return int32(port), true
			}
		}
	}
	return first, false
}

func portName(w *Workload, port int32) string {
	c := w.container()
	if c == nil {
		return ""
	}
	ports, _, _ := c.NestedSlice("ports")
	for _, p := range ports {
		if n, _, _ := p.NestedInt64("containerPort"); int32(n) == port {
			name, _, _ := p.NestedString("name")
			return name
		}
	}
	return ""
}

// data is what the workload's container mounts at its image's data path.
func data(items fn.KubeObjects, w *Workload) *Data {
	if !w.Known {
		return nil
	}
	c := w.container()
	if c == nil {
		return nil
	}
	mounts, _, _ := c.NestedSlice("volumeMounts")
	vol, below := "", ""
	for _, m := range mounts {
		p, _, _ := m.NestedString("mountPath")
		p = strings.TrimSuffix(p, "/")
		if p == w.Image.DataPath {
			vol, _, _ = m.NestedString("name")
		} else if strings.HasPrefix(p, w.Image.DataPath+"/") && below == "" {
			below = p
		}
	}
	if vol == "" && below != "" {
		// The user keeps part of the data on a volume of their own (say
		// wp-content): the layout is theirs, no volume goes over it.
		return &Data{Source: "a mount at " + below}
	}
	if vol == "" {
		return nil
	}
	d := &Data{Volume: vol}
	vols, _, _ := w.Obj.NestedSlice("spec", "template", "spec", "volumes")
	for _, v := range vols {
		if n, _, _ := v.NestedString("name"); n != vol {
			continue
		}
		d.Source = volumeSource(v)
		if claim, found, _ := v.NestedString("persistentVolumeClaim", "claimName"); found {
			d.ClaimName = claim
			for _, o := range items {
				if o.GetAPIVersion() == "v1" && o.GetKind() == "PersistentVolumeClaim" && o.GetName() == claim {
					d.PVC = o
				}
			}
		}
		return d
	}
	if w.Kind() == "StatefulSet" {
		tmpls, _, _ := w.Obj.NestedSlice("spec", "volumeClaimTemplates")
		for _, t := range tmpls {
			if n, _, _ := t.NestedString("metadata", "name"); n == vol {
				d.Template, d.Source = true, "volumeClaimTemplates"
				return d
			}
		}
	}
	d.Source = "an undeclared volume"
	return d
}

func volumeSource(v *fn.SubObject) string {
	for _, k := range []string{"persistentVolumeClaim", "emptyDir", "hostPath", "nfs", "ephemeral", "csi", "configMap", "secret"} {
		if v.HasField(k) {
			return k
		}
	}
	return "a volume"
}

// findPolicies adopts the PodDisruptionBudget, HorizontalPodAutoscaler
// and NetworkPolicies that already select or target the site's pods.
func (s *Site) findPolicies(items fn.KubeObjects) {
	for _, o := range items {
		g := o.GroupKind()
		switch {
		case s.WordPress == nil:
			if s.Database != nil && g.Group == "networking.k8s.io" && g.Kind == "NetworkPolicy" &&
				labelSelects(o, s.Database.Labels, "spec", "podSelector") && s.Adopted[expand.RoleMySQLPolicy] == nil {
				s.Adopted[expand.RoleMySQLPolicy] = o
			}
		case g.Group == "policy" && g.Kind == "PodDisruptionBudget":
			if labelSelects(o, s.WordPress.Labels, "spec", "selector") && s.Adopted[expand.RolePDB] == nil {
				s.Adopted[expand.RolePDB] = o
			}
		case g.Group == "autoscaling" && g.Kind == "HorizontalPodAutoscaler":
			kind, _, _ := o.NestedString("spec", "scaleTargetRef", "kind")
			name, _, _ := o.NestedString("spec", "scaleTargetRef", "name")
			if kind == s.WordPress.Kind() && name == s.WordPress.Name() && s.Adopted[expand.RoleHPA] == nil {
				s.Adopted[expand.RoleHPA] = o
			}
		case g.Group == "networking.k8s.io" && g.Kind == "NetworkPolicy":
			if labelSelects(o, s.WordPress.Labels, "spec", "podSelector") && s.Adopted[expand.RoleWordPressPolicy] == nil {
				s.Adopted[expand.RoleWordPressPolicy] = o
			}
			if s.Database != nil && labelSelects(o, s.Database.Labels, "spec", "podSelector") && s.Adopted[expand.RoleMySQLPolicy] == nil {
				s.Adopted[expand.RoleMySQLPolicy] = o
			}
		}
	}
}

// PDBs lists every PodDisruptionBudget in w's namespace that selects its
// pods.
func PDBs(items fn.KubeObjects, w *Workload) []*fn.KubeObject {
	var out []*fn.KubeObject
	for _, o := range items {
		if o.GetNamespace() != w.Obj.GetNamespace() {
			continue
		}
		if g := o.GroupKind(); g.Group == "policy" && g.Kind == "PodDisruptionBudget" && labelSelects(o, w.Labels, "spec", "selector") {
			out = append(out, o)
		}
	}
	return out
}

// findRoutes finds the Ingresses and IngressRoutes that send traffic to
// WordPress's Service.
func (s *Site) findRoutes(items fn.KubeObjects) {
	if s.Service == nil {
		return
	}
	name := s.Service.GetName()
	for _, o := range items {
		g := o.GroupKind()
		switch {
		case g.Kind == "Ingress" && (g.Group == "networking.k8s.io" || g.Group == "extensions"):
			if ingressTo(o, name) {
				s.Routes = append(s.Routes, o)
			}
		case g.Kind == "IngressRoute" && (g.Group == "traefik.io" || g.Group == "traefik.containo.us"):
			routes, _, _ := o.NestedSlice("spec", "routes")
			for _, r := range routes {
				svcs, _, _ := r.NestedSlice("services")
				for _, sv := range svcs {
					if n, _, _ := sv.NestedString("name"); n == name {
						s.Routes = append(s.Routes, o)
					}
				}
			}
		}
	}
	s.Routes = uniq(s.Routes)
}

func uniq(os []*fn.KubeObject) []*fn.KubeObject {
	seen := map[*fn.KubeObject]bool{}
	var out []*fn.KubeObject
	for _, o := range os {
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}

func ingressTo(o *fn.KubeObject, svc string) bool {
	if n, _, _ := o.NestedString("spec", "defaultBackend", "service", "name"); n == svc {
		return true
	}
	if n, _, _ := o.NestedString("spec", "backend", "serviceName"); n == svc {
		return true
	}
	rules, _, _ := o.NestedSlice("spec", "rules")
	for _, r := range rules {
		paths, _, _ := r.NestedSlice("http", "paths")
		for _, p := range paths {
			if n, _, _ := p.NestedString("backend", "service", "name"); n == svc {
				return true
			}
			if n, _, _ := p.NestedString("backend", "serviceName"); n == svc {
				return true
			}
		}
	}
	return false
}

// members collects the objects of the site: its workloads, the objects
// they refer to (claims, Secrets, ConfigMaps, ServiceAccounts), and those
// that select or target them.
func (s *Site) members(items fn.KubeObjects) {
	var ws []*Workload
	if s.WordPress != nil {
		ws = append(ws, s.WordPress)
	}
	if s.Database != nil {
		ws = append(ws, s.Database)
	}
	want := map[string]bool{} // kind/name
	for _, w := range ws {
		for _, r := range references(w.Obj) {
			want[r] = true
		}
	}
	var out []*fn.KubeObject
	for _, o := range items {
		keep := false
		if o.GetAPIVersion() == "v1" && want[o.GetKind()+"/"+o.GetName()] {
			keep = true
		}
		for _, a := range s.Adopted {
			if a == o {
				keep = true
			}
		}
		for _, r := range s.Routes {
			if r == o {
				keep = true
			}
		}
		if o.GetAPIVersion() == "v1" && o.GetKind() == "Service" {
			sel, _, _ := o.NestedStringMap("spec", "selector")
			for _, w := range ws {
				if selects(sel, w.Labels) {
					keep = true
				}
			}
		}
		if keep {
			out = append(out, o)
		}
	}
	s.Members = out
}

// references lists kind/name of the core objects a workload's pods use.
func references(o *fn.KubeObject) []string {
	var out []string
	add := func(kind, name string) {
		if name != "" {
			out = append(out, kind+"/"+name)
		}
	}
	sa, _, _ := o.NestedString("spec", "template", "spec", "serviceAccountName")
	add("ServiceAccount", sa)
	pulls, _, _ := o.NestedSlice("spec", "template", "spec", "imagePullSecrets")
	for _, p := range pulls {
		n, _, _ := p.NestedString("name")
		add("Secret", n)
	}
	vols, _, _ := o.NestedSlice("spec", "template", "spec", "volumes")
	for _, v := range vols {
		n, _, _ := v.NestedString("persistentVolumeClaim", "claimName")
		add("PersistentVolumeClaim", n)
		n, _, _ = v.NestedString("configMap", "name")
		add("ConfigMap", n)
		n, _, _ = v.NestedString("secret", "secretName")
		add("Secret", n)
		srcs, _, _ := v.NestedSlice("projected", "sources")
		for _, src := range srcs {
			n, _, _ = src.NestedString("secret", "name")
			add("Secret", n)
			n, _, _ = src.NestedString("configMap", "name")
			add("ConfigMap", n)
		}
	}
	for _, list := range []string{"containers", "initContainers"} {
		cs, _, _ := o.NestedSlice("spec", "template", "spec", list)
		for _, c := range cs {
			env, _, _ := c.NestedSlice("env")
			for _, e := range env {
				n, _, _ := e.NestedString("valueFrom", "secretKeyRef", "name")
				add("Secret", n)
				n, _, _ = e.NestedString("valueFrom", "configMapKeyRef", "name")
				add("ConfigMap", n)
			}
			from, _, _ := c.NestedSlice("envFrom")
			for _, f := range from {
				n, _, _ := f.NestedString("secretRef", "name")
				add("Secret", n)
				n, _, _ = f.NestedString("configMapRef", "name")
				add("ConfigMap", n)
			}
		}
	}
	sort.Strings(out)
	return out
}
