package build

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"sigs.k8s.io/kustomize/api/konfig"
)

// The sandbox is what holds whatever the policy's file checks miss. While
// a build runs:
//   - kustomize runs no exec function (FnpLoadingOptions.EnableExec stays
//     off), so a path a repository names never runs;
//   - PATH holds one program, `docker`, which is this binary: every
//     container function kustomize starts comes back here, and only an
//     image we serve is run (serveContainer); git and helm are not found;
//   - there is no legacy plugin home at all: KUSTOMIZE_PLUGIN_HOME names a
//     directory that does not exist, XDG_CONFIG_HOME is unset and HOME is
//     an empty directory, so kustomize's lookup fails before it looks for
//     an executable. An empty home would not do: the plugin's path is the
//     home joined with the config's apiVersion and kind, and an apiVersion
//     of ../../proc/self/cwd climbs out of any directory to an executable
//     the repository ships;
//   - http.DefaultTransport, which kustomize's remote file loader uses,
//     refuses before any DNS lookup.
//
// These are process-wide settings, so builds take a lock.

// Environment of the container shim, set for the build's children.
const (
	envServe  = "WORDPRESS_FN_BUILD_SERVE"  // the sandbox directory
	envImages = "WORDPRESS_FN_BUILD_IMAGES" // the repositories served, comma-separated
	envDocker = "WORDPRESS_FN_BUILD_DOCKER" // the real docker, when --enable-exec
)

var buildLock sync.Mutex

type sandbox struct {
	dir     string
	restore []func()
	mu      sync.Mutex
	remote  []string // remote URLs the transport refused
}

func (s *sandbox) setenv(k, v string) {
	s.keep(k)
	os.Setenv(k, v)
}

func (s *sandbox) unsetenv(k string) {
	s.keep(k)
	os.Unsetenv(k)
}

// keep restores k as it is now when the sandbox is left.
func (s *sandbox) keep(k string) {
	old, had := os.LookupEnv(k)
	s.restore = append(s.restore, func() {
		if had {
			os.Setenv(k, old)
		} else {
			os.Unsetenv(k)
		}
	})
}

// enter sets the sandbox up for one build.
func enter(o Options) (*sandbox, error) {
	dir, err := os.MkdirTemp("", "wordpress-fn-build-")
	if err != nil {
		return nil, err
	}
	s := &sandbox{dir: dir}
	s.restore = append(s.restore, func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "bin")
	home := filepath.Join(dir, "home")
	for _, d := range []string{bin, home} {
		if err := os.Mkdir(d, 0o700); err != nil {
			s.leave()
			return nil, err
		}
	}
	if err := os.Symlink(o.Self, filepath.Join(bin, "docker")); err != nil {
		s.leave()
		return nil, err
	}
	path := bin
	if o.Allow.Exec || o.Allow.Remote || o.Allow.Helm {
		// What the administrator allowed runs with the usual PATH behind
		// the shim: exec functions, git (and the tools its scripts use),
		// helm. docker still comes here first.
		path = bin + string(os.PathListSeparator) + os.Getenv("PATH")
	}
	if o.Allow.Exec {
		// The real docker, for other images.
		if d, err := exec.LookPath("docker"); err == nil {
			s.setenv(envDocker, d)
		}
	} else {
		// No plugin home exists (see above). git, when --allow-remote
		// runs it, keeps the user's global config.
		if h, err := os.UserHomeDir(); err == nil && os.Getenv("GIT_CONFIG_GLOBAL") == "" {
			if _, err := os.Stat(filepath.Join(h, ".gitconfig")); err == nil {
				s.setenv("GIT_CONFIG_GLOBAL", filepath.Join(h, ".gitconfig"))
			}
		}
		s.setenv(konfig.KustomizePluginHomeEnv, filepath.Join(dir, "no-plugin-home"))
		s.unsetenv(konfig.XdgConfigHomeEnv)
		s.setenv("HOME", home)
	}
	s.setenv(envServe, dir)
	s.setenv(envImages, strings.Join(o.Images, ","))
	s.setenv("PATH", path)
	if !o.Allow.Remote {
		old := http.DefaultTransport
		http.DefaultTransport = refusingTransport{s}
		s.restore = append(s.restore, func() { http.DefaultTransport = old })
	}
	return s, nil
}

func (s *sandbox) leave() {
	for i := len(s.restore) - 1; i >= 0; i-- {
		s.restore[i]()
	}
	s.restore = nil
}

// refused is what the container shim refused, one message a line.
func (s *sandbox) refused() []string {
	data, err := os.ReadFile(filepath.Join(s.dir, "refused"))
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// errNoRemote is what kustomize's http loader gets, before any lookup.
var errNoRemote = errors.New("wordpress-fn build does not fetch remote files")

type refusingTransport struct{ s *sandbox }

func (t refusingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.s.mu.Lock()
	t.s.remote = append(t.s.remote, r.URL.String())
	t.s.mu.Unlock()
	return nil, errNoRemote
}

// IsContainerShim reports whether this process is kustomize's `docker`
// inside a build: the sandbox's PATH led it here.
func IsContainerShim(args []string) bool {
	return os.Getenv(envServe) != "" && len(args) > 0 && args[0] == "run"
}

// ServeContainer is `docker run [flags] IMAGE` as kustomize starts a
// container function: an image wordpress-fn serves runs fn (the KRM
// function, on stdin and stdout); any other one runs through the real
// docker when --enable-exec allowed it, and is refused otherwise.
func ServeContainer(args []string, stderr io.Writer, fn func() int) int {
	image := args[len(args)-1]
	if served(image, strings.Split(os.Getenv(envImages), ",")) {
		return fn()
	}
	if d := os.Getenv(envDocker); d != "" {
		err := syscall.Exec(d, append([]string{"docker"}, args...), os.Environ())
		fmt.Fprintf(stderr, "wordpress-fn build: docker: %v\n", err)
		return 1
	}
	line := fmt.Sprintf("error: a kustomization runs the container function %s, not wordpress-fn: refused; an administrator allows it with %s", image, switchHint[flagExec])
	if f, err := os.OpenFile(filepath.Join(os.Getenv(envServe), "refused"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
		fmt.Fprintln(f, line)
		f.Close()
		return 1 // wordpress-fn build prints it
	}
	fmt.Fprintln(stderr, line)
	return 1
}
