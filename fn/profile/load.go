package profile

import (
	"encoding/json"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Load decodes a profile strictly, applies its topology's defaults and
// validates it. It returns the profile as written (raw), the defaulted
// profile and every problem found; the profiles are nil when any problem is
// an error.
func Load(node *yaml.RNode) (raw, p *WordPressProfile, problems ErrorList) {
	raw, errs := Decode(node)
	if len(errs) > 0 {
		return nil, nil, errs
	}
	p = raw.DeepCopy()
	p.Default()
	all := Validate(raw, p)
	if len(all.Errors()) > 0 {
		return nil, nil, all
	}
	return raw, p, all
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
