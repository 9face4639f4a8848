package e2e

// The checks TestRealWorld holds `wordpress-fn harden` to on real users'
// manifests (realworld_test.go runs them; realworld_selftest_test.go proves
// each one fails on a deliberately broken output). Every check is a pure
// function of one case: the profile, the input documents and the output
// documents, as written. A check returns failures (the test fails) and
// notes (logged: what was already so in the input, the references to the
// Secret the user creates by hand, the counts).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// rwDoc is one YAML document of an input or output: its exact text and
// the object it holds.
type rwDoc struct {
	text                  string // as written, without the --- separators
	node                  *yaml.RNode
	group, kind, ns, name string
}

// String names the object as the function's errors do: Kind ns/name.
func (d *rwDoc) String() string {
	if d.ns == "" {
		return d.kind + " " + d.name
	}
	return d.kind + " " + d.ns + "/" + d.name
}

// ref names the object without its namespace: the same object before and
// after a run that fills in the namespace.
func (d *rwDoc) ref() string { return d.kind + " " + d.name }

// gk is the group and kind, the version left out: policy/v1beta1 and
// policy/v1 are the same object.
func (d *rwDoc) gk() string { return d.group + "/" + d.kind }

// rwProfile is what the checks read of the case's WordPressProfile; the
// rest is the function's business. It is read loosely, so that the checks
// outlive changes of the profile's schema.
type rwProfile struct {
	name, namespace, topology, secretName string
	// the workload the profile names (spec.match.wordpress), if any
	matchKind, matchName string
	// production settings the profile turns off explicitly
	noPreStop, noPDB, noAntiAffinity, noRollingUpdate bool
}

func (p rwProfile) production() bool { return p.topology == "" || p.topology == "production" }

func parseProfile(data []byte) (rwProfile, error) {
	n, err := yaml.Parse(string(data))
	if err != nil {
		return rwProfile{}, err
	}
	if n.GetKind() != "WordPressProfile" {
		return rwProfile{}, fmt.Errorf("not a WordPressProfile but a %q", n.GetKind())
	}
	p := rwProfile{
		name:      firstOf(str(n, "spec", "name"), n.GetName()),
		namespace: firstOf(str(n, "spec", "namespace"), n.GetNamespace(), "kube-samples"),
		topology:  str(n, "spec", "topology"),
		matchKind: str(n, "spec", "match", "wordpress", "kind"),
		matchName: str(n, "spec", "match", "wordpress", "name"),
	}
	p.secretName = firstOf(str(n, "spec", "credentials", "secretName"), p.name+"-db-pwd")
	p.noPreStop = str(n, "spec", "wordpress", "preStop", "enabled") == "false"
	p.noPDB = str(n, "spec", "wordpress", "pdb", "enabled") == "false"
	p.noRollingUpdate = str(n, "spec", "wordpress", "rollingUpdate", "enabled") == "false"
	p.noAntiAffinity = str(n, "spec", "wordpress", "antiAffinity", "mode") == "none"
	return p, nil
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// rwSite is one case after a run: what every check reads.
type rwSite struct {
	profile rwProfile
	in, out []*rwDoc
	// match maps each input document to the output documents that are the
	// same object (see matchDocs).
	match map[*rwDoc][]*rwDoc
	// matchedBy maps each output document to its input document.
	matchedBy map[*rwDoc]*rwDoc
}

// newSite parses a case: the profile, the input and the output.
func newSite(profile, in, out []byte) (*rwSite, error) {
	p, err := parseProfile(profile)
	if err != nil {
		return nil, fmt.Errorf("profile: %v", err)
	}
	s := &rwSite{profile: p}
	if s.in, err = splitObjects(in); err != nil {
		return nil, fmt.Errorf("input: %v", err)
	}
	if s.out, err = splitObjects(out); err != nil {
		return nil, fmt.Errorf("output: %v", err)
	}
	s.match, s.matchedBy = matchDocs(s.in, s.out)
	return s, nil
}

// splitObjects splits a YAML stream into its documents, keeping each one's
// exact text; documents that hold only comments are dropped.
func splitObjects(data []byte) ([]*rwDoc, error) {
	var docs []*rwDoc
	for i, text := range splitDocuments(string(data)) {
		n, err := yaml.Parse(text)
		if err != nil {
			return nil, fmt.Errorf("document %d: %v", i, err)
		}
		if n.IsNilOrEmpty() {
			continue
		}
		if n.YNode().Kind != yaml.MappingNode || n.GetKind() == "" {
			return nil, fmt.Errorf("document %d is not an object:\n%s", i, text)
		}
		group, _, found := strings.Cut(n.GetApiVersion(), "/")
		if !found {
			group = "" // v1
		}
		docs = append(docs, &rwDoc{text: text, node: n, group: group, kind: n.GetKind(), ns: n.GetNamespace(), name: n.GetName()})
	}
	return docs, nil
}

// splitDocuments splits on the lines that are a document separator.
func splitDocuments(s string) []string {
	var docs []string
	var cur strings.Builder
	flush := func() {
		if strings.TrimSpace(cur.String()) != "" {
			docs = append(docs, cur.String())
		}
		cur.Reset()
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		l := strings.TrimRight(line, "\r\n")
		if l == "---" || strings.HasPrefix(l, "--- ") || l == "..." {
			flush()
			continue
		}
		cur.WriteString(line)
	}
	flush()
	return docs
}

// matchDocs pairs every input object with its output: the same group,
// kind and name, in the same namespace; an input object with no namespace
// matches in any namespace (the function may fill it in), among the
// output objects no namespaced input object claimed.
func matchDocs(in, out []*rwDoc) (map[*rwDoc][]*rwDoc, map[*rwDoc]*rwDoc) {
	match := map[*rwDoc][]*rwDoc{}
	by := map[*rwDoc]*rwDoc{}
	for _, pass := range []bool{true, false} {
		for _, i := range in {
			if (i.ns != "") != pass {
				continue
			}
			for _, o := range out {
				if _, taken := by[o]; taken || o.gk() != i.gk() || o.name != i.name {
					continue
				}
				if i.ns != "" && o.ns != i.ns {
					continue
				}
				match[i] = append(match[i], o)
				by[o] = i
			}
		}
	}
	return match, by
}

// the one output object of an input object, or nil.
func (s *rwSite) outOf(i *rwDoc) *rwDoc {
	if m := s.match[i]; len(m) == 1 {
		return m[0]
	}
	return nil
}

// rwResult is what a check finds.
type rwResult struct {
	fail, notes []string
}

func (r *rwResult) failf(format string, args ...any) {
	r.fail = append(r.fail, fmt.Sprintf(format, args...))
}
func (r *rwResult) notef(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// ---------------------------------------------------------------------
// 1. Exit status.

// rwExpect is a case's expect.yaml. Missing file: not refused.
//
//	refused: true                  # harden must exit 1, print nothing on stdout
//	object: StatefulSet/wp-mariadb # kind/name that stderr must name (required when refused)
//	stderr:                        # substrings stderr must contain
//	  - "cannot harden"
type rwExpect struct {
	Refused bool     `json:"refused"`
	Object  string   `json:"object,omitempty"`
	Stderr  []string `json:"stderr,omitempty"`
}

func checkExit(exp rwExpect, code int, stdout, stderr string) rwResult {
	var r rwResult
	if !exp.Refused {
		if code != 0 {
			r.failf("harden exited %d, want 0 (the case is not refused: no expect.yaml with refused: true); stderr:\n%s", code, stderr)
		}
		return r
	}
	if code != 1 {
		r.failf("harden exited %d, want 1: expect.yaml says the case is refused", code)
	}
	if stdout != "" {
		r.failf("a refused run wrote %d bytes on stdout, want none:\n%s", len(stdout), firstLines(stdout, 10))
	}
	kind, name, ok := strings.Cut(exp.Object, "/")
	if !ok || kind == "" || name == "" {
		r.failf("expect.yaml: object is %q, want Kind/name of the object the error must name", exp.Object)
	} else {
		named := false
		for _, line := range strings.Split(stderr, "\n") {
			if regexp.MustCompile(`\b`+regexp.QuoteMeta(kind)+`\b`).MatchString(line) &&
				regexp.MustCompile(`(^|[\s/"'])`+regexp.QuoteMeta(name)+`($|[\s:"',])`).MatchString(line) {
				named = true
				break
			}
		}
		if !named {
			r.failf("stderr names no %s %s (kind and name on one line):\n%s", kind, name, stderr)
		}
	}
	for _, sub := range exp.Stderr {
		if !strings.Contains(stderr, sub) {
			r.failf("stderr does not contain %q:\n%s", sub, stderr)
		}
	}
	return r
}

// ---------------------------------------------------------------------
// 2. Nothing lost.

func checkNothingLost(s *rwSite) rwResult {
	var r rwResult
	for _, i := range s.in {
		switch m := s.match[i]; len(m) {
		case 0:
			r.failf("%s: lost, not in the output", i)
		case 1:
		default:
			r.failf("%s: in the output %d times: %s", i, len(m), docList(m))
		}
	}
	seen := map[string][]*rwDoc{}
	for _, o := range s.out {
		k := o.gk() + " " + o.ns + "/" + o.name
		seen[k] = append(seen[k], o)
	}
	for _, k := range sortedKeys(seen) {
		if len(seen[k]) > 1 {
			r.failf("%s: output %d times", seen[k][0], len(seen[k]))
		}
	}
	return r
}

// ---------------------------------------------------------------------
// 3. Untouched objects byte-identical.

// hardenedKinds are the kinds the function may change. Any other input
// object must come out as it went in.
func hardened(d *rwDoc) bool {
	switch d.kind {
	case "Deployment", "StatefulSet", "Service", "PersistentVolumeClaim", "PodDisruptionBudget",
		"HorizontalPodAutoscaler", "NetworkPolicy", "Ingress", "Namespace":
		return true
	case "IngressRoute", "Middleware":
		return strings.Contains(d.group, "traefik")
	}
	return false
}

func checkUntouched(s *rwSite) rwResult {
	var r rwResult
	n := 0
	for _, i := range s.in {
		o := s.outOf(i)
		if hardened(i) || o == nil {
			continue // check 2 reports a lost or doubled object
		}
		n++
		if got, want := withoutAddedNamespace(i, o), trimDoc(i.text); got != want {
			r.failf("%s: a kind the function never hardens, changed:\n%s", i, lineDiff(want, got))
		}
	}
	r.notef("%d input objects of kinds the function never hardens", n)
	return r
}

func trimDoc(s string) string { return strings.TrimRight(s, " \t\r\n") + "\n" }

// withoutAddedNamespace is an output document's text, less the
// metadata.namespace line the function added where the input had none.
func withoutAddedNamespace(i, o *rwDoc) string {
	text := trimDoc(o.text)
	if i.ns != "" || o.ns == "" {
		return text
	}
	lines := strings.SplitAfter(text, "\n")
	inMeta, childIndent := false, -1
	for j, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		indent := len(l) - len(trimmed)
		if strings.TrimSpace(l) == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if indent == 0 {
			inMeta = strings.HasPrefix(l, "metadata:")
			continue
		}
		if !inMeta {
			continue
		}
		if childIndent < 0 {
			childIndent = indent
		}
		if indent == childIndent && regexp.MustCompile(`^namespace:\s*["']?`+regexp.QuoteMeta(o.ns)+`["']?\s*$`).MatchString(strings.TrimRight(trimmed, "\r\n")) {
			return strings.Join(append(append([]string(nil), lines[:j]...), lines[j+1:]...), "")
		}
	}
	return text
}

// ---------------------------------------------------------------------
// 4. No immutable field changed.

var immutableFields = []struct {
	group, kind string
	path        []string
}{
	{"apps", "Deployment", []string{"spec", "selector"}},
	{"apps", "StatefulSet", []string{"spec", "selector"}},
	{"apps", "DaemonSet", []string{"spec", "selector"}},
	{"apps", "ReplicaSet", []string{"spec", "selector"}},
	{"apps", "StatefulSet", []string{"spec", "volumeClaimTemplates"}},
	{"apps", "StatefulSet", []string{"spec", "serviceName"}},
	{"apps", "StatefulSet", []string{"spec", "podManagementPolicy"}},
	{"", "PersistentVolumeClaim", []string{"spec"}},
	{"", "Service", []string{"spec", "clusterIP"}},
	{"", "Service", []string{"spec", "clusterIPs"}},
	{"", "Service", []string{"spec", "ipFamilies"}},
	{"batch", "Job", []string{"spec", "template"}},
	{"batch", "Job", []string{"spec", "selector"}},
}

func checkImmutable(s *rwSite) rwResult {
	var r rwResult
	for _, i := range s.in {
		o := s.outOf(i)
		if o == nil {
			// Check 2 reports a lost object; here, one that moved.
			if i.ns == "" || len(s.match[i]) > 0 {
				continue
			}
			for _, c := range s.out {
				if c.gk() == i.gk() && c.name == i.name && c.ns != i.ns && s.matchedBy[c] == nil {
					r.failf("%s: metadata.namespace changed from %q to %q", i, i.ns, c.ns)
				}
			}
			continue
		}
		for _, f := range immutableFields {
			if i.group != f.group || i.kind != f.kind {
				continue
			}
			before, after := plainAt(i.node, f.path...), plainAt(o.node, f.path...)
			if !equalJSON(before, after) {
				r.failf("%s: %s is immutable and changed:\n  input:  %s\n  output: %s", i, strings.Join(f.path, "."), compact(before), compact(after))
			}
		}
	}
	return r
}

// plainAt is the value at path as plain data (nil when absent).
func plainAt(n *yaml.RNode, path ...string) any {
	v := n
	if len(path) > 0 {
		var err error
		if v, err = n.Pipe(yaml.Lookup(path...)); err != nil {
			return nil
		}
	}
	if v == nil {
		return nil
	}
	var out any
	if err := v.YNode().Decode(&out); err != nil {
		return fmt.Sprintf("<undecodable: %v>", err)
	}
	return out
}

func compact(v any) string {
	if v == nil {
		return "(absent)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// equalJSON compares plain values as their JSON: 3306 and 3306.0 are not
// told apart by a server either.
func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// ---------------------------------------------------------------------
// Workloads and their pods.

// rwPod is the pod template of a workload (or a bare Pod).
type rwPod struct {
	owner  *rwDoc
	labels map[string]string
	spec   *yaml.RNode
	path   string // of spec in owner
}

var podPaths = map[string][]string{
	"Deployment":  {"spec", "template"},
	"StatefulSet": {"spec", "template"},
	"DaemonSet":   {"spec", "template"},
	"ReplicaSet":  {"spec", "template"},
	"Job":         {"spec", "template"},
	"CronJob":     {"spec", "jobTemplate", "spec", "template"},
	"Pod":         {},
}

func podOf(d *rwDoc) *rwPod {
	path, ok := podPaths[d.kind]
	if !ok {
		return nil
	}
	tmpl := d.node
	if len(path) > 0 {
		tmpl, _ = d.node.Pipe(yaml.Lookup(path...))
	}
	if tmpl == nil {
		return nil
	}
	spec, _ := tmpl.Pipe(yaml.Lookup("spec"))
	if spec == nil {
		return nil
	}
	labels := map[string]string{}
	if l, _ := tmpl.Pipe(yaml.Lookup("metadata", "labels")); l != nil {
		labels = stringMap(l)
	}
	return &rwPod{owner: d, labels: labels, spec: spec, path: strings.Join(append(append([]string(nil), path...), "spec"), ".")}
}

func pods(docs []*rwDoc) []*rwPod {
	var out []*rwPod
	for _, d := range docs {
		if p := podOf(d); p != nil {
			out = append(out, p)
		}
	}
	return out
}

func stringMap(n *yaml.RNode) map[string]string {
	m := map[string]string{}
	if n == nil || n.YNode().Kind != yaml.MappingNode {
		return m
	}
	c := n.YNode().Content
	for i := 0; i+1 < len(c); i += 2 {
		m[c[i].Value] = c[i+1].Value
	}
	return m
}

// elements is the list at path (nil when absent or not a list).
func elements(n *yaml.RNode, path ...string) []*yaml.RNode {
	l, _ := n.Pipe(yaml.Lookup(path...))
	if l == nil || l.YNode().Kind != yaml.SequenceNode {
		return nil
	}
	e, _ := l.Elements()
	return e
}

// containers of a pod: init containers first.
func (p *rwPod) containers() []*yaml.RNode {
	var out []*yaml.RNode
	for _, list := range []string{"initContainers", "containers", "ephemeralContainers"} {
		out = append(out, elements(p.spec, list)...)
	}
	return out
}

// imageRepo is an image's last path segment without tag or digest:
// docker.io/bitnami/mariadb:12.0.2@sha256:... is mariadb.
func imageRepo(image string) string {
	image, _, _ = strings.Cut(image, "@")
	if i := strings.LastIndex(image, "/"); i >= 0 {
		image = image[i+1:]
	}
	image, _, _ = strings.Cut(image, ":")
	return strings.ToLower(image)
}

var (
	wordpressImage = regexp.MustCompile(`^wordpress(-nginx)?$`)
	databaseImage  = regexp.MustCompile(`^(mysql|mariadb)(-server|-galera)?$`)
)

func runsImage(p *rwPod, re *regexp.Regexp) bool {
	for _, c := range elements(p.spec, "containers") {
		if re.MatchString(imageRepo(str(c, "image"))) {
			return true
		}
	}
	return false
}

func isWorkload(d *rwDoc) bool { return d.kind == "Deployment" || d.kind == "StatefulSet" }

// wordpressPods are the site's WordPress workloads: a Deployment or
// StatefulSet running a wordpress image, or the one the profile names.
func (s *rwSite) wordpressPods(docs []*rwDoc) []*rwPod {
	var out []*rwPod
	for _, d := range docs {
		if !isWorkload(d) {
			continue
		}
		p := podOf(d)
		if p == nil {
			continue
		}
		named := s.profile.matchName != "" && d.name == s.profile.matchName && (s.profile.matchKind == "" || s.profile.matchKind == d.kind)
		if named || runsImage(p, wordpressImage) {
			out = append(out, p)
		}
	}
	return out
}

// databasePods are the Deployments and StatefulSets running MySQL or
// MariaDB, from any registry or publisher.
func databasePods(docs []*rwDoc) []*rwPod {
	var out []*rwPod
	for _, d := range docs {
		if p := podOf(d); p != nil && isWorkload(d) && runsImage(p, databaseImage) {
			out = append(out, p)
		}
	}
	return out
}

// wordpressContainer is the container running WordPress: the one running
// a wordpress image (named wordpress if several), else the only one.
func wordpressContainer(p *rwPod) *yaml.RNode {
	cs := elements(p.spec, "containers")
	var found []*yaml.RNode
	for _, c := range cs {
		if wordpressImage.MatchString(imageRepo(str(c, "image"))) {
			found = append(found, c)
		}
	}
	for _, c := range found {
		if str(c, "name") == "wordpress" {
			return c
		}
	}
	if len(found) > 0 {
		return found[0]
	}
	if len(cs) == 1 {
		return cs[0]
	}
	return nil
}

// selects reports whether a LabelSelector (matchLabels, matchExpressions)
// selects labels. A null selector selects nothing, an empty one all.
func selects(sel *yaml.RNode, labels map[string]string) bool {
	if sel == nil || sel.YNode().Kind != yaml.MappingNode {
		return false
	}
	ml, _ := sel.Pipe(yaml.Lookup("matchLabels"))
	for k, v := range stringMap(ml) {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for _, e := range elements(sel, "matchExpressions") {
		k := str(e, "key")
		var values []string
		for _, v := range elements(e, "values") {
			values = append(values, yaml.GetValue(v))
		}
		got, has := labels[k]
		in := false
		for _, v := range values {
			in = in || (has && got == v)
		}
		switch str(e, "operator") {
		case "In":
			if !in {
				return false
			}
		case "NotIn":
			if in {
				return false
			}
		case "Exists":
			if !has {
				return false
			}
		case "DoesNotExist":
			if has {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// serviceSelects: a Service's selector is a plain label map.
func serviceSelects(sel map[string]string, labels map[string]string) bool {
	for k, v := range sel {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------
// 5. No duplicates, and 6. everything connects: findings on the output
// that the input already had (same key, namespaces left out since the
// function may fill them in) are the user's, not the function's: they
// are noted, not failed.

type finding struct {
	key, msg string
	// of a dangling reference: what it refers to
	kind, name string
}

func splitNew(r *rwResult, in, out []finding) {
	had := map[string]bool{}
	for _, f := range in {
		had[f.key] = true
	}
	for _, f := range out {
		if had[f.key] {
			r.notef("already in the input: %s", f.msg)
		} else {
			r.fail = append(r.fail, f.msg)
		}
	}
}

func checkNoDuplicates(s *rwSite) rwResult {
	var r rwResult
	splitNew(&r, duplicates(s.in), duplicates(s.out))

	dbIn, dbOut := databasePods(s.in), databasePods(s.out)
	if len(dbIn) != len(dbOut) {
		r.failf("the input has %d database workloads (%s), the output %d (%s)", len(dbIn), podList(dbIn), len(dbOut), podList(dbOut))
	}
	// The WordPress container's database host is the user's.
	for _, p := range s.wordpressPods(s.in) {
		o := s.outOf(p.owner)
		if o == nil {
			continue
		}
		op := podOf(o)
		for _, c := range elements(p.spec, "containers") {
			for _, e := range elements(c, "env") {
				name := str(e, "name")
				if name != "WORDPRESS_DB_HOST" && name != "WORDPRESS_DATABASE_HOST" {
					continue
				}
				var after any
				if op != nil {
					for _, oc := range elements(op.spec, "containers") {
						if str(oc, "name") != str(c, "name") {
							continue
						}
						for _, oe := range elements(oc, "env") {
							if str(oe, "name") == name {
								after = plainAt(oe)
							}
						}
					}
				}
				if before := plainAt(e); !equalJSON(before, after) {
					r.failf("%s: %s.containers[name=%s].env[name=%s] changed: the input's database host %s, the output's %s",
						o, p.path, str(c, "name"), name, compact(before), compact(after))
				}
			}
		}
	}
	return r
}

func duplicates(docs []*rwDoc) []finding {
	var out []finding
	ps := pods(docs)
	for _, p := range ps {
		if !isWorkload(p.owner) && p.owner.kind != "DaemonSet" {
			continue
		}
		var pdbs, hpas []*rwDoc
		for _, d := range docs {
			if d.ns != p.owner.ns {
				continue
			}
			switch d.kind {
			case "PodDisruptionBudget":
				sel, _ := d.node.Pipe(yaml.Lookup("spec", "selector"))
				if selects(sel, p.labels) {
					pdbs = append(pdbs, d)
				}
			case "HorizontalPodAutoscaler":
				if str(d.node, "spec", "scaleTargetRef", "kind") == p.owner.kind && str(d.node, "spec", "scaleTargetRef", "name") == p.owner.name {
					hpas = append(hpas, d)
				}
			}
		}
		if len(pdbs) > 1 {
			out = append(out, finding{key: "pdb " + p.owner.ref() + ": " + refList(pdbs),
				msg: fmt.Sprintf("%s: %d PodDisruptionBudgets select its pods: %s", p.owner, len(pdbs), docList(pdbs))})
		}
		if len(hpas) > 1 {
			out = append(out, finding{key: "hpa " + p.owner.ref() + ": " + refList(hpas),
				msg: fmt.Sprintf("%s: %d HorizontalPodAutoscalers target it: %s", p.owner, len(hpas), docList(hpas))})
		}
	}
	// Routes: one per host and one per Service port, on any listener they
	// share (Traefik's web and websecure entry points are two listeners:
	// an HTTP route that redirects next to the HTTPS one is no duplicate).
	routes := routesOf(docs)
	conflict := func(what string, group func(rt route) []string) {
		by := map[string][]route{}
		for _, rt := range routes {
			for _, k := range group(rt) {
				by[k] = append(by[k], rt)
			}
		}
		for _, k := range sortedKeys(by) {
			rs := by[k]
			for a := 0; a < len(rs); a++ {
				for b := a + 1; b < len(rs); b++ {
					if rs[a].obj == rs[b].obj && rs[a].rule == rs[b].rule || !overlap(rs[a].listeners, rs[b].listeners) {
						continue
					}
					if what == "Service port" && rs[a].obj == rs[b].obj {
						continue // one object routing several hosts to one Service
					}
					out = append(out, finding{key: "route " + what + " " + k + ": " + rs[a].obj.ref() + " " + rs[b].obj.ref(),
						msg: fmt.Sprintf("%s %s is routed twice: %s %s and %s %s", what, k, rs[a].obj, rs[a].rule, rs[b].obj, rs[b].rule)})
				}
			}
		}
	}
	conflict("host", func(rt route) []string { return rt.hosts })
	conflict("Service port", func(rt route) []string { return rt.backends })
	return out
}

// route is one rule of an Ingress or a Traefik IngressRoute.
type route struct {
	obj       *rwDoc
	rule      string   // spec.rules[i], spec.routes[i]
	hosts     []string // as written; "*" for any host
	backends  []string // Service ns/name:port
	listeners []string // Traefik entry points; "*" for all (an Ingress)
}

var hostMatcher = regexp.MustCompile(`Host(?:SNI)?\(([^)]*)\)`)
var quoted = regexp.MustCompile("[`\"]([^`\"]+)[`\"]")

func routesOf(docs []*rwDoc) []route {
	var out []route
	for _, d := range docs {
		switch {
		case d.kind == "Ingress":
			for i, rule := range elements(d.node, "spec", "rules") {
				rt := route{obj: d, rule: fmt.Sprintf("spec.rules[%d]", i), hosts: []string{firstOf(str(rule, "host"), "*")}, listeners: []string{"*"}}
				for _, p := range elements(rule, "http", "paths") {
					if svc := str(p, "backend", "service", "name"); svc != "" {
						rt.backends = append(rt.backends, d.ns+"/"+svc+":"+firstOf(str(p, "backend", "service", "port", "number"), str(p, "backend", "service", "port", "name")))
					}
				}
				out = append(out, rt)
			}
		case d.kind == "IngressRoute" && strings.Contains(d.group, "traefik"):
			var eps []string
			for _, e := range elements(d.node, "spec", "entryPoints") {
				eps = append(eps, yaml.GetValue(e))
			}
			if len(eps) == 0 {
				eps = []string{"*"}
			}
			for i, rule := range elements(d.node, "spec", "routes") {
				rt := route{obj: d, rule: fmt.Sprintf("spec.routes[%d]", i), listeners: eps}
				for _, m := range hostMatcher.FindAllStringSubmatch(str(rule, "match"), -1) {
					for _, h := range quoted.FindAllStringSubmatch(m[1], -1) {
						rt.hosts = append(rt.hosts, h[1])
					}
				}
				if len(rt.hosts) == 0 {
					rt.hosts = []string{"*"}
				}
				for _, svc := range elements(rule, "services") {
					if k := str(svc, "kind"); k != "" && k != "Service" {
						continue
					}
					rt.backends = append(rt.backends, firstOf(str(svc, "namespace"), d.ns)+"/"+str(svc, "name")+":"+str(svc, "port"))
				}
				out = append(out, rt)
			}
		}
	}
	return out
}

func overlap(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y || x == "*" || y == "*" {
				return true
			}
		}
	}
	return false
}

// ---------------------------------------------------------------------
// 6. Everything connects.

func checkConnects(s *rwSite) rwResult {
	var r rwResult
	inF, inDangling := connections(s.in)
	outF, dangling := connections(s.out)
	splitNew(&r, inF, outF)
	// References to objects in neither list: fine when the input already
	// made them (the user's own Secret), else only to the profile's Secret.
	had := map[string]bool{}
	for _, f := range inDangling {
		had[f.key] = true
	}
	inputHolds := map[string][]string{} // kind name: namespaces
	for _, d := range s.in {
		inputHolds[d.kind+" "+d.name] = append(inputHolds[d.kind+" "+d.name], fmt.Sprintf("%q", d.ns))
	}
	for _, f := range dangling {
		held := inputHolds[f.kind+" "+f.name]
		switch {
		case had[f.key]:
			r.notef("already in the input: %s", f.msg)
		case len(held) > 0:
			r.failf("%s, but the input holds it in namespace %s: the reference no longer reaches it", f.msg, strings.Join(held, ", "))
		case f.kind == "Secret" && f.name == s.profile.secretName:
			r.notef("to the profile's Secret, which the user creates: %s", f.msg)
		default:
			r.fail = append(r.fail, f.msg+" (a reference the input did not make, to no object of the output)")
		}
	}
	return r
}

// connections lists what does not connect in docs, and separately the
// references to Secrets and ConfigMaps that are not in docs (keyed
// "Kind name <referrer>").
func connections(docs []*rwDoc) (broken, dangling []finding) {
	ps := pods(docs)
	has := map[string]bool{} // kind ns/name
	vcts := map[*rwDoc]map[string]bool{}
	for _, d := range docs {
		has[d.kind+" "+d.ns+"/"+d.name] = true
		if d.kind == "StatefulSet" {
			vcts[d] = map[string]bool{}
			for _, v := range elements(d.node, "spec", "volumeClaimTemplates") {
				vcts[d][str(v, "metadata", "name")] = true
			}
		}
	}
	bad := func(key, format string, args ...any) {
		broken = append(broken, finding{key: key, msg: fmt.Sprintf(format, args...)})
	}
	anyPod := func(ns string, match func(*rwPod) bool) bool {
		for _, p := range ps {
			if p.owner.ns == ns && match(p) {
				return true
			}
		}
		return false
	}
	for _, d := range docs {
		switch d.kind {
		case "PodDisruptionBudget":
			sel, _ := d.node.Pipe(yaml.Lookup("spec", "selector"))
			if !anyPod(d.ns, func(p *rwPod) bool { return selects(sel, p.labels) }) {
				bad("pdb "+d.ref(), "%s: spec.selector %s selects no workload's pods in namespace %q", d, compact(plainAt(d.node, "spec", "selector")), d.ns)
			}
		case "NetworkPolicy":
			sel, _ := d.node.Pipe(yaml.Lookup("spec", "podSelector"))
			if !anyPod(d.ns, func(p *rwPod) bool { return selects(sel, p.labels) }) {
				bad("netpol "+d.ref(), "%s: spec.podSelector %s selects no workload's pods in namespace %q", d, compact(plainAt(d.node, "spec", "podSelector")), d.ns)
			}
		case "Service":
			sn, _ := d.node.Pipe(yaml.Lookup("spec", "selector"))
			sel := stringMap(sn)
			if len(sel) > 0 && !anyPod(d.ns, func(p *rwPod) bool { return serviceSelects(sel, p.labels) }) {
				bad("svc "+d.ref(), "%s: spec.selector %s selects no workload's pods in namespace %q", d, compact(sel), d.ns)
			}
		case "HorizontalPodAutoscaler":
			k, n := str(d.node, "spec", "scaleTargetRef", "kind"), str(d.node, "spec", "scaleTargetRef", "name")
			if !has[k+" "+d.ns+"/"+n] {
				bad("hpa "+d.ref(), "%s: spec.scaleTargetRef %s %s is not in the output (namespace %q)", d, k, n, d.ns)
			}
		}
	}
	for _, p := range ps {
		w := p.owner
		mounted := map[string]bool{}
		for _, c := range p.containers() {
			paths := map[string]bool{}
			for _, m := range elements(c, "volumeMounts") {
				mounted[str(m, "name")] = true
				mp := strings.TrimRight(str(m, "mountPath"), "/")
				if paths[mp] {
					bad("mountpath "+w.ref()+" "+str(c, "name")+" "+mp, "%s: %s container %s: two volumeMounts at mountPath %s", w, p.path, str(c, "name"), str(m, "mountPath"))
				}
				paths[mp] = true
			}
			for _, m := range elements(c, "volumeDevices") {
				mounted[str(m, "name")] = true
			}
			ref := func(kind, name, field string, optional bool) {
				if name == "" || optional || has[kind+" "+w.ns+"/"+name] {
					return
				}
				dangling = append(dangling, finding{kind + " " + name + " " + w.ref() + " " + str(c, "name") + " " + field,
					fmt.Sprintf("%s: %s.containers[name=%s].%s refers to %s %q, not in the output (namespace %q)", w, p.path, str(c, "name"), field, kind, name, w.ns), kind, name})
			}
			for _, e := range elements(c, "env") {
				for _, kr := range []struct{ kind, field string }{{"Secret", "secretKeyRef"}, {"ConfigMap", "configMapKeyRef"}} {
					if n, _ := e.Pipe(yaml.Lookup("valueFrom", kr.field)); n != nil {
						ref(kr.kind, str(n, "name"), "env[name="+str(e, "name")+"].valueFrom."+kr.field, str(n, "optional") == "true")
					}
				}
			}
			for j, e := range elements(c, "envFrom") {
				for _, kr := range []struct{ kind, field string }{{"Secret", "secretRef"}, {"ConfigMap", "configMapRef"}} {
					if n, _ := e.Pipe(yaml.Lookup(kr.field)); n != nil {
						ref(kr.kind, str(n, "name"), fmt.Sprintf("envFrom[%d].%s", j, kr.field), str(n, "optional") == "true")
					}
				}
			}
		}
		for _, v := range elements(p.spec, "volumes") {
			name := str(v, "name")
			field := p.path + ".volumes[name=" + name + "]"
			if !mounted[name] {
				bad("unmounted "+w.ref()+" "+name, "%s: %s is mounted by no container", w, field)
			}
			if claim := str(v, "persistentVolumeClaim", "claimName"); claim != "" &&
				!has["PersistentVolumeClaim "+w.ns+"/"+claim] && !vcts[w][claim] {
				bad("claim "+w.ref()+" "+claim, "%s: %s.persistentVolumeClaim.claimName %q names no PersistentVolumeClaim of the output in namespace %q (nor a volumeClaimTemplate)", w, field, claim, w.ns)
			}
			vref := func(kind, name, sub string, optional bool) {
				if name == "" || optional || has[kind+" "+w.ns+"/"+name] {
					return
				}
				dangling = append(dangling, finding{kind + " " + name + " " + w.ref() + " volume " + name + sub,
					fmt.Sprintf("%s: %s%s refers to %s %q, not in the output (namespace %q)", w, field, sub, kind, name, w.ns), kind, name})
			}
			vref("Secret", str(v, "secret", "secretName"), ".secret.secretName", str(v, "secret", "optional") == "true")
			vref("ConfigMap", str(v, "configMap", "name"), ".configMap.name", str(v, "configMap", "optional") == "true")
			for j, src := range elements(v, "projected", "sources") {
				vref("Secret", str(src, "secret", "name"), fmt.Sprintf(".projected.sources[%d].secret.name", j), str(src, "secret", "optional") == "true")
				vref("ConfigMap", str(src, "configMap", "name"), fmt.Sprintf(".projected.sources[%d].configMap.name", j), str(src, "configMap", "optional") == "true")
			}
		}
	}
	return broken, dangling
}

// ---------------------------------------------------------------------
// 7. One namespace.

var clusterScoped = map[string]bool{
	"Namespace": true, "PersistentVolume": true, "StorageClass": true, "ClusterRole": true,
	"ClusterRoleBinding": true, "CustomResourceDefinition": true, "PriorityClass": true,
	"IngressClass": true, "ClusterIssuer": true, "ClusterSecretStore": true, "RuntimeClass": true,
	"ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true,
	"APIService": true, "CSIDriver": true, "VolumeSnapshotClass": true, "Node": true,
}

func checkOneNamespace(s *rwSite) rwResult {
	var r rwResult
	site := append(s.wordpressPods(s.out), databasePods(s.out)...)
	if len(site) == 0 {
		r.failf("the output has no WordPress or database workload")
		return r
	}
	nss := map[string][]string{}
	for _, p := range site {
		nss[p.owner.ns] = append(nss[p.owner.ns], p.owner.String())
	}
	if len(nss) > 1 {
		r.failf("the site's workloads are in %d namespaces: %v", len(nss), nss)
		return r
	}
	ns := site[0].owner.ns
	r.notef("the site's namespace: %q", ns)
	for _, o := range s.out {
		if clusterScoped[o.kind] {
			continue
		}
		i := s.matchedBy[o]
		what := "generated"
		if i != nil {
			if withoutAddedNamespace(i, o) == trimDoc(i.text) && i.ns == o.ns {
				continue // untouched
			}
			what = "changed"
		}
		if o.ns != ns {
			r.failf("%s: %s, in namespace %q, not the site's %q", o, what, o.ns, ns)
		}
	}
	return r
}

// ---------------------------------------------------------------------
// 8. Idempotence.

func checkIdempotent(out, again []byte, code int, stderr string) rwResult {
	var r rwResult
	if code != 0 {
		r.failf("harden on its own output exited %d:\n%s", code, stderr)
		return r
	}
	if !bytes.Equal(out, again) {
		r.failf("harden on its own output changed it:\n%s", lineDiff(string(out), string(again)))
	}
	return r
}

// ---------------------------------------------------------------------
// 9. kube-score: CRITICAL findings by check, input against output.

func checkKubeScore(in, out map[string][]string) rwResult {
	var r rwResult
	ids := map[string]bool{}
	total := [2]int{}
	for id, f := range in {
		ids[id] = true
		total[0] += len(f)
	}
	for id, f := range out {
		ids[id] = true
		total[1] += len(f)
	}
	r.notef("kube-score CRITICAL findings: input %d, output %d", total[0], total[1])
	for _, id := range sortedKeys(ids) {
		a, b := len(in[id]), len(out[id])
		if a != 0 || b != 0 {
			r.notef("  %s: input %d, output %d", id, a, b)
		}
		if b > a {
			r.failf("kube-score %s: %d CRITICAL in the output, %d in the input:\n  %s", id, b, a, strings.Join(out[id], "\n  "))
		}
	}
	return r
}

// ---------------------------------------------------------------------
// 10. Production checks the project runs on its own output.

type prodCheck struct {
	name string
	// field is what harden's message names when it keeps the user's own
	// value out of the production setting ("" if it never may).
	field string
	// applies says why the check does not apply to this profile ("" if it does).
	applies func(p rwProfile) string
	run     func(s *rwSite, docs []*rwDoc) []string
}

func always(rwProfile) string { return "" }

func productionOnly(off func(rwProfile) bool, setting string) func(rwProfile) string {
	return func(p rwProfile) string {
		if !p.production() {
			return fmt.Sprintf("topology %s: not a production setting", p.topology)
		}
		if off != nil && off(p) {
			return "the profile turns " + setting + " off"
		}
		return ""
	}
}

var passwordVars = map[string]bool{
	"WORDPRESS_DB_PASSWORD": true, "WORDPRESS_DATABASE_PASSWORD": true, "MYSQL_PASSWORD": true,
	"MYSQL_ROOT_PASSWORD": true, "MARIADB_PASSWORD": true, "MARIADB_ROOT_PASSWORD": true,
}

// forWordPress runs f on each WordPress workload; none is a failure.
func forWordPress(s *rwSite, docs []*rwDoc, f func(p *rwPod, c *yaml.RNode) []string) []string {
	wps := s.wordpressPods(docs)
	if len(wps) == 0 {
		return []string{"no WordPress workload (a Deployment or StatefulSet running a wordpress image)"}
	}
	var out []string
	for _, p := range wps {
		c := wordpressContainer(p)
		if c == nil {
			out = append(out, fmt.Sprintf("%s: no WordPress container in %s.containers", p.owner, p.path))
			continue
		}
		out = append(out, f(p, c)...)
	}
	return out
}

var prodChecks = []prodCheck{
	{"wordpress-readiness-probe", "readinessProbe", always, func(s *rwSite, docs []*rwDoc) []string {
		return forWordPress(s, docs, func(p *rwPod, c *yaml.RNode) []string {
			if v, _ := c.Pipe(yaml.Lookup("readinessProbe")); v == nil {
				return []string{fmt.Sprintf("%s: %s.containers[name=%s].readinessProbe is missing", p.owner, p.path, str(c, "name"))}
			}
			return nil
		})
	}},
	{"guaranteed-qos", "resources", always, func(s *rwSite, docs []*rwDoc) []string {
		site := append(s.wordpressPods(docs), databasePods(docs)...)
		if len(site) == 0 {
			return []string{"no WordPress or database workload"}
		}
		var out []string
		for _, p := range site {
			for _, list := range []string{"initContainers", "containers"} {
				for _, c := range elements(p.spec, list) {
					for _, res := range []string{"cpu", "memory"} {
						lim, req := str(c, "resources", "limits", res), str(c, "resources", "requests", res)
						if req == "" {
							req = lim // the API server defaults a missing request to the limit
						}
						if lim == "" || req != lim {
							out = append(out, fmt.Sprintf("%s: %s.%s[name=%s].resources: %s request %q, limit %q: not Guaranteed",
								p.owner, p.path, list, str(c, "name"), res, req, lim))
						}
					}
				}
			}
		}
		return out
	}},
	{"wordpress-prestop-hook", "lifecycle", productionOnly(func(p rwProfile) bool { return p.noPreStop }, "preStop"), func(s *rwSite, docs []*rwDoc) []string {
		return forWordPress(s, docs, func(p *rwPod, c *yaml.RNode) []string {
			if v, _ := c.Pipe(yaml.Lookup("lifecycle", "preStop")); v == nil {
				return []string{fmt.Sprintf("%s: %s.containers[name=%s].lifecycle.preStop is missing", p.owner, p.path, str(c, "name"))}
			}
			return nil
		})
	}},
	{"wordpress-rolling-update-max-unavailable-0", "strategy", productionOnly(func(p rwProfile) bool { return p.noRollingUpdate }, "rollingUpdate"), func(s *rwSite, docs []*rwDoc) []string {
		return forWordPress(s, docs, func(p *rwPod, c *yaml.RNode) []string {
			if p.owner.kind != "Deployment" {
				return nil
			}
			typ := firstOf(str(p.owner.node, "spec", "strategy", "type"), "RollingUpdate")
			mu := str(p.owner.node, "spec", "strategy", "rollingUpdate", "maxUnavailable")
			if typ != "RollingUpdate" {
				return []string{fmt.Sprintf("%s: spec.strategy.type is %s, want RollingUpdate with maxUnavailable 0", p.owner, typ)}
			}
			if mu != "0" && mu != "0%" {
				return []string{fmt.Sprintf("%s: spec.strategy.rollingUpdate.maxUnavailable is %s, want 0", p.owner, firstOf(mu, "absent (25%)"))}
			}
			return nil
		})
	}},
	{"no-literal-password", "", always, func(s *rwSite, docs []*rwDoc) []string {
		var out []string
		for _, p := range pods(docs) {
			for _, c := range p.containers() {
				for _, e := range elements(c, "env") {
					if n := str(e, "name"); passwordVars[n] {
						if v, _ := e.Pipe(yaml.Lookup("value")); v != nil {
							out = append(out, fmt.Sprintf("%s: %s.containers[name=%s].env[name=%s].value is a literal password", p.owner, p.path, str(c, "name"), n))
						}
					}
				}
			}
		}
		return out
	}},
	{"pdb-covers-wordpress", "PodDisruptionBudget", productionOnly(func(p rwProfile) bool { return p.noPDB }, "the PodDisruptionBudget"), func(s *rwSite, docs []*rwDoc) []string {
		return forWordPress(s, docs, func(p *rwPod, c *yaml.RNode) []string {
			for _, d := range docs {
				if d.kind == "PodDisruptionBudget" && d.ns == p.owner.ns {
					if sel, _ := d.node.Pipe(yaml.Lookup("spec", "selector")); selects(sel, p.labels) {
						return nil
					}
				}
			}
			return []string{fmt.Sprintf("%s: no PodDisruptionBudget selects its pods (labels %s)", p.owner, compact(p.labels))}
		})
	}},
	{"wordpress-anti-affinity", "podAntiAffinity", productionOnly(func(p rwProfile) bool { return p.noAntiAffinity }, "anti-affinity"), func(s *rwSite, docs []*rwDoc) []string {
		return forWordPress(s, docs, func(p *rwPod, c *yaml.RNode) []string {
			if v, _ := p.spec.Pipe(yaml.Lookup("affinity", "podAntiAffinity")); v == nil {
				return []string{fmt.Sprintf("%s: %s.affinity.podAntiAffinity is missing", p.owner, p.path)}
			}
			return nil
		})
	}},
}

// ---------------------------------------------------------------------
// Small helpers.

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func docList(ds []*rwDoc) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, ", ")
}

func refList(ds []*rwDoc) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.ref()
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func podList(ps []*rwPod) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.owner.String()
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func firstLines(s string, n int) string {
	l := strings.SplitN(s, "\n", n+1)
	if len(l) > n {
		l = append(l[:n], "...")
	}
	return strings.Join(l, "\n")
}

// lineDiff shows the first line where two texts differ, with context.
func lineDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y || i >= len(a) || i >= len(b) {
			return fmt.Sprintf("  first difference at line %d:\n  - %q\n  + %q", i+1, x, y)
		}
	}
	return "  (identical)"
}

// keptOut reports whether harden said, on stderr, that it kept the user's
// own value out of a production setting: a warning or info line that
// names the object of the failure and the field. Such a gap is the
// user's choice, told to the user, not a silent one.
func keptOut(failure, stderr, field string) bool {
	if field == "" {
		return false
	}
	owner, _, ok := strings.Cut(failure, ": ")
	if !ok {
		return false
	}
	for _, line := range strings.Split(stderr, "\n") {
		if (strings.HasPrefix(line, "warning: ") || strings.HasPrefix(line, "info: ")) &&
			strings.Contains(line, " "+owner+": ") && strings.Contains(line, field) {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------
// 11. The user's containers keep what makes the application what it is.

// checkContainersKeepTheirConfig: every container of the input is in the
// output with the same command, args and env variable names (a literal
// password may become a valueFrom), and no container is added to a pod
// of the input but spec.monitoring's exporter sidecars, and those never
// beside an exporter the pod already has. A database user, host or name,
// or server args, that harden added would change what the live site does.
func checkContainersKeepTheirConfig(s *rwSite, explicitArgs bool) rwResult {
	var r rwResult
	for _, in := range s.in {
		ip := podOf(in)
		if ip == nil {
			continue
		}
		out := s.outOf(in)
		if out == nil {
			continue // nothing-lost reports it
		}
		op := podOf(out)
		for _, list := range []string{"initContainers", "containers"} {
			ins, outs := elements(ip.spec, list), elements(op.spec, list)
			added := 0
			for _, oc := range outs {
				name := str(oc, "name")
				if list != "containers" || (name != "apache-exporter" && name != "mysql-exporter") {
					continue
				}
				mine := false
				for _, ic := range ins {
					mine = mine || str(ic, "name") == name
				}
				if mine {
					continue
				}
				added++
				for _, ic := range ins {
					if strings.Contains(str(ic, "image"), "exporter") {
						r.failf("%s: %s.%s: %s added beside the pod's own exporter %s", out, op.path, list, name, str(ic, "name"))
					}
				}
			}
			if len(outs)-added != len(ins) {
				r.failf("%s: %s.%s: %d containers in the input, %d in the output (%d exporters added)", out, op.path, list, len(ins), len(outs), added)
			}
			for _, ic := range ins {
				name := str(ic, "name")
				var oc *yaml.RNode
				for _, c := range outs {
					if str(c, "name") == name {
						oc = c
					}
				}
				if oc == nil {
					r.failf("%s: %s.%s[name=%s] is gone", out, op.path, list, name)
					continue
				}
				for _, f := range []string{"command", "args"} {
					if f == "args" && explicitArgs {
						continue
					}
					if a, b := compact(plainAt(ic, f)), compact(plainAt(oc, f)); a != b {
						r.failf("%s: %s.%s[name=%s].%s changed: %s -> %s", out, op.path, list, name, f, a, b)
					}
				}
				names := func(c *yaml.RNode) []string {
					var out []string
					for _, e := range elements(c, "env") {
						out = append(out, str(e, "name"))
					}
					return out
				}
				if a, b := strings.Join(names(ic), ","), strings.Join(names(oc), ","); a != b {
					r.failf("%s: %s.%s[name=%s].env names changed: [%s] -> [%s]", out, op.path, list, name, a, b)
				}
			}
		}
	}
	return r
}
