// Package build is `wordpress-fn build DIR`: kustomize build, in-process,
// for machines without Docker and without a kustomize binary (Argo CD's
// repo-server and its plugin sidecars).
//
// It runs sigs.k8s.io/kustomize/api/krusty on the on-disk kustomization, as
// `kustomize build --enable-alpha-plugins --enable-exec` would, with one
// difference: a KRM function annotation (config.kubernetes.io/function)
// whose container image is wordpress-fn's, at any tag or digest, is served
// by this very binary, run as an exec function. The rewrite happens as
// kustomize reads each file, so relative paths and the load restrictor
// behave as in kustomize; an annotation that only a patch adds is not seen.
// Like --enable-exec, other exec functions run too: build only what you
// trust. A container function of another image fails as it does in
// kustomize without Docker.
package build

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/fn/runtime/runtimeutil"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// DefaultImage is the repository of wordpress-fn's image: the annotations
// the overlays and the kpt package carry.
const DefaultImage = "ghcr.io/kube-samples/wordpress-fn"

// Usage is the command's synopsis.
const Usage = "wordpress-fn build [--image REPO]... DIR"

// functionAnnotations name a KRM function's spec: the current key and the
// legacy one kustomize still reads.
var functionAnnotations = []string{runtimeutil.FunctionAnnotationKey, "config.k8s.io/function"}

// Options of a build.
type Options struct {
	// Dir holds the kustomization.
	Dir string
	// Images are the repositories this binary serves, at any tag or digest.
	Images []string
	// Self is the executable that serves them.
	Self string
}

// Main is the command: flags, then the build; the output goes to stdout and
// nothing else does.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wordpress-fn build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var images repeated
	fs.Var(&images, "image", "another repository served by this binary, e.g. registry.example.com/me/wordpress-fn (repeatable; "+DefaultImage+" always is)")
	fs.Usage = func() { fmt.Fprintf(stderr, "Usage: %s\n", Usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "wordpress-fn build: expects exactly one directory, got %d arguments\n", fs.NArg())
		fs.Usage()
		return 2
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "wordpress-fn build: cannot find its own executable: %v\n", err)
		return 1
	}
	out, err := Run(Options{
		Dir:    fs.Arg(0),
		Images: append([]string{DefaultImage}, images...),
		Self:   self,
	})
	if err != nil {
		fmt.Fprintf(stderr, "wordpress-fn build: %v\n", err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "wordpress-fn build: %v\n", err)
		return 1
	}
	return 0
}

type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// Run builds the kustomization in o.Dir and returns the YAML kustomize
// build would print.
func Run(o Options) ([]byte, error) {
	if o.Self == "" {
		return nil, errors.New("no executable to serve the function")
	}
	opts := krusty.MakeDefaultOptions()
	// As the kustomize CLI: legacy order unless the kustomization sorts.
	opts.Reorder = krusty.ReorderOptionUnspecified
	pc := types.EnabledPluginConfig(types.BploUseStaticallyLinked)
	pc.HelmConfig.Enabled = false
	// Our functions become exec functions.
	pc.FnpLoadingOptions.EnableExec = true
	opts.PluginConfig = pc
	fsys := servingFS{FileSystem: filesys.MakeFsOnDisk(), o: o}
	m, err := krusty.MakeKustomizer(opts).Run(fsys, o.Dir)
	if err != nil {
		return nil, err
	}
	return m.AsYaml()
}

// servingFS is the disk, with function annotations rewritten on read.
type servingFS struct {
	filesys.FileSystem
	o Options
}

func (f servingFS) ReadFile(path string) ([]byte, error) {
	data, err := f.FileSystem.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return serve(path, data, f.o)
}

// serve rewrites, in one file, every function annotation of our image to
// exec of o.Self. A file without one, or that is not YAML kustomize could
// read anyway, comes back as it is.
func serve(path string, data []byte, o Options) ([]byte, error) {
	if !bytes.Contains(data, []byte("/function")) {
		return data, nil
	}
	r := kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}
	nodes, err := r.Read()
	if err != nil {
		return data, nil
	}
	changed := false
	for _, n := range nodes {
		for _, key := range functionAnnotations {
			spec := n.GetAnnotations()[key]
			if spec == "" {
				continue
			}
			sn, err := yaml.Parse(spec)
			if err != nil {
				continue // kustomize reports a bad spec itself
			}
			if !served(field(sn, "container", "image"), o.Images) {
				continue
			}
			if err := n.PipeE(yaml.SetAnnotation(key, execSpec(o.Self))); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			changed = true
		}
	}
	if !changed {
		return data, nil
	}
	var buf bytes.Buffer
	if err := (kio.ByteWriter{Writer: &buf}).Write(nodes); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return buf.Bytes(), nil
}

// served reports whether image is one of repos, with or without a tag or
// digest.
func served(image string, repos []string) bool {
	for _, r := range repos {
		if image == r || strings.HasPrefix(image, r+":") || strings.HasPrefix(image, r+"@") {
			return true
		}
	}
	return false
}

func field(n *yaml.RNode, path ...string) string {
	v, err := n.Pipe(yaml.Lookup(path...))
	if err != nil {
		return ""
	}
	return yaml.GetValue(v)
}

func execSpec(path string) string {
	n := yaml.NewMapRNode(nil)
	_ = n.SetMapField(yaml.NewMapRNode(&map[string]string{"path": path}), "exec")
	return n.MustString()
}
