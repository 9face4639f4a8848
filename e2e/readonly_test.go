package e2e

// TestReadOnlyRoot runs the containers of examples/seed-production as the
// function renders them, on Docker: `docker run --read-only`, each emptyDir
// and claim of the pod as a --tmpfs, the capabilities (--cap-drop,
// --cap-add), the user and no-new-privileges of their securityContext, the
// env and args they get. Everything is read from `wordpress-fn expand`'s
// output; only the images are swapped for the cluster test's stand-ins
// (hack/cluster.sh images: Debian's apache2 + mod_php + wordpress and
// mariadb-server, since nothing can be pulled) and the Secret's password
// is the test's.
//
// It checks that Apache serves PHP (and WordPress's installer, against the
// database), that PHP can take an upload (PHP writes it to /tmp first),
// that MariaDB accepts a connection, and then, for each emptyDir the
// function mounts, that taking that one mount away breaks its container:
// every path in the list is needed. A path the stand-in does not write
// (standInNeedsNot) is said so, and must keep working without the mount.
//
// Docker or the stand-in images missing: skipped loudly, and a failure
// under CI. `make readonly-test` builds the images and runs it.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kube-samples/wordpress-fn/e2e/internal/skip"

	sigsyaml "sigs.k8s.io/yaml"
)

// The stand-in images of hack/cluster.sh (WORDPRESS_IMAGE, MYSQL_IMAGE).
const (
	wordpressStandIn = "wpfn.local/wordpress-standin:6.1-debian12"
	mysqlStandIn     = "wpfn.local/mysql-standin:mariadb10.11-debian12"
)

// standInNeedsNot are emptyDirs the function mounts for the official
// images that the Debian stand-ins never write: removing them cannot fail
// the stand-in, so this test does not prove them (README, "Read-only root
// file system").
var standInNeedsNot = map[string]string{
	"/var/lock/apache2":    "Apache's lock directory (APACHE_LOCK_DIR) is used only by `Mutex file:` (Debian's apache2.conf, the official image's too, leaves that line commented out): measured, the stand-in serves without it",
	"/var/lib/mysql-files": "the official mysql image's secure-file-priv directory (its Oracle packages set it); Debian's MariaDB sets none",
}

// renderedContainer is what the test takes of a container in the
// function's output.
type renderedContainer struct {
	Name  string   `json:"name"`
	Image string   `json:"image"`
	Args  []string `json:"args"`
	Env   []struct {
		Name      string `json:"name"`
		Value     string `json:"value"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Key string `json:"key"`
			} `json:"secretKeyRef"`
		} `json:"valueFrom"`
	} `json:"env"`
	SecurityContext *struct {
		ReadOnlyRootFilesystem   *bool  `json:"readOnlyRootFilesystem"`
		AllowPrivilegeEscalation *bool  `json:"allowPrivilegeEscalation"`
		RunAsUser                *int64 `json:"runAsUser"`
		RunAsGroup               *int64 `json:"runAsGroup"`
		Capabilities             *struct {
			Add  []string `json:"add"`
			Drop []string `json:"drop"`
		} `json:"capabilities"`
	} `json:"securityContext"`
	VolumeMounts []struct {
		Name      string `json:"name"`
		MountPath string `json:"mountPath"`
		SubPath   string `json:"subPath"`
	} `json:"volumeMounts"`
}

type renderedPod struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Template struct {
			Spec struct {
				SecurityContext *struct {
					RunAsUser  *int64 `json:"runAsUser"`
					RunAsGroup *int64 `json:"runAsGroup"`
				} `json:"securityContext"`
				Containers []renderedContainer `json:"containers"`
				Volumes    []struct {
					Name      string    `json:"name"`
					EmptyDir  *struct{} `json:"emptyDir"`
					ConfigMap *struct {
						Name string `json:"name"`
					} `json:"configMap"`
				} `json:"volumes"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

// standIn is one container to run: the rendered one, on a stand-in image.
type standIn struct {
	name      string // the rendered container's
	rendered  renderedContainer
	pod       renderedPod
	image     string
	emptyDirs []string // mount paths of the pod's emptyDir volumes
	mounts    []string // every other mount path (emptyDirs and claims)
	// files are the ConfigMap keys mounted one by one (subPath), by mount
	// path: their content, from the rendered ConfigMap.
	files map[string]string
}

func renderedStandIn(t *testing.T, out []byte, deployment, container, image string) standIn {
	t.Helper()
	for _, doc := range bytes.Split(out, []byte("\n---\n")) {
		var p renderedPod
		if err := sigsyaml.Unmarshal(doc, &p); err != nil {
			t.Fatalf("the rendered output does not parse: %v", err)
		}
		if p.Kind != "Deployment" || p.Metadata.Name != deployment {
			continue
		}
		empty, configMap := map[string]bool{}, map[string]string{}
		for _, v := range p.Spec.Template.Spec.Volumes {
			empty[v.Name] = v.EmptyDir != nil
			if v.ConfigMap != nil {
				configMap[v.Name] = v.ConfigMap.Name
			}
		}
		for _, c := range p.Spec.Template.Spec.Containers {
			if c.Name != container {
				continue
			}
			s := standIn{name: container, rendered: c, pod: p, image: image, files: map[string]string{}}
			for _, m := range c.VolumeMounts {
				if cm, ok := configMap[m.Name]; ok && m.SubPath != "" {
					data, found := renderedConfigMapKey(out, cm, m.SubPath)
					if !found {
						t.Fatalf("%s mounts key %s of ConfigMap %s, which the rendered output does not have", container, m.SubPath, cm)
					}
					s.files[m.MountPath] = data
					continue
				}
				s.mounts = append(s.mounts, m.MountPath)
				if empty[m.Name] {
					s.emptyDirs = append(s.emptyDirs, m.MountPath)
				}
			}
			return s
		}
	}
	t.Fatalf("no container %s in Deployment %s of the rendered output", container, deployment)
	return standIn{}
}

// renderedConfigMapKey is the value of key in ConfigMap name of the
// rendered output.
func renderedConfigMapKey(out []byte, name, key string) (string, bool) {
	for _, doc := range bytes.Split(out, []byte("\n---\n")) {
		var cm struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
			Data map[string]string `json:"data"`
		}
		if sigsyaml.Unmarshal(doc, &cm) != nil || cm.Kind != "ConfigMap" || cm.Metadata.Name != name {
			continue
		}
		v, ok := cm.Data[key]
		return v, ok
	}
	return "", false
}

// dockerArgs is `docker run` for the container, without the mount at
// drop ("" for none); env overrides the rendered env's values, password
// stands for every Secret reference.
func (s standIn) dockerArgs(t *testing.T, cname, drop, password string, env map[string]string) []string {
	t.Helper()
	args := []string{"run", "-d", "--name", cname}
	sc := s.rendered.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Fatalf("the rendered %s container has no readOnlyRootFilesystem: true", s.name)
	}
	args = append(args, "--read-only")
	if sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation {
		args = append(args, "--security-opt", "no-new-privileges")
	}
	if c := sc.Capabilities; c != nil {
		for _, d := range c.Drop {
			args = append(args, "--cap-drop", d)
		}
		for _, a := range c.Add {
			args = append(args, "--cap-add", a)
		}
	}
	user, group := sc.RunAsUser, sc.RunAsGroup
	if ps := s.pod.Spec.Template.Spec.SecurityContext; ps != nil {
		if user == nil {
			user = ps.RunAsUser
		}
		if group == nil {
			group = ps.RunAsGroup
		}
	}
	if user != nil {
		u := fmt.Sprint(*user)
		if group != nil {
			u += fmt.Sprintf(":%d", *group)
		}
		args = append(args, "--user", u)
	}
	// An emptyDir is a directory anyone may write (0777), exec allowed;
	// a claim is a directory too.
	for _, m := range s.mounts {
		if m != drop {
			args = append(args, "--tmpfs", m+":rw,exec,nosuid,nodev,mode=0777")
		}
	}
	// A ConfigMap key mounted by subPath: the rendered content, read-only.
	for path, data := range s.files {
		f := filepath.Join(t.TempDir(), filepath.Base(path))
		if err := os.WriteFile(f, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "-v", f+":"+path+":ro")
	}
	for _, e := range s.rendered.Env {
		v := e.Value
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			v = password
		}
		if o, ok := env[e.Name]; ok {
			v = o
		}
		args = append(args, "--env", e.Name+"="+v)
	}
	args = append(args, s.image)
	return append(args, s.rendered.Args...)
}

// readOnlyDocker fails the test under CI and skips it loudly elsewhere
// when Docker does not answer.
func readOnlyDocker(t *testing.T) {
	t.Helper()
	if os.Getenv("CI") == "" {
		docker(t)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "docker", "info").CombinedOutput(); err != nil {
		t.Fatalf("CI is set and `docker info` fails: the read-only root file system is not proven: %v: %s", err, lastLine(out))
	}
}

// standInImages checks that the cluster test's stand-in images are built
// (`make readonly-test` and `make test` build them first with
// hack/cluster.sh images: as root, about 8 minutes cold, then cached by
// the hash of their recipe; too long for go test's default timeout).
func standInImages(t *testing.T) {
	t.Helper()
	var missing []string
	for _, img := range []string{wordpressStandIn, mysqlStandIn} {
		if exec.Command("docker", "image", "inspect", img).Run() != nil {
			missing = append(missing, img)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("the stand-in images %s are not built: run `make readonly-test` (hack/cluster.sh images, as root); the read-only root file system is NOT proven", strings.Join(missing, ", "))
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	skip.Loudly(t, "%s", msg)
}

// probePHP is written into WordPress's document root: PHP runs, reaches
// the database as WordPress is configured to, and takes an upload.
const probePHP = `<?php
list($host, $port) = array_pad(explode(':', getenv('WORDPRESS_DB_HOST')), 2, 3306);
$db = @mysqli_connect($host, getenv('WORDPRESS_DB_USER'), getenv('WORDPRESS_DB_PASSWORD'), getenv('WORDPRESS_DB_NAME'), (int) $port);
echo "php ", PHP_VERSION, "\n";
echo "db ", $db ? "ok" : "failed: " . mysqli_connect_error(), "\n";
echo "upload ", isset($_FILES['f']) ? $_FILES['f']['error'] : 'none', "\n";
`

func TestReadOnlyRoot(t *testing.T) {
	readOnlyDocker(t)
	standInImages(t)
	out := []byte(mustRun(t, root(t), nil, fnBin(t), "expand", "-f", "examples/seed-production/profile.yaml").stdout)
	wp := renderedStandIn(t, out, "wordpress", "wordpress", wordpressStandIn)
	db := renderedStandIn(t, out, "wordpress-mysql", "mysql", mysqlStandIn)
	t.Logf("rendered: wordpress mounts %v (emptyDirs %v); mysql mounts %v (emptyDirs %v)", wp.mounts, wp.emptyDirs, db.mounts, db.emptyDirs)
	if len(wp.emptyDirs) == 0 || len(db.emptyDirs) == 0 {
		t.Fatalf("the rendering mounts no emptyDir: nothing to prove")
	}

	const password = "read-only-test-pw"
	prefix := fmt.Sprintf("wpfn-ro-%d", os.Getpid())
	start := func(s standIn, variant, drop string, env map[string]string) string {
		t.Helper()
		name := prefix + "-" + s.name + "-" + variant
		t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
		mustRun(t, root(t), nil, "docker", s.dockerArgs(t, name, drop, password, env)...)
		return name
	}

	// MariaDB: accepts a connection, as the site's user, over TCP.
	dbUp := func(name string, timeout time.Duration) error {
		deadline := time.Now().Add(timeout)
		var last string
		for time.Now().Before(deadline) {
			r := run(t, root(t), nil, "docker", "exec", name, "mariadb", "-h127.0.0.1", "-P3306", "-uwordpress", "-p"+password, "wordpress", "-N", "-e", "SELECT 1")
			if r.err == nil && strings.TrimSpace(r.stdout) == "1" {
				return nil
			}
			last = strings.TrimSpace(r.stderr)
			if !running(t, name) {
				return fmt.Errorf("the container stopped: %s", logsTail(t, name))
			}
			time.Sleep(time.Second)
		}
		return fmt.Errorf("no connection within %s: %s; %s", timeout, last, logsTail(t, name))
	}
	dbStart := time.Now()
	dbName := start(db, "all", "", nil)
	if err := dbUp(dbName, 2*time.Minute); err != nil {
		t.Fatalf("MariaDB as rendered (read-only, mounts %v): %v", db.mounts, err)
	}
	t.Logf("MariaDB read-only accepts a connection after %s", time.Since(dbStart).Round(time.Millisecond))
	dbIP := strings.TrimSpace(mustRun(t, root(t), nil, "docker", "inspect", "-f", "{{.NetworkSettings.IPAddress}}", dbName).stdout)

	// WordPress: Apache serves PHP, PHP reaches MariaDB and takes an
	// upload, WordPress's installer answers.
	wpEnv := map[string]string{"WORDPRESS_DB_HOST": dbIP + ":3306"}
	wpUp := func(name string, timeout time.Duration) error {
		deadline := time.Now().Add(timeout)
		for !(run(t, root(t), nil, "docker", "exec", name, "test", "-s", "/var/www/html/wp-config.php").err == nil) {
			if !running(t, name) {
				return fmt.Errorf("the container stopped: %s", logsTail(t, name))
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("no wp-config.php within %s: %s", timeout, logsTail(t, name))
			}
			time.Sleep(500 * time.Millisecond)
		}
		cmd := exec.Command("docker", "exec", "-i", name, "sh", "-c", "cat > /var/www/html/wpfn-probe.php")
		cmd.Stdin = strings.NewReader(probePHP)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("writing the probe into the document root: %v: %s", err, out)
		}
		ip := strings.TrimSpace(mustRun(t, root(t), nil, "docker", "inspect", "-f", "{{.NetworkSettings.IPAddress}}", name).stdout)
		var last string
		for time.Now().Before(deadline) {
			got, err := probe(ip)
			if err == nil && strings.Contains(got, "db ok\n") && strings.Contains(got, "upload 0\n") {
				page, err := get("http://" + ip + "/wp-admin/install.php")
				if err == nil && strings.Contains(page, "WordPress") {
					return nil
				}
				last = fmt.Sprintf("install.php: %v %.300s", err, page)
			} else {
				last = fmt.Sprintf("probe: %v %q", err, got)
			}
			if !running(t, name) {
				return fmt.Errorf("the container stopped: %s", logsTail(t, name))
			}
			time.Sleep(time.Second)
		}
		return fmt.Errorf("not serving within %s: %s; %s", timeout, last, logsTail(t, name))
	}
	wpStart := time.Now()
	if err := wpUp(start(wp, "all", "", wpEnv), 2*time.Minute); err != nil {
		t.Fatalf("WordPress as rendered (read-only, mounts %v): %v", wp.mounts, err)
	}
	t.Logf("WordPress read-only serves PHP, reaches MariaDB and takes an upload after %s", time.Since(wpStart).Round(time.Millisecond))

	// The Apache exporter's status page (spec.monitoring), as rendered:
	// served on the pod's loopback, where the sidecar reads it, and
	// nowhere else.
	t.Run("apache-status-page", func(t *testing.T) {
		if len(wp.files) == 0 {
			t.Fatalf("the rendered WordPress container mounts no status page configuration (spec.monitoring is on in production)")
		}
		name := prefix + "-wordpress-all"
		r := run(t, root(t), nil, "docker", "exec", name, "curl", "-sS", "http://127.0.0.1:8081/server-status?auto")
		if r.err != nil || !strings.Contains(r.stdout, "ServerVersion:") || !strings.Contains(r.stdout, "BusyWorkers:") {
			t.Fatalf("the status page on 127.0.0.1:8081 inside the pod, where the exporter reads it: %v %.300s %.300s", r.err, r.stdout, r.stderr)
		}
		t.Logf("inside the pod: %s", firstLine(strings.ReplaceAll(strings.TrimSpace(r.stdout), "\n", "; ")))
		ip := strings.TrimSpace(mustRun(t, root(t), nil, "docker", "inspect", "-f", "{{.NetworkSettings.IPAddress}}", name).stdout)
		if page, err := get("http://" + ip + ":8081/server-status?auto"); err == nil {
			t.Errorf("the status page answers on the pod's address %s:8081, outside the pod: %.200s", ip, page)
		}
		if page, err := get("http://" + ip + "/server-status?auto"); err == nil && strings.Contains(page, "ServerVersion:") {
			t.Errorf("the status page answers on the site's port from outside the pod: %.200s", page)
		}
	})

	// Each emptyDir is needed: without it, its container fails.
	for _, c := range []struct {
		s  standIn
		up func(string, time.Duration) error
	}{{wp, wpUp}, {db, dbUp}} {
		for i, path := range c.s.emptyDirs {
			t.Run(fmt.Sprintf("%s-without-%s", c.s.name, strings.ReplaceAll(strings.Trim(path, "/"), "/", "-")), func(t *testing.T) {
				var env map[string]string
				if c.s.name == wp.name {
					env = wpEnv
				}
				name := start(c.s, fmt.Sprint("drop", i), path, env)
				err := c.up(name, 45*time.Second)
				if why, ok := standInNeedsNot[path]; ok {
					if err != nil {
						t.Errorf("%s without %s failed, but standInNeedsNot says the stand-in does not write it (%s): %v", c.s.name, path, why, err)
						return
					}
					fmt.Fprintf(os.Stderr, "\n!!! NOT PROVEN by %s: %s works without %s: %s\n\n", t.Name(), c.s.name, path, why)
					t.Logf("NOT PROVEN: works without %s: %s", path, why)
					return
				}
				if err == nil {
					t.Errorf("%s runs read-only without the emptyDir at %s: either the image does not write there (take it out of fn/images) or this test does not exercise it", c.s.name, path)
					return
				}
				t.Logf("without %s: %v", path, firstLine(err.Error()))
			})
		}
	}
}

func running(t *testing.T, name string) bool {
	r := run(t, ".", nil, "docker", "inspect", "-f", "{{.State.Running}}", name)
	return strings.TrimSpace(r.stdout) == "true"
}

func logsTail(t *testing.T, name string) string {
	r := run(t, ".", nil, "docker", "logs", "--tail", "5", name)
	return strings.TrimSpace(strings.ReplaceAll(r.stdout+r.stderr, "\n", " | "))
}

func firstLine(s string) string {
	if len(s) > 400 {
		s = s[:400] + "..."
	}
	return s
}

var httpClient = &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(url string) (string, error) {
	resp, err := httpClient.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(body), fmt.Errorf("%s", resp.Status)
	}
	return string(body), nil
}

// probe posts a file to the probe, as a media upload does.
func probe(ip string) (string, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	f, _ := w.CreateFormFile("f", "upload.txt")
	_, _ = f.Write(bytes.Repeat([]byte("read-only root file system\n"), 100))
	_ = w.Close()
	resp, err := httpClient.Post("http://"+ip+"/wpfn-probe.php", w.FormDataContentType(), &body)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(out), fmt.Errorf("%s", resp.Status)
	}
	return string(out), nil
}
