package harden

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"reflect"
	"regexp"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Note is something worth telling the user about a hardened resource.
type Note struct {
	Warning bool
	Message string
	// Path of the field in the resource.
	Path string
	// Replaced, for a literal password turned into a Secret reference:
	// the key it now reads and a digest of the value it held (never the
	// value), so that two different values sent to one key are caught.
	Replaced *Replacement
}

// Replacement is a literal password moved to a Secret key.
type Replacement struct {
	Env, Key, Digest string
}

// Options say how the user's object relates to the site, as package site
// found it. The zero value is a resource matched by kind and name.
type Options struct {
	// Container is the user's container that plays the desired
	// workload's main container (wordpress or mysql), DBContainer the
	// database container in WordPress's pod (noha). Desired containers
	// that play no user's container are dropped: harden never adds a
	// container to a user's pod.
	Container, DBContainer string
	// Image is the convention of Container's image; Known is false for an
	// image harden does not know: then only what holds for every image
	// is applied (no env, no args, no data volume, no capabilities).
	Image images.Convention
	Known bool
	// DBImage and DBKnown: the same for DBContainer.
	DBImage images.Convention
	DBKnown bool
	// KeepData: the data path is already served (a claim, a claim
	// template, another volume) or unknown: no data volume is added.
	KeepData, KeepDBData bool
	// WireDatabase: the function generates the database, so WordPress's
	// container gets the env that connects it (where it has none).
	WireDatabase bool
	// ReadWriteOnceClaim names the ReadWriteOnce claim WordPress's data is
	// on: a Recreate strategy is then right, not a production gap.
	ReadWriteOnceClaim string
}

// Apply makes dst, the user's version of a resource the profile needs,
// realize desired: the precedence is the package's. raw is the profile as
// written (before defaults), which tells the fields it sets explicitly.
func Apply(dst *yaml.RNode, desired expand.Resource, p, raw *profile.WordPressProfile, opts *Options) []Note {
	if opts == nil {
		opts = &Options{}
	}
	h := &hardener{p: p, raw: raw, rename: map[string]string{}, opts: opts, role: desired.Role}
	src := desired.Object.Copy()
	d, s := dst.YNode(), src.YNode()
	switch desired.Role {
	case expand.RoleWordPress, expand.RoleMySQL:
		h.workload(d, s, desired.Role)
	case expand.RolePDB:
		// A budget is minAvailable or maxUnavailable, never both: the
		// user's stands unless the profile sets one explicitly.
		if at(d, "spec.minAvailable") != nil || at(d, "spec.maxUnavailable") != nil {
			removeField(at(s, "spec"), "minAvailable")
			removeField(at(s, "spec"), "maxUnavailable")
			if w := h.p.Spec.WordPress.PDB; w.MaxUnavailable != nil && at(d, "spec.maxUnavailable") == nil && h.raw.Spec.WordPress.PDB.MaxUnavailable == nil && h.raw.Spec.WordPress.PDB.MinAvailable == nil {
				h.note(true, "spec", "the budget is kept as written; set spec.wordpress.pdb in the profile to replace it")
			}
		}
		h.overrides(d, s, desired.Role)
		Fill(dst, src)
	case expand.RoleWordPressService, expand.RoleMySQLService:
		before := "ClusterIP"
		if t := at(d, "spec.type"); t != nil {
			before = t.Value
		}
		// The user's ports stand: another port would change what the
		// Service serves.
		onlyExisting(at(d, "spec.ports"), at(s, "spec.ports"), "port")
		h.overrides(d, s, desired.Role)
		Fill(dst, src)
		h.service(d)
		after := "ClusterIP"
		if t := at(d, "spec.type"); t != nil {
			after = t.Value
		}
		if before != after && (before == "LoadBalancer" || before == "NodePort") {
			h.note(true, "spec.type", "changed from %s to %s by spec.exposure.mode: once applied, %s; traffic must come through the new route",
				before, after, map[string]string{"LoadBalancer": "its load balancer and external IP are released", "NodePort": "its node port is closed"}[before])
		}
	case expand.RoleNamespace:
		had := ynode.At(d, "metadata", "labels", podSecurityEnforce) != nil
		h.overrides(d, s, desired.Role)
		Fill(dst, src)
		if level := ynode.Scalar(d, "metadata", "labels", podSecurityEnforce); !had && level != "" {
			// The namespace is shared: other apps' new pods meet the
			// level too.
			h.note(true, "metadata.labels["+podSecurityEnforce+"]",
				"set to %s: from the apply on, the API server refuses new pods in namespace %s that break the %s Pod Security Standard, other apps' pods too; `kubectl label --dry-run=server --overwrite namespace %s %s=%s` lists the running pods that would be refused. Label the namespace yourself to keep another level",
				level, ynode.Scalar(d, "metadata", "name"), level, ynode.Scalar(d, "metadata", "name"), podSecurityEnforce, level)
		}
	default:
		h.overrides(d, s, desired.Role)
		Fill(dst, src)
	}
	return h.notes
}

// podSecurityEnforce is the namespace label of Pod Security Admission.
const podSecurityEnforce = "pod-security.kubernetes.io/enforce"

type hardener struct {
	p, raw *profile.WordPressProfile
	notes  []Note
	// rename maps a desired container's name to the user's container it
	// was matched with.
	rename map[string]string
	opts   *Options
	role   expand.Role
	// ro: the containers that get a read-only root file system, by name.
	ro map[string]roPlan
	// emptied: the emptyDirs harden added for read-only roots, by name.
	emptied map[string]bool
}

func (h *hardener) note(warning bool, path, format string, args ...any) {
	h.notes = append(h.notes, Note{Warning: warning, Path: path, Message: fmt.Sprintf(format, args...)})
}

const (
	containersPath     = "spec.template.spec.containers"
	initContainersPath = "spec.template.spec.initContainers"
)

func (h *hardener) workload(d, s *yaml.Node, role expand.Role) {
	kind := ""
	if k := ynode.Lookup(d, "kind"); k != nil {
		kind = k.Value
	}
	if kind != "Deployment" {
		// A StatefulSet (or anything else) has no spec.strategy.
		removeField(at(s, "spec"), "strategy")
	}
	h.matchContainers(d, s)
	h.adopt(d, s, role, kind)
	h.overrides(d, s, role)
	h.strategy(d, s, kind)
	dropEvictable(s)
	fill(d, s, "")
	h.readOnlyRoot(d)
	h.invariants(d, s, role, kind)
	h.evictable(d)
}

// service drops what the Service's type forbids once the profile changed
// it: the API server refuses nodePort on a ClusterIP Service, and
// externalTrafficPolicy or the load balancer's fields on one that is not a
// LoadBalancer (nor, for the traffic policy, a NodePort).
func (h *hardener) service(d *yaml.Node) {
	typ := "ClusterIP"
	if t := at(d, "spec.type"); t != nil {
		typ = t.Value
	}
	spec := at(d, "spec")
	if typ == "LoadBalancer" || spec == nil {
		return
	}
	var dropped []string
	for _, f := range []string{"loadBalancerIP", "loadBalancerSourceRanges", "loadBalancerClass", "allocateLoadBalancerNodePorts", "healthCheckNodePort"} {
		if removeField(spec, f) {
			dropped = append(dropped, "spec."+f)
		}
	}
	if typ != "NodePort" {
		if removeField(spec, "externalTrafficPolicy") {
			dropped = append(dropped, "spec.externalTrafficPolicy")
		}
		if ports := at(d, "spec.ports"); ports != nil {
			for _, p := range ports.Content {
				if n := ynode.Lookup(p, "nodePort"); n != nil && !ynode.IsNull(n) && removeField(p, "nodePort") {
					dropped = append(dropped, "spec.ports[].nodePort")
				}
			}
		}
	}
	if len(dropped) > 0 {
		h.note(false, "spec.type", "the Service is of type %s now: removed %s, which that type does not allow", typ, strings.Join(uniq(dropped), ", "))
	}
}

// onlyExisting keeps, of the desired list want, the elements whose key
// the user's list have names: what the user declared is completed, never
// added to (another port would change what a Service or pod serves).
func onlyExisting(have, want *yaml.Node, key string) {
	if have == nil || want == nil || len(have.Content) == 0 || want.Kind != yaml.SequenceNode {
		return
	}
	var kept []*yaml.Node
	for _, e := range want.Content {
		if k := ynode.Lookup(e, key); k != nil && findElem(have, key, k.Value) != nil {
			kept = append(kept, e)
		}
	}
	want.Content = kept
}

func uniq(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// matchContainers renames the desired containers after the user's, so the
// merge finds them: the containers package site found, else by name, by
// image repository, or the only one.
func (h *hardener) matchContainers(d, s *yaml.Node) {
	dc, sc := at(d, containersPath), at(s, containersPath)
	if dc == nil || sc == nil || dc.Kind != yaml.SequenceNode {
		return
	}
	if h.opts.Container != "" {
		for _, c := range sc.Content {
			n := ynode.Lookup(c, "name")
			if n == nil {
				continue
			}
			want := ""
			switch n.Value {
			case expand.WordPressContainerName:
				want = h.opts.Container
			case expand.MySQLContainerName:
				want = h.opts.DBContainer
				if len(sc.Content)-exporters(sc) == 1 {
					want = h.opts.Container
				}
			}
			if want != "" && want != n.Value {
				h.rename[n.Value] = want
				n.Value = want
			}
		}
		return
	}
	used := map[*yaml.Node]bool{}
	var unmatched []*yaml.Node
	for _, c := range sc.Content {
		name := ynode.Lookup(c, "name").Value
		if e := findElem(dc, "name", name); e != nil {
			used[e] = true
			continue
		}
		unmatched = append(unmatched, c)
	}
	for _, c := range unmatched {
		name := ynode.Lookup(c, "name").Value
		var match *yaml.Node
		for _, e := range dc.Content {
			if !used[e] && imageRepo(ynode.Lookup(e, "image")) == name {
				match = e
				break
			}
		}
		if match == nil && len(dc.Content) == 1 && len(sc.Content)-exporters(sc) == 1 && !used[dc.Content[0]] {
			match = dc.Content[0]
		}
		if match != nil {
			used[match] = true
			if n := ynode.Lookup(match, "name"); n != nil {
				ynode.Lookup(c, "name").Value = n.Value
				h.rename[name] = n.Value
			}
		}
	}
}

// exporters counts the exporter sidecars among the desired containers.
func exporters(sc *yaml.Node) int {
	n := 0
	for _, c := range sc.Content {
		if expand.IsExporter(ynode.Scalar(c, "name")) {
			n++
		}
	}
	return n
}

// imageRepo is the last path element of an image, without tag or digest.
func imageRepo(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	img := strings.SplitN(n.Value, "@", 2)[0]
	base := path.Base(img)
	return strings.SplitN(base, ":", 2)[0]
}

// invariants are enforced whatever the manifest says.
func (h *hardener) invariants(d, s *yaml.Node, role expand.Role, kind string) {
	spec := h.p.Spec
	w := spec.WordPress
	if role == expand.RoleWordPress && profile.On(w.HPA.Enabled) {
		if r := at(d, "spec.replicas"); r != nil && removeField(at(d, "spec"), "replicas") {
			h.note(r.Value != "1", "spec.replicas", "removed (was %s): the HorizontalPodAutoscaler owns the replica count. On a live %s applied with client-side kubectl apply, first delete spec.replicas from its last-applied configuration (kubectl apply edit-last-applied), or the count drops to 1 until the autoscaler reacts", r.Value, kind)
		}
	}
	if role == expand.RoleMySQL && kind == "Deployment" && profile.On(spec.Database.Embedded.Persistence.Enabled) {
		st := at(d, "spec.strategy.type")
		if st == nil || st.Value != "Recreate" {
			setField(at(d, "spec"), "strategy", &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Tag: "!!str", Value: "type"}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: "Recreate"},
			}})
			h.note(false, "spec.strategy", "set to Recreate: two MySQL pods must never share one ReadWriteOnce data volume")
		}
	}
	if role == expand.RoleWordPress && profile.On(w.PreStop.Enabled) {
		want := *w.TerminationGracePeriodSeconds
		ps := ensure(d, "spec.template.spec")
		g := ynode.Lookup(ps, "terminationGracePeriodSeconds")
		var cur int64
		if g != nil {
			fmt.Sscan(g.Value, &cur)
		}
		if g == nil || cur < want {
			setField(ps, "terminationGracePeriodSeconds", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(want)})
		}
	}
	dc, sc := at(d, containersPath), at(s, containersPath)
	if dc == nil || sc == nil || len(sc.Content) == 0 {
		return
	}
	main := ynode.Lookup(sc.Content[0], "resources")
	for _, c := range dc.Content {
		h.secretEnv(c)
		var sizes *yaml.Node
		burstable := false
		if name := ynode.Lookup(c, "name"); name != nil {
			if want := findElem(sc, "name", name.Value); want != nil {
				sizes = ynode.Lookup(want, "resources")
				burstable = h.burstable(name.Value)
				h.pinned(c)
			}
		}
		h.guaranteed(c, sizes, containersPath, burstable)
	}
	if ic := at(d, initContainersPath); ic != nil {
		for _, c := range ic.Content {
			h.secretEnv(c)
			h.guaranteed(c, main, initContainersPath, false)
			h.initSecurity(c)
			h.initReadOnly(d, c)
		}
	}
}

// initSecurity fills the part of the default securityContext that cannot
// break a user's init container: no privilege, no escalation, the runtime's
// seccomp profile. Capabilities are left alone: an init container that
// chowns a volume needs them, and only its author knows.
func (h *hardener) initSecurity(c *yaml.Node) {
	if h.p.Spec.Security.Mode == profile.SecurityOff {
		return
	}
	sc := ensure(c, "securityContext")
	for _, f := range []struct{ key, yaml string }{
		{"allowPrivilegeEscalation", "false"},
		{"privileged", "false"},
		{"seccompProfile", "type: RuntimeDefault"},
	} {
		if ynode.Lookup(sc, f.key) == nil {
			v, _ := yaml.Parse(f.yaml)
			setField(sc, f.key, v.YNode())
		}
	}
}

// pinned warns about a container of ours whose image is not pinned.
func (h *hardener) pinned(c *yaml.Node) {
	img, name := ynode.Lookup(c, "image"), ynode.Lookup(c, "name")
	if img == nil || name == nil {
		return
	}
	ref := strings.SplitN(img.Value, "@", 2)
	if len(ref) == 2 {
		return // a digest pins it
	}
	tag := ""
	if i := strings.LastIndex(ref[0], ":"); i > strings.LastIndex(ref[0], "/") {
		tag = ref[0][i+1:]
	}
	if tag == "" || tag == "latest" {
		h.note(true, fmt.Sprintf("%s[name=%s].image", containersPath, name.Value),
			"%q is not pinned to a version: replicas may run different code; set a tag, or spec.wordpress.image / spec.database.embedded.image in the profile", img.Value)
	}
}

// passwordKey maps the password variables of every image harden knows
// (official and Bitnami) to the credentials key that holds them.
func (h *hardener) passwordKey(env string) (string, bool) {
	c := h.p.Spec.Credentials
	root, ok := passwordEnv[env]
	if !ok {
		return "", false
	}
	if root {
		return c.RootPasswordKey, true
	}
	return c.PasswordKey, true
}

var passwordEnv = images.PasswordEnv()

// secretEnv turns a literal password into a secretKeyRef.
func (h *hardener) secretEnv(c *yaml.Node) {
	env := ynode.Lookup(c, "env")
	if env == nil || env.Kind != yaml.SequenceNode {
		return
	}
	cname := ""
	if n := ynode.Lookup(c, "name"); n != nil {
		cname = n.Value
	}
	for _, e := range env.Content {
		name, val := ynode.Lookup(e, "name"), ynode.Lookup(e, "value")
		if name == nil || val == nil {
			continue
		}
		p := fmt.Sprintf("%s[name=%s].env[name=%s]", containersPath, cname, name.Value)
		key, ok := h.passwordKey(name.Value)
		if !ok {
			if looksSecret(name.Value, val.Value) && val.Value != "" {
				h.note(true, p+".value", "%s holds a literal value that looks like a secret: move it to a Secret and use valueFrom.secretKeyRef", name.Value)
			}
			continue
		}
		sum := sha256.Sum256([]byte(val.Value))
		removeField(e, "value")
		ref, _ := yaml.Parse(fmt.Sprintf("secretKeyRef:\n  name: %s\n  key: %s\n", h.p.Spec.Credentials.SecretName, key))
		setField(e, "valueFrom", ref.YNode())
		h.note(false, p, "literal password replaced by a reference to Secret %s key %s", h.p.Spec.Credentials.SecretName, key)
		h.notes[len(h.notes)-1].Replaced = &Replacement{Env: name.Value, Key: key, Digest: hex.EncodeToString(sum[:8])}
	}
}

// urlPassword is a URL with a password in it: scheme://user:password@.
var urlPassword = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:[^\s@]+@`)

// HasURLPassword reports whether value holds a URL with a password.
func HasURLPassword(value string) bool { return urlPassword.MatchString(value) }

func looksSecret(name, value string) bool {
	n := strings.ToUpper(name)
	// A file that holds the secret (Bitnami's *_PASSWORD_FILE), a switch
	// (ALLOW_EMPTY_PASSWORD: "yes") or a path is not a secret itself.
	for _, suffix := range []string{"_FILE", "_PATH", "_DIR"} {
		if strings.HasSuffix(n, suffix) {
			return false
		}
	}
	switch strings.ToLower(value) {
	case "yes", "no", "true", "false", "on", "off", "0", "1":
		return false
	}
	if strings.HasPrefix(value, "/") {
		return false
	}
	if HasURLPassword(value) {
		return true // DATABASE_URL=mysql://wp:pw@db/wp, whatever its name
	}
	for _, w := range []string{"PASSWORD", "PASSWD", "_PWD", "SECRET", "TOKEN", "_KEY"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// guaranteed completes a container's resources so that requests equal
// limits: a missing request takes the limit, a missing limit the request,
// and a resource named in neither takes sizes, when given (the profile's
// amounts for our containers, and for init containers the main
// container's: a pod's request is the larger of its init and app
// containers', so this never raises it). A container of the user's own
// with no amount is reported: the pod cannot be Guaranteed then.
func (h *hardener) guaranteed(c, sizes *yaml.Node, path string, burstable bool) {
	name := ynode.Lookup(c, "name")
	if name == nil {
		return
	}
	p := fmt.Sprintf("%s[name=%s].resources", path, name.Value)
	r := ensure(c, "resources")
	req, lim := ensure(r, "requests"), ensure(r, "limits")
	var sized, limited []string
	for _, res := range []string{"cpu", "memory", "ephemeral-storage"} {
		rq, lm := ynode.Lookup(req, res), ynode.Lookup(lim, res)
		switch {
		case rq == nil && lm == nil:
			if v := at(sizes, "requests."+res); v != nil {
				setField(req, res, yaml.CopyYNode(v))
				sized = append(sized, res+" "+v.Value)
			}
			if v := at(sizes, "limits."+res); v != nil {
				setField(lim, res, yaml.CopyYNode(v))
			}
			if sizes == nil && res != "ephemeral-storage" {
				h.note(true, p, "no %s request or limit: the pod is not Guaranteed; size this container", res)
			}
		case rq == nil:
			setField(req, res, yaml.CopyYNode(lm))
		case lm == nil:
			setField(lim, res, yaml.CopyYNode(rq))
			limited = append(limited, res+" "+rq.Value)
		case rq.Value != lm.Value && !burstable:
			how := "size it in the manifest: the profile sizes only the WordPress and database containers"
			if field := h.resourcesField(name.Value); field != "" && path == containersPath {
				how = "the profile's " + field + " replaces them"
			}
			h.note(true, p, "%s request %s differs from its limit %s: the pod is Burstable, not Guaranteed (kept as written; %s)", res, rq.Value, lm.Value, how)
		}
	}
	if len(limited) > 0 {
		// A running container could use more than its requests; with
		// these limits it is throttled above its CPU request, killed
		// above its memory request, evicted above its ephemeral storage.
		h.note(true, p, "limits added, equal to the requests: %s; the container could use more before: it is now throttled, killed (OOM) or evicted above them. Raise the requests to what it uses under load%s", strings.Join(limited, ", "), map[bool]string{true: " (the profile's " + h.resourcesField(name.Value) + " sets both)", false: ""}[h.resourcesField(name.Value) != "" && path == containersPath])
	}
	if len(sized) > 0 && path == containersPath {
		h.note(false, p, "sized to the profile's %s, requests equal to limits (Guaranteed); set the profile's resources if the workload needs more", strings.Join(sized, ", "))
	}
	if len(req.Content) == 0 {
		removeField(r, "requests")
	}
	if len(lim.Content) == 0 {
		removeField(r, "limits")
	}
	if len(r.Content) == 0 {
		removeField(c, "resources")
	}
}

// resourcesField is the profile field that sizes a container of the
// site's, "" for another container.
func (h *hardener) resourcesField(container string) string {
	switch container {
	case h.opts.Container, expand.WordPressContainerName:
		if h.role == expand.RoleMySQL {
			return "spec.database.embedded.resources"
		}
		return "spec.wordpress.resources"
	case h.opts.DBContainer, expand.MySQLContainerName:
		return "spec.database.embedded.resources"
	}
	return ""
}

// burstable reports whether the profile itself asks for limits above the
// requests for the container.
func (h *hardener) burstable(container string) bool {
	if container == expand.MySQLContainerName {
		return h.p.Spec.Database.Embedded.Resources.Limits != nil
	}
	return h.p.Spec.WordPress.Resources.Limits != nil
}

func isSet(v any) bool { return !reflect.ValueOf(v).IsZero() }

// LooksSecret reports whether an env var's name and literal value look
// like a credential (the test harden warns with).
func LooksSecret(name, value string) bool { return value != "" && looksSecret(name, value) }
