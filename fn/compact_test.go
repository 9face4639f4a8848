package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kube-samples/wordpress-fn/bench/gen"
	"github.com/kube-samples/wordpress-fn/fn/cli"
	"github.com/stretchr/testify/require"
)

// The compact path (fn/cli/compact.go) must write what the whole path
// writes, byte for byte: stdout, stderr and the exit code. These tests run
// both on every input at hand: the golden cases, the real-world corpus,
// generated lists, and fuzzed inputs.

// outcome is what a run of the function shows.
type outcome struct {
	stdout, stderr string
	code           int
}

// runAs runs the command line (nil: the KRM function) with the compact
// path tried above the given input size (-1: never).
func runAs(t testing.TB, above string, args []string, stdin []byte) outcome {
	t.Setenv(cli.CompactAboveEnv, above)
	var out, errb bytes.Buffer
	code := cli.Main(args, bytes.NewReader(stdin), &out, &errb)
	return outcome{out.String(), errb.String(), code}
}

// sameBothWays runs both paths and requires the same outcome.
func sameBothWays(t testing.TB, args []string, stdin []byte) outcome {
	whole := runAs(t, "-1", args, stdin)
	compact := runAs(t, "0", args, stdin)
	if whole != compact {
		t.Fatalf("the compact path differs from the whole path (%v):\nexit %d / %d\n--- whole stderr\n%s\n--- compact stderr\n%s\n--- stdout diff\n%s",
			args, whole.code, compact.code, whole.stderr, compact.stderr, firstDiff(whole.stdout, compact.stdout))
	}
	return whole
}

// firstDiff shows where two outputs part.
func firstDiff(a, b string) string {
	al, bl := strings.SplitAfter(a, "\n"), strings.SplitAfter(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			lo := max(0, i-3)
			return fmt.Sprintf("line %d:\nwhole:   %q\ncompact: %q\n(context: %q)", i+1, x, y, strings.Join(al[lo:i], ""))
		}
	}
	return "(same stdout)"
}

func TestCompactSameAsWholeOnGoldens(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*")
	require.NoError(t, err)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			if args, err := os.ReadFile(filepath.Join(dir, "_args")); err == nil {
				stdin, _ := os.ReadFile(filepath.Join(dir, "_stdin"))
				abs, err := filepath.Abs(dir)
				require.NoError(t, err)
				t.Chdir(abs)
				sameBothWays(t, strings.Fields(string(args)), stdin)
				return
			}
			input, _ := caseInput(t, dir)
			sameBothWays(t, nil, input)
		})
	}
}

// realWorld are the corpus's manifests and the profiles written for them.
func realWorld(t testing.TB) (inputs map[string][]byte, profiles map[string]string) {
	inputs, profiles = map[string][]byte{}, map[string]string{}
	cases, err := filepath.Glob("../e2e/testdata/realworld/*/input.yaml")
	require.NoError(t, err)
	shared, _ := filepath.Glob("/work/shared/realworld/*.yaml")
	for _, p := range append(cases, shared...) {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		inputs[p] = data
		if prof := filepath.Join(filepath.Dir(p), "profile.yaml"); strings.HasSuffix(p, "/input.yaml") {
			abs, err := filepath.Abs(prof)
			require.NoError(t, err)
			profiles[p] = abs
		}
	}
	require.NotEmpty(t, inputs)
	return inputs, profiles
}

func TestCompactSameAsWholeOnRealWorld(t *testing.T) {
	inputs, profiles := realWorld(t)
	var all []string
	for _, p := range profiles {
		all = append(all, p)
	}
	seed, err := filepath.Abs("../examples/seed-production/profile.yaml")
	require.NoError(t, err)
	all = append(all, seed)
	for in, data := range inputs {
		// Its own profile, and every other one: most of those fail, and
		// must fail alike.
		for _, prof := range all {
			name := strings.TrimPrefix(in, "../e2e/testdata/realworld/") + "+" + filepath.Base(filepath.Dir(prof))
			t.Run(name, func(t *testing.T) {
				sameBothWays(t, []string{"harden", "-f", prof}, data)
				fc, err := os.ReadFile(prof)
				require.NoError(t, err)
				rl, err := gen.ResourceList(gen.Options{Base: [][]byte{data}, FunctionConfig: fc})
				require.NoError(t, err)
				sameBothWays(t, nil, rl)
				if prof != profiles[in] && prof != seed {
					return
				}
				// The corpus inside a generated list, and the profile
				// among the items (as kpt passes a --fn-config file).
				rl, err = gen.ResourceList(gen.Options{N: 150, Seed: 7, Base: [][]byte{data}, Items: [][]byte{fc}})
				require.NoError(t, err)
				sameBothWays(t, nil, rl)
				stream, err := gen.Stream(gen.Options{N: 150, Seed: 7, Base: [][]byte{data}})
				require.NoError(t, err)
				sameBothWays(t, []string{"harden", "-f", prof}, stream)
			})
		}
	}
}

func TestCompactSameAsWholeOnGeneratedLists(t *testing.T) {
	prof, err := filepath.Abs("../examples/seed-production/profile.yaml")
	require.NoError(t, err)
	fc, err := os.ReadFile(prof)
	require.NoError(t, err)
	base, err := gen.ReadDir("../base")
	require.NoError(t, err)
	for _, n := range []int{1, 40, 400, 1500} {
		for _, seed := range []uint64{1, 2, 3} {
			if n == 1500 && seed > 1 {
				continue
			}
			t.Run(fmt.Sprintf("n=%d,seed=%d", n, seed), func(t *testing.T) {
				opts := gen.Options{N: n, Seed: seed, Base: base, FunctionConfig: fc}
				rl, err := gen.ResourceList(opts)
				require.NoError(t, err)
				got := sameBothWays(t, nil, rl)
				require.Equal(t, 0, got.code, got.stderr)
				stream, err := gen.Stream(opts)
				require.NoError(t, err)
				got = sameBothWays(t, []string{"harden", "-f", prof}, stream)
				require.Equal(t, 0, got.code, got.stderr)
				// Without the site's manifests: everything is generated.
				opts.Base = nil
				rl, err = gen.ResourceList(opts)
				require.NoError(t, err)
				sameBothWays(t, nil, rl)
				stream, err = gen.Stream(opts)
				require.NoError(t, err)
				sameBothWays(t, []string{"harden", "-f", prof}, stream)
				// Several sites, as profile items.
				opts.FunctionConfig, opts.Items = nil, gen.Profiles(3)
				rl, err = gen.ResourceList(opts)
				require.NoError(t, err)
				sameBothWays(t, nil, rl)
			})
		}
	}
}

// FuzzCompact runs both paths on edited inputs: a generated list (as a
// ResourceList, and as harden's stream) with bytes changed.
//
//	go test -run='^$' -fuzz='^FuzzCompact$' -fuzztime=60s ./fn
func FuzzCompact(f *testing.F) {
	base, err := gen.ReadDir("../base")
	if err != nil {
		f.Fatal(err)
	}
	fc, err := os.ReadFile("../examples/seed-production/profile.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []uint64{1, 2} {
		opts := gen.Options{N: 12, Seed: seed, Base: base, FunctionConfig: fc}
		rl, err := gen.ResourceList(opts)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(rl, false)
		stream, err := gen.Stream(opts)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(stream, true)
	}
	stdins, _ := filepath.Glob("testdata/*/_stdin")
	for _, p := range stdins {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, false)
			f.Add(data, true)
		}
	}
	prof, err := filepath.Abs("../examples/seed-production/profile.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, harden bool) {
		var args []string
		if harden {
			args = []string{"harden", "-f", prof}
		}
		sameBothWays(t, args, data)
	})
}

// The cases the compact path reasons about, each on purpose: a namespace
// that turns hot after its items were read, literal credentials and a
// database client in namespaces that stay cold, and items it must not
// split or stub.
func TestCompactSameAsWholeOnEdges(t *testing.T) {
	fc, err := os.ReadFile("../examples/seed-production/profile.yaml")
	require.NoError(t, err)
	base, err := gen.ReadDir("../base")
	require.NoError(t, err)
	// The site in team-03, read after team-03's generated items; the
	// profile names no namespace.
	var moved [][]byte
	for _, b := range base {
		moved = append(moved, bytes.ReplaceAll(b, []byte("kube-samples"), []byte("team-03")))
	}
	noNS := bytes.Replace(fc, []byte("  namespace: kube-samples\n"), nil, 1)
	cold := []byte(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: reporter
  namespace: team-07
  annotations:
    example.com/api-token: s3cr3t-t0ken-value-1234
spec:
  selector:
    matchLabels: {app: reporter}
  template:
    metadata:
      labels: {app: reporter}
    spec:
      containers:
      - name: reporter
        image: busybox:1.36
        env:
        - name: DB_HOST
          value: wordpress-mysql.kube-samples.svc
        - name: DB_PASSWORD
          value: hunter2-but-longer
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
  namespace: team-08
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: dump
            image: busybox:1.36
            args: ["mysqldump", "-h", "wordpress-mysql.team-03"]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: anchors
  namespace: team-09
data: &d
  a: "1"
---
apiVersion: v1
kind: List
metadata:
  name: list
  namespace: team-10
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: in-a-list
    namespace: team-10
`)
	prof := filepath.Join(t.TempDir(), "profile.yaml")
	for name, c := range map[string]struct {
		base    [][]byte
		profile []byte
	}{
		"site read last":   {moved, noNS},
		"cold neighbours":  {append(append([][]byte{}, base...), cold), fc},
		"cold, site moved": {append(append([][]byte{}, moved...), cold), noNS},
	} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(prof, c.profile, 0o644))
			opts := gen.Options{N: 300, Seed: 5, Base: c.base, FunctionConfig: c.profile}
			rl, err := gen.ResourceList(opts)
			require.NoError(t, err)
			got := sameBothWays(t, nil, rl)
			require.Contains(t, got.stdout, "kind: Deployment")
			stream, err := gen.Stream(opts)
			require.NoError(t, err)
			sameBothWays(t, []string{"harden", "-f", prof}, stream)
			// The site's manifests first, then the rest.
			opts.N = 0
			head, err := gen.Stream(opts)
			require.NoError(t, err)
			opts.N, opts.Base = 300, nil
			rest, err := gen.Stream(opts)
			require.NoError(t, err)
			sameBothWays(t, []string{"harden", "-f", prof}, append(append(head, "---\n"...), rest...))
		})
	}
}

// Shapes a reviewer tried on the ResourceList: the generated list with a
// case spliced in. {{ITEMS}} is the generated items block (items: and its
// entries), {{FC}} the functionConfig block.
func TestCompactSameAsWholeOnSplicedShapes(t *testing.T) {
	fc, err := os.ReadFile("../examples/seed-production/profile.yaml")
	require.NoError(t, err)
	base, err := gen.ReadDir("../base")
	require.NoError(t, err)
	rl, err := gen.ResourceList(gen.Options{N: 20, Seed: 1, Base: base, FunctionConfig: fc})
	require.NoError(t, err)
	s := string(rl)
	i, j := strings.Index(s, "\nitems:\n"), strings.Index(s, "\nfunctionConfig:\n")
	require.True(t, i > 0 && j > i)
	itemsBlock, fcBlock := s[i+1:j+1], s[j+1:]
	const head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"
	for name, c := range map[string]string{
		// A multi-line quoted scalar holds "items:" at column 0: its
		// entries are text, not items.
		"items: inside a double-quoted scalar": head + "x: \"\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n    namespace: cold\n  data:\n    a: b\n\"\n" + fcBlock,
		"items: inside a single-quoted scalar": head + "x: '\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n    namespace: cold\n'\n" + fcBlock,
		"the real items after a quoted one":    head + "x: \"\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n    namespace: cold\n\"\n" + itemsBlock + fcBlock,
	} {
		t.Run(name, func(t *testing.T) {
			sameBothWays(t, nil, []byte(c))
		})
	}
}

// The site's Deployment inside a v1 List, its Service and claim as items
// of their own in a namespace no profile names: unpackLists puts the
// Deployment among the items, and the Service is the site's. Held as a
// stub (the List's namespace is not the Deployment's), the Service came
// out unhardened (NodePort kept) and the claim's size unread, exit 0.
func TestCompactSameAsWholeOnSiteInAList(t *testing.T) {
	fc, err := os.ReadFile("../examples/seed-production/profile.yaml")
	require.NoError(t, err)
	noNS := bytes.Replace(fc, []byte("  namespace: kube-samples\n"), nil, 1)
	site := []byte(`apiVersion: v1
kind: Service
metadata:
  name: wordpress
  namespace: team-05
  labels:
    app: wordpress
spec:
  selector:
    app: wordpress
    tier: frontend
  type: NodePort
  ports:
  - name: web
    port: 80
    targetPort: wdport
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: wordpress-pvc
  namespace: team-05
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: List
metadata:
  name: wrap
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: wordpress
    namespace: team-05
  spec:
    selector:
      matchLabels: {app: wordpress, tier: frontend}
    template:
      metadata:
        labels: {app: wordpress, tier: frontend}
      spec:
        containers:
        - name: wordpress
          image: wordpress:5.3.2-apache
          ports:
          - containerPort: 80
            name: wdport
          env:
          - name: WORDPRESS_DB_HOST
            value: wordpress-mysql:3306
`)
	prof := filepath.Join(t.TempDir(), "profile.yaml")
	require.NoError(t, os.WriteFile(prof, noNS, 0o644))
	opts := gen.Options{N: 20, Seed: 1, Base: [][]byte{site}, FunctionConfig: noNS}
	stream, err := gen.Stream(opts)
	require.NoError(t, err)
	got := sameBothWays(t, []string{"harden", "-f", prof}, stream)
	require.Contains(t, got.stderr, "changed from NodePort to ClusterIP")
	rl, err := gen.ResourceList(opts)
	require.NoError(t, err)
	got = sameBothWays(t, nil, rl)
	require.Contains(t, got.stderr, "changed from NodePort to ClusterIP")
}

// A key given twice in the site's Deployment: the SDK reads the first
// (namespace team-05, the pod labels that name the site), which the
// facts of an item did not, and the site's Service in team-05 was held as
// a stub: it came out unhardened, exit 0.
func TestCompactSameAsWholeOnDuplicateKeys(t *testing.T) {
	fc, err := os.ReadFile("../examples/seed-production/profile.yaml")
	require.NoError(t, err)
	noNS := bytes.Replace(fc, []byte("  namespace: kube-samples\n"), nil, 1)
	prof := filepath.Join(t.TempDir(), "profile.yaml")
	require.NoError(t, os.WriteFile(prof, noNS, 0o644))
	const svc = `apiVersion: v1
kind: Service
metadata:
  name: wordpress
  namespace: team-05
spec:
  selector: {app: wordpress, tier: frontend}
  type: NodePort
  ports:
  - name: web
    port: 80
    targetPort: wdport
---
`
	const dep = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
  namespace: team-05
%s
spec:
  selector:
    matchLabels: {app: wordpress, tier: frontend}
  template:
    metadata:
      labels: {app: wordpress, tier: frontend}
%s
    spec:
      containers:
      - name: wordpress
        image: %s
        ports:
        - containerPort: 80
          name: wdport
`
	for name, d := range map[string]string{
		"namespace twice":           fmt.Sprintf(dep, "wordpress", "  namespace: team-05", "", "wordpress:6.5-apache"),
		"namespace twice, two ways": fmt.Sprintf(dep, "blog", "  namespace: team-06", "", "wordpress:6.5-apache"),
		"pod labels twice":          fmt.Sprintf(dep, "blog", "", "      labels: {x: y}", "registry.example.com/wp:6"),
	} {
		t.Run(name, func(t *testing.T) {
			opts := gen.Options{N: 20, Seed: 1, Base: [][]byte{[]byte(svc + d)}, FunctionConfig: noNS}
			stream, err := gen.Stream(opts)
			require.NoError(t, err)
			got := sameBothWays(t, []string{"harden", "-f", prof}, stream)
			require.Contains(t, got.stderr, "changed from NodePort to ClusterIP")
			rl, err := gen.ResourceList(opts)
			require.NoError(t, err)
			got = sameBothWays(t, nil, rl)
			require.Contains(t, got.stderr, "changed from NodePort to ClusterIP")
		})
	}
}
