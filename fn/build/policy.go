package build

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Allow lists what a build runs besides wordpress-fn's own function. All
// of it is off by default: a repository names code, and in Argo CD the
// repository's authors are not the administrator who runs the plugin.
type Allow struct {
	// Exec runs every other KRM function (exec, or a container through
	// docker) and legacy kustomize plugins: --enable-exec.
	Exec bool
	// Remote fetches remote bases, resources and files (git, http) and
	// Helm chart repositories: --allow-remote.
	Remote bool
	// Helm inflates helmCharts with the helm on PATH: --enable-helm.
	Helm bool
}

// The switches, as a flag and as the environment variable the Argo CD
// administrator sets on the plugin's sidecar (an Application's plugin env
// arrives as ARGOCD_ENV_*, so an app cannot set these).
const (
	flagExec   = "--enable-exec"
	flagRemote = "--allow-remote"
	flagHelm   = "--enable-helm"
	EnvExec    = "WORDPRESS_FN_BUILD_ENABLE_EXEC"
	EnvRemote  = "WORDPRESS_FN_BUILD_ALLOW_REMOTE"
	EnvHelm    = "WORDPRESS_FN_BUILD_ENABLE_HELM"
	// flagNone: no switch lifts it.
	flagNone = ""
)

// switchHint names the flag and the variable that allow a refused thing.
var switchHint = map[string]string{
	flagExec:   fmt.Sprintf("%s (%s=1 in the sidecar's env)", flagExec, EnvExec),
	flagRemote: fmt.Sprintf("%s (%s=1 in the sidecar's env)", flagRemote, EnvRemote),
	flagHelm:   fmt.Sprintf("%s (%s=1 in the sidecar's env)", flagHelm, EnvHelm),
}

// Refusal is one thing the build will not do: the file that asks for it,
// the field, what it is and the switch that allows it.
type Refusal struct {
	File, Field, What, Flag string
}

func (r Refusal) String() string {
	loc := r.File
	if r.Field != "" {
		loc += ": " + r.Field
	}
	if r.Flag == flagNone {
		return fmt.Sprintf("error: %s: %s: refused; kustomize's load restrictor stays RootOnly, no switch lifts it", loc, r.What)
	}
	return fmt.Sprintf("error: %s: %s: refused; an administrator allows it with %s", loc, r.What, switchHint[r.Flag])
}

// RefusedError is the error of a build that asked for what it may not do.
type RefusedError []Refusal

func (e RefusedError) Error() string {
	lines := make([]string, len(e))
	for i, r := range e {
		lines[i] = r.String()
	}
	return strings.Join(lines, "\n")
}

// policy checks each file kustomize reads, before kustomize acts on it,
// and keeps what it refused. It is the part that can name the file; the
// sandbox (sandbox.go) is what makes the refusal hold for whatever it
// cannot see (an annotation a patch adds, say).
type policy struct {
	allow   Allow
	images  []string
	refused []Refusal
	seen    map[string]bool
}

func (p *policy) refuse(r Refusal) {
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	k := r.String()
	if p.seen[k] {
		return
	}
	p.seen[k] = true
	p.refused = append(p.refused, r)
}

func (p *policy) err() error {
	if len(p.refused) == 0 {
		return nil
	}
	out := append(RefusedError(nil), p.refused...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// isKustomizationFile reports whether path is named as kustomize names a
// kustomization.
func isKustomizationFile(path string) bool {
	base := filepath.Base(path)
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		if base == n {
			return true
		}
	}
	return false
}

// check looks at one file kustomize reads.
func (p *policy) check(fsys filesys.FileSystem, path string, data []byte) {
	display := displayPath(path)
	if isKustomizationFile(path) {
		p.checkKustomization(fsys, path, display, data)
		return
	}
	p.checkObjects(display, "", data)
}

// checkObjects checks the KRM objects of a file (or of an inline entry)
// for functions and plugins other than ours.
func (p *policy) checkObjects(file, field string, data []byte) {
	if !bytes.Contains(data, []byte("function")) && !bytes.Contains(data, []byte("HelmChartInflationGenerator")) {
		return
	}
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return // kustomize reports what it cannot read
	}
	for _, n := range nodes {
		p.checkObject(file, field, n)
	}
}

func (p *policy) checkObject(file, field string, n *yaml.RNode) {
	if n.GetKind() == "HelmChartInflationGenerator" && !p.allow.Helm {
		p.refuse(Refusal{file, field, "a HelmChartInflationGenerator runs helm", flagHelm})
	}
	for _, key := range functionAnnotations {
		if spec, ok := n.GetAnnotations()[key]; ok {
			p.checkSpec(file, joinField(field, "metadata.annotations["+key+"]"), key, spec)
		}
	}
}

// checkSpec checks one function annotation's value.
func (p *policy) checkSpec(file, at, key, spec string) {
	if p.allow.Exec {
		return
	}
	legacy := ""
	if key != functionAnnotations[0] {
		legacy = "the legacy annotation " + key + " names "
	}
	sn, err := yaml.Parse(spec)
	if err != nil {
		p.refuse(Refusal{file, at, legacy + "a function this build cannot read", flagExec})
		return
	}
	image, path := field(sn, "container", "image"), field(sn, "exec", "path")
	switch {
	case image != "" && served(image, p.images):
		// ours: kustomize runs the container, which this binary serves
	case image != "":
		p.refuse(Refusal{file, at, fmt.Sprintf("%sthe container function %s, not wordpress-fn", legacy, image), flagExec})
	case path != "":
		p.refuse(Refusal{file, at, fmt.Sprintf("%sthe exec function %s", legacy, path), flagExec})
	default:
		if strings.TrimSpace(spec) != "" {
			p.refuse(Refusal{file, at, legacy + "a function that is not wordpress-fn's container", flagExec})
		}
	}
}

// checkKustomization checks what a kustomization names: remote places,
// Helm charts, and the functions and plugins it runs.
func (p *policy) checkKustomization(fsys filesys.FileSystem, path, file string, data []byte) {
	var k types.Kustomization
	if err := k.Unmarshal(data); err != nil {
		return // kustomize reports it
	}
	k.FixKustomization()
	dir := filepath.Dir(path)
	if !p.allow.Remote {
		for field, v := range remotePaths(&k) {
			p.refuse(Refusal{file, field, fmt.Sprintf("the remote %s", v), flagRemote})
		}
	}
	if !p.allow.Helm {
		for i, c := range k.HelmCharts {
			p.refuse(Refusal{file, fmt.Sprintf("helmCharts[%d]", i), fmt.Sprintf("Helm chart inflation (%s) runs helm", c.Name), flagHelm})
		}
		for i := range k.HelmChartInflationGenerator {
			p.refuse(Refusal{file, fmt.Sprintf("helmChartInflationGenerator[%d]", i), "Helm chart inflation runs helm", flagHelm})
		}
	}
	if !p.allow.Remote {
		for i, c := range k.HelmCharts {
			if c.Repo != "" {
				p.refuse(Refusal{file, fmt.Sprintf("helmCharts[%d].repo", i), "the remote chart repository " + c.Repo, flagRemote})
			}
		}
	}
	for _, list := range []struct {
		name    string
		entries []string
	}{{"generators", k.Generators}, {"transformers", k.Transformers}, {"validators", k.Validators}} {
		for i, e := range list.entries {
			field := fmt.Sprintf("%s[%d]", list.name, i)
			if isInline(e) {
				p.checkPlugins(file, field, []byte(e))
				continue
			}
			if isRemote(e) {
				continue // refused above
			}
			if b, err := fsys.ReadFile(filepath.Join(dir, e)); err == nil {
				p.checkPlugins(displayPath(filepath.Join(dir, e)), "", b)
			}
		}
	}
	// What a kustomization adds to its objects can make one a function.
	for i, patch := range k.Patches {
		p.checkPatch(file, fmt.Sprintf("patches[%d].patch", i), patch.Patch)
	}
	for i, patch := range k.PatchesStrategicMerge {
		if s := string(patch); strings.Contains(s, "\n") {
			p.checkPatch(file, fmt.Sprintf("patchesStrategicMerge[%d]", i), s)
		}
	}
	for i, patch := range k.PatchesJson6902 {
		p.checkPatch(file, fmt.Sprintf("patchesJson6902[%d].patch", i), patch.Patch)
	}
	p.checkAnnotations(file, "commonAnnotations", k.CommonAnnotations)
	if k.GeneratorOptions != nil {
		p.checkAnnotations(file, "generatorOptions.annotations", k.GeneratorOptions.Annotations)
	}
}

// isInline reports whether kustomize takes a generators, transformers or
// validators entry as an inline config rather than a path: as kustomize
// does, whatever parses as objects ("--- {apiVersion: ...}" on one line
// too).
func isInline(e string) bool {
	if strings.Contains(e, "\n") || strings.HasPrefix(strings.TrimSpace(e), "{") {
		return true
	}
	nodes, err := (&kio.ByteReader{Reader: strings.NewReader(e), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return false
	}
	for _, n := range nodes {
		if n.YNode().Kind == yaml.MappingNode {
			return true
		}
	}
	return false
}

// checkPlugins checks the configs a kustomization runs as generators,
// transformers or validators: a function that is not ours, or a legacy
// plugin (a config that is neither builtin nor a function: kustomize
// looks for an executable or a Go plugin named by its kind).
func (p *policy) checkPlugins(file, field string, data []byte) {
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return
	}
	for _, n := range nodes {
		p.checkObject(file, field, n)
		if n.GetApiVersion() == konfig.BuiltinPluginApiVersion && !p.allow.Remote {
			// A builtin reads its files through kustomize's loader, which
			// fetches http(s) URLs.
			walkPaths(n.YNode(), "", func(at, v string) {
				if isRemote(v) {
					p.refuse(Refusal{file, joinField(field, at), "the remote " + v, flagRemote})
				}
			})
		}
		if p.allow.Exec || n.GetApiVersion() == konfig.BuiltinPluginApiVersion || n.GetKind() == "" {
			continue
		}
		function := false
		for _, key := range functionAnnotations {
			if _, ok := n.GetAnnotations()[key]; ok {
				function = true
			}
		}
		if !function {
			p.refuse(Refusal{file, field, fmt.Sprintf("the legacy kustomize plugin %s/%s (an executable or Go plugin from the plugin home)", n.GetApiVersion(), n.GetKind()), flagExec})
		}
	}
}

// json6902Function matches a JSON patch path to a function annotation.
var json6902Function = regexp.MustCompile(`config\.(kubernetes\.io|k8s\.io)~1function`)

// checkPatch checks an inline patch that may set a function annotation.
func (p *policy) checkPatch(file, field, patch string) {
	if !strings.Contains(patch, "function") {
		return
	}
	if json6902Function.MatchString(patch) {
		ops, err := yaml.Parse(patch)
		if err == nil && ops.YNode().Kind == yaml.SequenceNode {
			elems, _ := ops.Elements()
			for _, op := range elems {
				path := yaml.GetValue(op.Field("path").Value)
				m := json6902Function.FindStringSubmatch(path)
				if m == nil {
					continue
				}
				key := "config." + m[1] + "/function"
				if v := op.Field("value"); v != nil {
					p.checkSpec(file, field, key, yaml.GetValue(v.Value))
				}
			}
			return
		}
	}
	p.checkObjects(file, field, []byte(patch))
}

func (p *policy) checkAnnotations(file, field string, annotations map[string]string) {
	for _, key := range functionAnnotations {
		if spec, ok := annotations[key]; ok {
			p.checkSpec(file, field+"["+key+"]", key, spec)
		}
	}
}

// remotePaths are the entries of a kustomization that kustomize would
// fetch: a git clone or an http(s) GET.
func remotePaths(k *types.Kustomization) map[string]string {
	out := map[string]string{}
	one := func(field, v string) {
		if isRemote(v) {
			out[field] = v
		}
	}
	add := func(field string, vs ...string) {
		for i, v := range vs {
			one(fmt.Sprintf("%s[%d]", field, i), v)
		}
	}
	add("resources", k.Resources...)
	add("components", k.Components...)
	add("crds", k.Crds...)
	add("configurations", k.Configurations...)
	add("generators", k.Generators...)
	add("transformers", k.Transformers...)
	add("validators", k.Validators...)
	for i, s := range k.PatchesStrategicMerge {
		one(fmt.Sprintf("patchesStrategicMerge[%d]", i), string(s))
	}
	for i, patch := range k.Patches {
		one(fmt.Sprintf("patches[%d].path", i), patch.Path)
	}
	for i, patch := range k.PatchesJson6902 {
		one(fmt.Sprintf("patchesJson6902[%d].path", i), patch.Path)
	}
	for i, r := range k.Replacements {
		one(fmt.Sprintf("replacements[%d].path", i), r.Path)
	}
	one("openapi.path", k.OpenAPI["path"])
	gen := func(field string, s types.KvPairSources) {
		for i, f := range s.FileSources {
			if _, path, ok := strings.Cut(f, "="); ok {
				f = path
			}
			add(fmt.Sprintf("%s.files[%d]", field, i), f)
		}
		add(field+".envs", s.EnvSources...)
		one(field+".env", s.EnvSource)
	}
	for i, g := range k.ConfigMapGenerator {
		gen(fmt.Sprintf("configMapGenerator[%d]", i), g.KvPairSources)
	}
	for i, g := range k.SecretGenerator {
		gen(fmt.Sprintf("secretGenerator[%d]", i), g.KvPairSources)
	}
	return out
}

var scpUser = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*@`)

// isRemote reports whether kustomize would treat a path as remote: the
// forms its git loader (internal/git/repospec.go) and its http file loader
// accept. kustomize tries these before looking at the disk.
func isRemote(p string) bool {
	s := strings.TrimSpace(p)
	if s == "" || strings.Contains(s, "\n") || filepath.IsAbs(s) {
		return false
	}
	l := strings.ToLower(s)
	l = strings.TrimPrefix(l, "git::")
	for _, scheme := range []string{"https://", "http://", "ssh://", "file://"} {
		if strings.HasPrefix(l, scheme) {
			return true
		}
	}
	return scpUser.MatchString(l) || strings.HasPrefix(l, "github.com/") || strings.HasPrefix(l, "github.com:")
}

// walkPaths calls f with every string a builtin plugin config holds under
// a key that names files (path, files, envs, env), "key=" taken off.
func walkPaths(n *yaml.Node, at string, f func(at, v string)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			sub := joinField(at, k)
			switch k {
			case "path", "files", "envs", "env":
				if v.Kind == yaml.ScalarNode {
					f(sub, v.Value)
				} else if v.Kind == yaml.SequenceNode {
					for j, e := range v.Content {
						if _, p, ok := strings.Cut(e.Value, "="); ok && !isRemote(e.Value) {
							f(fmt.Sprintf("%s[%d]", sub, j), p)
						} else {
							f(fmt.Sprintf("%s[%d]", sub, j), e.Value)
						}
					}
				}
				continue
			}
			walkPaths(v, sub, f)
		}
	case yaml.SequenceNode:
		for j, e := range n.Content {
			walkPaths(e, fmt.Sprintf("%s[%d]", at, j), f)
		}
	}
}

func joinField(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}
