package e2e

// TestRealWorld holds `wordpress-fn harden` to its promise on real users'
// manifests: e2e/testdata/realworld/<case>/ holds input.yaml (rendered
// manifests: a Helm chart's output, the Kubernetes tutorial, ...),
// profile.yaml (the WordPressProfile a user would write), SOURCE.md, and
// optionally expect.yaml:
//
//	refused: true                  # default false: harden must succeed
//	object: StatefulSet/wp-mariadb # kind/name the error must name (required when refused)
//	stderr:                        # substrings the error must contain
//	  - "..."
//
// For every case the binary runs as a user runs it,
// `bin/wordpress-fn harden -f profile.yaml < input.yaml`, and each check
// of realworld_checks_test.go is one subtest, TestRealWorld/<case>/<check>,
// so that a failure report reads as a checklist:
//
//	exit-status               refused cases exit 1, name the object, print nothing; others exit 0
//	nothing-lost              every input object is in the output exactly once
//	untouched-byte-identical  kinds the function never hardens come out byte for byte
//	immutable-fields          no selector, PVC spec, clusterIP, ... changed
//	no-duplicates             one PDB and one HPA per workload, one route per host and Service port,
//	                          as many database workloads as the input, the same database host
//	everything-connects       every selector, claim, volume, Secret and ConfigMap reference resolves
//	one-namespace             what the function made or changed is in the site's namespace
//	idempotent                harden on its own output changes no byte
//	kube-score                no more CRITICAL findings than the input, check by check
//	production/<check>        what the project's own production output passes
//
// Run: go test ./e2e -run TestRealWorld (add -v for the notes: counts,
// findings the input already had). WRITE_REALWORLD_TABLE=1 also writes
// docs/realworld.md, the summary table of every case.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kube-samples/wordpress-fn/e2e/internal/skip"

	sigsyaml "sigs.k8s.io/yaml"
)

var kubeScoreOnce once

func kubeScore(t *testing.T) string { return tool(t, &kubeScoreOnce, "kube-score") }

// rwRow is a case's line of docs/realworld.md.
type rwRow struct {
	name                    string
	in, out                 int
	prodBefore, prodAfter   int // production checks passed
	prodTotal               int // production checks that apply
	ksBefore, ksAfter       int // kube-score CRITICAL findings
	status                  string
	checksFailed, checksRun int
}

func TestRealWorld(t *testing.T) {
	dir := filepath.Join(root(t), "e2e", "testdata", "realworld")
	inputs, _ := filepath.Glob(filepath.Join(dir, "*", "input.yaml"))
	if len(inputs) == 0 {
		skip.Loudly(t, "no case in %s: nothing to check", dir)
	}
	sort.Strings(inputs)
	bin := fnBin(t)
	ks := kubeScore(t)
	ignores := kubeScoreIgnores(t)
	var rows []rwRow
	for _, in := range inputs {
		caseDir := filepath.Dir(in)
		name := filepath.Base(caseDir)
		row := rwRow{name: name}
		t.Run(name, func(t *testing.T) {
			runRealWorldCase(t, caseDir, bin, ks, ignores, &row)
		})
		rows = append(rows, row)
	}
	if os.Getenv("WRITE_REALWORLD_TABLE") == "1" {
		file := filepath.Join(root(t), "docs", "realworld.md")
		if err := os.WriteFile(file, realWorldTable(rows), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", file)
	}
}

func runRealWorldCase(t *testing.T, caseDir, bin, ks string, ignores []ksIgnore, row *rwRow) {
	rel, _ := filepath.Rel(root(t), caseDir)
	input, err := os.ReadFile(filepath.Join(caseDir, "input.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if docs, err := splitObjects(input); err == nil {
		row.in = len(docs)
	}
	profileFile := filepath.Join(rel, "profile.yaml")
	profile, err := os.ReadFile(filepath.Join(caseDir, "profile.yaml"))
	if os.IsNotExist(err) {
		row.status = "no profile.yaml yet"
		skip.Loudly(t, "%s has no profile.yaml yet: the case is not checked", rel)
	} else if err != nil {
		t.Fatal(err)
	}
	var exp rwExpect
	if data, err := os.ReadFile(filepath.Join(caseDir, "expect.yaml")); err == nil {
		if err := sigsyaml.UnmarshalStrict(data, &exp); err != nil {
			t.Fatalf("%s/expect.yaml: %v (fields: refused, object, stderr)", rel, err)
		}
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}

	// What the input is worth on its own, for the table.
	inSite, err := newSite(profile, input, nil)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	row.in = len(inSite.in)
	ksIn := kubeScoreFindings(t, ks, ignores, "input.yaml", input)
	row.ksBefore = countFindings(ksIn)
	for _, pc := range prodChecks {
		if pc.applies(inSite.profile) == "" {
			row.prodTotal++
			if len(pc.run(inSite, inSite.in)) == 0 {
				row.prodBefore++
			}
		}
	}

	args := []string{"harden", "-f", profileFile}
	stdout, stderr, code := runWithStdin(t, root(t), input, bin, args...)
	check := func(name string, f func() rwResult) {
		row.checksRun++
		if !t.Run(name, func(t *testing.T) {
			res := f()
			for _, n := range res.notes {
				t.Log(n)
			}
			for _, f := range res.fail {
				t.Error(f)
			}
		}) {
			row.checksFailed++
		}
	}
	check("exit-status", func() rwResult { return checkExit(exp, code, string(stdout), string(stderr)) })
	switch {
	case exp.Refused:
		row.status = "refused"
		return
	case code != 0:
		row.status = fmt.Sprintf("exit %d (should succeed)", code)
		t.Logf("harden failed: the other checks are not run:\n%s", stderr)
		return
	}
	row.status = "hardened"

	s, err := newSite(profile, input, stdout)
	if err != nil {
		t.Fatalf("`wordpress-fn %s`: %v", strings.Join(args, " "), err)
	}
	row.out = len(s.out)
	again, againErr, againCode := runWithStdin(t, root(t), stdout, bin, args...)
	ksOut := kubeScoreFindings(t, ks, ignores, "output.yaml", stdout)
	row.ksAfter = countFindings(ksOut)

	check("nothing-lost", func() rwResult { return checkNothingLost(s) })
	check("untouched-byte-identical", func() rwResult { return checkUntouched(s) })
	check("immutable-fields", func() rwResult { return checkImmutable(s) })
	check("no-duplicates", func() rwResult { return checkNoDuplicates(s) })
	check("everything-connects", func() rwResult { return checkConnects(s) })
	check("one-namespace", func() rwResult { return checkOneNamespace(s) })
	check("containers-keep-their-config", func() rwResult {
		return checkContainersKeepTheirConfig(s, bytes.Contains(profile, []byte("args:")))
	})
	check("idempotent", func() rwResult { return checkIdempotent(stdout, again, againCode, string(againErr)) })
	check("kube-score", func() rwResult { return checkKubeScore(ksIn, ksOut) })
	for _, pc := range prodChecks {
		if why := pc.applies(s.profile); why != "" {
			t.Run("production/"+pc.name, func(t *testing.T) { t.Skip(why) })
			continue
		}
		before, after := pc.run(inSite, inSite.in), pc.run(s, s.out)
		if len(after) == 0 {
			row.prodAfter++
		}
		var silent, told []string
		for _, f := range after {
			if keptOut(f, string(stderr), pc.field) {
				told = append(told, f)
			} else {
				silent = append(silent, f)
			}
		}
		check("production/"+pc.name, func() rwResult {
			r := rwResult{fail: silent}
			for _, f := range told {
				r.notef("kept out, and harden said so: %s", f)
			}
			if len(before) == 0 {
				r.notef("the input passed it already")
			} else {
				r.notef("the input failed it: %s", strings.Join(before, "; "))
			}
			return r
		})
	}
}

// runWithStdin runs a command with stdin; a non-zero exit is returned,
// a failure to start fails the test.
func runWithStdin(t *testing.T, dir string, stdin []byte, name string, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return out.Bytes(), errb.Bytes(), code
}

// ksIgnore is an entry of e2e/checkers' ignoredChecks: the kube-score
// findings the project does not count, each with its reason there.
type ksIgnore struct{ check, summary string }

// kubeScoreIgnores reads ignoredChecks from e2e/checkers/kubescore_test.go
// (a test file of another package, so not importable), so that there is
// one list.
func kubeScoreIgnores(t *testing.T) []ksIgnore {
	t.Helper()
	file := filepath.Join(root(t), "e2e", "checkers", "kubescore_test.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []ksIgnore
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "ignoredChecks" || len(vs.Values) != 1 {
			return true
		}
		found = true
		lit, ok := vs.Values[0].(*ast.CompositeLit)
		if !ok {
			t.Fatalf("%s: ignoredChecks is not a composite literal", file)
		}
		for _, e := range lit.Elts {
			el, ok := e.(*ast.CompositeLit)
			if !ok || len(el.Elts) < 2 {
				t.Fatalf("%s: an entry of ignoredChecks is not {check, summary, why}", file)
			}
			var s [2]string
			for i := range s {
				b, ok := el.Elts[i].(*ast.BasicLit)
				if !ok || b.Kind != token.STRING {
					t.Fatalf("%s: an entry of ignoredChecks is not made of string literals", file)
				}
				s[i], _ = strconv.Unquote(b.Value)
			}
			out = append(out, ksIgnore{s[0], s[1]})
		}
		return false
	})
	if !found || len(out) == 0 {
		t.Fatalf("%s: no ignoredChecks list", file)
	}
	return out
}

// kubeScoreFindings scores a YAML stream as e2e/checkers' TestKubeScore
// does and lists its CRITICAL findings by check id, ignoring the same ones.
func kubeScoreFindings(t *testing.T, ks string, ignores []ksIgnore, name string, data []byte) map[string][]string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// kube-score exits 1 when it finds a CRITICAL: the JSON decides.
	stdout, stderr, code := runWithStdin(t, root(t), nil, ks, "score", "--output-format", "json", "--kubernetes-version", "v1.34", file)
	var objects []struct {
		ObjectName string `json:"object_name"`
		Checks     []struct {
			Check struct {
				ID string `json:"id"`
			} `json:"check"`
			Grade    int  `json:"grade"`
			Skipped  bool `json:"skipped"`
			Comments []struct {
				Path    string `json:"path"`
				Summary string `json:"summary"`
			} `json:"comments"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(stdout, &objects); err != nil {
		t.Fatalf("kube-score on %s (exit %d) did not write JSON: %v\n%s", name, code, err, stderr)
	}
	const critical = 1
	out := map[string][]string{}
	for _, o := range objects {
		for _, ch := range o.Checks {
			if ch.Skipped || ch.Grade != critical {
				continue
			}
		comments:
			for _, cm := range ch.Comments {
				for _, ig := range ignores {
					if ig.check == ch.Check.ID && (ig.summary == "" || ig.summary == cm.Summary) {
						continue comments
					}
				}
				out[ch.Check.ID] = append(out[ch.Check.ID], fmt.Sprintf("%s %s: %s", o.ObjectName, cm.Path, cm.Summary))
			}
		}
	}
	return out
}

func countFindings(m map[string][]string) int {
	n := 0
	for _, f := range m {
		n += len(f)
	}
	return n
}

// realWorldTable is docs/realworld.md.
func realWorldTable(rows []rwRow) []byte {
	var b strings.Builder
	b.WriteString(`# wordpress-fn harden on real-world manifests

Generated by ` + "`WRITE_REALWORLD_TABLE=1 go test ./e2e -run TestRealWorld`" + `
from the cases in [e2e/testdata/realworld](../e2e/testdata/realworld) (each
case's SOURCE.md says where its manifests come from). It changes with the
inputs and the function: regenerate it, do not edit it.

- **objects**: in the input, and in the hardened output.
- **production checks**: of the checks in e2e/realworld_checks_test.go
  (prodChecks) that apply to the case's profile, how many the input passes
  and how many the output passes.
- **kube-score CRITICAL**: findings of kube-score, ignoring the same
  checks as e2e/checkers/kubescore_test.go.
- **real-world checks failed**: subtests of TestRealWorld/<case> that fail
  (exit status, nothing lost, untouched, immutable fields, duplicates,
  connections, namespace, idempotence, kube-score, production).

| case | objects in → out | production checks passed before → after | kube-score CRITICAL before → after | result | real-world checks failed |
|---|---|---|---|---|---|
`)
	for _, r := range rows {
		out, prodAfter, ksAfter := strconv.Itoa(r.out), fmt.Sprintf("%d/%d", r.prodAfter, r.prodTotal), strconv.Itoa(r.ksAfter)
		if r.status != "hardened" {
			out, prodAfter, ksAfter = "—", "—", "—"
		}
		failed := fmt.Sprintf("%d of %d", r.checksFailed, r.checksRun)
		if r.checksRun == 0 {
			failed = "—"
		}
		fmt.Fprintf(&b, "| %s | %d → %s | %d/%d → %s | %d → %s | %s | %s |\n",
			r.name, r.in, out, r.prodBefore, r.prodTotal, prodAfter, r.ksBefore, ksAfter, r.status, failed)
	}
	return []byte(b.String())
}
