package cli

import (
	"os"
	"path/filepath"
	"strconv"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// packagePathAnnotation is where kpt says the package of an item is on
// disk.
const packagePathAnnotation = "internal.config.kubernetes.io/package-path"

// maxOriginal bounds the file read for a line number: a profile is small.
const maxOriginal = 1 << 20

// fromPackage is the document o was read from, as the user's file holds
// it, with the file's line numbers; nil when that is not known. kpt sends
// each item re-written (its annotations added), so the lines of the
// ResourceList are not the file's; but it also says where the package is
// and which file and document the item came from. An exec function runs
// on the user's machine and can read it; a container cannot, and gets
// nil: no line then, never kpt's.
func fromPackage(o *fn.KubeObject) *yaml.Node {
	pkg := o.GetAnnotation(packagePathAnnotation)
	path, index, _ := kioutil.GetFileAnnotations(o.CopyToResourceNode())
	i, err := strconv.Atoi(index)
	if pkg == "" || path == "" || err != nil || !filepath.IsAbs(pkg) || !filepath.IsLocal(path) {
		return nil
	}
	file := filepath.Join(pkg, path)
	if st, err := os.Stat(file); err != nil || !st.Mode().IsRegular() || st.Size() > maxOriginal {
		return nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	nodes, err := parseWithLines(data, path)
	if err != nil || i < 0 || i >= len(nodes) {
		return nil
	}
	return nodes[i].YNode()
}
