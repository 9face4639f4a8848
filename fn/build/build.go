// Package build is `wordpress-fn build DIR`: kustomize build, in-process,
// for machines without Docker and without a kustomize binary (Argo CD's
// repo-server and its plugin sidecars).
//
// It runs sigs.k8s.io/kustomize/api/krusty on the on-disk kustomization, as
// `kustomize build --enable-alpha-plugins` would, with one difference: a
// KRM function annotation (config.kubernetes.io/function) whose container
// image is wordpress-fn's, at any tag or digest, is served by this very
// binary. Everything else a repository could make it run is refused by
// default, with the file and the switch that allows it: other exec or
// container functions and legacy plugins (--enable-exec), remote bases and
// files (--allow-remote), Helm charts (--enable-helm). The load restrictor
// stays RootOnly. policy.go names what it refuses; sandbox.go makes the
// refusal hold for what the file checks cannot see.
package build

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/internal/redact"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/fn/runtime/runtimeutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// DefaultImage is the repository of wordpress-fn's image: the annotations
// the overlays and the kpt package carry.
const DefaultImage = "ghcr.io/kube-samples/wordpress-fn"

// EnvImage names more repositories served by this binary (a retagged
// image), comma-separated, as --image does.
const EnvImage = "WORDPRESS_FN_IMAGE"

// Usage is the command's synopsis.
const Usage = "wordpress-fn build [--image REPO]... [--enable-exec] [--allow-remote] [--enable-helm] [--discover] DIR"

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
	// Allow is what else the build may run or fetch.
	Allow Allow
}

// Main is the command: flags, then the build; the output goes to stdout and
// nothing else does.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wordpress-fn build", flag.ContinueOnError)
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			stderr = stdout // asked for: the usage is the output
		}
	}
	fs.SetOutput(stderr)
	var images repeated
	var allow Allow
	fs.Var(&images, "image", "another repository served by this binary, e.g. registry.example.com/me/wordpress-fn (repeatable; also $"+EnvImage+", comma-separated; "+DefaultImage+" always is)")
	fs.BoolVar(&allow.Exec, "enable-exec", envOn(EnvExec), "run other KRM functions (exec, or containers through docker) and legacy kustomize plugins: code the repository names (also $"+EnvExec+"=1)")
	fs.BoolVar(&allow.Remote, "allow-remote", envOn(EnvRemote), "fetch remote bases, resources and files (git, http) and Helm chart repositories (also $"+EnvRemote+"=1)")
	fs.BoolVar(&allow.Helm, "enable-helm", envOn(EnvHelm), "inflate helmCharts with the helm on PATH (also $"+EnvHelm+"=1)")
	discover := fs.Bool("discover", false, "print DIR's kustomization and exit 0 if it runs wordpress-fn's function, print nothing otherwise (Argo CD's discover); builds nothing")
	fs.Usage = func() { fmt.Fprintf(stderr, "Usage: %s\n", Usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		late := ""
		for _, a := range fs.Args()[min(1, fs.NArg()):] {
			if strings.HasPrefix(a, "-") {
				late = fmt.Sprintf(" (%s comes after the directory: flags go before it)", a)
				break
			}
		}
		fmt.Fprintf(stderr, "wordpress-fn build: expects exactly one directory, got %d arguments%s\n", fs.NArg(), late)
		fs.Usage()
		return 2
	}
	repos := append([]string{DefaultImage}, images...)
	for _, r := range strings.Split(os.Getenv(EnvImage), ",") {
		if r = strings.TrimSpace(r); r != "" {
			repos = append(repos, r)
		}
	}
	if *discover {
		if k := Discover(fs.Arg(0), repos); k != "" {
			fmt.Fprintln(stdout, k)
		}
		return 0
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "wordpress-fn build: cannot find its own executable: %v\n", err)
		return 1
	}
	out, err := Run(Options{Dir: fs.Arg(0), Images: repos, Self: self, Allow: allow})
	if err != nil {
		var refused RefusedError
		var shim shimRefusal
		// Argo CD shows this to whoever can view the app: a token in a
		// remote base's URL (https://oauth2:TOKEN@github.com/...) or a
		// value kustomize quotes is masked.
		if errors.As(err, &refused) || errors.As(err, &shim) {
			fmt.Fprintln(stderr, redact.String(err.Error()))
		} else {
			fmt.Fprintf(stderr, "wordpress-fn build: %s\n", redact.String(err.Error()))
		}
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "wordpress-fn build: %v\n", err)
		return 1
	}
	return 0
}

// envOn reads a switch from the environment: 1, true, yes or on.
func envOn(name string) bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(name))) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// Run builds the kustomization in o.Dir and returns the YAML kustomize
// build would print, or a RefusedError naming what it would not do.
func Run(o Options) ([]byte, error) {
	if o.Self == "" {
		return nil, errors.New("no executable to serve the function")
	}
	buildLock.Lock()
	defer buildLock.Unlock()

	opts := krusty.MakeDefaultOptions()
	// As the kustomize CLI: legacy order unless the kustomization sorts.
	opts.Reorder = krusty.ReorderOptionUnspecified
	opts.LoadRestrictions = types.LoadRestrictionsRootOnly
	pc := types.EnabledPluginConfig(types.BploUseStaticallyLinked)
	pc.FnpLoadingOptions.EnableExec = o.Allow.Exec
	pc.HelmConfig.Enabled = o.Allow.Helm
	// As the kustomize CLI's --helm-command default: the helm on PATH.
	pc.HelmConfig.Command = "helm"
	if o.Allow.Helm {
		if h, err := exec.LookPath(pc.HelmConfig.Command); err == nil {
			pc.HelmConfig.Command = h
		}
	}
	opts.PluginConfig = pc

	p := &policy{allow: o.Allow, images: o.Images}
	s, err := enter(o)
	if err != nil {
		return nil, fmt.Errorf("cannot set the build up: %w", err)
	}
	m, err := krusty.MakeKustomizer(opts).Run(checkingFS{FileSystem: filesys.MakeFsOnDisk(), p: p}, o.Dir)
	shim := s.refused()
	remote := s.remote
	s.leave()
	// What the file checks refused fails the build even when kustomize
	// got through (it skips an exec function it may not run, silently).
	if err := p.err(); err != nil {
		return nil, err
	}
	if err != nil {
		return nil, explain(err, shim, remote, s.dir)
	}
	return m.AsYaml()
}

// explain turns what the sandbox stopped into a refusal a user can read;
// kustomize's own error otherwise.
func explain(err error, shim, remote []string, dir string) error {
	msg := err.Error()
	switch {
	case len(shim) > 0:
		return shimRefusal(strings.Join(shim, "\n"))
	case len(remote) > 0:
		return RefusedError{{File: "a kustomization", What: "the remote file " + remote[0], Flag: flagRemote}}
	case strings.Contains(msg, filepath.Join(dir, "no-plugin-home")):
		// kustomize looked for a plugin home, and the sandbox has none.
		return RefusedError{{File: "a kustomization", What: "a legacy kustomize plugin (a generators, transformers or validators config that is neither builtin nor a KRM function: an executable or Go plugin from the plugin home)", Flag: flagExec}}
	case strings.Contains(msg, "must specify --enable-helm"):
		return RefusedError{{File: "a kustomization", What: "Helm chart inflation runs helm", Flag: flagHelm}}
	case outsideRoot.MatchString(msg):
		m := outsideRoot.FindStringSubmatch(msg)
		return RefusedError{{File: displayPath(m[1]), What: "resolves outside its kustomization's directory " + displayPath(m[2]) + " (a symbolic link?)", Flag: flagNone}}
	case strings.Contains(msg, "no 'git' program on path"):
		return RefusedError{{File: "a kustomization", What: "a remote base (git)", Flag: flagRemote}}
	}
	return err
}

// outsideRoot is kustomize's RootOnly load restrictor refusing a file.
var outsideRoot = regexp.MustCompile(`security; file '([^']*)' is not in or below '([^']*)'`)

// shimRefusal is what the sandbox's docker refused, as it wrote it.
type shimRefusal string

func (s shimRefusal) Error() string { return string(s) }

// checkingFS is the disk, with each file checked by the policy as
// kustomize reads it.
type checkingFS struct {
	filesys.FileSystem
	p *policy
}

func (f checkingFS) ReadFile(path string) ([]byte, error) {
	data, err := f.FileSystem.ReadFile(path)
	if err != nil {
		return nil, err
	}
	before := len(f.p.refused)
	f.p.check(f.FileSystem, path, data)
	if len(f.p.refused) > before {
		// kustomize stops here: nothing this file names is loaded or run.
		return nil, errRefused
	}
	return data, nil
}

var errRefused = errors.New("refused by wordpress-fn build")

// served reports whether image is one of repos, with or without a tag or
// digest.
func served(image string, repos []string) bool {
	for _, r := range repos {
		if r == "" {
			continue
		}
		if image == r || strings.HasPrefix(image, r+":") || strings.HasPrefix(image, r+"@") {
			return true
		}
	}
	return false
}

func field(n *yaml.RNode, path ...string) string {
	v, err := n.Pipe(yaml.Lookup(path...))
	if err != nil || v == nil {
		return ""
	}
	return yaml.GetValue(v)
}

// displayPath is path relative to the working directory when it lies
// below it (Argo CD runs the plugin in the app's directory).
func displayPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
