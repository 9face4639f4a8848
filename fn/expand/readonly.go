package expand

import (
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/kube"
	"github.com/kube-samples/wordpress-fn/fn/profile"
)

// readOnlyRoot makes a container's root file system read-only (security
// modes default and strict) and mounts an emptyDir at each path its image
// writes (images.Convention.Writable). It returns the volumes to add to
// the pod. The data path, when no claim serves it, is the image's declared
// VOLUME, which the container runtime keeps writable: an emptyDir there
// would look like a data volume to harden on a later run, which would keep
// it instead of adding the claim persistence asks for. An image the
// profile names is taken for the official one of its role, as the rest
// of expand takes it (env, capabilities), unless package images knows it
// as another whose paths cannot be empty volumes: then the root file
// system stays writable.
func (n *names) readOnlyRoot(c *kube.Container, role images.Role) []kube.Volume {
	if n.p.Spec.Security.Mode == profile.SecurityOff || c.SecurityContext == nil {
		return nil
	}
	conv, ok := images.Lookup(c.Image)
	if !ok || conv.Role != role {
		conv = images.Official(role)
	}
	paths, ok := conv.EmptyDirs()
	if !ok {
		return nil
	}
	c.SecurityContext.ReadOnlyRootFilesystem = ptr(true)
	var vols []kube.Volume
	for _, p := range paths {
		name := WritableVolumeName(c.Name, p)
		c.VolumeMounts = append(c.VolumeMounts, kube.VolumeMount{Name: name, MountPath: p})
		vols = append(vols, EmptyDir(name))
	}
	return vols
}

// SafeToEvictLocalVolumes is the cluster autoscaler's pod annotation that
// lists, comma-separated, the local volumes it may lose when it evicts the
// pod to scale a node down. A pod with an emptyDir it does not list keeps
// its node up where the autoscaler runs with --skip-nodes-with-local-storage
// (its default). The emptyDirs of a read-only root hold pid files, locks
// and /tmp: nothing a new pod needs.
const SafeToEvictLocalVolumes = "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes"

// evictable names the pod's emptyDirs in SafeToEvictLocalVolumes. Every
// emptyDir expand emits is a writable path of a read-only root.
func evictable(d *kube.Deployment) *kube.Deployment {
	var names []string
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.EmptyDir != nil {
			names = append(names, v.Name)
		}
	}
	if len(names) > 0 {
		if d.Spec.Template.Annotations == nil {
			d.Spec.Template.Annotations = map[string]string{}
		}
		d.Spec.Template.Annotations[SafeToEvictLocalVolumes] = strings.Join(names, ",")
	}
	return d
}

// EmptyDir is an emptyDir volume.
func EmptyDir(name string) kube.Volume {
	return kube.Volume{Name: name, VolumeSource: kube.VolumeSource{EmptyDir: &kube.EmptyDirVolumeSource{}}}
}

// WritableVolumeName names the emptyDir of a container's writable path:
// "wordpress-var-run-apache2", a DNS label of at most 63 characters.
func WritableVolumeName(container, path string) string {
	var b strings.Builder
	b.WriteString(container)
	for _, r := range strings.ToLower(path) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	name := b.String()
	if len(name) > 63 {
		name = name[:63]
	}
	return strings.TrimRight(name, "-")
}
