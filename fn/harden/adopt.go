package harden

import (
	"fmt"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// adopt trims the desired workload to what may be added to the user's: a
// setting that would change what the application does is left out.
//   - No container is added to the user's pod, but the exporter sidecars
//     of spec.monitoring (the desired workload holds them only where
//     expand found they fit: an image whose status it can read, no
//     exporter in the pod yet).
//   - No env: the database host, user and name are the user's. Only when
//     the function generates the database does WordPress get the env that
//     connects to it (WireDatabase).
//   - No args, unless the image's entrypoint passes them to the server
//     (the official mysql and mariadb) and the container sets neither
//     command nor args.
//   - No ports where the container declares its own.
//   - No data volume where the image's data path is already served, or
//     unknown.
//   - For an image harden does not know: no capabilities or user, no
//     probes without a declared port.
func (h *hardener) adopt(d, s *yaml.Node, role expand.Role, kind string) {
	dc, sc := at(d, containersPath), at(s, containersPath)
	if dc == nil || sc == nil || dc.Kind != yaml.SequenceNode || sc.Kind != yaml.SequenceNode {
		return
	}
	var kept []*yaml.Node
	for _, c := range sc.Content {
		if n := ynode.Lookup(c, "name"); n != nil && (findElem(dc, "name", n.Value) != nil || expand.IsExporter(n.Value)) {
			kept = append(kept, c)
		}
	}
	sc.Content = kept
	if st := at(s, "spec.strategy"); st != nil {
		// Recreate is for the database in WordPress's pod (noha): not for
		// a pod where no database container was matched. An empty
		// strategy says nothing.
		noDB := role == expand.RoleWordPress && h.p.Spec.Topology == profile.NoHA && h.opts.Container != "" && h.opts.DBContainer == ""
		if len(st.Content) == 0 || noDB && ynode.Scalar(st, "type") == "Recreate" {
			removeField(at(s, "spec"), "strategy")
		}
	}
	// What the profile sets explicitly replaces the user's (overrides):
	// it is never trimmed here.
	explicit := map[string]bool{}
	for _, o := range explicitFields(h.raw, role) {
		explicit[o.container+"/"+o.path] = true
	}
	remove := func(c *yaml.Node, field string) bool {
		name := h.origName(ynode.Scalar(c, "name"))
		if explicit[name+"/"+field] {
			return false
		}
		return removeField(c, field)
	}
	for _, c := range sc.Content {
		name := ynode.Lookup(c, "name").Value
		user := findElem(dc, "name", name)
		if expand.IsExporter(name) {
			// Added whole, as generated, or ours from an earlier run:
			// its image writes nowhere (no emptyDir), and the rest is
			// as generated.
			continue
		}
		conv, known, main := h.opts.Image, h.opts.Known, name == h.opts.Container
		keepData := h.opts.KeepData
		if name == h.opts.DBContainer && h.opts.DBContainer != "" {
			conv, known, main, keepData = h.opts.DBImage, h.opts.DBKnown, false, h.opts.KeepDBData
		}
		adopted := h.opts.Container != ""
		if !(role == expand.RoleWordPress && main && h.opts.WireDatabase) {
			remove(c, "env")
		}
		// Server args (the tutorial's utf8mb4) change the defaults of a
		// running database: new tables would get another collation than
		// the old ones. Only a profile that sets them adds them (explicit).
		if !(known && conv.TakesServerArgs) || adopted || ynode.Lookup(user, "command") != nil || ynode.Lookup(user, "args") != nil {
			remove(c, "args")
		}
		if adopted && !known {
			remove(c, "ports")
		}
		onlyExisting(ynode.Lookup(user, "ports"), ynode.Lookup(c, "ports"), "containerPort")
		if adopted && (keepData || !known) {
			h.dropMounts(s, c)
		}
		roConv, roKnown := conv, known
		if !adopted || !main && name != h.opts.DBContainer {
			// Not found by its image: the profile's container, on
			// whatever image the user's runs (as expand takes it).
			r := images.WordPress
			if role == expand.RoleMySQL || name == expand.MySQLContainerName {
				r = images.Database
			}
			if roConv, roKnown = images.Lookup(ynode.Scalar(user, "image")); !roKnown || roConv.Role != r {
				roConv, roKnown = images.Official(r), true
			}
		}
		h.planReadOnly(s, c, user, roConv, roKnown)
		if !adopted {
			continue
		}
		if !known {
			img := ynode.Scalar(user, "image")
			h.note(false, fmt.Sprintf("%s[name=%s].image", containersPath, name),
				"%q is not an image harden knows (the official wordpress, mysql and mariadb, or Bitnami's): only settings that hold for any image were applied; no env, args, data volume, capabilities or read-only root file system (harden does not know which paths it writes)", img)
			if sec := ynode.Lookup(c, "securityContext"); sec != nil {
				for _, f := range []string{"capabilities", "runAsUser", "runAsGroup", "runAsNonRoot"} {
					removeField(sec, f)
				}
			}
			if ps := at(s, "spec.template.spec.securityContext"); ps != nil {
				for _, f := range []string{"runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup"} {
					removeField(ps, f)
				}
			}
			if ports := ynode.Lookup(user, "ports"); ports == nil || len(ports.Content) == 0 {
				for _, pr := range []string{"readinessProbe", "livenessProbe", "startupProbe"} {
					if remove(c, pr) && pr == "readinessProbe" && ynode.Lookup(user, pr) == nil {
						h.note(true, fmt.Sprintf("%s[name=%s].readinessProbe", containersPath, name),
							"none added: the container declares no port and its image is not one harden knows; declare its containerPort, or set the probe in the profile (readinessProbe.tcpPort or httpPath)")
					}
				}
			}
		} else if conv.User != h.defaultUser(role, main) {
			// An image that runs as its own unprivileged user (Bitnami's
			// 1001) needs no capability, and strict mode runs it as that.
			if sec := ynode.Lookup(c, "securityContext"); sec != nil {
				if caps := ynode.Lookup(sec, "capabilities"); caps != nil {
					removeField(caps, "add")
				}
				for _, f := range []string{"runAsUser"} {
					if v := ynode.Lookup(sec, f); v != nil {
						v.Value = fmt.Sprint(conv.User)
					}
				}
			}
			if ps := at(s, "spec.template.spec.securityContext"); ps != nil {
				for _, f := range []string{"runAsUser", "runAsGroup", "fsGroup"} {
					if v := ynode.Lookup(ps, f); v != nil {
						v.Value = fmt.Sprint(conv.User)
					}
				}
			}
		}
		if main && role == expand.RoleWordPress {
			h.keptOut(user, name)
		}
		if ynode.Lookup(user, "resources") == nil {
			if want := ynode.Lookup(c, "resources"); want != nil && !explicit[h.origName(name)+"/resources"] {
				var sizes []string
				for _, res := range []string{"cpu", "memory", "ephemeral-storage"} {
					if v := at(want, "limits."+res); v != nil {
						sizes = append(sizes, res+" "+v.Value)
					}
				}
				h.note(true, fmt.Sprintf("%s[name=%s].resources", containersPath, name),
					"had none: sized to the profile's %s, requests equal to limits (Guaranteed). The container is killed above its memory limit and evicted above its ephemeral storage: set %s to what it uses under load",
					strings.Join(sizes, ", "), h.resourcesField(name))
			}
		}
	}
	dropUnusedEmptyDirs(s)
}

// origName is the desired container's name before it was renamed after
// the user's.
func (h *hardener) origName(name string) string {
	for orig, renamed := range h.rename {
		if renamed == name {
			return orig
		}
	}
	return name
}

// defaultUser is the uid the profile's security settings assume for a
// container: the official images' www-data and mysql.
func (h *hardener) defaultUser(role expand.Role, main bool) int64 {
	sec := h.p.Spec.Security
	if role == expand.RoleWordPress && main {
		return *sec.WordPressUser
	}
	return *sec.MySQLUser
}

// dropMounts removes the desired data mounts of a container, and the
// volumes they used.
func (h *hardener) dropMounts(s, c *yaml.Node) {
	mounts := ynode.Lookup(c, "volumeMounts")
	if mounts == nil {
		return
	}
	vols := at(s, "spec.template.spec.volumes")
	var kept []*yaml.Node
	for _, m := range mounts.Content {
		name := ynode.Scalar(m, "name")
		if name == expand.ApacheStatusVolume {
			kept = append(kept, m) // the exporter's status page, not data
			continue
		}
		if vols == nil {
			continue
		}
		var keep []*yaml.Node
		for _, v := range vols.Content {
			if ynode.Scalar(v, "name") != name {
				keep = append(keep, v)
			}
		}
		vols.Content = keep
	}
	if vols != nil && len(vols.Content) == 0 {
		removeField(at(s, "spec.template.spec"), "volumes")
	}
	if len(kept) > 0 {
		mounts.Content = kept
		return
	}
	removeField(c, "volumeMounts")
}

// keptOut warns about production settings the user's own values keep
// out, naming the profile field that overrides them.
func (h *hardener) keptOut(user *yaml.Node, name string) {
	w := h.raw.Spec.WordPress
	if ynode.Lookup(user, "livenessProbe") != nil && !isSet(w.LivenessProbe) {
		h.note(true, fmt.Sprintf("%s[name=%s].livenessProbe", containersPath, name),
			"kept as written: the tutorial runs WordPress without a liveness probe, so that a failing pod is kept for debugging and monitoring raises the alarm instead of a restart loop; set spec.wordpress.livenessProbe.enabled: false to remove it")
	}
}

// strategy completes the user's rolling update with the profile's
// maxSurge and maxUnavailable where it says nothing, and warns where the
// user's strategy keeps the zero-downtime rollout out.
func (h *hardener) strategy(d, s *yaml.Node, kind string) {
	if kind != "Deployment" || isSet(h.raw.Spec.WordPress.RollingUpdate) {
		return
	}
	want := at(s, "spec.strategy")
	if want == nil || ynode.Scalar(want, "type") != "RollingUpdate" {
		return
	}
	have := at(d, "spec.strategy")
	if have == nil || len(have.Content) == 0 {
		return // fill adds the profile's
	}
	typ := ynode.Scalar(have, "type")
	switch typ {
	case "", "RollingUpdate":
		ru := ensure(have, "rollingUpdate")
		for _, f := range []string{"maxSurge", "maxUnavailable"} {
			if ynode.Lookup(ru, f) == nil {
				if v := at(want, "rollingUpdate."+f); v != nil {
					setField(ru, f, yaml.CopyYNode(v))
				}
			} else if f == "maxUnavailable" {
				if v := ynode.Lookup(ru, f); v.Value != "0" && v.Value != "0%" {
					h.note(true, "spec.strategy.rollingUpdate.maxUnavailable", "kept as written (%s): a rollout may stop serving pods before new ones are ready; set spec.wordpress.rollingUpdate in the profile to replace it", v.Value)
				}
			}
		}
	case "Recreate":
		if c := h.opts.ReadWriteOnceClaim; c != "" {
			h.note(false, "spec.strategy.type", "Recreate kept: WordPress's data is on ReadWriteOnce claim %s, and a rolling update would start a second pod on it that cannot attach it on another node", c)
			return
		}
		h.note(true, "spec.strategy.type", "Recreate kept as written: every update stops all WordPress pods before new ones start (downtime); set spec.wordpress.rollingUpdate in the profile for a rolling update with maxUnavailable 0")
	}
}
