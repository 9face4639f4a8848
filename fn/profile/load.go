package profile

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Load decodes a profile strictly, applies its topology's defaults and
// validates it. It returns the profile as written (raw), the defaulted
// profile and every problem found, each with its line in node when the
// field is written there; the profiles are nil when any problem is an
// error. A field that does not decode (a typo, a wrong type) does not stop
// the rest from being validated: one run reports every problem.
func Load(node *yaml.RNode) (raw, p *WordPressProfile, problems ErrorList) {
	raw, errs := Decode(node)
	if raw != nil {
		p = raw.DeepCopy()
		p.Default()
		errs = append(errs, without(Validate(raw, p), errs)...)
	}
	for i, e := range errs {
		if e.Line == 0 && e.Path != "" {
			errs[i].Line = ynode.Line(node.YNode(), e.Path)
		}
	}
	// In the order they are written; those at no line (a default) last.
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].Line, errs[j].Line
		return a != 0 && (b == 0 || a < b)
	})
	if len(errs.Errors()) > 0 {
		return nil, nil, errs
	}
	return raw, p, errs
}

// without drops from found what the decoding errors already say: a
// problem at or under a field that did not decode (it was left out, so
// the validator saw it missing). When the topology did not decode, the
// preset the rest was checked against is a guess: nothing more is said.
func without(found, decoding ErrorList) ErrorList {
	var out ErrorList
	for _, e := range found {
		drop := false
		for _, d := range decoding {
			if d.Path == "" || d.Path == "spec" || d.Path == "spec.topology" ||
				e.Path == d.Path || strings.HasPrefix(e.Path, d.Path+".") || strings.HasPrefix(e.Path, d.Path+"[") {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, e)
		}
	}
	return out
}

// DeepCopy returns an independent copy of the profile.
func (p *WordPressProfile) DeepCopy() *WordPressProfile {
	data, err := json.Marshal(p)
	if err != nil {
		panic(err) // the types are plain data: marshalling cannot fail
	}
	out := &WordPressProfile{}
	if err := json.Unmarshal(data, out); err != nil {
		panic(err)
	}
	return out
}
