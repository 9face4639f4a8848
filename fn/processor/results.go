package processor

import (
	"fmt"
	"strconv"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
)

// result is how the processor builds every result: severity sev, about o
// (nil: about the run as a whole), at field ("" for none), the message
// formatted from format and args. It names o (ResourceRef) and the file o
// came from (File).
func result(sev fn.Severity, o *fn.KubeObject, field, format string, args ...any) *fn.Result {
	r := fn.GeneralResult(fmt.Sprintf(format, args...), sev)
	if o != nil {
		r.ResourceRef, r.File = ref(o), fileOf(o)
	}
	if field != "" {
		r.Field = &fn.Field{Path: field}
	}
	return r
}

func ref(o *fn.KubeObject) *fn.ResourceRef {
	return &fn.ResourceRef{APIVersion: o.GetAPIVersion(), Kind: o.GetKind(), Name: o.GetName(), Namespace: o.GetNamespace()}
}

// fileOf is the file o came from, nil when it has no path annotation.
// fn.ConfigObjectResult would give index -1 and an empty path instead.
func fileOf(o *fn.KubeObject) *fn.File {
	path, index := fileAnnotations(o)
	if path == "" {
		return nil
	}
	f := &fn.File{Path: path}
	if i, err := strconv.Atoi(index); err == nil {
		f.Index = i
	}
	return f
}

// fileAnnotations are o's path and index annotations: the
// internal.config.kubernetes.io ones, else the legacy
// config.kubernetes.io ones an older orchestrator writes.
func fileAnnotations(o *fn.KubeObject) (path, index string) {
	path, index, _ = kioutil.GetFileAnnotations(o.CopyToResourceNode())
	return path, index
}
