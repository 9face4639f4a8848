// Command procstat times whole processes side by side: each command runs
// -n times, the commands interleaved (a b c a b c ...) so that the noise of
// a shared machine falls on all of them alike. For every command it prints
// the median wall time, the median CPU time (user + system, from the
// kernel's rusage, in microseconds) and the median peak memory (max RSS).
//
//	procstat -n 30 [-json out.json] [-title T] [-input NAME=FILE]... NAME=CMD [NAME=CMD]...
//
// It prints a markdown table: each command's medians and their ratios to
// the first command's, and, for a command given an -input file, its max
// RSS per byte of that file.
//
// CMD runs under sh -c, so it may redirect (e.g. "fn < in.yaml > /dev/null");
// the rusage is the shell's children's, so the figures are the command's
// own: sh execs the last command in place. A command that exits non-zero
// stops the run.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
)

type sample struct {
	Wall, CPU float64 // seconds
	RSS       int64   // bytes
}

type result struct {
	Name, Command string
	Runs          []sample
	// Medians.
	Wall, CPU float64
	RSS       int64
}

func main() {
	n := flag.Int("n", 20, "runs of each command")
	warmup := flag.Int("warmup", 2, "runs of each command before the measured ones")
	out := flag.String("json", "", "write the results here as JSON")
	title := flag.String("title", "command", "the heading of the table's first column")
	inputs := map[string]int64{}
	flag.Func("input", "NAME=FILE: report NAME's max RSS per byte of FILE (repeatable)", func(v string) error {
		name, file, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("%q is not NAME=FILE", v)
		}
		st, err := os.Stat(file)
		if err != nil {
			return err
		}
		inputs[name] = st.Size()
		return nil
	})
	flag.Parse()
	var rs []*result
	for _, a := range flag.Args() {
		name, cmd, ok := strings.Cut(a, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "procstat: %q is not NAME=COMMAND\n", a)
			os.Exit(2)
		}
		rs = append(rs, &result{Name: name, Command: cmd})
	}
	if len(rs) == 0 {
		fmt.Fprintln(os.Stderr, "usage: procstat [-n N] [-warmup N] [-json FILE] NAME=COMMAND...")
		os.Exit(2)
	}
	for i := 0; i < *warmup+*n; i++ {
		for _, r := range rs {
			s, err := run(r.Command)
			if err != nil {
				fmt.Fprintf(os.Stderr, "procstat: %s: %v\n", r.Name, err)
				os.Exit(1)
			}
			if i >= *warmup {
				r.Runs = append(r.Runs, s)
			}
		}
	}
	for _, r := range rs {
		var w, c, m []float64
		for _, s := range r.Runs {
			w, c, m = append(w, s.Wall), append(c, s.CPU), append(m, float64(s.RSS))
		}
		r.Wall, r.CPU, r.RSS = median(w), median(c), int64(median(m))
	}
	fmt.Printf("| %s | wall time (median) | CPU user+sys (median) | max RSS (median) | wall / %[5]s | CPU / %[5]s | RSS / %[5]s | RSS per input byte |\n", *title, "", "", "", rs[0].Name)
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		per := ""
		if n := inputs[r.Name]; n > 0 {
			per = fmt.Sprintf("%.1f (%.1f MB in)", float64(r.RSS)/float64(n), float64(n)/1e6)
		}
		fmt.Printf("| %s | %s | %s | %.1f MB | %.2f | %.2f | %.2f | %s |\n", r.Name, dur(r.Wall), dur(r.CPU), float64(r.RSS)/1e6,
			r.Wall/rs[0].Wall, r.CPU/rs[0].CPU, float64(r.RSS)/float64(rs[0].RSS), per)
	}
	fmt.Printf("\n(medians of %d runs each, interleaved, after %d warm-up runs)\n", *n, *warmup)
	if *out != "" {
		data, _ := json.MarshalIndent(rs, "", "  ")
		if err := os.WriteFile(*out, data, 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "procstat: %v\n", err)
			os.Exit(1)
		}
	}
}

func run(command string) (sample, error) {
	c := exec.Command("/bin/sh", "-c", "exec "+command)
	c.Stderr = os.Stderr
	start := time.Now()
	if err := c.Run(); err != nil {
		return sample{}, err
	}
	wall := time.Since(start).Seconds()
	ru := c.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	return sample{Wall: wall, CPU: cpu, RSS: ru.Maxrss << 10}, nil
}

func dur(s float64) string {
	if s >= 1 {
		return fmt.Sprintf("%.2f s", s)
	}
	return fmt.Sprintf("%.1f ms", s*1e3)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
