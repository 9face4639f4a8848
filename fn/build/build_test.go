package build

import (
	"strings"
	"testing"
)

func TestMainUsage(t *testing.T) {
	var out, errb strings.Builder
	if code := Main(nil, &out, &errb); code != 2 || out.Len() != 0 || !strings.Contains(errb.String(), "Usage") {
		t.Fatalf("no directory: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	if code := Main([]string{t.TempDir()}, &out, &errb); code != 1 || out.Len() != 0 || !strings.Contains(errb.String(), "kustomization") {
		t.Fatalf("no kustomization: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
