package cli

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// What the function may read, and whether it fits in the memory the process
// may use: an input over the cap, or one that cannot fit, is refused with a
// message before it is parsed, never with the runtime's "fatal error: out
// of memory" and a goroutine dump halfway through (issue 10).

// MaxInputEnv overrides MaxInput, in bytes (e.g. 1048576) or with a KiB,
// MiB or GiB suffix.
const MaxInputEnv = "WORDPRESS_FN_MAX_INPUT"

// bytesPerInputByte is what an input costs in memory, per byte, with the
// garbage collector held to the process's limit: the yaml.v3 node trees
// alone are about 17 bytes per input byte (heap profile, 10,000 resources),
// and reading, processing and writing need the rest.
const bytesPerInputByte = 24

// maxInput is the cap: MaxInput, or what MaxInputEnv says.
func maxInput() (int64, error) {
	s := strings.TrimSpace(os.Getenv(MaxInputEnv))
	if s == "" {
		return MaxInput, nil
	}
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if strings.HasSuffix(s, suffix) {
			s, mult = strings.TrimSuffix(s, suffix), m
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%s=%q: must be a positive number of bytes, or of KiB, MiB or GiB", MaxInputEnv, os.Getenv(MaxInputEnv))
	}
	return n * mult, nil
}

// A short run (one site: a profile of a kilobyte, about 3 MB allocated)
// ends before the collector has anything to win: its cycle costs more than
// the memory it frees, which the process's exit frees anyway. GCForShortRuns
// turns the collector off, with a soft memory limit of smallHeap as the
// backstop (the runtime then collects only when the heap reaches it);
// readAll turns it back on (GOGC 100, no limit) as soon as the input is
// more than smallInput, where the memory is in proportion to the input.
// GOGC or GOMEMLIMIT in the environment win: then it does nothing.
const (
	smallHeap  = 64 << 20
	smallInput = 256 << 10
	// compactGCFrom is where compactGC lowers GOGC.
	compactGCFrom = 2 << 20
)

// shortRun is whether GCForShortRuns holds the collector off; read is what
// readAll has read so far.
var shortRun, read = false, int64(0)

// GCForShortRuns is for main, before Main.
func GCForShortRuns() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	// Half a container's memory at most, for a container of less.
	debug.SetMemoryLimit(min(smallHeap, cgroupLimit()/2))
	shortRun = true
}

// compactGC is the collector for the compact path (compact.go) on an
// input of n bytes, whose heap is a few times the input: from
// compactGCFrom on, it collects at half the heap's growth (GOGC 50, not
// 100), which takes the peak down by a tenth to a fifth for a tenth more
// CPU; below, the binary's own pages are most of the memory, and the CPU
// would be spent for little. restore puts back what it changed (for the
// whole path, or a next run in the same process). GOGC or GOMEMLIMIT in
// the environment win: then it does nothing.
func compactGC(n int) (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" || shortRun || n < compactGCFrom {
		return func() {}
	}
	old := debug.SetGCPercent(50)
	return func() { debug.SetGCPercent(old) }
}

func longRun(n int64) {
	read += n
	if shortRun && read > smallInput {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		shortRun = false
	}
}

func readAll(r io.Reader) ([]byte, error) {
	limit, err := maxInput()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	longRun(int64(len(data)))
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("the input is larger than %s, the most this function reads (%s sets another cap)", size(limit), MaxInputEnv)
	}
	if err := fits(int64(len(data))); err != nil {
		return nil, err
	}
	return data, nil
}

// fits refuses an input of n bytes that the process cannot hold: the
// memory limit is the Go runtime's (GOMEMLIMIT, or debug.SetMemoryLimit),
// else the cgroup's, which then becomes the runtime's soft limit, so that
// the garbage collector works harder near it instead of the kernel killing
// the process.
func fits(n int64) error {
	limit, from := debug.SetMemoryLimit(-1), "GOMEMLIMIT"
	if shortRun || limit == math.MaxInt64 {
		limit, from = cgroupLimit(), "the cgroup's memory.max"
		if limit == math.MaxInt64 {
			return nil
		}
		if !shortRun {
			debug.SetMemoryLimit(limit)
		}
	}
	if n > limit/bytesPerInputByte {
		return fmt.Errorf("the input is %s: it takes about %s of memory (%d bytes per input byte), more than the %s this process may use (%s): split the input or raise the limit",
			size(n), size(n*bytesPerInputByte), bytesPerInputByte, size(limit), from)
	}
	return nil
}

// cgroupLimit is the memory limit of the process's cgroup (v2, else v1),
// math.MaxInt64 when there is none.
func cgroupLimit() int64 {
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 { // "max", or v1's "unlimited"
			return math.MaxInt64
		}
		return n
	}
	return math.MaxInt64
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
