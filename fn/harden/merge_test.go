package harden

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func fillString(t *testing.T, dst, src string) string {
	t.Helper()
	d, err := yaml.Parse(dst)
	require.NoError(t, err)
	s, err := yaml.Parse(src)
	require.NoError(t, err)
	Fill(d, s)
	return d.MustString()
}

func TestFillKeepsUserValuesAndAddsWhatIsMissing(t *testing.T) {
	got := fillString(t, `
spec:
  replicas: 5 # mine
  template:
    spec:
      containers:
      - name: web
        image: mine:1
        env:
        - name: A
          value: user
`, `
spec:
  replicas: 3
  strategy: {type: RollingUpdate}
  template:
    spec:
      containers:
      - name: web
        image: theirs:2
        env:
        - name: A
          valueFrom: {secretKeyRef: {name: s, key: k}}
        - name: B
          value: b
      - name: sidecar
        image: side:1
`)
	assert.Equal(t, `spec:
  replicas: 5 # mine
  template:
    spec:
      containers:
      - name: web
        image: mine:1
        env:
        - name: A
          value: user
        - name: B
          value: b
      - name: sidecar
        image: side:1
  strategy: {type: RollingUpdate}
`, got)
}

func TestFillKeepsAtomicFieldsWhole(t *testing.T) {
	got := fillString(t, `
spec:
  strategy:
    type: Recreate
  template:
    spec:
      containers:
      - name: web
        readinessProbe:
          httpGet: {path: /, port: 80}
`, `
spec:
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1}
  template:
    spec:
      containers:
      - name: web
        readinessProbe:
          tcpSocket: {port: 80}
          periodSeconds: 5
`)
	assert.NotContains(t, got, "rollingUpdate", "a Recreate strategy with rollingUpdate settings is invalid")
	assert.NotContains(t, got, "tcpSocket", "a probe with two handlers is invalid")
	assert.NotContains(t, got, "periodSeconds")
}

func TestFillTwiceChangesNothing(t *testing.T) {
	src := `
metadata:
  labels: {app: x}
spec:
  ports:
  - {port: 80, name: http, protocol: TCP}
`
	once := fillString(t, "spec:\n  ports:\n  - port: 80\n", src)
	assert.Equal(t, once, fillString(t, once, src))
}

// The processor's shape check pairs list elements by KeyFields, trying
// them in this order; a new keyed list may change it, and that check.
func TestKeyFields(t *testing.T) {
	assert.Equal(t, []string{"name", "containerPort", "mountPath", "port"}, KeyFields())
	assert.Equal(t, "containerPort", listKeys["spec.template.spec.containers[].ports"])
	assert.Len(t, listKeys, 7)
}
