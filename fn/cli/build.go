package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// BuildBinary carries `wordpress-fn build` (fn/build/wordpress-fn-build):
// kustomize's api, which the function itself leaves out so that every
// render kustomize, kpt or Helm runs starts a binary half the size. It is
// looked for next to this executable, where `make build` puts it.
const BuildBinary = "wordpress-fn-build"

// build runs BuildBinary with args: in place of this process when the
// streams are the process's own (Argo CD's timeout then stops the build
// itself), as a child otherwise.
func build(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "wordpress-fn build: cannot find its own executable: %v\n", err)
		return 1
	}
	bin := filepath.Join(filepath.Dir(self), BuildBinary)
	if st, err := os.Stat(bin); err != nil || st.IsDir() {
		fmt.Fprintf(stderr, "wordpress-fn build: %s is missing: `wordpress-fn build` runs the program %s next to %s, which carries kustomize; `make build` builds both (install them side by side)\n", bin, BuildBinary, self)
		return 1
	}
	if stdin == io.Reader(os.Stdin) && stdout == io.Writer(os.Stdout) && stderr == io.Writer(os.Stderr) {
		err := syscall.Exec(bin, append([]string{bin}, args...), os.Environ())
		fmt.Fprintf(stderr, "wordpress-fn build: %s: %v\n", bin, err)
		return 1
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() > 0 {
			return exit.ExitCode()
		}
		fmt.Fprintf(stderr, "wordpress-fn build: %s: %v\n", bin, err)
		return 1
	}
	return 0
}
