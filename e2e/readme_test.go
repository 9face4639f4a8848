package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every file or directory of the repository the README names exists: a
// newcomer copies its commands as they are.
func TestReadmeNamesFilesThatExist(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	// A name followed by * is a pattern, not a file.
	re := regexp.MustCompile("(?:^|[\\s`(\\[])((?:examples|overlays|base|bench|hack|docs|schema|e2e|fn)/[A-Za-z0-9_./-]*)([*]?)")
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		p := strings.TrimRight(m[1], "/.-")
		if seen[p] || strings.Contains(p, "<") || m[2] == "*" {
			continue
		}
		seen[p] = true
		if _, err := os.Stat(filepath.Join(root(t), p)); err != nil {
			t.Errorf("README.md names %s, which does not exist", p)
		}
	}
	if len(seen) < 10 {
		t.Fatalf("found only %d paths in README.md: the pattern is broken", len(seen))
	}
}
