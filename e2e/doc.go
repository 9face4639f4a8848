// Package e2e holds the end-to-end tests of wordpress-fn's integrations: the
// real kustomize (container and exec functions, the generator form), kpt
// (render by image and by exec, eval), the Argo CD plugin's commands run as
// the CMP server runs them, and Helm's post-renderer. They assert on what
// the tools render, not on what the function returns in-process.
//
// Run them with `make test` (which installs the tools) or
// `go test ./e2e/...`: the tests build bin/wordpress-fn and the function
// image themselves, install bin/tools/kustomize and bin/tools/helm through
// the Makefile when missing, and skip loudly where Docker or kpt is absent.
package e2e
