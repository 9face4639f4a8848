// Command report prints the tables of make bench from its results
// directory: hyperfine's JSON export and GNU time's max RSS for every run.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

type run struct {
	Command string    `json:"command"`
	Mean    float64   `json:"mean"`
	Stddev  float64   `json:"stddev"`
	Median  float64   `json:"median"`
	User    float64   `json:"user"`
	System  float64   `json:"system"`
	Times   []float64 `json:"times"`
	rssKB   []float64
}

// rss is the median of the runs' max RSS, in MB.
func (r *run) rss() float64 {
	if len(r.rssKB) == 0 {
		return 0
	}
	s := append([]float64(nil), r.rssKB...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return m / 1024
}

type group struct {
	dir       string
	resources int
	bytes     int64
	runs      map[string]*run
}

func load(dir string) (*group, error) {
	g := &group{dir: dir, runs: map[string]*run{}}
	data, err := os.ReadFile(filepath.Join(dir, "hyperfine.json"))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Results []*run `json:"results"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	for _, r := range doc.Results {
		rss, err := os.ReadFile(filepath.Join(dir, r.Command+".rss"))
		if err != nil {
			return nil, err
		}
		for _, f := range strings.Fields(string(rss)) {
			if v, err := strconv.ParseFloat(f, 64); err == nil {
				r.rssKB = append(r.rssKB, v)
			}
		}
		g.runs[r.Command] = r
	}
	g.resources, _ = strconv.Atoi(strings.TrimSpace(readString(filepath.Join(dir, "resources"))))
	g.bytes, _ = strconv.ParseInt(strings.TrimSpace(readString(filepath.Join(dir, "bytes"))), 10, 64)
	return g, nil
}

func readString(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

func secs(v float64) string {
	if v < 1 {
		return fmt.Sprintf("%.0f ms", v*1000)
	}
	return fmt.Sprintf("%.2f s", v)
}

func wall(r *run) string {
	if r.Mean < 1 {
		return fmt.Sprintf("%.0f ± %.0f ms", r.Mean*1000, r.Stddev*1000)
	}
	return fmt.Sprintf("%.2f ± %.2f s", r.Mean, r.Stddev)
}

func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func main() {
	overlay := flag.String("overlay", "overlays/prod-exec", "the kustomize overlay with the exec plugin")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: report [-overlay DIR] RESULTS")
		os.Exit(2)
	}
	if err := report(os.Stdout, flag.Arg(0), *overlay); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func report(w io.Writer, dir, overlay string) error {
	lists, _ := filepath.Glob(filepath.Join(dir, "list-*"))
	var groups []*group
	for _, d := range lists {
		g, err := load(d)
		if err != nil {
			return err
		}
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].resources < groups[j].resources })
	names := []struct{ key, label string }{
		{"wordpress-fn", "wordpress-fn"},
		{"no-op", "no-op KRM function (same SDK)"},
		{"yaml.v3", "bare yaml.v3 round trip"},
	}

	fmt.Fprintln(w, "| ResourceList | command | wall time (mean ± sd) | CPU user+sys (mean) | peak memory (max RSS, median) |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, g := range groups {
		for i, n := range names {
			r := g.runs[n.key]
			if r == nil {
				continue
			}
			list := ""
			if i == 0 {
				list = fmt.Sprintf("%s resources (+ base/), %.1f MB", count(g.resources), float64(g.bytes)/1e6)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %.0f MB |\n", list, n.label, wall(r), secs(r.User+r.System), r.rss())
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "| ResourceList | time wordpress-fn / no-op | memory wordpress-fn / no-op | time wordpress-fn / yaml.v3 | target (≤ 1.5× the no-op, at 10,000) |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, g := range groups {
		f, o, y := g.runs["wordpress-fn"], g.runs["no-op"], g.runs["yaml.v3"]
		if f == nil || o == nil || y == nil {
			continue
		}
		tr, mr := f.Mean/o.Mean, f.rss()/o.rss()
		target := ""
		if g.resources == 10000 {
			target = mark(tr <= 1.5 && mr <= 1.5)
		}
		fmt.Fprintf(w, "| %s resources | %.2f | %.2f | %.2f | %s |\n", count(g.resources), tr, mr, f.Mean/y.Mean, target)
	}

	if len(groups) > 1 {
		fmt.Fprintln(w)
		fmt.Fprint(w, "| scaling of the wall time |")
		for i := 1; i < len(groups); i++ {
			fmt.Fprintf(w, " %s → %s resources (input × %.2f) |", count(groups[i-1].resources), count(groups[i].resources),
				float64(groups[i].bytes)/float64(groups[i-1].bytes))
		}
		fmt.Fprintln(w)
		fmt.Fprint(w, "|---|")
		for i := 1; i < len(groups); i++ {
			fmt.Fprint(w, "---|")
		}
		fmt.Fprintln(w)
		for _, n := range names {
			fmt.Fprintf(w, "| %s |", n.label)
			for i := 1; i < len(groups); i++ {
				a, b := groups[i-1].runs[n.key], groups[i].runs[n.key]
				if a == nil || b == nil {
					fmt.Fprint(w, " |")
					continue
				}
				ratio := b.Mean / a.Mean
				note := ""
				if n.key == "wordpress-fn" {
					// Target: 10× the input costs at most 11× the time,
					// that is 1.1× linear.
					in := float64(groups[i].bytes) / float64(groups[i-1].bytes)
					note = fmt.Sprintf(" (%s: ≤ %.1f)", mark(ratio <= 1.1*in), 1.1*in)
				}
				fmt.Fprintf(w, " × %.2f%s |", ratio, note)
			}
			fmt.Fprintln(w)
		}
	}

	if g, err := load(filepath.Join(dir, "kustomize")); err == nil {
		p, q := g.runs["plugin"], g.runs["plain"]
		if p != nil && q != nil {
			fmt.Fprintln(w)
			fmt.Fprintln(w, "| kustomize build | wall time (mean ± sd) | CPU user+sys (mean) | peak memory (max RSS, median) |")
			fmt.Fprintln(w, "|---|---|---|---|")
			fmt.Fprintf(w, "| `%s` (wordpress-fn as an exec transformer) | %s | %s | %.0f MB |\n", overlay, wall(p), secs(p.User+p.System), p.rss())
			fmt.Fprintf(w, "| the same output, pre-rendered as plain files | %s | %s | %.0f MB |\n", wall(q), secs(q.User+q.System), q.rss())
			fmt.Fprintf(w, "| **plugin cost** | × %.2f (+%s) | × %.2f | × %.2f |\n",
				p.Mean/q.Mean, secs(p.Mean-q.Mean), (p.User+p.System)/(q.User+q.System), p.rss()/q.rss())
		}
	}
	return nil
}
