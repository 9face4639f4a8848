package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kube-samples/wordpress-fn/e2e/internal/skip"
)

const (
	gateEnv = "WPFN_CLUSTER_TEST" // set by make cluster-test
	dirEnv  = "WPFN_CLUSTER_DIR"  // a cluster already up (hack/cluster.sh run)

	ns       = "kube-samples"
	nodePort = 30080 // testdata/profile.yaml's exposure.nodePort
	wpSel    = "app=wordpress,tier=frontend"
	dbSel    = "app=wordpress,tier=mysql"

	// readyBound is the bound this test states for every pod of the site to
	// be Ready after the apply (PersistentVolumes bound, images present,
	// MySQL initialized, the HPA's scale-up to its minimum of 3).
	readyBound = 3 * time.Minute
	// rollouts is N, the rolling updates of WordPress per request loop:
	// 2 with preStop (about 60 s, then 20 s of preStop and the last old
	// pod's exit), 3 for the negative control, whose pods go at once: both
	// loops stay under the 2 minutes allowed. The control's failures come
	// from a short window (a new connection DNATed to a pod that is gone,
	// before kube-proxy's next sync), so it gets the extra rollout.
	rollouts        = 2
	controlRollouts = 3
	// rate of the request loops, requests per second (at most maxRate).
	rate = 20
)

// figures collects what the test measured, printed at the end (and written
// as JSON to $WPFN_CLUSTER_FIGURES when set) for hack/CLUSTER-RESULTS.md.
var figures = struct {
	sync.Mutex
	list [][2]string
}{}

func figure(t *testing.T, name, format string, args ...any) {
	t.Helper()
	v := fmt.Sprintf(format, args...)
	figures.Lock()
	figures.list = append(figures.list, [2]string{name, v})
	figures.Unlock()
	t.Logf("FIGURE %s: %s", name, v)
}

func printFigures() {
	figures.Lock()
	defer figures.Unlock()
	if len(figures.list) == 0 {
		return
	}
	fmt.Fprintln(os.Stderr, "\n=== cluster test figures")
	m := map[string]string{}
	for _, f := range figures.list {
		fmt.Fprintf(os.Stderr, "  %-40s %s\n", f[0], f[1])
		m[f[0]] = f[1]
	}
	if p := os.Getenv("WPFN_CLUSTER_FIGURES"); p != "" {
		data, _ := json.MarshalIndent(m, "", "  ")
		_ = os.WriteFile(p, append(data, '\n'), 0o644)
	}
}

// TestCluster deploys the rendered production profile on a real
// single-node Kubernetes (hack/cluster.sh) and checks that the site runs:
// every pod Ready, WordPress installed over HTTP against MySQL reached by
// its Service name, zero failed requests during rolling updates with
// preStop (and failures without it), the PDB, and MySQL's Recreate.
func TestCluster(t *testing.T) {
	if os.Getenv(gateEnv) == "" {
		t.Skipf("the cluster test runs with `make cluster-test` (set %s=1); it needs Docker and root, and takes minutes", gateEnv)
	}
	if _, err := exec.LookPath("docker"); err != nil {
		skip.MissingTool(t, "docker is not installed: the cluster test needs it")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		skip.MissingTool(t, "docker does not answer (%v): the cluster test needs it", err)
	}
	defer printFigures()
	root := repoRoot(t)
	c := upCluster(t, root)
	ctx := context.Background()

	site, siteNoPreStop := render(t, root)
	siteURL := fmt.Sprintf("http://%s:%d", c.nodeIP, nodePort)

	ok := t.Run("deploy", func(t *testing.T) { deploy(t, c, site) })
	if !ok {
		dumpState(t, c)
		return
	}
	if !t.Run("service-name-and-dns", func(t *testing.T) { serviceNameAndDNS(t, c) }) {
		dumpState(t, c)
	}
	if !t.Run("install", func(t *testing.T) { install(t, c, siteURL) }) {
		dumpState(t, c)
		return
	}
	t.Run("front-page", func(t *testing.T) { frontPage(t, siteURL) })

	t.Run("zero-downtime", func(t *testing.T) {
		r := rollingLoad(t, c, siteURL, rollouts)
		figure(t, "rollouts with preStop", "%d rollouts: %s", rollouts, r)
		if r.Total == 0 || r.Failed != 0 {
			t.Errorf("with preStop: %s; want 0 failed", r)
		}
	})
	t.Run("no-prestop-control", func(t *testing.T) {
		applyAndWait(t, c, siteNoPreStop)
		r := rollingLoad(t, c, siteURL, controlRollouts)
		figure(t, "rollouts without preStop", "%d rollouts: %s", controlRollouts, r)
		if r.Failed == 0 {
			t.Errorf("without preStop: %s; want failures (the negative control did not see the drop)", r)
		}
	})
	applyAndWait(t, c, site) // back to the profile as rendered
	t.Run("pdb-drain", func(t *testing.T) { pdbDrain(t, c) })
	t.Run("mysql-recreate", func(t *testing.T) { mysqlRecreate(t, c, siteURL) })

	if out, err := exec.CommandContext(ctx, "docker", "stats", "--no-stream", "--format", "{{.MemUsage}} cpu {{.CPUPerc}}", c.container).Output(); err == nil {
		figure(t, "node container memory (cluster + site)", "%s", strings.TrimSpace(string(out)))
	}
}

// upCluster uses the cluster of $WPFN_CLUSTER_DIR, or brings one up and
// tears it down at the end (also on Ctrl-C).
func upCluster(t *testing.T, root string) *cluster {
	t.Helper()
	if dir := os.Getenv(dirEnv); dir != "" {
		c, err := readState(dir)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	dir, err := os.MkdirTemp("", "wpfn-cluster-test.")
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "hack", "cluster.sh")
	down := sync.OnceFunc(func() {
		cmd := exec.Command(script, "down", dir)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "hack/cluster.sh down %s: %v\n", dir, err)
		}
	})
	t.Cleanup(down)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		if _, ok := <-sig; ok {
			down()
			os.Exit(130)
		}
	}()
	t.Cleanup(func() { signal.Stop(sig); close(sig) })

	start := time.Now()
	cmd := exec.Command(script, "up", dir)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("hack/cluster.sh up: %v", err)
	}
	figure(t, "cluster up (incl. builds and images when not cached)", "%s", time.Since(start).Round(time.Second))
	c, err := readState(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// render expands the test profile, and the same with preStop off.
func render(t *testing.T, root string) (site, noPreStop []byte) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "wordpress-fn")
	build := exec.Command("go", "build", "-o", bin, "./fn")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./fn: %v\n%s", err, out)
	}
	profile := filepath.Join(root, "e2e", "cluster", "testdata", "profile.yaml")
	expand := func(path string) []byte {
		out, err := exec.Command(bin, "expand", "-f", path).Output()
		if err != nil {
			t.Fatalf("wordpress-fn expand -f %s: %v", path, err)
		}
		return out
	}
	site = expand(profile)

	data, err := os.ReadFile(profile)
	if err != nil {
		t.Fatal(err)
	}
	const anchor = "  wordpress:\n"
	if !strings.Contains(string(data), anchor) {
		t.Fatalf("%s has no %q to add preStop to", profile, anchor)
	}
	off := strings.Replace(string(data), anchor, anchor+"    preStop:\n      enabled: false\n", 1)
	offPath := filepath.Join(t.TempDir(), "profile-no-prestop.yaml")
	if err := os.WriteFile(offPath, []byte(off), 0o644); err != nil {
		t.Fatal(err)
	}
	noPreStop = expand(offPath)
	if strings.Contains(string(noPreStop), "preStop") {
		t.Fatal("the preStop-off rendering still has a preStop hook")
	}
	// Apache's root parent needs CAP_KILL to stop its www-data children
	// on SIGTERM; without it they go on serving for about 11 s, which
	// would hide from the control the drop that preStop is for.
	for _, r := range [][]byte{site, noPreStop} {
		if !strings.Contains(string(r), "            - NET_BIND_SERVICE\n            - KILL\n") {
			t.Fatal("the rendering does not give WordPress CAP_KILL: the control would not differ by preStop alone")
		}
	}
	return site, noPreStop
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// deploy applies the rendered site, creates what the profile expects to
// exist (the Secret, PersistentVolumes of its storage classes) and waits
// for every pod to be Ready.
func deploy(t *testing.T, c *cluster, site []byte) {
	ctx := context.Background()
	start := time.Now()
	// The Secret must exist before the pods start (the profile only
	// references it), so its namespace first; the apply then labels it.
	// A cluster reused from an earlier run (WPFN_CLUSTER_DIR) may still
	// have the site: start afresh.
	if _, err := c.kc(ctx, nil, "get", "namespace", ns); err == nil {
		c.mustKC(t, nil, "delete", "namespace", ns, "--wait=true", "--timeout=120s")
	}
	c.mustKC(t, nil, "delete", "pv", "-l", "wordpress-fn.test/cluster=true", "--ignore-not-found", "--wait=true")
	c.mustKC(t, nil, "create", "namespace", ns)
	password := randomHex(12)
	c.mustKC(t, nil, "-n", ns, "create", "secret", "generic", "wordpress-db-pwd", "--from-literal=dbpwd="+password)
	c.mustKC(t, site, "apply", "-f", "-")
	createVolumes(t, c)

	err := poll(ctx, time.Second, readyBound, func() (bool, error) {
		wp, err := c.pods(ctx, ns, wpSel)
		if err != nil {
			return false, err
		}
		db, err := c.pods(ctx, ns, dbSel)
		if err != nil {
			return false, err
		}
		ready := 0
		for _, p := range append(wp, db...) {
			if p.ready() {
				ready++
			}
		}
		// 3: the HPA's minReplicas (the Deployment has no spec.replicas).
		return len(wp) == 3 && len(db) == 1 && ready == 4, fmt.Errorf("%d WordPress and %d MySQL pods, %d ready", len(wp), len(db), ready)
	})
	if err != nil {
		t.Fatalf("pods of the site: %v", err)
	}
	figure(t, "apply to every pod Ready", "%s (bound %s)", time.Since(start).Round(time.Second), readyBound)

	// The Secret refs resolve: each pod got the Secret's value.
	for _, sel := range []struct{ selector, env string }{{wpSel, "WORDPRESS_DB_PASSWORD"}, {dbSel, "MYSQL_PASSWORD"}, {dbSel, "MYSQL_ROOT_PASSWORD"}} {
		pods, err := c.pods(ctx, ns, sel.selector)
		if err != nil || len(pods) == 0 {
			t.Fatalf("pods %s: %v", sel.selector, err)
		}
		got, err := c.kc(ctx, nil, "-n", ns, "exec", pods[0].Metadata.Name, "--", "printenv", sel.env)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(got) != password {
			t.Errorf("%s in pod %s is not the Secret's dbpwd", sel.env, pods[0].Metadata.Name)
		}
	}
}

// createVolumes makes a hostPath PersistentVolume for each claim of the
// site, of the claim's storage class, size and access modes, bound to it.
func createVolumes(t *testing.T, c *cluster) {
	t.Helper()
	var pvcs struct {
		Items []struct {
			Metadata struct{ Name string } `json:"metadata"`
			Spec     struct {
				AccessModes      []string `json:"accessModes"`
				StorageClassName string   `json:"storageClassName"`
				Resources        struct {
					Requests map[string]string `json:"requests"`
				} `json:"resources"`
			} `json:"spec"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(c.mustKC(t, nil, "-n", ns, "get", "pvc", "-o", "json")), &pvcs); err != nil {
		t.Fatal(err)
	}
	if len(pvcs.Items) != 2 {
		t.Fatalf("the site has %d PersistentVolumeClaims, want 2 (WordPress, MySQL)", len(pvcs.Items))
	}
	var docs []string
	run := randomHex(4) // fresh directories: no data of an earlier run
	for _, p := range pvcs.Items {
		modes, _ := json.Marshal(p.Spec.AccessModes)
		docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: PersistentVolume
metadata: {name: %[1]s-%[2]s, labels: {wordpress-fn.test/cluster: "true"}}
spec:
  storageClassName: %[3]q
  capacity: {storage: %[4]q}
  accessModes: %[5]s
  persistentVolumeReclaimPolicy: Retain
  claimRef: {namespace: %[1]s, name: %[2]s}
  hostPath: {path: /var/lib/wpfn/pv/%[1]s-%[2]s-%[6]s, type: DirectoryOrCreate}
`, ns, p.Metadata.Name, p.Spec.StorageClassName, p.Spec.Resources.Requests["storage"], modes, run))
		figure(t, "volume "+p.Metadata.Name, "class %s, %s, %s (hostPath PV)", p.Spec.StorageClassName, p.Spec.Resources.Requests["storage"], modes)
	}
	c.mustKC(t, []byte(strings.Join(docs, "---\n")), "apply", "-f", "-")
}

// serviceNameAndDNS: WordPress is configured with the Service name the
// function renders, and that name resolves in its pod, through the
// cluster DNS, to the Service's ClusterIP (not to the MySQL pod's IP).
func serviceNameAndDNS(t *testing.T, c *cluster) {
	ctx := context.Background()
	pods, err := c.pods(ctx, ns, wpSel)
	if err != nil || len(pods) == 0 {
		t.Fatalf("WordPress pods: %v", err)
	}
	host := strings.TrimSpace(c.mustKC(t, nil, "-n", ns, "exec", pods[0].Metadata.Name, "--", "printenv", "WORDPRESS_DB_HOST"))
	if host != "wordpress-mysql:3306" {
		t.Errorf("WORDPRESS_DB_HOST = %q, want the rendered Service name wordpress-mysql:3306", host)
	}
	name, _, _ := strings.Cut(host, ":")
	clusterIP := strings.TrimSpace(c.mustKC(t, nil, "-n", ns, "get", "service", name, "-o", "jsonpath={.spec.clusterIP}"))
	out := c.mustKC(t, nil, "-n", ns, "exec", pods[0].Metadata.Name, "--", "getent", "hosts", name)
	fields := strings.Fields(out)
	if len(fields) < 2 || fields[0] != clusterIP {
		t.Errorf("getent hosts %s in %s = %q, want the Service's ClusterIP %s", name, pods[0].Metadata.Name, out, clusterIP)
	}
	db, err := c.pods(ctx, ns, dbSel)
	if err == nil && len(db) == 1 && len(fields) > 0 && fields[0] == db[0].Status.PodIP {
		t.Errorf("%s resolves to the MySQL pod's IP, not to the Service", name)
	}
	figure(t, "DNS", "%s -> %s (ClusterIP), fully qualified %s", name, clusterIP, strings.Join(fields[1:], " "))
}

// install runs WordPress's installer over HTTP, through the NodePort
// Service, then checks its tables in MySQL.
func install(t *testing.T, c *cluster, siteURL string) {
	client := &http.Client{Timeout: 60 * time.Second}
	form := url.Values{
		"weblog_title":    {"wordpress-fn cluster test"},
		"user_name":       {"admin"},
		"admin_password":  {randomHex(12)},
		"admin_email":     {"admin@example.com"},
		"blog_public":     {"0"},
		"pw_weak":         {"on"},
		"language":        {""},
		"Submit":          {"Install WordPress"},
		"admin_password2": {""},
	}
	form.Set("admin_password2", form.Get("admin_password"))
	start := time.Now()
	resp, err := client.PostForm(siteURL+"/wp-admin/install.php?step=2", form)
	if err != nil {
		t.Fatalf("POST install.php?step=2: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Success!") {
		t.Fatalf("POST install.php?step=2: %s, no \"Success!\" in:\n%.2000s", resp.Status, body)
	}
	figure(t, "WordPress install over HTTP", "%s", time.Since(start).Round(time.Millisecond))

	out := c.mustKC(t, nil, "-n", ns, "exec", "deploy/wordpress-mysql", "--", "sh", "-c",
		`mariadb -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" "$MYSQL_DATABASE" -N -e 'SHOW TABLES'`)
	tables := strings.Fields(out)
	for _, want := range []string{"wp_options", "wp_posts", "wp_users"} {
		if !strings.Contains(" "+strings.Join(tables, " ")+" ", " "+want+" ") {
			t.Errorf("table %s missing after the install; tables: %v", want, tables)
		}
	}
	figure(t, "tables after install", "%d (%s...)", len(tables), strings.Join(tables[:min(3, len(tables))], ", "))

}

// frontPage: the installed site's front page shows its title.
func frontPage(t *testing.T, siteURL string) {
	resp, err := http.Get(siteURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "wordpress-fn cluster test") {
		t.Errorf("GET / after install: %s, %d bytes, no site title", resp.Status, len(body))
	}
}

// rollingLoad runs the request loop during n rolling updates of
// WordPress, and until the replaced pods are gone (their preStop and
// SIGTERM included).
func rollingLoad(t *testing.T, c *cluster, siteURL string, n int) *loadResult {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var r *loadResult
	done := make(chan struct{})
	// Mostly a static file (Apache alone: many samples of the routing),
	// one request in 20 the front page (PHP and MySQL): the production
	// profile's 3 x 200m CPU serve about 4 front pages a second here, so
	// more would measure overload, not the rollout.
	urls := make([]string, 20)
	for i := range urls {
		urls[i] = siteURL + "/readme.html"
	}
	urls[0] = siteURL + "/"
	go func() { r = load(ctx, urls, rate); close(done) }()
	// Container restarts during the loop (an OOM kill at the memory limit
	// would fail requests for a reason other than the rollout).
	restarts := map[string]int{}
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for ctx.Err() == nil {
			if pods, err := c.pods(ctx, ns, wpSel); err == nil {
				for _, p := range pods {
					for _, cs := range p.Status.ContainerStatuses {
						restarts[p.Metadata.Name] = max(restarts[p.Metadata.Name], cs.RestartCount)
					}
				}
			}
			time.Sleep(time.Second)
		}
	}()
	time.Sleep(2 * time.Second) // a baseline before the first rollout
	start := time.Now()
	for i := 0; i < n; i++ {
		c.mustKC(t, nil, "-n", ns, "rollout", "restart", "deployment/wordpress")
		if _, err := c.kc(ctx, nil, "-n", ns, "rollout", "status", "deployment/wordpress", "--timeout=100s"); err != nil {
			cancel()
			<-done
			t.Fatalf("rollout %d: %v (requests so far: %s)", i+1, err, r)
		}
	}
	rolled := time.Since(start)
	// Wait for the old pods to finish terminating: without preStop the
	// failures happen at their SIGTERM.
	err := poll(ctx, 500*time.Millisecond, 90*time.Second, func() (bool, error) {
		pods, err := c.pods(ctx, ns, wpSel)
		return err == nil && len(pods) == 3, err
	})
	time.Sleep(2 * time.Second)
	cancel()
	<-done
	<-sampled
	if err != nil {
		t.Errorf("old WordPress pods still there: %v", err)
	}
	restarted := 0
	for _, v := range restarts {
		restarted += v
	}
	figure(t, fmt.Sprintf("container restarts (%s)", t.Name()), "%d in %d WordPress pods", restarted, len(restarts))
	if restarted > 0 {
		t.Errorf("%d WordPress container restarts during the loop (OOM kills?): %v", restarted, restarts)
	}
	figure(t, fmt.Sprintf("rollout time (%s)", t.Name()), "%s for %d rollouts, %s until the old pods were gone",
		rolled.Round(time.Second), n, (time.Since(start) - 2*time.Second).Round(time.Second))
	return r
}

// applyAndWait applies a rendering and waits for the WordPress rollout and
// for the replaced pods to be gone.
func applyAndWait(t *testing.T, c *cluster, site []byte) {
	t.Helper()
	ctx := context.Background()
	c.mustKC(t, site, "apply", "-f", "-")
	c.mustKC(t, nil, "-n", ns, "rollout", "status", "deployment/wordpress", "--timeout=180s")
	if err := poll(ctx, time.Second, 90*time.Second, func() (bool, error) {
		pods, err := c.pods(ctx, ns, wpSel)
		return err == nil && len(pods) == 3, err
	}); err != nil {
		t.Fatalf("after apply: %v", err)
	}
}

// pdbDrain drains the node of the WordPress pods: with the node cordoned no
// replacement can start, so the PDB (maxUnavailable 1) must stop the drain
// after one eviction.
func pdbDrain(t *testing.T, c *cluster) {
	ctx := context.Background()
	before, err := c.pods(ctx, ns, wpSel)
	if err != nil || len(before) != 3 {
		t.Fatalf("want 3 WordPress pods before the drain, have %d (%v)", len(before), err)
	}
	node := strings.TrimSpace(c.mustKC(t, nil, "get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"))
	defer c.mustKC(t, nil, "uncordon", node)
	// --delete-emptydir-data: the pods' emptyDirs (the read-only root
	// file system's pid, lock and /tmp directories) hold nothing to keep,
	// and without it kubectl refuses to evict any pod that has one
	// (README, Read-only root file system).
	out, err := c.kc(ctx, nil, "drain", node, "--pod-selector", wpSel, "--timeout=30s", "--ignore-daemonsets", "--delete-emptydir-data")
	if err == nil {
		t.Errorf("the drain finished: the PDB did not stop it\n%s", out)
	}
	after, err := c.pods(ctx, ns, wpSel)
	if err != nil {
		t.Fatal(err)
	}
	// Of the pods there before the drain: evicted (terminating or gone) or
	// still serving. The replacements cannot start on the cordoned node.
	now := map[string]pod{}
	for _, p := range after {
		now[p.Metadata.Name] = p
	}
	evicted, serving, pending := 0, 0, 0
	for _, b := range before {
		p, ok := now[b.Metadata.Name]
		switch {
		case !ok || p.Metadata.DeletionTimestamp != nil:
			evicted++
		case p.ready():
			serving++
		}
		delete(now, b.Metadata.Name)
	}
	for _, p := range now {
		if p.Status.Phase == "Pending" {
			pending++
		}
	}
	figure(t, "drain (30 s, cordoned node)", "%d of 3 WordPress pods evicted, %d still serving, %d replacements pending", evicted, serving, pending)
	if evicted != 1 || serving != 2 {
		t.Errorf("drain evicted %d pods and left %d serving; the PDB (maxUnavailable 1) allows exactly 1 eviction; kubectl drain said:\n%s", evicted, serving, out)
	}
	c.mustKC(t, nil, "uncordon", node)
	if err := poll(ctx, time.Second, 2*time.Minute, func() (bool, error) {
		pods, err := c.pods(ctx, ns, wpSel)
		n := 0
		for _, p := range pods {
			if p.ready() && p.Metadata.DeletionTimestamp == nil {
				n++
			}
		}
		return err == nil && n == 3 && len(pods) == 3, err
	}); err != nil {
		t.Errorf("WordPress back to 3 ready pods after uncordon: %v", err)
	}
}

// mysqlRecreate restarts MySQL while watching its pods (every change the
// API server reports, not samples): Recreate must never have two database
// pods that are not finished at the same time; the site and its data come
// back.
func mysqlRecreate(t *testing.T, c *cluster, siteURL string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	maxLive, events := 0, 0
	seen := map[string]bool{}
	watch := exec.CommandContext(ctx, c.kubectl, "--kubeconfig", filepath.Join(c.dir, "kubeconfig"),
		"-n", ns, "get", "pods", "-l", dbSel, "--watch", "--output-watch-events", "-o", "json")
	stdout, err := watch.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := watch.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		live := map[string]bool{}
		dec := json.NewDecoder(stdout)
		for {
			var ev struct {
				Type   string `json:"type"`
				Object pod    `json:"object"`
			}
			if dec.Decode(&ev) != nil {
				return
			}
			name := ev.Object.Metadata.Name
			finished := ev.Object.Status.Phase == "Succeeded" || ev.Object.Status.Phase == "Failed"
			if ev.Type == "DELETED" || finished {
				delete(live, name)
			} else {
				live[name] = true
			}
			events++
			seen[name] = true
			maxLive = max(maxLive, len(live))
		}
	}()
	time.Sleep(time.Second) // the watch's initial list
	start := time.Now()
	c.mustKC(t, nil, "-n", ns, "rollout", "restart", "deployment/wordpress-mysql")
	c.mustKC(t, nil, "-n", ns, "rollout", "status", "deployment/wordpress-mysql", "--timeout=180s")
	took := time.Since(start)
	time.Sleep(time.Second)
	cancel()
	<-done
	_ = watch.Wait()
	figure(t, "MySQL Recreate", "%d pods seen, at most %d at once over %d watch events, %s to available",
		len(seen), maxLive, events, took.Round(time.Second))
	if len(seen) < 2 {
		t.Errorf("the restart did not replace the MySQL pod (pods seen: %v)", seen)
	}
	if maxLive > 1 {
		t.Errorf("%d MySQL pods ran at once: Recreate must stop the old one first", maxLive)
	}
	// The data is on the volume: the site still answers, installed.
	err = poll(context.Background(), time.Second, time.Minute, func() (bool, error) {
		resp, err := http.Get(siteURL + "/")
		if err != nil {
			return false, err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode == 200 && strings.Contains(string(body), "wordpress-fn cluster test"), fmt.Errorf("GET /: %s", resp.Status)
	})
	if err != nil {
		t.Errorf("the site after MySQL's restart: %v", err)
	}
}

// dumpState logs the pods and events of the site after a failed step.
func dumpState(t *testing.T, c *cluster) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, args := range [][]string{
		{"get", "nodes,pods,pvc,pv", "-A", "-o", "wide"},
		{"-n", ns, "get", "events", "--sort-by=.lastTimestamp"},
	} {
		out, err := c.kc(ctx, nil, args...)
		t.Logf("kubectl %s:\n%s%v", strings.Join(args, " "), out, err)
	}
	for _, sel := range []string{wpSel, dbSel} {
		out, err := c.kc(ctx, nil, "-n", ns, "logs", "-l", sel, "--tail=20", "--all-containers", "--prefix")
		t.Logf("logs %s:\n%s%v", sel, out, err)
	}
}
