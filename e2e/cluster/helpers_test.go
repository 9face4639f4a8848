package cluster

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// repoRoot is the directory of the module's go.mod (two levels up).
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "hack", "cluster.sh")); err != nil {
		t.Fatalf("no hack/cluster.sh under %s: %v", dir, err)
	}
	return dir
}

// cluster is a running test cluster of hack/cluster.sh.
type cluster struct {
	dir       string // its state dir
	kubectl   string // the pinned kubectl
	nodeIP    string // the node container's address on Docker's bridge
	container string // the node container
}

// readState reads DIR/state.env (KEY='value' lines written by cluster.sh).
func readState(dir string) (*cluster, error) {
	data, err := os.ReadFile(filepath.Join(dir, "state.env"))
	if err != nil {
		return nil, err
	}
	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if ok {
			kv[k] = strings.Trim(v, "'")
		}
	}
	c := &cluster{dir: dir, kubectl: filepath.Join(kv["BIN_DIR"], "kubectl"), nodeIP: kv["NODE_IP"], container: kv["CONTAINER"]}
	if kv["BIN_DIR"] == "" || c.nodeIP == "" || c.container == "" {
		return nil, fmt.Errorf("%s/state.env lacks BIN_DIR, NODE_IP or CONTAINER", dir)
	}
	return c, nil
}

// kc runs kubectl against the cluster and returns its stdout.
func (c *cluster) kc(ctx context.Context, stdin []byte, args ...string) (string, error) {
	all := append([]string{"--kubeconfig", filepath.Join(c.dir, "kubeconfig"), "--cache-dir", filepath.Join(c.dir, ".kube-cache")}, args...)
	cmd := exec.CommandContext(ctx, c.kubectl, all...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("kubectl %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

func (c *cluster) mustKC(t *testing.T, stdin []byte, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := c.kc(ctx, stdin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// podList is the part of a PodList the tests read.
type podList struct {
	Items []pod `json:"items"`
}

type pod struct {
	Metadata struct {
		Name              string     `json:"name"`
		CreationTimestamp time.Time  `json:"creationTimestamp"`
		DeletionTimestamp *time.Time `json:"deletionTimestamp"`
		Labels            map[string]string
	} `json:"metadata"`
	Status struct {
		Phase      string `json:"phase"`
		PodIP      string `json:"podIP"`
		Conditions []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
		} `json:"conditions"`
		ContainerStatuses []struct {
			Name         string `json:"name"`
			RestartCount int    `json:"restartCount"`
			State        map[string]json.RawMessage
		} `json:"containerStatuses"`
	} `json:"status"`
}

func (p pod) ready() bool {
	for _, c := range p.Status.Conditions {
		if c.Type == "Ready" {
			return c.Status == "True"
		}
	}
	return false
}

func (c *cluster) pods(ctx context.Context, ns, selector string) ([]pod, error) {
	out, err := c.kc(ctx, nil, "-n", ns, "get", "pods", "-l", selector, "-o", "json")
	if err != nil {
		return nil, err
	}
	var l podList
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		return nil, err
	}
	sort.Slice(l.Items, func(i, j int) bool { return l.Items[i].Metadata.Name < l.Items[j].Metadata.Name })
	return l.Items, nil
}

// poll calls f every interval until it returns true or timeout.
func poll(ctx context.Context, interval, timeout time.Duration, f func() (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		ok, err := f()
		if ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("not done after %s: %w", timeout, last)
			}
			return fmt.Errorf("not done after %s", timeout)
		case <-time.After(interval):
		}
	}
}

// loadResult counts the requests of one bounded request loop.
type loadResult struct {
	mu       sync.Mutex
	Total    int
	Failed   int
	Errors   map[string]int
	Slowest  time.Duration
	Duration time.Duration
}

func (r *loadResult) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	keys := make([]string, 0, len(r.Errors))
	for k := range r.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []string
	for _, k := range keys {
		errs = append(errs, fmt.Sprintf("%dx %s", r.Errors[k], k))
	}
	return fmt.Sprintf("%d requests in %s, %d failed, slowest %s%s", r.Total, r.Duration.Round(time.Millisecond), r.Failed,
		r.Slowest.Round(time.Millisecond), map[bool]string{true: ": " + strings.Join(errs, "; "), false: ""}[len(errs) > 0])
}

// Request loop bounds: the issue allows at most 20 requests per second for
// at most 2 minutes, at the site's own endpoint only.
const (
	maxRate     = 20
	maxLoadTime = 2 * time.Minute
)

// load sends GETs at rate requests per second, to urls in turn, each on a
// new connection (so that every request is routed afresh by kube-proxy),
// until ctx is done or maxLoadTime has passed. A request fails on any
// transport error, a status other than 200, or no answer within 30 s. Not
// less: the readiness probe is a TCP check, so a new pod gets requests
// before PHP's opcache is warm, and its first front pages, compiled at the
// profile's 200m CPU, have taken more than 10 s (a slow page, not a
// dropped one; the figures report the slowest).
func load(ctx context.Context, urls []string, rate int) *loadResult {
	if rate > maxRate {
		rate = maxRate
	}
	ctx, cancel := context.WithTimeout(ctx, maxLoadTime)
	defer cancel()
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	r := &loadResult{Errors: map[string]int{}}
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	start := time.Now()
	sent := 0
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			r.Duration = time.Since(start)
			return r
		case <-tick.C:
		}
		url := urls[sent%len(urls)]
		sent++
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			var fail string
			resp, err := client.Get(url)
			if err != nil {
				fail = path(url) + ": " + shortErr(err)
			} else {
				_, _ = bytes.NewBuffer(nil).ReadFrom(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					fail = path(url) + ": " + resp.Status
				}
			}
			d := time.Since(t0)
			r.mu.Lock()
			defer r.mu.Unlock()
			r.Total++
			if d > r.Slowest {
				r.Slowest = d
			}
			if fail != "" {
				r.Failed++
				r.Errors[fail]++
			}
		}()
	}
}

// path is the path of a request URL, to tell the failures of the static
// file (routing) from those of the front page (routing or a slow PHP).
func path(u string) string {
	if i := strings.Index(strings.TrimPrefix(u, "http://"), "/"); i >= 0 {
		return strings.TrimPrefix(u, "http://")[i:]
	}
	return "/"
}

// shortErr keeps the cause of a request error (connection refused, reset,
// timeout) without the URL and addresses.
func shortErr(err error) string {
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}
