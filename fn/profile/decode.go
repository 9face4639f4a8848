package profile

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// FieldError is one problem of a profile, at a field path such as
// spec.wordpress.replicas.
type FieldError struct {
	Path    string
	Message string
	// Line in the profile's source, when known (0 otherwise).
	Line int
	// Warning marks a problem that does not fail the run.
	Warning bool
}

func (e FieldError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// ErrorList is every problem found, in field order.
type ErrorList []FieldError

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Errors returns only the entries that fail the run.
func (l ErrorList) Errors() ErrorList {
	var out ErrorList
	for _, e := range l {
		if !e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l ErrorList) Warnings() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// secretWords are field names that would hold a secret value.
var secretWords = []string{"password", "passwd", "pwd", "secretvalue", "token"}

// Decode reads one profile strictly: an unknown or misspelled field, a
// value of the wrong type, or a literal password is an error naming its
// field path. It does not apply defaults or validate values. It retags
// numbers written where a string goes (cpu: 1) and drops fields set to
// null in node, so pass a copy.
//
// It goes on after such an error, so that one run reports every problem:
// the field in error is left out of the profile it returns (nil only when
// the profile is not a mapping at all), which the caller may still
// validate, knowing that those fields are missing.
func Decode(node *yaml.RNode) (*WordPressProfile, ErrorList) {
	var errs ErrorList
	y := node.YNode()
	if y.Kind == yaml.DocumentNode && len(y.Content) == 1 {
		y = y.Content[0]
	}
	if y.Kind != yaml.MappingNode {
		return nil, ErrorList{{Message: "a WordPressProfile must be a mapping", Line: y.Line}}
	}
	checkNode(y, reflect.TypeOf(WordPressProfile{}), "", &errs)
	data, err := yaml.NewRNode(y).MarshalJSON()
	if err != nil {
		return nil, append(errs, FieldError{Message: err.Error()})
	}
	p := &WordPressProfile{}
	if err := json.Unmarshal(data, p); err != nil {
		return nil, append(errs, FieldError{Message: err.Error()})
	}
	return p, errs
}

var intOrStringType = reflect.TypeOf(intstr.IntOrString{})

// checkNode walks a YAML node along the Go type the JSON decoder will fill,
// reporting unknown fields, wrong types and literal secrets with their
// paths. It reports whether n itself can be decoded; a field that cannot
// (unknown, repeated, of the wrong type) is removed from its mapping, so
// that the rest of the profile still decodes and validates.
func checkNode(n *yaml.Node, t reflect.Type, path string, errs *ErrorList) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return true
	}
	bad := func(want string) bool {
		*errs = append(*errs, FieldError{Path: path, Line: n.Line,
			Message: fmt.Sprintf("must be %s, not %s", want, ynode.Describe(n, false))})
		return false
	}
	switch {
	case t == intOrStringType:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!str") {
			return bad("an integer or a percentage string")
		}
		return true
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return bad("a mapping")
		}
		fields := jsonFields(t)
		seen := map[string]bool{}
		// A field set to null (`enabled:`, `{enabled}`) is a field left
		// out: dropped here, as the JSON conversion would turn it into "".
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := ynode.Join(path, k.Value)
			if seen[k.Value] {
				*errs = append(*errs, FieldError{Path: p, Line: k.Line, Message: "duplicate field"})
				continue
			}
			seen[k.Value] = true
			f, ok := fields[k.Value]
			if !ok {
				*errs = append(*errs, unknownField(p, k, fields, t))
				continue
			}
			if !checkNode(v, f, p, errs) || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
				continue
			}
			kept = append(kept, k, v)
		}
		n.Content = kept
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return bad("a mapping")
		}
		keys := map[string]bool{}
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := ynode.Join(path, k.Value)
			if keys[k.Value] {
				*errs = append(*errs, FieldError{Path: p, Line: k.Line, Message: "duplicate key"})
				continue
			}
			keys[k.Value] = true
			// Keys are strings, as label keys and annotations are: a
			// number is taken as written, anything else is an error.
			switch {
			case k.Kind == yaml.ScalarNode && (k.Tag == "!!int" || k.Tag == "!!float"):
				k.Tag = "!!str"
			case k.Kind != yaml.ScalarNode || (k.Tag != "!!str" && k.Tag != ""):
				*errs = append(*errs, FieldError{Path: p, Line: k.Line,
					Message: fmt.Sprintf("a key must be a string, not %s", ynode.Describe(k, false))})
				continue
			}
			if checkNode(v, t.Elem(), p, errs) {
				kept = append(kept, k, v)
			}
		}
		n.Content = kept
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return bad("a list")
		}
		// One bad element drops the whole list: dropping only the element
		// would renumber the others in later messages.
		ok := true
		for i, c := range n.Content {
			ok = checkNode(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), errs) && ok
		}
		return ok
	case reflect.String:
		// A number is taken as written, as Kubernetes takes `cpu: 1`: it
		// is retagged so the JSON decoder reads its exact spelling. A
		// boolean or a timestamp is an error: YAML would change what was
		// meant (`yes`, `2024-01-01`); quote it to mean a string.
		if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
			n.Tag = "!!str"
			return true
		}
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "") {
			return bad("a string")
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return bad("true or false")
		}
	case reflect.Int32, reflect.Int64, reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			return bad("an integer")
		}
		bits := 64
		if t.Kind() == reflect.Int32 {
			bits = 32
		}
		if _, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, bits); err != nil {
			*errs = append(*errs, FieldError{Path: path, Line: n.Line,
				Message: fmt.Sprintf("%s is out of range for a %d-bit integer", n.Value, bits)})
			return false
		}
	}
	return true
}

func unknownField(p string, k *yaml.Node, fields map[string]reflect.Type, t reflect.Type) FieldError {
	lower := strings.ToLower(k.Value)
	for _, w := range secretWords {
		if strings.Contains(lower, w) && !strings.HasSuffix(lower, "key") && !strings.HasSuffix(lower, "property") {
			return FieldError{Path: p, Line: k.Line, Message: "a literal password is not allowed in a profile: " +
				"store it in a Secret and name it in spec.credentials.secretName and spec.credentials.passwordKey"}
		}
	}
	msg := "unknown field"
	if s := closest(k.Value, fields); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else {
		names := make([]string, 0, len(fields))
		for n := range fields {
			names = append(names, n)
		}
		sort.Strings(names)
		msg += "; known fields: " + strings.Join(names, ", ")
	}
	return FieldError{Path: p, Line: k.Line, Message: msg}
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		m[name] = f.Type
	}
	fieldCache.Store(t, m)
	return m
}

// closest suggests a known field within edit distance 2 or differing only
// in case.
func closest(s string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	for name := range fields {
		if strings.EqualFold(name, s) {
			return name
		}
		if d := distance(strings.ToLower(s), strings.ToLower(name)); d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	return best
}

func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
