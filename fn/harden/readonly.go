package harden

import (
	"fmt"
	"path"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// A read-only root file system (security modes default and strict) for
// the user's containers whose image harden knows: readOnlyRootFilesystem
// and an emptyDir at each path the image writes (images.Writable) that the
// pod does not mount already (the data path, where nothing serves it, is
// the image's declared VOLUME, as before). Applied to a running site it is a rollout of the pod template, new
// volumes only: a StatefulSet's volumeClaimTemplates are never touched.
//   - The user's own readOnlyRootFilesystem, true or false, stands.
//   - A path the container already mounts (or a directory above it) gets
//     nothing: never a second mount at one path, nor a volume name twice.
//   - An image harden does not know, or one that needs its own files in a
//     path (Bitnami's, whose chart copies them with an init container,
//     which harden does not add) stays writable, and a result says so.

// roPlan is what a container of the user's needs for a read-only root.
type roPlan struct {
	paths []string
}

// planReadOnly decides, before the merge, whether the desired container c
// (matched with the user's container user) gets a read-only root file
// system; expand's emptyDirs are taken out of the desired pod, and
// readOnlyRoot adds what the user's pod lacks after the merge.
func (h *hardener) planReadOnly(s, c, user *yaml.Node, conv images.Convention, known bool) {
	name := ynode.Scalar(c, "name")
	stripEmptyDirs(s, c)
	if h.p.Spec.Security.Mode == profile.SecurityOff {
		return
	}
	sec := ynode.Lookup(c, "securityContext")
	own := ynode.Lookup(ynode.Lookup(user, "securityContext"), "readOnlyRootFilesystem")
	if own != nil && sec != nil {
		// The user's value stands, even against the profile's explicit
		// security mode (which replaces the rest of the securityContext).
		setField(sec, "readOnlyRootFilesystem", yaml.CopyYNode(own))
		if own.Value == "false" {
			h.note(true, fmt.Sprintf("%s[name=%s].securityContext.readOnlyRootFilesystem", containersPath, name),
				"false kept as written: the container may write anywhere in its image's file system; remove it to make the root file system read-only")
		}
	}
	if !known {
		if own == nil {
			removeField(sec, "readOnlyRootFilesystem")
		}
		return // the unknown-image result says so
	}
	var paths, missing []string
	for _, w := range conv.Writable {
		switch {
		case mounted(user, w.Path):
		case w.Seeded:
			missing = append(missing, w.Path)
		default:
			paths = append(paths, w.Path)
		}
	}
	if conv.Writable == nil || len(missing) > 0 {
		if own != nil {
			return // the user's own
		}
		removeField(sec, "readOnlyRootFilesystem")
		why := "harden does not know which paths it writes"
		if len(missing) > 0 {
			why = fmt.Sprintf("it needs its own files in %s, which Bitnami's chart copies into an emptyDir with an init container, and harden adds no container; mount them as the chart does", strings.Join(missing, ", "))
		}
		h.note(false, fmt.Sprintf("%s[name=%s].securityContext.readOnlyRootFilesystem", containersPath, name),
			"not set for %s: %s", conv.Family, why)
		return
	}
	if h.ro == nil {
		h.ro = map[string]roPlan{}
	}
	h.ro[name] = roPlan{paths: paths}
}

// readOnlyRoot adds, after the merge, the emptyDirs a container with a
// read-only root file system needs and its pod does not have.
func (h *hardener) readOnlyRoot(d *yaml.Node) {
	dc := at(d, containersPath)
	if dc == nil || dc.Kind != yaml.SequenceNode {
		return
	}
	for _, c := range dc.Content {
		name := ynode.Scalar(c, "name")
		plan, ok := h.ro[name]
		if !ok || ynode.Scalar(c, "securityContext", "readOnlyRootFilesystem") != "true" {
			continue
		}
		var added []string
		for _, p := range plan.paths {
			if mounted(c, p) {
				continue
			}
			vname := freeVolumeName(d, expand.WritableVolumeName(name, p))
			addMount(c, vname, p)
			h.addEmptyDir(d, vname)
			added = append(added, p)
		}
		if len(added) > 0 {
			h.note(false, fmt.Sprintf("%s[name=%s].volumeMounts", containersPath, name),
				"the root file system is read-only: an emptyDir at %s, where the image writes; applying the output rolls the pods out", strings.Join(added, ", "))
		}
	}
}

// initReadOnly gives a user's init container a read-only root file system
// where harden knows what it writes: an image it knows, running the
// image's own entrypoint (no command), or a shell image (busybox), whose
// command is taken to write only to its volumes and /tmp, as init
// containers do (a warning names it: if it writes elsewhere, the new pods
// stop at their init container). Other init containers are left writable,
// and said so.
func (h *hardener) initReadOnly(d, c *yaml.Node) {
	if h.p.Spec.Security.Mode == profile.SecurityOff {
		return
	}
	name := ynode.Scalar(c, "name")
	if ynode.Lookup(ynode.Lookup(c, "securityContext"), "readOnlyRootFilesystem") != nil {
		return // the user's own
	}
	img := ynode.Scalar(c, "image")
	conv, known := images.Lookup(img)
	shell := false
	if !known {
		conv, shell = images.Utility(img)
	}
	paths, ok := conv.EmptyDirs()
	p := fmt.Sprintf("%s[name=%s].securityContext.readOnlyRootFilesystem", initContainersPath, name)
	switch {
	case !(known || shell) || !ok:
		h.note(false, p, "not set: harden does not know what %q writes; set it, with an emptyDir for each path the container writes", img)
		return
	case known && ynode.Lookup(c, "command") != nil:
		h.note(false, p, "not set: harden does not know what the container's command writes; set it, with an emptyDir for each path the command writes")
		return
	}
	setField(ensure(c, "securityContext"), "readOnlyRootFilesystem", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	var added []string
	for _, p := range paths {
		if mounted(c, p) {
			continue
		}
		vname := freeVolumeName(d, expand.WritableVolumeName(name, p))
		addMount(c, vname, p)
		h.addEmptyDir(d, vname)
		added = append(added, p)
	}
	if shell {
		where := ""
		if len(added) > 0 {
			where = ", with an emptyDir at " + strings.Join(added, ", ")
		}
		h.note(true, p, "set to true%s: %s writes only where the command says, taken to be the container's volumes; if the command writes elsewhere, the new pods stop at this init container (a rollout stalls, a Recreate workload stays down): set readOnlyRootFilesystem: false on it", where, conv.Family)
	}
}

// stripEmptyDirs takes expand's emptyDir mounts out of the desired
// container c of pod s; dropUnusedEmptyDirs then drops the volumes.
func stripEmptyDirs(s, c *yaml.Node) {
	mounts, vols := ynode.Lookup(c, "volumeMounts"), at(s, "spec.template.spec.volumes")
	if mounts == nil || vols == nil {
		return
	}
	var keep []*yaml.Node
	for _, m := range mounts.Content {
		if v := findElem(vols, "name", ynode.Scalar(m, "name")); v == nil || ynode.Lookup(v, "emptyDir") == nil {
			keep = append(keep, m)
		}
	}
	mounts.Content = keep
	if len(keep) == 0 {
		removeField(c, "volumeMounts")
	}
}

// dropUnusedEmptyDirs drops the desired pod's emptyDirs that no container
// mounts.
func dropUnusedEmptyDirs(s *yaml.Node) {
	vols := at(s, "spec.template.spec.volumes")
	if vols == nil {
		return
	}
	used := map[string]bool{}
	if cs := at(s, containersPath); cs != nil {
		for _, c := range cs.Content {
			if ms := ynode.Lookup(c, "volumeMounts"); ms != nil {
				for _, m := range ms.Content {
					used[ynode.Scalar(m, "name")] = true
				}
			}
		}
	}
	var keep []*yaml.Node
	for _, v := range vols.Content {
		if ynode.Lookup(v, "emptyDir") == nil || used[ynode.Scalar(v, "name")] {
			keep = append(keep, v)
		}
	}
	vols.Content = keep
	if len(keep) == 0 {
		removeField(at(s, "spec.template.spec"), "volumes")
	}
}

// mounted: the container mounts p, or a directory above it.
func mounted(c *yaml.Node, p string) bool {
	ms := ynode.Lookup(c, "volumeMounts")
	if ms == nil {
		return false
	}
	p = path.Clean(p)
	for _, m := range ms.Content {
		mp := ynode.Scalar(m, "mountPath")
		if mp == "" {
			continue
		}
		mp = path.Clean(mp)
		if mp == p || mp == "/" || strings.HasPrefix(p, mp+"/") {
			return true
		}
	}
	return false
}

// freeVolumeName is name, or name-2, name-3, ... when the pod has a volume
// of that name.
func freeVolumeName(d *yaml.Node, name string) string {
	vols := at(d, "spec.template.spec.volumes")
	taken := func(n string) bool { return vols != nil && findElem(vols, "name", n) != nil }
	if !taken(name) {
		return name
	}
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s-%d", strings.TrimRight(name[:min(len(name), 60)], "-"), i)
		if !taken(n) {
			return n
		}
	}
}

func addMount(c *yaml.Node, name, p string) {
	ms := ynode.Lookup(c, "volumeMounts")
	if ms == nil || ms.Kind != yaml.SequenceNode {
		ms = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		setField(c, "volumeMounts", ms)
	}
	ms.Content = append(ms.Content, mapping("mountPath", p, "name", name))
}

// addEmptyDir adds an emptyDir to pod template d, and remembers it as
// harden's for the autoscaler's annotation (evictable).
func (h *hardener) addEmptyDir(d *yaml.Node, name string) {
	if h.emptied == nil {
		h.emptied = map[string]bool{}
	}
	h.emptied[name] = true
	addEmptyDir(d, name)
}

func addEmptyDir(d *yaml.Node, name string) {
	ps := ensure(d, "spec.template.spec")
	vols := ynode.Lookup(ps, "volumes")
	if vols == nil || vols.Kind != yaml.SequenceNode {
		vols = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		setField(ps, "volumes", vols)
	}
	v := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	setField(v, "emptyDir", &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle})
	setField(v, "name", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name})
	vols.Content = append(vols.Content, v)
}

func mapping(kv ...string) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(kv); i += 2 {
		setField(m, kv[i], &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kv[i+1]})
	}
	return m
}

// dropEvictable takes expand's autoscaler annotation out of the desired
// pod template s: its volume names are expand's, and evictable lists the
// ones the user's pod really has.
func dropEvictable(s *yaml.Node) {
	meta := at(s, "spec.template.metadata")
	ann := ynode.Lookup(meta, "annotations")
	if removeField(ann, expand.SafeToEvictLocalVolumes) && len(ann.Content) == 0 {
		removeField(meta, "annotations")
	}
}

// evictable names, in the pod template's annotation
// expand.SafeToEvictLocalVolumes, the emptyDirs of its read-only roots:
// those harden added and those named as harden names them (an earlier
// run's), mounted by a container whose root file system is read-only.
// They hold pid files, locks and /tmp, so the cluster autoscaler may evict
// the pod to scale its node down, as it could before they were added. The
// user's own entries stay, first and in their order; the user's other
// emptyDirs are not added: what they hold is the user's to judge.
func (h *hardener) evictable(d *yaml.Node) {
	vols := at(d, "spec.template.spec.volumes")
	if vols == nil || vols.Kind != yaml.SequenceNode {
		return
	}
	var names []string
	seen := map[string]bool{}
	for _, p := range []string{initContainersPath, containersPath} {
		cs := at(d, p)
		if cs == nil || cs.Kind != yaml.SequenceNode {
			continue
		}
		for _, c := range cs.Content {
			ms := ynode.Lookup(c, "volumeMounts")
			if ms == nil || ms.Kind != yaml.SequenceNode || ynode.Scalar(c, "securityContext", "readOnlyRootFilesystem") != "true" {
				continue
			}
			for _, m := range ms.Content {
				vn := ynode.Scalar(m, "name")
				v := findElem(vols, "name", vn)
				if v == nil || ynode.Lookup(v, "emptyDir") == nil || seen[vn] {
					continue
				}
				if h.emptied[vn] || vn == expand.WritableVolumeName(ynode.Scalar(c, "name"), ynode.Scalar(m, "mountPath")) {
					seen[vn] = true
					names = append(names, vn)
				}
			}
		}
	}
	if len(names) == 0 {
		return
	}
	meta := at(d, "spec.template.metadata")
	if meta == nil || meta.Kind != yaml.MappingNode {
		return // no pod labels either: not a pod template harden edits
	}
	ann := ynode.Lookup(meta, "annotations")
	if ann != nil && !ynode.IsNull(ann) && ann.Kind != yaml.MappingNode {
		return
	}
	var list []string
	have := map[string]bool{}
	if ann != nil {
		if old := ynode.Lookup(ann, expand.SafeToEvictLocalVolumes); old != nil {
			for _, n := range strings.Split(old.Value, ",") {
				if n = strings.TrimSpace(n); n != "" && !have[n] {
					have[n] = true
					list = append(list, n)
				}
			}
		}
	}
	grown := false
	for _, n := range names {
		if !have[n] {
			list = append(list, n)
			grown = true
		}
	}
	if !grown {
		return
	}
	setField(ensure(meta, "annotations"), expand.SafeToEvictLocalVolumes, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: strings.Join(list, ",")})
}
