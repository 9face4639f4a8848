package harden_test

import (
	"strings"
	"testing"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/harden"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"github.com/kube-samples/wordpress-fn/fn/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// hardenWithNotes is hardenOne (precedence_test.go) returning the notes
// too, for the workload roles.
func hardenWithNotes(t *testing.T, manifests, spec string, role expand.Role) (*yaml.RNode, []harden.Note) {
	t.Helper()
	node, err := yaml.Parse("apiVersion: wordpress.kube-samples.io/v1alpha1\nkind: WordPressProfile\nmetadata:\n  name: wordpress\nspec:\n  " +
		strings.ReplaceAll(strings.TrimSuffix(spec, "\n"), "\n", "\n  ") + "\n")
	require.NoError(t, err)
	raw, p, problems := profile.Load(node)
	require.Empty(t, problems.Errors(), "the profile is valid")
	var items fn.KubeObjects
	for _, doc := range strings.Split(manifests, "\n---\n") {
		o, err := fn.ParseKubeObject([]byte(doc))
		require.NoError(t, err)
		items = append(items, o)
	}
	found, _ := site.Find(items, p, raw)
	require.True(t, found.Found(), "the site is found")
	desired, err := expand.ExpandExisting(p, found.Existing())
	require.NoError(t, err)
	user := found.Adopted[role]
	require.NotNil(t, user, "the manifests have the object for %s", role)
	var want *expand.Resource
	for i, r := range desired.Resources {
		if r.Role == role {
			want = &desired.Resources[i]
		}
	}
	require.NotNil(t, want)
	opts := &harden.Options{}
	switch role {
	case expand.RoleWordPress:
		w := found.WordPress
		opts.Container, opts.Image, opts.Known = w.Container, w.Image, w.Known
		opts.KeepData = found.WordPressData != nil || !w.Known
	case expand.RoleMySQL:
		d := found.Database
		opts.Container, opts.Image, opts.Known = d.Container, d.Image, d.Known
		opts.KeepData = found.DatabaseData != nil || !d.Known
	}
	obj := user.CopyToResourceNode()
	notes := harden.Apply(obj, *want, p, raw, opts)
	return obj, notes
}

// mounts lists a container's mount paths, in order, and its
// readOnlyRootFilesystem ("" when unset).
func mounts(t *testing.T, obj *yaml.RNode, list, container string) (paths []string, ro string) {
	t.Helper()
	c, err := obj.Pipe(yaml.Lookup("spec", "template", "spec", list), yaml.MatchElement("name", container))
	require.NoError(t, err)
	require.NotNil(t, c, "container %s", container)
	if v, _ := c.Pipe(yaml.Lookup("securityContext", "readOnlyRootFilesystem")); v != nil {
		ro = yaml.GetValue(v)
	}
	ms, _ := c.Pipe(yaml.Lookup("volumeMounts"))
	if ms != nil {
		for _, m := range ms.Content() {
			paths = append(paths, yaml.GetValue(yaml.NewRNode(m).Field("mountPath").Value))
		}
	}
	return paths, ro
}

func volumeNames(t *testing.T, obj *yaml.RNode) []string {
	t.Helper()
	vs, err := obj.Pipe(yaml.Lookup("spec", "template", "spec", "volumes"))
	require.NoError(t, err)
	if vs == nil {
		return nil
	}
	var out []string
	for _, v := range vs.Content() {
		out = append(out, yaml.GetValue(yaml.NewRNode(v).Field("name").Value))
	}
	return out
}

func messages(notes []harden.Note) string {
	var b strings.Builder
	for _, n := range notes {
		b.WriteString(n.Path + ": " + n.Message + "\n")
	}
	return b.String()
}

const wordpressDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: wordpress
  namespace: kube-samples
spec:
  selector:
    matchLabels: {app: wordpress, tier: frontend}
  template:
    metadata:
      labels: {app: wordpress, tier: frontend}
    spec:
      containers:
      - name: wordpress
        image: IMAGE
        ports:
        - containerPort: 80
        SECURITY
        volumeMounts:
        - name: data
          mountPath: /var/www/html
        - name: scratch # the user's own /tmp
          mountPath: /tmp
      INIT
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: wp}
      - name: scratch
        emptyDir: {medium: Memory}
      - name: wordpress-var-run-apache2 # a name harden would use, taken
        configMap: {name: apache-extra}
`

func wordpressWith(image, security, init string) string {
	r := strings.NewReplacer("IMAGE", image, "SECURITY", security, "INIT", init)
	return r.Replace(wordpressDeployment)
}

func TestReadOnlyRootOfficialImage(t *testing.T) {
	obj, notes := hardenWithNotes(t, wordpressWith("wordpress:6.8.3-apache", "", ""), "topology: ha\n", expand.RoleWordPress)
	paths, ro := mounts(t, obj, "containers", "wordpress")
	assert.Equal(t, "true", ro, "the root file system is read-only")
	// The user's /tmp and data mounts stay; Apache's two directories are
	// added, once each.
	assert.Equal(t, []string{"/var/www/html", "/tmp", "/var/run/apache2", "/var/lock/apache2"}, paths)
	// The user's volume named like harden's is left alone: harden's takes
	// another name.
	assert.Equal(t, []string{"data", "scratch", "wordpress-var-run-apache2", "wordpress-var-run-apache2-2", "wordpress-var-lock-apache2"}, volumeNames(t, obj))
	assert.Contains(t, obj.MustString(), "- mountPath: /var/run/apache2\n          name: wordpress-var-run-apache2-2\n", "the new mount uses the new volume")
	assert.Contains(t, messages(notes), "the root file system is read-only: an emptyDir at /var/run/apache2, /var/lock/apache2, where the image writes")

	// Idempotent: the output hardened again gains nothing.
	again, _ := hardenWithNotes(t, obj.MustString(), "topology: ha\n", expand.RoleWordPress)
	assert.Equal(t, obj.MustString(), again.MustString())
}

func TestReadOnlyRootUsersOwnValueStands(t *testing.T) {
	obj, notes := hardenWithNotes(t, wordpressWith("wordpress:6.8.3-apache", "securityContext: {readOnlyRootFilesystem: false}", ""),
		"topology: ha\nsecurity: {mode: default}\n", expand.RoleWordPress)
	paths, ro := mounts(t, obj, "containers", "wordpress")
	assert.Equal(t, "false", ro, "the user's false stands, even against an explicit security mode")
	assert.Equal(t, []string{"/var/www/html", "/tmp"}, paths, "no emptyDir for a writable root")
	assert.Contains(t, messages(notes), "securityContext.readOnlyRootFilesystem: false kept as written")
}

func TestReadOnlyRootSecurityOff(t *testing.T) {
	obj, _ := hardenWithNotes(t, wordpressWith("wordpress:6.8.3-apache", "", ""), "topology: ha\nsecurity: {mode: \"off\"}\n", expand.RoleWordPress)
	paths, ro := mounts(t, obj, "containers", "wordpress")
	assert.Equal(t, "", ro)
	assert.Equal(t, []string{"/var/www/html", "/tmp"}, paths)
	assert.Equal(t, []string{"data", "scratch", "wordpress-var-run-apache2"}, volumeNames(t, obj))
}

func TestReadOnlyRootUnknownImage(t *testing.T) {
	obj, notes := hardenWithNotes(t, wordpressWith("registry.example.com/acme/wp:1.0", "", ""), "topology: ha\n", expand.RoleWordPress)
	paths, ro := mounts(t, obj, "containers", "wordpress")
	assert.Equal(t, "", ro, "what an unknown image writes is not known: its root stays writable")
	assert.Equal(t, []string{"/var/www/html", "/tmp"}, paths)
	assert.Contains(t, messages(notes), "no env, args, data volume, capabilities or read-only root file system (harden does not know which paths it writes)")
}

// Bitnami's images need their own files in some of the paths they write;
// Bitnami's chart copies them with an init container, which harden does
// not add.
func TestReadOnlyRootBitnami(t *testing.T) {
	bare := strings.NewReplacer("containerPort: 80", "containerPort: 8080", "/var/www/html", "/bitnami/wordpress").Replace(wordpressWith("bitnami/wordpress:6.8.2", "", ""))
	obj, notes := hardenWithNotes(t, bare, "topology: ha\n", expand.RoleWordPress)
	_, ro := mounts(t, obj, "containers", "wordpress")
	assert.Equal(t, "", ro, "not set where the seeded paths are missing")
	assert.Equal(t, []string{"data", "scratch", "wordpress-var-run-apache2"}, volumeNames(t, obj), "no emptyDir added")
	assert.Contains(t, messages(notes), "readOnlyRootFilesystem: not set for bitnami/wordpress: it needs its own files in /opt/bitnami/apache/logs, /opt/bitnami/php/etc, /opt/bitnami/php/var, /opt/bitnami/wordpress, which Bitnami's chart copies into an emptyDir with an init container")

	// Bitnami's chart as it renders: every path on its empty-dir volume.
	chart := `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: wordpress-mariadb
  namespace: kube-samples
spec:
  selector:
    matchLabels: {app: wordpress, tier: mysql}
  serviceName: wordpress-mariadb
  template:
    metadata:
      labels: {app: wordpress, tier: mysql}
    spec:
      containers:
      - name: mariadb
        image: docker.io/bitnami/mariadb:12.0.2
        ports:
        - containerPort: 3306
        securityContext: {readOnlyRootFilesystem: true, runAsUser: 1001}
        volumeMounts:
        - {name: data, mountPath: /bitnami/mariadb}
        - {name: empty-dir, mountPath: /tmp, subPath: tmp-dir}
        - {name: empty-dir, mountPath: /opt/bitnami/mariadb/conf, subPath: app-conf-dir}
        - {name: empty-dir, mountPath: /opt/bitnami/mariadb/tmp, subPath: app-tmp-dir}
        - {name: empty-dir, mountPath: /opt/bitnami/mariadb/logs, subPath: app-logs-dir}
      volumes:
      - {name: empty-dir, emptyDir: {}}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 8Gi}}}
`
	obj, notes = hardenWithNotes(t, wordpressWith("wordpress:6.8.3-apache", "", "")+"---\n"+chart, "topology: ha\n", expand.RoleMySQL)
	paths, ro := mounts(t, obj, "containers", "mariadb")
	assert.Equal(t, "true", ro)
	assert.Equal(t, []string{"/bitnami/mariadb", "/tmp", "/opt/bitnami/mariadb/conf", "/opt/bitnami/mariadb/tmp", "/opt/bitnami/mariadb/logs"}, paths, "nothing added, nothing twice")
	assert.Equal(t, []string{"empty-dir"}, volumeNames(t, obj))
	assert.NotContains(t, messages(notes), "readOnlyRootFilesystem")
	assert.Contains(t, obj.MustString(), "storage: 8Gi", "the claim templates are the user's")
}

func TestReadOnlyRootInitContainers(t *testing.T) {
	init := `initContainers:
      - name: setup
        image: busybox:1.36
        command: [sh, -c, "chown 33 /var/www/html"]
      - name: tool
        image: registry.example.com/acme/tool:1.0
      - name: copy
        image: wordpress:6.8.3-apache
        command: [sh, -c, "cp -r /usr/src/wordpress/. /var/www/html"]
      - name: warm
        image: wordpress:6.8.3-apache
      - name: own
        image: busybox:1.36
        securityContext: {readOnlyRootFilesystem: false}`
	obj, notes := hardenWithNotes(t, wordpressWith("wordpress:6.8.3-apache", "", init), "topology: ha\n", expand.RoleWordPress)
	msgs := messages(notes)

	paths, ro := mounts(t, obj, "initContainers", "setup")
	assert.Equal(t, "true", ro, "a shell image's command is taken to write to its volumes")
	assert.Equal(t, []string{"/tmp"}, paths, "and /tmp")
	assert.Contains(t, msgs, "initContainers[name=setup].securityContext.readOnlyRootFilesystem: set to true, with an emptyDir at /tmp: busybox writes only where the command says")

	_, ro = mounts(t, obj, "initContainers", "tool")
	assert.Equal(t, "", ro)
	assert.Contains(t, msgs, `initContainers[name=tool].securityContext.readOnlyRootFilesystem: not set: harden does not know what "registry.example.com/acme/tool:1.0" writes`)

	_, ro = mounts(t, obj, "initContainers", "copy")
	assert.Equal(t, "", ro, "an image harden knows, running a command of the user's")
	assert.Contains(t, msgs, "initContainers[name=copy].securityContext.readOnlyRootFilesystem: not set: harden does not know what the container's command writes")

	paths, ro = mounts(t, obj, "initContainers", "warm")
	assert.Equal(t, "true", ro, "an image harden knows, running its own entrypoint")
	assert.Equal(t, []string{"/var/run/apache2", "/var/lock/apache2", "/tmp"}, paths)

	paths, ro = mounts(t, obj, "initContainers", "own")
	assert.Equal(t, "false", ro, "the user's own stands")
	assert.Empty(t, paths)
	assert.NotContains(t, msgs, "name=own]")
}

func TestReadOnlyRootUnknownImageKeepsUsersValue(t *testing.T) {
	// The profile's explicit security mode replaces the securityContext of
	// the user's container; the user's readOnlyRootFilesystem survives it.
	obj, _ := hardenWithNotes(t, wordpressWith("registry.example.com/acme/wp:1.0", "securityContext: {readOnlyRootFilesystem: true}", ""),
		"topology: ha\nsecurity: {mode: default}\n", expand.RoleWordPress)
	paths, ro := mounts(t, obj, "containers", "wordpress")
	assert.Equal(t, "true", ro)
	assert.Equal(t, []string{"/var/www/html", "/tmp"}, paths, "nothing added for an image harden does not know")
}

// The cluster autoscaler's annotation lists the emptyDirs harden added,
// after the user's own entries, and never the user's own emptyDir (scratch
// at /tmp here): what it holds is the user's to judge. A second run on the
// output changes nothing.
func TestSafeToEvictLocalVolumes(t *testing.T) {
	in := strings.Replace(wordpressWith("wordpress:6.5-apache", "", ""),
		"      labels: {app: wordpress, tier: frontend}\n    spec:",
		"      labels: {app: wordpress, tier: frontend}\n      annotations:\n        "+expand.SafeToEvictLocalVolumes+": cache, data-cache\n    spec:", 1)
	obj, _ := hardenWithNotes(t, in, "topology: ha\n", expand.RoleWordPress)
	got, err := obj.Pipe(yaml.Lookup("spec", "template", "metadata", "annotations", expand.SafeToEvictLocalVolumes))
	require.NoError(t, err)
	require.NotNil(t, got)
	// /var/run/apache2's name is taken by the user's configMap volume.
	assert.Equal(t, "cache,data-cache,wordpress-var-run-apache2-2,wordpress-var-lock-apache2", yaml.GetValue(got))
	assert.NotContains(t, yaml.GetValue(got), "scratch")

	again, _ := hardenWithNotes(t, obj.MustString(), "topology: ha\n", expand.RoleWordPress)
	assert.Equal(t, obj.MustString(), again.MustString(), "a second run changes nothing")
}
