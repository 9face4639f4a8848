package checkers

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/kube-samples/wordpress-fn/e2e/internal/skip"

	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

// The profile the large package is hardened with.
const nothingLostProfile = "examples/seed-production/profile.yaml"

// TestNothingLostThroughKpt hardens a large package (hundreds of unrelated
// resources of many kinds, with comments, plus the WordPress manifests of
// base/) with `kpt fn eval --exec` and proves that every resource the
// profile does not need comes out byte for byte as kpt writes it when the
// function changes nothing (a no-op function, cat), that nothing is lost or
// duplicated, and that a second run changes no byte.
func TestNothingLostThroughKpt(t *testing.T) {
	kpt, err := exec.LookPath("kpt")
	if err != nil {
		// Skipped under CI too: no target can install kpt (e2e/harness_test.go).
		skip.Loudly(t, "kpt is not on PATH: install kpt v1 (https://kpt.dev/installation/) to run the check that kpt keeps every untouched resource byte for byte")
	}
	fnBin := function(t)
	input := bigPackage(t)
	needed := neededKeys(t)
	work := t.TempDir()
	profile := filepath.Join(repo(t), nothingLostProfile)

	evalPkg := func(name, execPath string, files map[string][]byte) string {
		dir := filepath.Join(work, name)
		writeFiles(t, dir, files)
		r := run(t, work, nil, kpt, "fn", "eval", dir, "--exec", execPath, "--fn-config", profile, "--truncate-output=false")
		if r.code != 0 {
			t.Fatalf("kpt fn eval --exec %s: exit %d\n%s%s", execPath, r.code, r.stdout, r.stderr)
		}
		return dir
	}
	noop := evalPkg("noop", "cat", input)
	once := evalPkg("once", fnBin, input)

	in, base, got := segments(t, input), segments(t, readFiles(t, noop)), segments(t, readFiles(t, once))
	untouched, kptKept := 0, 0
	for k, orig := range in {
		out, ok := got[k]
		if !ok {
			t.Errorf("%s: lost", k)
			continue
		}
		if needed[k] {
			continue
		}
		untouched++
		if out != base[k] {
			t.Errorf("%s: changed by the function:\n--- as kpt writes it unchanged\n%s\n--- after wordpress-fn\n%s", k, base[k], out)
		}
		if orig == base[k] {
			kptKept++
			if out != orig {
				t.Errorf("%s: not byte-identical to the input", k)
			}
		}
	}
	if untouched < 300 {
		t.Fatalf("only %d untouched resources: the package is not the large one this test needs", untouched)
	}
	for _, k := range []string{"apps/v1/Deployment kube-samples/wordpress", "apps/v1/Deployment kube-samples/wordpress-mysql"} {
		if got[k] == in[k] {
			t.Errorf("%s: not hardened: the function did not run", k)
		}
	}
	t.Logf("%d untouched resources identical to a no-op run; %d of them byte-identical to the input (kpt itself reformats the others)", untouched, kptKept)

	// Twice: the function on its own output changes no byte of any file.
	first := readFiles(t, once)
	twice := evalPkg("twice", fnBin, first)
	second := readFiles(t, twice)
	for name, data := range first {
		if !bytes.Equal(data, second[name]) {
			t.Errorf("%s: a second run changed it:\n--- first\n%s\n--- second\n%s", name, data, second[name])
		}
	}
	if len(second) != len(first) {
		t.Errorf("a second run wrote %d files, the first %d", len(second), len(first))
	}
}

// TestNothingLostThroughKustomize builds the same package with kustomize
// and the function as an exec transformer: every resource the profile
// does not need comes out semantically identical (kustomize drops comments
// and orders keys), nothing is lost, and building again from the output
// gives the same bytes.
func TestNothingLostThroughKustomize(t *testing.T) {
	kustomize := pinnedTool(t, "kustomize")
	fnBin := function(t)
	input := bigPackage(t)
	needed := neededKeys(t)
	work := t.TempDir()

	build := func(name string, files map[string][]byte) []byte {
		dir := filepath.Join(work, name)
		files = clone(files)
		files["profile.yaml"] = transformerConfig(t, fnBin)
		names := make([]string, 0, len(files))
		for n := range files {
			if n != "profile.yaml" {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		files["kustomization.yaml"] = []byte("resources:\n- " + strings.Join(names, "\n- ") + "\ntransformers:\n- profile.yaml\n")
		writeFiles(t, dir, files)
		r := run(t, work, nil, kustomize, "build", "--enable-alpha-plugins", "--enable-exec", dir)
		if r.code != 0 {
			t.Fatalf("kustomize build: exit %d\n%s", r.code, r.stderr)
		}
		return r.stdout
	}
	out := build("once", input)

	in, got := decoded(t, input), decoded(t, map[string][]byte{"out.yaml": out})
	untouched := 0
	for k, want := range in {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: lost", k)
			continue
		}
		if needed[k] {
			continue
		}
		untouched++
		if !reflect.DeepEqual(want, g) {
			w, _ := sigsyaml.Marshal(want)
			o, _ := sigsyaml.Marshal(g)
			t.Errorf("%s: changed:\n--- input\n%s\n--- output\n%s", k, w, o)
		}
	}
	if untouched < 300 {
		t.Fatalf("only %d untouched resources", untouched)
	}

	again := build("twice", map[string][]byte{"once.yaml": out})
	if !bytes.Equal(out, again) {
		t.Errorf("building from the output changed it:\n%s", lineDiff(string(out), string(again)))
	}
}

// transformerConfig is the production profile as kustomize's exec
// transformer config.
func transformerConfig(t *testing.T, fnBin string) []byte {
	data, err := os.ReadFile(filepath.Join(repo(t), nothingLostProfile))
	if err != nil {
		t.Fatal(err)
	}
	n, err := kyaml.Parse(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.PipeE(kyaml.SetAnnotation("config.kubernetes.io/function", "exec:\n  path: "+fnBin+"\n")); err != nil {
		t.Fatal(err)
	}
	if err := n.PipeE(kyaml.SetAnnotation("config.kubernetes.io/local-config", "true")); err != nil {
		t.Fatal(err)
	}
	return []byte(n.MustString())
}

// neededKeys are the resources the profile needs: what expand emits. Every
// other resource of the package must pass through untouched.
func neededKeys(t *testing.T) map[string]bool {
	out := mustRun(t, repo(t), nil, function(t), "expand", "-f", nothingLostProfile)
	keys := map[string]bool{}
	for k := range segments(t, map[string][]byte{"expand.yaml": out}) {
		keys[k] = true
	}
	return keys
}

// segments splits YAML files into documents, keyed by apiVersion, kind,
// namespace and name, with their exact text. A key seen twice fails.
func segments(t *testing.T, files map[string][]byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, data := range files {
		for _, doc := range splitDocs(string(data)) {
			n, err := kyaml.Parse(doc)
			if err != nil {
				t.Fatalf("%s: %v\n%s", name, err, doc)
			}
			if n.IsNilOrEmpty() {
				continue
			}
			k := key(n)
			if _, dup := out[k]; dup {
				t.Errorf("%s: %s appears twice", name, k)
			}
			out[k] = doc
		}
	}
	return out
}

func splitDocs(s string) []string {
	var docs []string
	var cur strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if strings.TrimRight(line, "\n") == "---" {
			docs = append(docs, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteString(line)
	}
	docs = append(docs, cur.String())
	var out []string
	for _, d := range docs {
		if strings.TrimSpace(d) != "" {
			out = append(out, d)
		}
	}
	return out
}

func key(n *kyaml.RNode) string {
	return n.GetApiVersion() + "/" + n.GetKind() + " " + n.GetNamespace() + "/" + n.GetName()
}

// decoded is every document of the files as plain data, by key.
func decoded(t *testing.T, files map[string][]byte) map[string]any {
	t.Helper()
	out := map[string]any{}
	for name, data := range files {
		for _, doc := range splitDocs(string(data)) {
			n, err := kyaml.Parse(doc)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if n.IsNilOrEmpty() {
				continue
			}
			var v any
			if err := sigsyaml.Unmarshal([]byte(doc), &v); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			k := key(n)
			if _, dup := out[k]; dup {
				t.Errorf("%s: %s appears twice", name, k)
			}
			out[k] = v
		}
	}
	return out
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readFiles reads every YAML file under dir, by path relative to dir.
func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func clone(m map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("first difference at line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("one is a prefix of the other (%d and %d lines)", len(al), len(bl))
}

// bigPackage is the package both tests harden: base/'s WordPress
// manifests (one file also holding an unrelated ConfigMap) and 14 kinds of
// unrelated resource in 24 namespaces, generated deterministically with
// head, line and foot comments, block scalars, flow style, quoted values,
// custom resources and fields no schema knows. Some are near misses that
// must not be matched: a Deployment named wordpress in another namespace,
// a ConfigMap in kube-samples, a Service named wordpress-mysql elsewhere.
func bigPackage(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range []string{"namespace.yaml", "mysql.yaml"} {
		data, err := os.ReadFile(filepath.Join(repo(t), "base", f))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = data
	}
	wp, err := os.ReadFile(filepath.Join(repo(t), "base", "wordpress.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files["wordpress.yaml"] = append(wp, []byte(`---
# Not the site's: PHP settings the team keeps next to the Deployment.
apiVersion: v1
kind: ConfigMap
metadata:
  name: php-settings # mounted by hand
  namespace: kube-samples
data:
  upload_max_filesize: 64M
  php.ini: |
    memory_limit = 256M
    max_execution_time = 60
`)...)
	files["near-misses.yaml"] = []byte(`# Names the profile uses, in other namespaces: none of them is the site's.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: wordpress
  namespace: staging
  labels: {app: wordpress, tier: frontend}
spec:
  replicas: 1
  selector:
    matchLabels: {app: wordpress, tier: frontend}
  template:
    metadata:
      labels: {app: wordpress, tier: frontend}
    spec:
      containers:
      - name: wordpress
        image: wordpress:6.8.3-apache
        env:
        - name: WORDPRESS_DB_PASSWORD # staging only, a known test value
          valueFrom:
            secretKeyRef: {name: staging-db, key: password}
---
apiVersion: v1
kind: Service
metadata:
  name: wordpress-mysql
  namespace: legacy
spec:
  ports:
  - port: 3306
  selector: {app: wordpress, tier: mysql}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: wordpress-pdb
  namespace: staging
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: wordpress}
`)
	rng := rand.New(rand.NewPCG(5, 2026))
	for i := range 24 {
		ns := fmt.Sprintf("team-%02d", i)
		var b strings.Builder
		fmt.Fprintf(&b, "# Generated package of %s: resources wordpress-fn must not touch.\n", ns)
		for j, gen := range generators {
			if j > 0 {
				b.WriteString("---\n")
			}
			b.WriteString(gen(ns, i, rng))
		}
		files[fmt.Sprintf("teams/%s.yaml", ns)] = []byte(b.String())
	}
	var cluster strings.Builder
	for i := range 12 {
		if i > 0 {
			cluster.WriteString("---\n")
		}
		fmt.Fprintf(&cluster, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader-%02d # cluster-scoped
rules:
- apiGroups: [""]
  resources: ["configmaps", "services"]
  verbs: ["get", "list", "watch"]
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: tier-%02d
value: %d
globalDefault: false
description: "priority tier %d"
`, i, i, 1000+i*10, i)
	}
	files["cluster.yaml"] = []byte(cluster.String())
	return files
}

// generators write one resource each for a namespace.
var generators = []func(ns string, i int, rng *rand.Rand) string{
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: v1
kind: Namespace
metadata:
  name: %s
  labels:
    team: "%02d"   # quoted: a number as a string
`, ns, i)
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`# Application settings.
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: %s
  annotations:
    note: 'single-quoted, with a # that is not a comment'
data:
  LOG_LEVEL: %s
  replicas: "%d"
  config.json: |
    {"feature": %t, "limit": %d}
  empty: ""
`, ns, []string{"debug", "info", "warn"}[rng.IntN(3)], rng.IntN(9)+1, rng.IntN(2) == 0, rng.IntN(1000))
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: v1
kind: Secret
metadata:
  name: api-credentials
  namespace: %s
type: Opaque
data:
  token: %s
`, ns, []string{"dG9rZW4tYQ==", "dG9rZW4tYg==", "dG9rZW4tYw=="}[rng.IntN(3)])
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: %s
  labels: {app: api}
spec:
  replicas: %d
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
      annotations:
        prometheus.io/scrape: "true"
    spec:
      containers:
      - name: api
        image: registry.example.com/%s/api:1.%d.%d
        args: ["--port=8080", "--verbose"]
        ports:
        - containerPort: 8080 # http
          name: http
        env:
        - name: MYSQL_PASSWORD # not the site's database: left alone
          valueFrom:
            secretKeyRef: {name: api-credentials, key: token}
        - name: LOG_LEVEL
          valueFrom:
            configMapKeyRef: {name: app-config, key: LOG_LEVEL}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
        resources:
          requests: {cpu: %dm, memory: %dMi}
      x-unknown-field: kept as written
`, ns, rng.IntN(5)+1, ns, rng.IntN(20), rng.IntN(10), 50+rng.IntN(200), 64+rng.IntN(512))
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: %s
spec:
  selector:
    app: api
  ports:
  - name: http
    port: 80
    targetPort: http
`, ns)
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  namespace: %s
spec:
  serviceName: cache
  replicas: %d
  selector:
    matchLabels: {app: cache}
  template:
    metadata:
      labels: {app: cache}
    spec:
      containers:
      - name: redis
        image: redis:7.%d
        command:
        - redis-server
        - --appendonly
        - "yes"
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: %dGi
`, ns, 1+rng.IntN(3), rng.IntN(4), 1+rng.IntN(50))
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
  namespace: %s
spec:
  schedule: "%d */6 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: busybox:1.36
            command: ["sh", "-c", "echo backing up && sleep 5"]
`, ns, rng.IntN(60))
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: %s
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: %dm
spec:
  ingressClassName: nginx
  rules:
  - host: %s.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: api
            port: {number: 80}
`, ns, 1+rng.IntN(100), ns)
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: %s
spec:
  podSelector: {}
  policyTypes: [Ingress]
`, ns)
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: %s
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: api-reader
  namespace: %s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: reader-%02d
subjects:
- kind: ServiceAccount
  name: api
  namespace: %s
`, ns, ns, i%12, ns)
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: %s
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: %d
  maxReplicas: %d
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: %d}
`, ns, 1+rng.IntN(2), 3+rng.IntN(10), 40+rng.IntN(50))
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
  namespace: %s
spec:
  maxUnavailable: %d
  selector:
    matchLabels: {app: api}
`, ns, 1+rng.IntN(2))
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`# A custom resource: no schema, arbitrary fields.
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: api-tls
  namespace: %s
spec:
  secretName: api-tls
  dnsNames:
  - %s.example.com
  - "*.%s.example.com"
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
  duration: %dh
  extra:
    nested: [1, two, {three: 3}]
    multiline: >
      folded text that
      spans two lines
`, ns, ns, ns, 24*(30+rng.IntN(60)))
	},
	func(ns string, i int, rng *rand.Rand) string {
		return fmt.Sprintf(`apiVersion: v1
kind: ResourceQuota
metadata:
  name: quota
  namespace: %s
spec:
  hard:
    requests.cpu: "%d"
    requests.memory: %dGi
    pods: "%d"
# trailing comment of the package
`, ns, 2+rng.IntN(8), 4+rng.IntN(28), 20+rng.IntN(80))
	},
}
