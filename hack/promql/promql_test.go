// Package promql checks every alert expression the project renders with
// the upstream Prometheus parser. It is a module of its own so that
// Prometheus' dependencies never reach the function's go.mod.
package promql

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"
)

// rule is the part of a PrometheusRule this test reads.
type rule struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Groups []struct {
			Name  string `yaml:"name"`
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	} `yaml:"spec"`
}

// collect finds PrometheusRules in a YAML document: a manifest, or a
// ResourceList (the golden files) whose items hold them.
func collect(doc map[string]any, out *[]rule) error {
	if items, ok := doc["items"].([]any); ok {
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				if err := collect(m, out); err != nil {
					return err
				}
			}
		}
	}
	if doc["kind"] != "PrometheusRule" || doc["apiVersion"] != "monitoring.coreos.com/v1" {
		return nil
	}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	var r rule
	if err := yaml.Unmarshal(b, &r); err != nil {
		return err
	}
	*out = append(*out, r)
	return nil
}

// TestAlertExpressionsParse parses every alert expression of every
// PrometheusRule in the goldens (fn/testdata) and in the files named by
// PROMQL_FILES (e.g. rendered examples).
func TestAlertExpressionsParse(t *testing.T) {
	files, err := filepath.Glob("../../fn/testdata/*/_expected.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.SplitList(os.Getenv("PROMQL_FILES"))...)
	var rules []rule
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("kind: PrometheusRule")) {
			continue // the error cases' input need not be valid YAML
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if err := collect(doc, &rules); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
	}
	n := 0
	for _, r := range rules {
		for _, g := range r.Spec.Groups {
			for _, a := range g.Rules {
				n++
				if a.Alert == "" || a.Expr == "" {
					t.Errorf("%s/%s: a rule without alert or expr: %+v", r.Metadata.Name, g.Name, a)
					continue
				}
				expr, err := parser.NewParser(parser.Options{}).ParseExpr(a.Expr)
				if err != nil {
					t.Errorf("%s %s: %v\n  %s", r.Metadata.Name, a.Alert, err, a.Expr)
					continue
				}
				if typ := expr.Type(); typ != parser.ValueTypeVector {
					t.Errorf("%s %s: evaluates to a %s, an alert needs an instant vector", r.Metadata.Name, a.Alert, typ)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no alert found: the goldens should hold the production site's PrometheusRule")
	}
	t.Logf("%d alert expressions in %d PrometheusRules parse", n, len(rules))
}
