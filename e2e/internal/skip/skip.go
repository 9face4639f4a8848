// Package skip is how the real-tool tests skip: loudly, on stderr as well
// as in the test log (go test hides a passing package's log, and a skipped
// check must not pass for a run one), and never under CI for a tool CI
// builds.
package skip

import (
	"fmt"
	"os"
	"testing"
)

// Loudly skips t with the message on stderr too.
func Loudly(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(os.Stderr, "\n!!! SKIPPED %s: %s\n\n", t.Name(), msg)
	t.Skip(msg)
}

// MissingTool skips t loudly because a tool it runs is not here. Under CI
// (CI set, as .ci/run does) it fails instead: CI builds every tool first,
// so a missing one is a run that tests less than it claims. A tool no
// target can install (kpt) is skipped with Loudly, under CI too.
func MissingTool(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, so a missing tool fails instead of skipping: "+format, args...)
	}
	Loudly(t, format, args...)
}
