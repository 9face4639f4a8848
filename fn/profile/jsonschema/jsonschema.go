// Package jsonschema generates the JSON Schema of WordPressProfile from its
// Go types and their doc comments, so editors and validators can check a
// profile before the function runs. The checked-in schema/ file is kept in
// sync by this package's test.
package jsonschema

import (
	"encoding/json"
	"os"
	"reflect"

	ijs "github.com/invopop/jsonschema"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// ID of the schema.
const ID = "https://kube-samples.io/schemas/wordpressprofile-v1alpha1.json"

var enums = map[reflect.Type][]any{
	reflect.TypeOf(profile.Topology("")):         {profile.NoHA, profile.HA, profile.Production},
	reflect.TypeOf(profile.AntiAffinityMode("")): {profile.AntiAffinityNone, profile.AntiAffinitySoft, profile.AntiAffinityHard},
	reflect.TypeOf(profile.DatabaseMode("")):     {profile.DatabaseEmbedded, profile.DatabaseExternal},
	reflect.TypeOf(profile.ExposureMode("")):     {profile.ExposureNodePort, profile.ExposureTraefik, profile.ExposureIngress, profile.ExposureNone},
	reflect.TypeOf(profile.SecurityMode("")):     {profile.SecurityDefault, profile.SecurityStrict, profile.SecurityOff},
}

// Generate returns the schema, indented. root is the repository's root
// directory: the doc comments are read from the Go source there.
func Generate(root string) ([]byte, error) {
	r := &ijs.Reflector{
		DoNotReference: false,
		Mapper: func(t reflect.Type) *ijs.Schema {
			if t == reflect.TypeOf(intstr.IntOrString{}) {
				return &ijs.Schema{OneOf: []*ijs.Schema{
					{Type: "integer", Minimum: "0"},
					{Type: "string", Pattern: `^[0-9]+%$`},
				}}
			}
			if vals, ok := enums[t]; ok {
				return &ijs.Schema{Type: "string", Enum: vals}
			}
			return nil
		},
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if err := os.Chdir(root); err != nil {
		return nil, err
	}
	err = r.AddGoComments("github.com/kube-samples/wordpress-fn", "./fn/profile")
	if cerr := os.Chdir(wd); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	s := r.Reflect(&profile.WordPressProfile{})
	s.ID = ID
	s.Title = profile.Kind
	if def, ok := s.Definitions["WordPressProfile"]; ok {
		if p, ok := def.Properties.Get("apiVersion"); ok {
			p.Const = profile.APIVersion
		}
		if p, ok := def.Properties.Get("kind"); ok {
			p.Const = profile.Kind
		}
	}
	if def, ok := s.Definitions["ObjectMeta"]; ok {
		def.AdditionalProperties = nil // metadata may carry what Kubernetes allows
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
