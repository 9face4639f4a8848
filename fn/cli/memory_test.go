package cli

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The cap and the memory check, proven with small limits: a clear error,
// exit 1 and nothing on stdout, in every mode that reads stdin.
func TestInputOverTheCapIsRefused(t *testing.T) {
	base := readBase(t)
	profile := root + "/examples/seed-production/profile.yaml"
	rl := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n# " + strings.Repeat("x", 4000) + "\n"
	t.Setenv(MaxInputEnv, "2KiB")
	for name, run := range map[string]func() (string, string, int){
		"krm": func() (string, string, int) { return invoke(t, rl) },
		"harden": func() (string, string, int) {
			return invoke(t, base+"\n# "+strings.Repeat("x", 4000)+"\n", "harden", "-f", profile)
		},
	} {
		out, stderr, code := run()
		assert.Equal(t, 1, code, name)
		assert.Empty(t, out, name)
		assert.Equal(t, "error: stdin: the input is larger than 2.0 KiB, the most this function reads (WORDPRESS_FN_MAX_INPUT sets another cap)\n", stderr, name)
	}
	// Under the cap it runs.
	t.Setenv(MaxInputEnv, "1MiB")
	_, stderr, code := invoke(t, base, "harden", "-f", profile)
	assert.Equal(t, 0, code, stderr)

	t.Setenv(MaxInputEnv, "lots")
	_, stderr, code = invoke(t, rl)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `error: stdin: WORDPRESS_FN_MAX_INPUT="lots": must be a positive number`)
}

func TestInputThatCannotFitIsRefused(t *testing.T) {
	base := readBase(t)
	// A limit the input cannot fit in, set as GOMEMLIMIT would set it.
	limit := int64(len(base)) * bytesPerInputByte / 2
	old := debug.SetMemoryLimit(limit)
	defer debug.SetMemoryLimit(old)
	out, stderr, code := invoke(t, base, "harden", "-f", root+"/examples/seed-production/profile.yaml")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Regexp(t, `^error: stdin: the input is [0-9.]+ KiB: it takes about [0-9.]+ KiB of memory \(24 bytes per input byte\), more than the [0-9.]+ KiB this process may use \(GOMEMLIMIT\): split the input or raise the limit\n$`, stderr)
}
