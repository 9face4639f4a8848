package harden

import (
	"fmt"
	"path"
	"reflect"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/expand"
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
}

// Apply makes dst, the user's version of a resource the profile needs,
// realize desired: the precedence is the package's. raw is the profile as
// written (before defaults), which tells the fields it sets explicitly.
func Apply(dst *yaml.RNode, desired expand.Resource, p, raw *profile.WordPressProfile) []Note {
	h := &hardener{p: p, raw: raw, rename: map[string]string{}}
	src := desired.Object.Copy()
	d, s := dst.YNode(), src.YNode()
	if desired.Role == expand.RoleWordPress || desired.Role == expand.RoleMySQL {
		h.workload(d, s, desired.Role)
	} else {
		h.overrides(d, s, desired.Role)
		Fill(dst, src)
	}
	if desired.Role == expand.RoleWordPressService {
		h.service(d)
	}
	return h.notes
}

type hardener struct {
	p, raw *profile.WordPressProfile
	notes  []Note
	// rename maps a desired container's name to the user's container it
	// was matched with.
	rename map[string]string
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
	h.overrides(d, s, role)
	fill(d, s, "")
	h.invariants(d, s, role, kind)
}

// service drops nodePort numbers from a Service that is no longer of a
// type that has them: the API server rejects them on a ClusterIP Service.
func (h *hardener) service(d *yaml.Node) {
	typ := "ClusterIP"
	if t := at(d, "spec.type"); t != nil {
		typ = t.Value
	}
	if typ == "NodePort" || typ == "LoadBalancer" {
		return
	}
	ports := at(d, "spec.ports")
	if ports == nil {
		return
	}
	for _, p := range ports.Content {
		if removeField(p, "nodePort") {
			h.note(false, "spec.ports", "nodePort removed: the Service is of type %s now", typ)
		}
	}
}

// matchContainers renames the desired containers after the user's, so the
// merge finds them: by name, else by image repository, else the only one.
func (h *hardener) matchContainers(d, s *yaml.Node) {
	dc, sc := at(d, containersPath), at(s, containersPath)
	if dc == nil || sc == nil || dc.Kind != yaml.SequenceNode {
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
		if match == nil && len(dc.Content) == 1 && len(sc.Content) == 1 && !used[dc.Content[0]] {
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
		if removeField(at(d, "spec"), "replicas") {
			h.note(false, "spec.replicas", "removed: the HorizontalPodAutoscaler owns the replica count")
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

// passwordEnv maps the official images' password variables to the
// credentials key that holds them.
func (h *hardener) passwordKey(env string) (string, bool) {
	c := h.p.Spec.Credentials
	switch env {
	case "WORDPRESS_DB_PASSWORD", "MYSQL_PASSWORD":
		return c.PasswordKey, true
	case "MYSQL_ROOT_PASSWORD":
		return c.RootPasswordKey, true
	}
	return "", false
}

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
			if looksSecret(name.Value) && val.Value != "" {
				h.note(true, p+".value", "%s holds a literal value that looks like a secret: move it to a Secret and use valueFrom.secretKeyRef", name.Value)
			}
			continue
		}
		removeField(e, "value")
		ref, _ := yaml.Parse(fmt.Sprintf("secretKeyRef:\n  name: %s\n  key: %s\n", h.p.Spec.Credentials.SecretName, key))
		setField(e, "valueFrom", ref.YNode())
		h.note(false, p, "literal password replaced by a reference to Secret %s key %s", h.p.Spec.Credentials.SecretName, key)
	}
}

func looksSecret(name string) bool {
	n := strings.ToUpper(name)
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
	for _, res := range []string{"cpu", "memory", "ephemeral-storage"} {
		rq, lm := ynode.Lookup(req, res), ynode.Lookup(lim, res)
		switch {
		case rq == nil && lm == nil:
			if v := at(sizes, "requests."+res); v != nil {
				setField(req, res, yaml.CopyYNode(v))
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
		case rq.Value != lm.Value && !burstable:
			h.note(true, p, "%s request %s differs from its limit %s: the pod is Burstable, not Guaranteed (kept, as written)", res, rq.Value, lm.Value)
		}
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

// burstable reports whether the profile itself asks for limits above the
// requests for the container.
func (h *hardener) burstable(container string) bool {
	if container == expand.MySQLContainerName {
		return h.p.Spec.Database.Embedded.Resources.Limits != nil
	}
	return h.p.Spec.WordPress.Resources.Limits != nil
}

func isSet(v any) bool { return !reflect.ValueOf(v).IsZero() }
