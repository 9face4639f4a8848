// Package processor is the KRM function: given the input items and one or
// more WordPressProfiles (the function config, or profile items in the
// list), it makes the list realize every profile. It does no I/O.
//
// Matching rule: a resource a profile needs is the input item of the same
// kind and name in the profile's namespace (an item with no namespace
// matches too, and gets the profile's). The WordPress and MySQL workloads
// are also found by their pod labels (app=<name>, tier=frontend|mysql) when
// no item has their name. A matched item is hardened in place (see package
// harden for the precedence); a missing one is generated. Every other item
// passes through untouched.
package processor

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/harden"
	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/internal/redact"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"github.com/kube-samples/wordpress-fn/fn/site"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Processor is the function. It implements fn.ResourceListProcessor.
type Processor struct {
	// FileLines says that the items' line numbers are those of the files
	// they came from (the command line read them itself): a profile's
	// results then carry the line (tag "line"). Under kpt and kustomize
	// the lines count from the ResourceList the orchestrator wrote, not
	// from the user's file, so none is given.
	FileLines bool
	// Original, when set, is the document an item was read from, as the
	// user's file holds it (nil when it cannot be read): under kpt the
	// profile's results then carry their line in that file, wherever the
	// value there is the one the function was given.
	Original func(*fn.KubeObject) *yaml.Node
	// Inert, when set, tells which items the caller holds as stubs (see
	// inert.go): what the processor reads of such an item beyond its
	// identity was taken from the item itself when it was read. nil for
	// every other item.
	Inert func(*fn.KubeObject) *Inert
}

var _ fn.ResourceListProcessor = Processor{}

// source is a profile and where it came from.
type source struct {
	obj *fn.KubeObject
	// raw is the profile as written, p with its defaults; site what it
	// needs.
	raw, p *profile.WordPressProfile
	site   *expand.Site
	// manifests are the items that are not profiles.
	manifests fn.KubeObjects
	// found is the site as package site found it in the items (nil when
	// they hold no WordPress workload: everything is generated).
	found *site.Site
	// inert is Processor.Inert.
	inert func(*fn.KubeObject) *Inert
}

// Process runs the function. On any error it leaves the items as they came
// and reports every problem as a result.
func (pr Processor) Process(rl *fn.ResourceList) (bool, error) {
	// No message shows a credential it quotes.
	defer func() {
		for _, r := range rl.Results {
			r.Message = redact.String(r.Message)
		}
	}()
	if results := refuseAliases(rl); len(results) > 0 {
		rl.Results = append(rl.Results, results...)
		return false, nil
	}
	unpackLists(rl)
	if results := duplicates(rl.Items); len(results) > 0 {
		rl.Results = append(rl.Results, results...)
		return false, nil
	}
	sources, results := collect(rl)
	for _, s := range sources {
		results = append(results, load(s, pr)...)
	}
	if !hasError(results) {
		results = append(results, collisions(sources)...)
	}
	if !hasError(results) {
		results = append(results, find(rl.Items, sources)...)
	}
	if hasError(results) {
		rl.Results = append(rl.Results, results...)
		return false, nil
	}
	idx := newIndex(rl.Items)
	if bad := shapes(idx, sources); len(bad) > 0 {
		rl.Results = append(rl.Results, append(results, bad...)...)
		return false, nil
	}
	for _, s := range sources {
		s.inert = pr.Inert
		results = append(results, realize(rl, idx, s)...)
	}
	results = append(results, literalSecrets(rl.Items, results, pr.Inert)...)
	rl.Results = append(rl.Results, results...)
	return !hasError(results), nil
}

func hasError(rs fn.Results) bool {
	for _, r := range rs {
		if r.Severity == fn.Error || r.Severity == "" {
			return true
		}
	}
	return false
}

func isProfile(o *fn.KubeObject) bool {
	return o.GetKind() == profile.Kind && o.GroupKind().Group == profile.Group
}

// collect finds the profiles: the function config and profile items.
func collect(rl *fn.ResourceList) ([]*source, fn.Results) {
	var out []*source
	var results fn.Results
	fc := rl.FunctionConfig
	if fc != nil && !fc.IsEmpty() && !emptyConfigMap(fc) {
		if isProfile(fc) {
			out = append(out, &source{obj: fc})
		} else {
			results = append(results, result(fn.Error, fc, "", "the function config is a %s %s: wordpress-fn takes a %s (apiVersion %s)",
				fc.GetAPIVersion(), fc.GetKind(), profile.Kind, profile.APIVersion))
		}
	}
	for _, it := range rl.Items {
		// kpt passes the config file of a function (configPath) among the
		// items too, and a piped list may hold the profile it is hardened
		// with: the same profile is one site, not two.
		if !isProfile(it) {
			continue
		}
		if o := seen(out, it); o != nil {
			if o.obj.String() != it.String() && !sameProfile(o.obj, it) {
				results = append(results, result(fn.Error, it, "metadata.name", "two %ss are named %q, %s and %s: give each site its own metadata.name",
					profile.Kind, it.GetName(), where(o.obj), where(it)))
			} else if fileOf(o.obj) == nil && fileOf(it) != nil {
				// kpt fn eval --fn-config FILE sends the config without
				// its path, and the file among the items with it: the
				// results name the file.
				o.obj = it
			}
			continue
		}
		out = append(out, &source{obj: it})
	}
	if len(out) == 0 && len(results) == 0 {
		results = append(results, result(fn.Error, nil, "", "no %s: give one as the function config, or as an item of the list (several items describe several sites)",
			profile.Kind))
	}
	return out, results
}

func seen(sources []*source, o *fn.KubeObject) *source {
	for _, s := range sources {
		if s.obj.GetAPIVersion() == o.GetAPIVersion() && s.obj.GetKind() == o.GetKind() &&
			s.obj.GetName() == o.GetName() && s.obj.GetNamespace() == o.GetNamespace() {
			return s
		}
	}
	return nil
}

// sameProfile: the two objects are one profile, seen twice (kpt passes
// the config file among the items too): the same spec.
func sameProfile(a, b *fn.KubeObject) bool {
	sa, fa, _ := a.NestedSubObject("spec")
	sb, fb, _ := b.NestedSubObject("spec")
	if !fa || !fb {
		return fa == fb
	}
	return sa.String() == sb.String()
}

// where names an object for a message: its file, and position in it.
func where(o *fn.KubeObject) string {
	f := fileOf(o)
	if f == nil {
		return fmt.Sprintf("%s %s", o.GetKind(), o.GetName())
	}
	if _, index := fileAnnotations(o); index != "" {
		return fmt.Sprintf("%s (document %d)", f.Path, f.Index)
	}
	return f.Path
}

// emptyConfigMap is what `kpt fn eval` passes when no config is given: no
// config at all, so the profiles among the items are used.
func emptyConfigMap(o *fn.KubeObject) bool {
	if o.GetKind() != "ConfigMap" || o.GetAPIVersion() != "v1" {
		return false
	}
	data, _, _ := o.NestedStringMap("data")
	return len(data) == 0 && !o.HasField("binaryData")
}

// load decodes, defaults, validates and expands one profile; each problem
// gets its line in the user's file where that is known (see Processor).
func load(s *source, pr Processor) fn.Results {
	node := s.obj.CopyToResourceNode()
	raw, p, errs := profile.Load(node)
	var given, orig *yaml.Node
	if len(errs) > 0 && !pr.FileLines && pr.Original != nil {
		if orig = pr.Original(s.obj); orig != nil {
			given = s.obj.CopyToResourceNode().YNode()
		}
	}
	var results fn.Results
	for _, e := range errs {
		sev := fn.Error
		if e.Warning {
			sev = fn.Warning
		}
		r := result(sev, s.obj, e.Path, "%s", e.Message)
		line := 0
		switch {
		case pr.FileLines:
			line = e.Line
		case orig != nil && e.Path != "":
			line = lineIn(orig, given, e.Path)
		}
		if line > 0 {
			r.Tags = map[string]string{"line": strconv.Itoa(line)}
		}
		results = append(results, r)
	}
	if p == nil {
		return results
	}
	site, err := expand.Expand(p)
	if err != nil {
		return append(results, result(fn.Error, s.obj, "", "%s", err))
	}
	s.raw, s.p, s.site = raw, p, site
	return results
}

// lineIn is the line of path in orig, the user's file, when the value
// there is the one given to the function; 0 otherwise (an earlier
// function changed it, or the file changed since).
func lineIn(orig, given *yaml.Node, path string) int {
	line, o := ynode.Find(orig, path)
	_, g := ynode.Find(given, path)
	if line == 0 || g == nil || !sameValue(o, g) {
		return 0
	}
	return line
}

// sameValue compares two values as data: comments and styles aside.
func sameValue(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || a.Value != b.Value || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !sameValue(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

// key identifies an object: its API group, kind, namespace and name. A
// Knative Service or a custom kind named Deployment is not the core one.
type key struct{ group, kind, ns, name string }

func group(apiVersion string) string {
	if i := strings.Index(apiVersion, "/"); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

func keyOf(r *yaml.RNode) key {
	m := r.YNode()
	return key{group(ynode.Scalar(m, "apiVersion")), ynode.Scalar(m, "kind"),
		ynode.Scalar(m, "metadata", "namespace"), ynode.Scalar(m, "metadata", "name")}
}

func objKey(o *fn.KubeObject) key {
	return key{group(o.GetAPIVersion()), o.GetKind(), o.GetNamespace(), o.GetName()}
}

// shared roles are objects several sites may need alike: the first site
// generates them, the others find them.
var shared = map[expand.Role]bool{
	expand.RoleNamespace:      true,
	expand.RoleStorageClass:   true,
	expand.RoleCephFilesystem: true,
}

// collisions reports two profiles that need the same object.
func collisions(sources []*source) fn.Results {
	seen := map[key]*source{}
	var results fn.Results
	for _, s := range sources {
		for _, r := range s.site.Resources {
			if shared[r.Role] {
				continue
			}
			k := keyOf(r.Object)
			if o, ok := seen[k]; ok && o != s {
				results = append(results, result(fn.Error, s.obj, "spec.name", "sites %q and %q both need %s %s: give one of them another spec.name or spec.namespace",
					o.obj.GetName(), s.obj.GetName(), k.kind, path(k)))
				break
			}
			seen[k] = s
		}
	}
	return results
}

func path(k key) string {
	if k.ns == "" {
		return k.name
	}
	return k.ns + "/" + k.name
}

// index finds input items by group, kind, namespace and name.
type index struct {
	byKey map[key]*fn.KubeObject
}

func newIndex(items fn.KubeObjects) *index {
	idx := &index{byKey: map[key]*fn.KubeObject{}}
	for _, it := range items {
		idx.add(it)
	}
	return idx
}

func (idx *index) add(it *fn.KubeObject) {
	k := objKey(it)
	if _, dup := idx.byKey[k]; !dup {
		idx.byKey[k] = it
	}
}

func (idx *index) find(r expand.Resource) *fn.KubeObject {
	k := keyOf(r.Object)
	if o := idx.byKey[k]; o != nil {
		return o
	}
	return idx.byKey[key{k.group, k.kind, "", k.name}]
}

// match is the user's object that plays the role of r: the one package
// site found (adopted), else the one of the same kind and name.
func (s *source) match(idx *index, r expand.Resource) *fn.KubeObject {
	if s.found != nil {
		if o := s.found.Adopted[r.Role]; o != nil {
			return o
		}
	}
	return idx.find(r)
}

// unpackLists replaces a List item (kind: List, or any *List with items)
// by its items, as kubectl and the harden command do, so that what it
// holds is hardened like any other item.
func unpackLists(rl *fn.ResourceList) {
	var out fn.KubeObjects
	changed := false
	for _, it := range rl.Items {
		if it.GetAPIVersion() != "v1" || !strings.HasSuffix(it.GetKind(), "List") || !it.HasField("items") {
			out = append(out, it)
			continue
		}
		node := it.CopyToResourceNode()
		items := ynode.Lookup(node.YNode(), "items")
		if items == nil || items.Kind != yaml.SequenceNode {
			out = append(out, it)
			continue
		}
		changed = true
		for _, e := range items.Content {
			if e.Kind == yaml.MappingNode {
				out = append(out, fn.MoveToKubeObject(yaml.NewRNode(e)))
			}
		}
	}
	if changed {
		rl.Items = out
	}
}

// duplicates refuses two items with one identity: only one of them could
// be hardened, and applying both makes the second replace the first.
func duplicates(items fn.KubeObjects) fn.Results {
	seen := map[key]*fn.KubeObject{}
	var results fn.Results
	for _, it := range items {
		if isProfile(it) {
			continue
		}
		k := objKey(it)
		if o, ok := seen[k]; ok {
			results = append(results, result(fn.Error, it, "", "is given twice, %s and %s: an object can be listed once, or the second replaces the first; remove one",
				where(o), where(it)))
			continue
		}
		seen[k] = it
	}
	return results
}

// find finds each profile's site among the items, and expands the
// profile against it.
func find(items fn.KubeObjects, sources []*source) fn.Results {
	var results fn.Results
	var manifests fn.KubeObjects
	for _, it := range items {
		if !isProfile(it) {
			manifests = append(manifests, it)
		}
	}
	owner := map[*fn.KubeObject]*source{}
	for _, s := range sources {
		found, probs := site.Find(manifests, s.p, s.raw)
		for _, pr := range probs {
			results = append(results, result(pr.Severity, s.obj, pr.Field, "%s", pr.Message))
		}
		if found == nil {
			continue
		}
		for _, o := range found.Adopted {
			if other, ok := owner[o]; ok && other != s {
				results = append(results, result(fn.Error, s.obj, "spec.match", "sites %q and %q both found %s %s: name each site's workloads in spec.match",
					other.obj.GetName(), s.obj.GetName(), o.GetKind(), o.GetName()))
			}
			owner[o] = s
		}
		s.found = found
		ex := found.Existing()
		s.databaseEgress(ex)
		site, err := expand.ExpandExisting(s.p, ex)
		if err != nil {
			results = append(results, result(fn.Error, s.obj, "", "%s", err))
			continue
		}
		s.site, s.manifests = site, manifests
		results = append(results, s.check()...)
	}
	return results
}

// databaseEgress tells the generated WordPress policy where the database
// is, for its egress rule: the user's or the generated database's pods
// (the default), loopback, a host these manifests do not run, or
// nowhere known (egress then stays open).
func (s *source) databaseEgress(ex *expand.Existing) {
	f := s.found
	if ex == nil || f.WordPress == nil || f.Database != nil {
		return
	}
	switch {
	case f.DatabaseInPod:
		ex.DatabaseInPod = true
	case s.generateDatabase():
	case f.DatabaseHost != "":
		ex.DatabaseHost = f.DatabaseHost
		if site.HostOnly(f.DatabaseHost) == f.DatabaseHost {
			// Bitnami's images take the port in a variable of its own.
			if port := envValue(f.WordPress, "WORDPRESS_DATABASE_PORT_NUMBER", "MARIADB_PORT_NUMBER"); port != "" {
				ex.DatabaseHost += ":" + port
			}
		}
	case s.p.Spec.Database.Mode == profile.DatabaseExternal:
	default:
		ex.DatabaseUnknown = true
	}
}

// envValue is the literal value of the first of names set in the
// workload's WordPress container ("" when none is).
func envValue(w *site.Workload, names ...string) string {
	for _, c := range site.Containers(w.Obj) {
		if n, _, _ := c.NestedString("name"); n != w.Container {
			continue
		}
		env, _, _ := c.NestedSlice("env")
		for _, want := range names {
			for _, e := range env {
				if n, _, _ := e.NestedString("name"); n == want {
					if v, _, _ := e.NestedString("value"); v != "" {
						return v
					}
				}
			}
		}
	}
	return ""
}

// check refuses what cannot be made safe on the site as found.
func (s *source) check() fn.Results {
	f, w := s.found, s.p.Spec.WordPress
	var results fn.Results
	if f.WordPress == nil {
		return nil
	}
	// The most pods WordPress may run: the autoscaler's maximum (the
	// user's, unless the profile sets one), else the replica count (the
	// profile's when written, else the user's, else the preset's).
	maxPods := int32(1)
	switch {
	case f.Adopted[expand.RoleHPA] != nil && s.raw.Spec.WordPress.HPA.MaxReplicas == nil:
		if m, found, _ := f.Adopted[expand.RoleHPA].NestedInt64("spec", "maxReplicas"); found {
			maxPods = int32(m)
		}
	case profile.On(w.HPA.Enabled):
		maxPods = *w.HPA.MaxReplicas
	case s.raw.Spec.WordPress.Replicas != nil:
		maxPods = *w.Replicas
	default:
		if r, found, _ := f.WordPress.Obj.NestedInt64("spec", "replicas"); found {
			maxPods = int32(r)
		} else if w.Replicas != nil {
			maxPods = *w.Replicas
		}
	}
	for _, c := range []struct {
		data *site.Data
		want string
		path string
	}{
		{f.WordPressData, s.raw.Spec.WordPress.Persistence.AccessMode, "spec.wordpress.persistence.accessMode"},
		{f.DatabaseData, s.raw.Spec.Database.Embedded.Persistence.AccessMode, "spec.database.embedded.persistence.accessMode"},
	} {
		if c.data == nil || c.data.PVC == nil || c.want == "" {
			continue
		}
		if modes, _, _ := c.data.PVC.NestedStringSlice("spec", "accessModes"); !slices.Contains(modes, c.want) {
			results = append(results, result(fn.Warning, c.data.PVC, "spec.accessModes",
				"%s says %s, but the site's claim %s is %s and is kept: a claim's access modes cannot change; create a new claim and move the data to change them",
				c.path, c.want, c.data.ClaimName, strings.Join(modes, ",")))
		}
	}
	if d := f.WordPressData; d != nil && d.Template && maxPods > 1 {
		results = append(results, result(fn.Warning, f.WordPress.Obj, "spec.volumeClaimTemplates",
			"keeps WordPress's files (%s) on a claim per pod (volumeClaimTemplates %q), and the site runs up to %d pods: uploads, plugins and themes differ from pod to pod unless something syncs them, and every new pod starts from an empty claim. Use one ReadWriteMany claim for the files, or run one replica",
			f.WordPress.Image.DataPath, d.Volume, maxPods))
	}
	if d := f.WordPressData; d != nil && d.PVC != nil && maxPods > 1 {
		modes, _, _ := d.PVC.NestedStringSlice("spec", "accessModes")
		if !slices.Contains(modes, "ReadWriteMany") {
			results = append(results, result(fn.Error, d.PVC, "spec.accessModes", "%s %s mounts PersistentVolumeClaim %s (%s) at %s, but the profile runs up to %d WordPress replicas: pods on other nodes cannot attach a ReadWriteOnce volume, so they stay Pending and a rollout stalls. A claim's access mode cannot change: create a ReadWriteMany claim (e.g. on CephFS or NFS), copy the data, point the volume at it; or run one replica (spec.wordpress.replicas: 1, hpa and pdb enabled: false, topology ha)",
				f.WordPress.Kind(), f.WordPress.Name(), d.ClaimName, strings.Join(modes, ","), f.WordPress.Image.DataPath, maxPods))
		}
	}
	return results
}

// realize adds what a site lacks and hardens what it has.
func realize(rl *fn.ResourceList, idx *index, s *source) fn.Results {
	var results fn.Results
	var added fn.KubeObjects
	var replaced []harden.Replacement
	exporters := s.exportersBefore()
	notes := func(o *fn.KubeObject, ns []harden.Note) {
		for _, n := range ns {
			if n.Replaced != nil {
				replaced = append(replaced, *n.Replaced)
			}
			sev := fn.Info
			if n.Warning {
				sev = fn.Warning
			}
			results = append(results, result(sev, o, n.Path, "%s", n.Message))
		}
	}
	for _, r := range s.site.Resources {
		existing := s.match(idx, r)
		if existing == nil {
			if why := s.skip(r.Role); why != "" {
				if why != "-" {
					results = append(results, result(fn.Info, s.obj, "", "%s", why))
				}
				continue
			}
			if w := s.userWorkload(r.Role); w != nil && (r.Role == expand.RoleWordPressPVC || r.Role == expand.RoleMySQLPVC) {
				pvc := r.Object
				class := "the default class"
				if sc, err := pvc.GetString("spec.storageClassName"); err == nil {
					class = fmt.Sprintf("class %q", sc)
				}
				results = append(results, result(fn.Warning, w, "",
					"keeps its data in the container today: harden adds PersistentVolumeClaim %s (%s) at its data path; the pods wait until the claim binds, and what the old pods wrote there is not carried over. Set the profile's persistence.enabled: false to leave it as it is",
					pvc.GetName(), class))
			}
			if w := s.userWorkload(r.Role); w != nil && (r.Role == expand.RoleWordPressPolicy || r.Role == expand.RoleMySQLPolicy) {
				results = append(results, s.policyWarning(r, w))
				if e := egressWarning(r, w); e != nil {
					results = append(results, e)
				}
			}
			o := fn.MoveToKubeObject(r.Object)
			added = append(added, o)
			idx.add(o)
			continue
		}
		if keepAsIs[r.Role] {
			// The user's claim, route or policy stands as written.
			results = append(results, s.claimKept(r, existing)...)
			continue
		}
		node := existing.MoveToResourceNode()
		ns := harden.Apply(node, r, s.p, s.raw, s.options(r.Role))
		*existing = *fn.MoveToKubeObject(node)
		notes(existing, ns)
	}
	if s.found != nil {
		results = append(results, s.adoptNotes()...)
		results = append(results, s.monitoringNotes(exporters)...)
		s.oneNamespace()
	}
	rl.Items = append(rl.Items, added...)
	return append(results, s.secretNotes(idx, replaced)...)
}

// secretNotes tell what the literal passwords turned into references
// need: the Secret, with each key holding the password it replaced, and
// one key for one password.
func (s *source) secretNotes(idx *index, replaced []harden.Replacement) fn.Results {
	if len(replaced) == 0 {
		return nil
	}
	c := s.p.Spec.Credentials
	var results fn.Results
	byKey := map[string][]harden.Replacement{}
	var keys []string
	for _, r := range replaced {
		if _, ok := byKey[r.Key]; !ok {
			keys = append(keys, r.Key)
		}
		byKey[r.Key] = append(byKey[r.Key], r)
	}
	var need []string
	for _, k := range keys {
		var envs []string
		// The variables of each password, in the order they came.
		var digests []string
		byDigest := map[string][]string{}
		for _, r := range byKey[k] {
			envs = append(envs, r.Env)
			if _, ok := byDigest[r.Digest]; !ok {
				digests = append(digests, r.Digest)
			}
			if !slices.Contains(byDigest[r.Digest], r.Env) {
				byDigest[r.Digest] = append(byDigest[r.Digest], r.Env)
			}
		}
		envs = slices.Compact(envs)
		need = append(need, fmt.Sprintf("%s (the password that was in %s)", k, strings.Join(envs, ", ")))
		if len(digests) > 1 {
			var groups []string
			for i, d := range digests {
				which := "one password"
				if i > 0 {
					which = "another"
				}
				groups = append(groups, strings.Join(byDigest[d], " and ")+" held "+which)
			}
			results = append(results, result(fn.Warning, s.obj, "spec.credentials",
				"%s; all now read Secret %s key %s, so the ones whose password the key does not hold fail to log in. Give the root password its own key with spec.credentials.rootPasswordKey, or make the values agree",
				strings.Join(groups, ", while "), c.SecretName, k))
		}
	}
	ns := ""
	if s.found != nil {
		ns = s.found.Namespace
	}
	exists := idx.byKey[key{"", "Secret", ns, c.SecretName}] != nil || idx.byKey[key{"", "Secret", "", c.SecretName}] != nil ||
		profile.On(c.ExternalSecret.Enabled)
	if !exists {
		results = append(results, result(fn.Warning, s.obj, "spec.credentials.secretName",
			"Secret %s is not in these manifests: create it before applying, with key %s, or the pods that read it do not start (CreateContainerConfigError)",
			c.SecretName, strings.Join(need, " and key ")))
	}
	return results
}

// policyWarning tells that a NetworkPolicy put on a running workload cuts
// every client it does not name, and names the workloads of the manifests
// that look like such clients: they name the database's Service.
func (s *source) policyWarning(r expand.Resource, w *fn.KubeObject) *fn.Result {
	f := s.found
	who := "the ingress controller's namespace " + s.p.Spec.NetworkPolicy.IngressControllerNamespace
	switch s.p.Spec.Exposure.Mode {
	case profile.ExposureTraefik, profile.ExposureIngress:
	case profile.ExposureNodePort:
		who = "any source (NodePort)"
	default:
		// The policy's ingress rule names no source (expand's
		// wordpressPolicy): any pod may still reach WordPress's port.
		if r.Role != expand.RoleMySQLPolicy {
			return result(fn.Warning, w, "", "a NetworkPolicy (%s) now admits connections to WordPress's port only, from any source (exposure %s): a client of any other port of these pods is cut off once applied; add it to the policy, or set spec.networkPolicy.enabled: false", r.Object.GetName(), s.p.Spec.Exposure.Mode)
		}
	}
	var clients []string
	if r.Role == expand.RoleMySQLPolicy {
		who = "WordPress's pods"
		names := []string{}
		if f.DatabaseService != nil {
			names = append(names, f.DatabaseService.GetName())
		}
		if h := site.HostOnly(f.DatabaseHost); h != "" {
			names = append(names, strings.SplitN(h, ".", 2)[0])
		}
		for _, o := range s.manifests {
			if o == w || (f.WordPress != nil && o == f.WordPress.Obj) || !isPodOwner(o) {
				continue
			}
			text := ""
			if in := inertOf(s.inert, o); in != nil {
				text = in.text
			} else {
				text = o.String()
			}
			for _, n := range names {
				if n != "" && strings.Contains(text, n) {
					clients = append(clients, o.GetKind()+" "+o.GetName())
					break
				}
			}
		}
	}
	msg := fmt.Sprintf("a NetworkPolicy (%s) now admits only %s: every other client of these pods is cut off once applied", r.Object.GetName(), who)
	if len(clients) > 0 {
		msg += fmt.Sprintf(", and %s look like one (they name its Service)", strings.Join(slices.Compact(clients), ", "))
	}
	msg += "; add them to the policy, or set spec.networkPolicy.enabled: false"
	return result(fn.Warning, w, "", "%s", msg)
}

// egressWarning tells that a generated NetworkPolicy with egress rules,
// put on a running workload, cuts every outbound connection it does not
// list; nil when the policy has none.
func egressWarning(r expand.Resource, w *fn.KubeObject) *fn.Result {
	rules := ynode.Lookup(ynode.Lookup(r.Object.YNode(), "spec"), "egress")
	if rules == nil || rules.Kind != yaml.SequenceNode {
		return nil
	}
	var allowed []string
	internet := false
	for _, rule := range rules.Content {
		d := describeEgress(rule)
		internet = internet || d == "HTTPS (TCP 443) to any address"
		allowed = append(allowed, d)
	}
	msg := fmt.Sprintf("a NetworkPolicy (%s) now lets these pods connect only to %s", r.Object.GetName(), strings.Join(allowed, "; "))
	if r.Role == expand.RoleWordPressPolicy && !internet {
		msg += " (spec.networkPolicy.egress.internet is false: WordPress's own updates and plugin downloads fail)"
	}
	msg += ": any other connection they open today (mail, a cache, an API, a backup target, a replica) is cut once applied; add it to the policy, or set spec.networkPolicy.egress.enabled: false"
	return result(fn.Warning, w, "", "%s", msg)
}

// describeEgress says what one egress rule of a generated policy lets
// through.
func describeEgress(rule *yaml.Node) string {
	var ports []string
	if ps := ynode.Lookup(rule, "ports"); ps != nil {
		for _, p := range ps.Content {
			ports = append(ports, ynode.Scalar(p, "protocol")+" "+ynode.Scalar(p, "port"))
		}
	}
	port := strings.Join(ports, " and ")
	to := ynode.Lookup(rule, "to")
	if to == nil || len(to.Content) == 0 {
		if port == "TCP 443" {
			return "HTTPS (TCP 443) to any address"
		}
		return "the database's port (" + port + ") on any address"
	}
	peer := to.Content[0]
	switch {
	case ynode.Scalar(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "kube-system":
		return "the cluster DNS (kube-dns in kube-system, " + port + ")"
	case ynode.Lookup(peer, "ipBlock") != nil:
		return ynode.Scalar(peer, "ipBlock", "cidr") + " on " + port
	default:
		var sel []string
		if m := ynode.Lookup(ynode.Lookup(peer, "podSelector"), "matchLabels"); m != nil {
			for i := 0; i+1 < len(m.Content); i += 2 {
				sel = append(sel, m.Content[i].Value+"="+m.Content[i+1].Value)
			}
		}
		return "the database's pods (" + strings.Join(sel, ",") + ") on " + port
	}
}

func isPodOwner(o *fn.KubeObject) bool {
	switch o.GetKind() {
	case "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet":
		return true
	}
	return false
}

// userWorkload is the user's running workload that a generated object of
// the role attaches to (a claim mounted into it, a policy selecting it),
// nil when there is none.
func (s *source) userWorkload(role expand.Role) *fn.KubeObject {
	f := s.found
	switch {
	case f == nil:
		return nil
	case (role == expand.RoleWordPressPVC || role == expand.RoleWordPressPolicy) && f.WordPress != nil:
		return f.WordPress.Obj
	case (role == expand.RoleMySQLPVC || role == expand.RoleMySQLPolicy) && f.Database != nil:
		return f.Database.Obj
	}
	return nil
}

// claimKept says which persistence settings the profile gives explicitly
// that an existing claim, kept as written, does not have: a claim's class
// never changes, and its size only grows, by an edit of the claim.
func (s *source) claimKept(r expand.Resource, claim *fn.KubeObject) fn.Results {
	var ps profile.PersistenceSpec
	field := ""
	switch r.Role {
	case expand.RoleWordPressPVC:
		ps, field = s.raw.Spec.WordPress.Persistence, "spec.wordpress.persistence"
	case expand.RoleMySQLPVC:
		ps, field = s.raw.Spec.Database.Embedded.Persistence, "spec.database.embedded.persistence"
	default:
		return nil
	}
	var results fn.Results
	if ps.Size != "" {
		has, _, _ := claim.NestedString("spec", "resources", "requests", "storage")
		want, werr := resource.ParseQuantity(ps.Size)
		got, gerr := resource.ParseQuantity(has)
		if werr == nil && (gerr != nil || want.Cmp(got) != 0) {
			how := "grow it by editing the claim's spec.resources.requests.storage (its StorageClass must allow volume expansion)"
			if gerr == nil && want.Cmp(got) < 0 {
				how = "a claim never shrinks: a smaller one is a new claim and a copy of the data"
			}
			results = append(results, result(fn.Warning, claim, "spec.resources.requests.storage",
				"%s.size %s not applied: the claim exists with %q and is kept as written; %s", field, ps.Size, has, how))
		}
	}
	if ps.StorageClass != nil {
		has, found, _ := claim.NestedString("spec", "storageClassName")
		if !found || has != *ps.StorageClass {
			results = append(results, result(fn.Warning, claim, "spec.storageClassName",
				"%s.storageClass %q not applied: the claim exists with class %q and is kept as written; a claim's class never changes: another class is a new claim and a copy of the data", field, *ps.StorageClass, has))
		}
	}
	return results
}

// keepAsIs are roles whose user's object harden leaves as written: a
// claim's spec is immutable, and a route or policy the user wrote is
// theirs to change (a second one beside it would be worse).
var keepAsIs = map[expand.Role]bool{
	expand.RoleWordPressPVC:      true,
	expand.RoleMySQLPVC:          true,
	expand.RoleIngress:           true,
	expand.RoleIngressRouteHTTPS: true,
	expand.RoleIngressRouteHTTP:  true,
	expand.RoleRedirect:          true,
	expand.RoleWordPressPolicy:   true,
	expand.RoleMySQLPolicy:       true,
}

// skip says why a missing object of the site is not generated: "" to
// generate it, "-" to skip it silently.
func (s *source) skip(role expand.Role) string {
	f := s.found
	if f == nil {
		return ""
	}
	if role == expand.RoleNamespace && f.Namespace == "" {
		return "-" // a site without a namespace is applied into the user's
	}
	db := role == expand.RoleMySQL || role == expand.RoleMySQLService || role == expand.RoleMySQLPVC || role == expand.RoleMySQLPolicy ||
		role == expand.RoleMySQLExporterInit || role == expand.RoleMySQLPodMonitor
	switch {
	case db && f.Database == nil && !s.generateDatabase():
		return "-"
	case role == expand.RoleMySQLService && f.Database != nil && f.DatabaseHost != "" &&
		strings.SplitN(site.HostOnly(f.DatabaseHost), ".", 2)[0] != s.p.Spec.Name+"-mysql":
		return fmt.Sprintf("no Service generated for the database: WordPress reaches it at %q (%s), which no Service in these manifests answers to", f.DatabaseHost, f.HostEnv)
	case f.WordPress == nil:
		return ""
	case role == expand.RoleWordPressPVC && (f.WordPressData != nil || !f.WordPress.Known):
		return "-"
	case role == expand.RoleMySQLPVC && f.Database != nil && (f.DatabaseData != nil || !f.Database.Known):
		return "-"
	case role == expand.RoleMySQLPVC && f.DatabaseInPod:
		return "-"
	case len(f.Routes) > 0 && (role == expand.RoleIngress || role == expand.RoleIngressRouteHTTPS || role == expand.RoleIngressRouteHTTP || role == expand.RoleRedirect):
		return "-"
	}
	return ""
}

// generateDatabase: the site has no database of its own in the manifests,
// WordPress names none elsewhere, and its image is the official one whose
// env the function knows how to connect.
func (s *source) generateDatabase() bool {
	f := s.found
	if f.WordPress == nil {
		return f.Database == nil
	}
	if f.Database != nil || f.DatabaseInPod || f.ExternalHost || s.p.Spec.Database.Mode != profile.DatabaseEmbedded {
		return false
	}
	if h := site.HostOnly(f.DatabaseHost); h != "" && strings.SplitN(h, ".", 2)[0] != s.p.Spec.Name+"-mysql" {
		return false
	}
	return f.WordPress.Known && f.WordPress.Image.Family == "wordpress"
}

// options tell harden how the user's workload relates to the site.
func (s *source) options(role expand.Role) *harden.Options {
	f := s.found
	if f == nil {
		return nil
	}
	o := &harden.Options{}
	switch {
	case role == expand.RoleWordPress && f.WordPress != nil:
		w := f.WordPress
		o.Container, o.Image, o.Known = w.Container, w.Image, w.Known
		o.KeepData = f.WordPressData != nil || !w.Known
		o.WireDatabase = s.generateDatabase()
		if d := f.WordPressData; d != nil && d.PVC != nil {
			if modes, _, _ := d.PVC.NestedStringSlice("spec", "accessModes"); !slices.Contains(modes, "ReadWriteMany") {
				o.ReadWriteOnceClaim = d.ClaimName
			}
		}
		if f.DatabaseInPod {
			for _, c := range site.Containers(w.Obj) {
				name, _, _ := c.NestedString("name")
				img, _, _ := c.NestedString("image")
				if conv, ok := images.Lookup(img); ok && conv.Role == images.Database {
					o.DBContainer, o.DBImage, o.DBKnown = name, conv, true
				}
			}
		}
	case role == expand.RoleMySQL:
		if d := f.Database; d != nil {
			o.Container, o.Image, o.Known = d.Container, d.Image, d.Known
			o.KeepData = f.DatabaseData != nil || !d.Known
		}
	default:
		return nil
	}
	return o
}

// adoptNotes tell what harden found and kept.
func (s *source) adoptNotes() fn.Results {
	f := s.found
	var results fn.Results
	info := func(o *fn.KubeObject, format string, args ...any) {
		results = append(results, result(fn.Info, o, "", format, args...))
	}
	for _, r := range f.Routes {
		info(r, "adopted as the site's route, kept as written: no route generated beside it")
	}
	if f.WordPress == nil {
		return results
	}
	if f.ExternalHost {
		info(f.WordPress.Obj, "WordPress reaches its database at %q (%s), which these manifests do not run: nothing generated for it", f.DatabaseHost, f.HostEnv)
	}
	if f.Database == nil && !f.DatabaseInPod && !f.ExternalHost && !s.generateDatabase() && s.p.Spec.Database.Mode == profile.DatabaseEmbedded {
		results = append(results, result(fn.Warning, f.WordPress.Obj, "", "no database found for WordPress, and none generated: its image's connection env is not one the function writes; add the database to the manifests, or set spec.database.mode: external"))
	}
	for _, r := range f.Routes {
		if r.GetAPIVersion() == "networking.k8s.io/v1beta1" || r.GetAPIVersion() == "extensions/v1beta1" {
			results = append(results, result(fn.Warning, r, "apiVersion", "%s is not served since Kubernetes 1.22: move this Ingress to networking.k8s.io/v1", r.GetAPIVersion()))
		}
		if x := s.raw.Spec.Exposure; r.GetKind() == "Ingress" && (x.Ingress.ClassName != "" || x.Ingress.ClusterIssuer != "" || x.Ingress.TLSSecretName != "" || len(x.Ingress.Annotations) > 0) {
			info(r, "kept as written: the profile's spec.exposure.ingress settings are not applied to an Ingress the site already has; change it yourself")
		}
	}
	if f.Chosen != "" {
		info(f.WordPress.Obj, "%s", f.Chosen)
	}
	if profile.On(s.p.Spec.NetworkPolicy.Enabled) && profile.On(s.p.Spec.NetworkPolicy.Egress.Enabled) {
		for _, role := range []expand.Role{expand.RoleWordPressPolicy, expand.RoleMySQLPolicy} {
			if o := f.Adopted[role]; o != nil && !limitsEgress(o) {
				info(o, "adopted and kept as written: it limits no outbound traffic, so the pods it selects may still connect anywhere. No egress policy is added beside it, since that would cut connections this one lets through today; add egress rules to it yourself (the cluster DNS, the database's port, HTTPS)")
			}
		}
	}
	for _, d := range []*site.Data{f.WordPressData, f.DatabaseData} {
		if d == nil || d.ClaimName != "" || d.Template || d.Volume == "" {
			continue
		}
		w := f.WordPress
		if d == f.DatabaseData {
			w = f.Database
		}
		results = append(results, result(fn.Warning, w.Obj, "", "%s is served by volume %q (%s), not a PersistentVolumeClaim: the data does not outlive the pod; kept as written", w.Image.DataPath, d.Volume, d.Source))
	}
	if pdbs := site.PDBs(s.manifests, f.WordPress); len(pdbs) > 1 {
		var names []string
		for _, p := range pdbs {
			names = append(names, p.GetName())
		}
		results = append(results, result(fn.Warning, f.WordPress.Obj, "", "%d PodDisruptionBudgets select these pods (%s): the eviction API refuses to evict a pod that two budgets cover, so node drains block; keep one", len(pdbs), strings.Join(names, ", ")))
	}
	return results
}

// limitsEgress: the NetworkPolicy restricts outbound traffic (its
// policyTypes name Egress, or, without policyTypes, it has egress rules).
func limitsEgress(o *fn.KubeObject) bool {
	types, found, _ := o.NestedStringSlice("spec", "policyTypes")
	if found {
		return slices.Contains(types, "Egress")
	}
	_, found, _ = o.NestedSlice("spec", "egress")
	return found
}

// oneNamespace puts the site's objects that have no namespace in the
// site's, so that the site is not split: the workloads, their Services,
// claims, Secrets and ConfigMaps, and what selects or targets them.
func (s *source) oneNamespace() {
	ns := s.found.Namespace
	for _, o := range s.found.Members {
		if o.GetNamespace() == "" && ns != "" && !o.IsClusterScoped() {
			_ = o.SetNamespace(ns)
		}
	}
}
