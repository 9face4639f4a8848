package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

var words = []string{
	"api", "billing", "cart", "catalog", "checkout", "search", "auth", "mailer",
	"reports", "gateway", "inventory", "payments", "profile", "media", "notify",
	"ledger", "quotes", "shipping", "reviews", "ranking",
}

var images = []string{
	"nginx:1.27.3", "redis:7.4.1", "ghcr.io/acme/%s:v1.%d.%d", "registry.k8s.io/pause:3.10",
	"docker.io/library/postgres:16.6", "quay.io/prometheus/node-exporter:v1.8.2",
}

// app returns the manifests of the i-th app, each a YAML document.
func app(r *rand.Rand, i int) []string {
	a := &appGen{r: r, i: i,
		name: fmt.Sprintf("%s-%04d", words[i%len(words)], i),
		ns:   fmt.Sprintf("team-%02d", i%40),
	}
	a.path = fmt.Sprintf("%s/%s.yaml", a.ns, a.name)
	a.port = 8000 + r.IntN(1000)
	img := images[r.IntN(len(images))]
	if strings.Contains(img, "%s") {
		img = fmt.Sprintf(img, words[i%len(words)], r.IntN(20), r.IntN(10))
	}
	a.image = img
	out := []string{a.configMap()}
	if i%7 == 3 {
		out = append(out, a.statefulSet())
	} else {
		out = append(out, a.deployment())
	}
	out = append(out, a.service(), a.serviceAccount())
	if r.IntN(2) == 0 {
		out = append(out, a.secret())
	}
	if r.IntN(3) == 0 {
		out = append(out, a.hpa(), a.pdb())
	}
	if r.IntN(3) == 0 {
		out = append(out, a.ingress())
	}
	if r.IntN(4) == 0 {
		out = append(out, a.networkPolicy())
	}
	if r.IntN(5) == 0 {
		out = append(out, a.role(), a.roleBinding())
	}
	if r.IntN(6) == 0 {
		out = append(out, a.cronJob())
	}
	return out
}

type appGen struct {
	r        *rand.Rand
	i        int
	idx      int
	name, ns string
	path     string
	image    string
	port     int
}

// meta is the metadata block with kpt's path and index annotations.
func (a *appGen) meta(name string, extraLabels ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "metadata:\n  name: %s\n  namespace: %s\n  labels:\n    app: %s\n", name, a.ns, a.name)
	for _, l := range extraLabels {
		fmt.Fprintf(&b, "    %s\n", l)
	}
	fmt.Fprintf(&b, "  annotations:\n    internal.config.kubernetes.io/index: '%d'\n    internal.config.kubernetes.io/path: '%s'\n", a.idx, a.path)
	a.idx++
	return b.String()
}

func (a *appGen) configMap() string {
	extra := ""
	if a.r.IntN(3) == 0 {
		extra = fmt.Sprintf("  app.properties: |\n    server.port=%d\n    cache.ttl=%ds\n    feature.flags=a,b,c\n", a.port, 30+a.r.IntN(600))
	}
	return fmt.Sprintf(`apiVersion: v1
kind: ConfigMap
%sdata:
  LOG_LEVEL: %s
  LISTEN_ADDR: ":%d" # the container port
  UPSTREAM: http://%s.%s.svc:8080
%s`, a.meta(a.name+"-config"), []string{"info", "debug", "warn"}[a.r.IntN(3)], a.port, words[(a.i+1)%len(words)], a.ns, extra)
}

func (a *appGen) container() string {
	return fmt.Sprintf(`      - name: %s
        image: %s
        imagePullPolicy: IfNotPresent
        args: ["--port=%d"]
        ports:
        - name: http
          containerPort: %d
          protocol: TCP
        envFrom:
        - configMapRef:
            name: %s-config
        resources:
          requests:
            cpu: %dm
            memory: %dMi
          limits:
            memory: %dMi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
`, a.name, a.image, a.port, a.port, a.name, 50+a.r.IntN(450), 64<<a.r.IntN(4), 128<<a.r.IntN(4))
}

func (a *appGen) podSpec() string {
	return fmt.Sprintf(`    spec:
      serviceAccountName: %s
      securityContext:
        runAsNonRoot: true
        runAsUser: %d
      containers:
%s`, a.name, 1000+a.r.IntN(9000), a.container())
}

func (a *appGen) deployment() string {
	return fmt.Sprintf(`# %s serves the team's traffic; owned by %s.
apiVersion: apps/v1
kind: Deployment
%sspec:
  replicas: %d # tuned by the team
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
%s`, a.name, a.ns, a.meta(a.name), 1+a.r.IntN(5), a.name, a.name, a.podSpec())
}

func (a *appGen) statefulSet() string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: StatefulSet
%sspec:
  serviceName: %s
  replicas: %d
  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
%s  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: %dGi
`, a.meta(a.name), a.name, 1+a.r.IntN(3), a.name, a.name, a.podSpec(), 1<<a.r.IntN(6))
}

func (a *appGen) service() string {
	return fmt.Sprintf(`apiVersion: v1
kind: Service
%sspec:
  type: ClusterIP
  selector:
    app: %s
  ports:
  - name: http
    port: 80
    targetPort: %d
    protocol: TCP
`, a.meta(a.name), a.name, a.port)
}

func (a *appGen) serviceAccount() string {
	return fmt.Sprintf("apiVersion: v1\nkind: ServiceAccount\n%sautomountServiceAccountToken: false\n", a.meta(a.name))
}

func (a *appGen) secret() string {
	return fmt.Sprintf(`apiVersion: v1
kind: Secret
%stype: Opaque
data:
  api-key: %s
`, a.meta(a.name+"-keys"), fmt.Sprintf("c2VjcmV0LSVk%08x", a.r.Uint32()))
}

func (a *appGen) hpa() string {
	return fmt.Sprintf(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
%sspec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: %s
  minReplicas: 2
  maxReplicas: %d
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: %d
`, a.meta(a.name), a.name, 4+a.r.IntN(16), 50+a.r.IntN(40))
}

func (a *appGen) pdb() string {
	return fmt.Sprintf(`apiVersion: policy/v1
kind: PodDisruptionBudget
%sspec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: %s
`, a.meta(a.name), a.name)
}

func (a *appGen) ingress() string {
	return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: Ingress
%s  # the platform's default class
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - %s.%s.example.com
    secretName: %s-tls
  rules:
  - host: %s.%s.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: %s
            port:
              number: 80
`, a.meta(a.name), a.name, a.ns, a.name, a.name, a.ns, a.name)
}

func (a *appGen) networkPolicy() string {
	return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
%sspec:
  podSelector:
    matchLabels:
      app: %s
  policyTypes:
  - Ingress
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ingress-nginx
    ports:
    - protocol: TCP
      port: %d
`, a.meta(a.name), a.name, a.port)
}

func (a *appGen) role() string {
	return fmt.Sprintf(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
%srules:
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["get", "list", "watch"]
`, a.meta(a.name))
}

func (a *appGen) roleBinding() string {
	return fmt.Sprintf(`apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
%sroleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: %s
subjects:
- kind: ServiceAccount
  name: %s
  namespace: %s
`, a.meta(a.name), a.name, a.name, a.ns)
}

func (a *appGen) cronJob() string {
	return fmt.Sprintf(`apiVersion: batch/v1
kind: CronJob
%sspec:
  schedule: "%d */6 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          serviceAccountName: %s
          containers:
          - name: cleanup
            image: %s
            args: ["--cleanup", "--older-than=72h"]
`, a.meta(a.name+"-cleanup"), a.r.IntN(60), a.name, a.image)
}
