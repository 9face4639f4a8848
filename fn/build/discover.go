package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// maxDiscoverFile bounds each file discovery reads.
const maxDiscoverFile = 4 << 20

// Discover returns the path of dir's kustomization when building it runs
// wordpress-fn's function: one of its generators, transformers or
// validators (inline, a file, or a directory whose resources yield it), or
// those of a local base or component, carries a function annotation naming
// one of images. Otherwise it returns "". It only reads files: no
// function, no network; a remote base is not followed.
func Discover(dir string, images []string) string {
	d := discoverer{images: images, seen: map[string]bool{}}
	k := kustomizationIn(dir)
	if k == "" || !d.runs(dir, 0) {
		return ""
	}
	return k
}

type discoverer struct {
	images []string
	seen   map[string]bool
}

// kustomizationIn is the kustomization file of dir, or "".
func kustomizationIn(dir string) string {
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		p := filepath.Join(dir, n)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

func readSmall(path string) ([]byte, bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxDiscoverFile {
		return nil, false
	}
	b, err := os.ReadFile(path)
	return b, err == nil
}

func readKustomization(dir string) (*types.Kustomization, bool) {
	path := kustomizationIn(dir)
	if path == "" {
		return nil, false
	}
	data, ok := readSmall(path)
	if !ok {
		return nil, false
	}
	var k types.Kustomization
	if err := k.Unmarshal(data); err != nil {
		return nil, false
	}
	k.FixKustomization()
	return &k, true
}

// runs reports whether the kustomization in dir runs our function.
func (d *discoverer) runs(dir string, depth int) bool {
	abs, err := filepath.Abs(dir)
	if err != nil || d.seen[abs] || depth > 20 {
		return false
	}
	d.seen[abs] = true
	k, ok := readKustomization(dir)
	if !ok {
		return false
	}
	for _, list := range [][]string{k.Generators, k.Transformers, k.Validators} {
		for _, e := range list {
			if isInline(e) {
				if d.ours([]byte(e)) {
					return true
				}
				continue
			}
			if isRemote(e) {
				continue
			}
			if d.yields(filepath.Join(dir, e), depth+1) {
				return true
			}
		}
	}
	for _, list := range [][]string{k.Resources, k.Components} {
		for _, e := range list {
			if isRemote(e) {
				continue
			}
			p := filepath.Join(dir, e)
			if fi, err := os.Stat(p); err == nil && fi.IsDir() && d.runs(p, depth+1) {
				return true
			}
		}
	}
	return false
}

// yields reports whether a generator/transformer entry (a file, or a
// directory whose kustomization lists it) holds our function's config.
func (d *discoverer) yields(path string, depth int) bool {
	fi, err := os.Stat(path)
	if err != nil || depth > 20 {
		return false
	}
	if !fi.IsDir() {
		data, ok := readSmall(path)
		return ok && d.ours(data)
	}
	k, ok := readKustomization(path)
	if !ok {
		return false
	}
	// A patch that replaces the function annotation decides (as
	// overlays/prod-exec's does, with an exec function).
	patches := []string{}
	for _, p := range k.Patches {
		patches = append(patches, p.Patch)
	}
	for _, p := range k.PatchesStrategicMerge {
		patches = append(patches, string(p))
	}
	for _, p := range patches {
		if strings.Contains(p, "/function") && strings.Contains(p, "\n") {
			return d.ours([]byte(p))
		}
	}
	for _, e := range k.Resources {
		if !isRemote(e) && d.yields(filepath.Join(path, e), depth+1) {
			return true
		}
	}
	return false
}

// ours reports whether data holds an object whose function annotation
// names a served image.
func (d *discoverer) ours(data []byte) bool {
	if !bytes.Contains(data, []byte("function")) {
		return false
	}
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return false
	}
	for _, n := range nodes {
		for _, key := range functionAnnotations {
			spec := n.GetAnnotations()[key]
			if spec == "" {
				continue
			}
			if sn, err := yaml.Parse(spec); err == nil && served(field(sn, "container", "image"), d.images) {
				return true
			}
		}
	}
	return false
}
