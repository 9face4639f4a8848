package checkers

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// ignoredChecks are kube-score checks that do not apply to what this
// function deploys, each with its reason in the README section
// "Production checks". A check is ignored only for the finding named
// (kube-score groups several findings under one check).
var ignoredChecks = []struct {
	check, summary, why string
}{
	{"container-security-context-user-group-id", "", "the official images run as their own users (www-data 33, mysql 999; strict mode sets exactly those): README, Production checks"},
	{"container-image-pull-policy", "", "tags are pinned and IfNotPresent lets a pod restart without the registry; pin a digest for immutability: README, Production checks"},
}

// kube-score's JSON output (v2), the fields used here.
type scoredObject struct {
	ObjectName string `json:"object_name"`
	Checks     []struct {
		Check struct {
			ID string `json:"id"`
		} `json:"check"`
		Grade    int  `json:"grade"`
		Skipped  bool `json:"skipped"`
		Comments []struct {
			Path        string `json:"path"`
			Summary     string `json:"summary"`
			Description string `json:"description"`
		} `json:"comments"`
	} `json:"checks"`
}

const gradeCritical = 1

// TestKubeScore scores the production output with kube-score and fails on
// any CRITICAL finding not ignored above.
func TestKubeScore(t *testing.T) {
	ks := pinnedTool(t, "kube-score")
	fnBin := function(t)
	root := repo(t)
	for _, c := range []struct {
		name  string
		args  []string
		stdin []byte
	}{
		{"expand-seed-production", []string{"expand", "-f", "examples/seed-production/profile.yaml"}, nil},
		{"harden-base-seed-production", []string{"harden", "-f", "examples/seed-production/profile.yaml"}, baseManifests(t)},
		{"expand-ingress", []string{"expand", "-f", "examples/ingress/profile.yaml"}, nil},
		{"expand-external-db", []string{"expand", "-f", "examples/external-db/profile.yaml"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := mustRun(t, root, c.stdin, fnBin, c.args...)
			file := filepath.Join(t.TempDir(), c.name+".yaml")
			if err := os.WriteFile(file, out, 0o644); err != nil {
				t.Fatal(err)
			}
			// kube-score exits 1 when it finds a CRITICAL: the JSON decides.
			r := run(t, root, nil, ks, "score", "--output-format", "json", "--kubernetes-version", "v1.34", file)
			var objects []scoredObject
			if err := json.Unmarshal(r.stdout, &objects); err != nil {
				t.Fatalf("kube-score (exit %d) did not write JSON: %v\n%s", r.code, err, r.stderr)
			}
			if len(objects) == 0 {
				t.Fatalf("kube-score scored nothing in %s", file)
			}
			var failures []string
			for _, o := range objects {
				for _, ch := range o.Checks {
					if ch.Skipped || ch.Grade != gradeCritical {
						continue
					}
				comments:
					for _, cm := range ch.Comments {
						for _, ig := range ignoredChecks {
							if ig.check == ch.Check.ID && (ig.summary == "" || ig.summary == cm.Summary) {
								continue comments
							}
						}
						failures = append(failures, fmt.Sprintf("CRITICAL %s: %s (container %q): %s. %s", o.ObjectName, ch.Check.ID, cm.Path, cm.Summary, cm.Description))
					}
				}
			}
			sort.Strings(failures)
			if len(failures) > 0 {
				t.Errorf("kube-score on `wordpress-fn %s`:\n%s\nFix the function, or, if the check cannot apply, add it to ignoredChecks with its reason in the README's Production checks.",
					strings.Join(c.args, " "), strings.Join(failures, "\n"))
			}
		})
	}
}
