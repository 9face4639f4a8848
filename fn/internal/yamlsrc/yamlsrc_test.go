package yamlsrc

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/kio"
)

// Each case's mistake is on the line marked "<-": the error must name
// that line of the stream, whatever document it is in.
func TestExplainNamesTheLine(t *testing.T) {
	for name, c := range map[string]struct{ yaml, cause string }{
		"deeper than its field": {"a: 1\nspec:\n  mode: traefik\n   host: x <-\n  other: 2\n", "is this line indented deeper"},
		"dedented in a mapping": {"a: 1\nspec:\n  wordpress:\n    replicas: 3\n    image: x\n   port: 80 <-\n  b: 2\n", "indented like no field above"},
		"dedented in a list":    {"a: 1\nspec:\n  list:\n  - a: 1\n    b: 2\n   c: 3 <-\n", "indented like no field above"},
		"not a list item":       {"a: 1\nspec:\n  - a\n  b: 2 <-\n", "a list item is expected"},
		"unclosed quote":        {"a: 1\nspec:\n  image: \"wordpress <-\n  replicas: 3\n  x: 4\n", "quote opened on this line"},
		"unclosed bracket":      {"a: 1\nspec:\n  ports: [80, 443 <-\n  b: 2\n", "[ opened on this line"},
		"tab":                   {"a: 1\nspec:\n\timage: x <-\n", "tab"},
		"second document":       {"a: 1\n---\n# two\nb: 2\n---\nc: 1\nd:\n  e: 1\n   f: 2 <-\n", "indented deeper"},
	} {
		t.Run(name, func(t *testing.T) {
			src := strings.ReplaceAll(c.yaml, " <-", "")
			want := 0
			for i, l := range strings.Split(c.yaml, "\n") {
				if strings.HasSuffix(l, "<-") {
					want = i + 1
				}
			}
			docs, err := Split(src)
			require.NoError(t, err)
			var got *SyntaxError
			for _, d := range docs {
				if _, err := (&kio.ByteReader{Reader: strings.NewReader(d.Text), OmitReaderAnnotations: true}).Read(); err != nil {
					got = Explain(d, err)
					break
				}
			}
			require.NotNil(t, got, "parses")
			assert.Equal(t, want, got.Line, "%s", got)
			assert.Contains(t, got.Cause, c.cause)
			assert.NotContains(t, got.Error(), "MalformedYAMLError")
		})
	}
}

func TestSplitKeepsLines(t *testing.T) {
	docs, err := Split("a: 1\n---\n# c\nb: 2\n--- # x\nc: 3\n")
	require.NoError(t, err)
	require.Len(t, docs, 3)
	assert.Equal(t, []int{1, 3, 6}, []int{docs[0].Line, docs[1].Line, docs[2].Line})
	assert.Equal(t, "# c\nb: 2\n", docs[1].Text)

	_, err = Split("a: 1\n--- b: 2\n")
	require.Error(t, err)
	assert.Equal(t, 2, err.(*SyntaxError).Line)
}
