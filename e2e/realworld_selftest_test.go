package e2e

// The checks of TestRealWorld can fail: each one runs on a small
// hand-written input and a correctly hardened output (every check passes),
// then on that output broken in one way (the check fails, naming the
// object and field).

import (
	"fmt"
	"strings"
	"testing"
)

const selfProfile = `apiVersion: wordpress.kube-samples.io/v1alpha1
kind: WordPressProfile
metadata:
  name: wordpress
spec:
  topology: production
  namespace: site
`

const selfInput = `# PHP settings, not the site's
apiVersion: v1
kind: ConfigMap
metadata:
  name: php
data:
  a: "1"   # kept
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: wp-data
  namespace: site
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Service
metadata: {name: wordpress, namespace: site}
spec:
  selector: {app: wordpress}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: wordpress, namespace: site}
spec:
  selector: {matchLabels: {app: wordpress}}
  template:
    metadata: {labels: {app: wordpress}}
    spec:
      containers:
      - name: wordpress
        image: wordpress:6.8.3-apache
        env:
        - {name: WORDPRESS_DB_HOST, value: mysql}
        - {name: WORDPRESS_DB_PASSWORD, value: hunter2}
        volumeMounts: [{name: data, mountPath: /var/www/html}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: wp-data}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: mysql, namespace: site}
spec:
  serviceName: mysql
  selector: {matchLabels: {app: mysql}}
  template:
    metadata: {labels: {app: mysql}}
    spec:
      containers:
      - name: mysql
        image: docker.io/library/mysql:8.4
        env: [{name: MYSQL_ROOT_PASSWORD, valueFrom: {secretKeyRef: {name: mysql-root, key: pw}}}]
        volumeMounts: [{name: db, mountPath: /var/lib/mysql}]
  volumeClaimTemplates:
  - metadata: {name: db}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`

const selfOutput = `# PHP settings, not the site's
apiVersion: v1
kind: ConfigMap
metadata:
  name: php
  namespace: site
data:
  a: "1"   # kept
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: wp-data
  namespace: site
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Service
metadata: {name: wordpress, namespace: site}
spec:
  selector: {app: wordpress}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: wordpress, namespace: site}
spec:
  selector: {matchLabels: {app: wordpress}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: wordpress}}
    spec:
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 1
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector: {matchLabels: {app: wordpress}}
      containers:
      - name: wordpress
        image: wordpress:6.8.3-apache
        env:
        - {name: WORDPRESS_DB_HOST, value: mysql}
        - name: WORDPRESS_DB_PASSWORD
          valueFrom: {secretKeyRef: {name: wordpress-db-pwd, key: dbpwd}}
        readinessProbe: {tcpSocket: {port: 80}}
        lifecycle: {preStop: {exec: {command: [sleep, "20"]}}}
        resources:
          requests: {cpu: 200m, memory: 100Mi}
          limits: {cpu: 200m, memory: 100Mi}
        volumeMounts: [{name: data, mountPath: /var/www/html}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: wp-data}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: mysql, namespace: site}
spec:
  serviceName: mysql
  selector: {matchLabels: {app: mysql}}
  template:
    metadata: {labels: {app: mysql}}
    spec:
      containers:
      - name: mysql
        image: docker.io/library/mysql:8.4
        env: [{name: MYSQL_ROOT_PASSWORD, valueFrom: {secretKeyRef: {name: mysql-root, key: pw}}}]
        resources: {limits: {cpu: 500m, memory: 1Gi}}
        volumeMounts: [{name: db, mountPath: /var/lib/mysql}]
  volumeClaimTemplates:
  - metadata: {name: db}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: wordpress-pdb, namespace: site}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: wordpress}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: wordpress, namespace: site}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: wordpress}
  minReplicas: 3
  maxReplicas: 6
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: wordpress-http, namespace: site}
spec:
  entryPoints: [web]
  routes:
  - match: Host(` + "`wp.example.com`" + `)
    middlewares: [{name: redirect}]
    services: [{name: wordpress, port: 80}]
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: wordpress-https, namespace: site}
spec:
  entryPoints: [websecure]
  routes:
  - match: Host(` + "`wp.example.com`" + `)
    services: [{name: wordpress, port: 80}]
  tls: {certResolver: le}
`

// checksOf are the checks that read only the site.
var checksOf = map[string]func(*rwSite) rwResult{
	"nothing-lost":             checkNothingLost,
	"untouched-byte-identical": checkUntouched,
	"immutable-fields":         checkImmutable,
	"no-duplicates":            checkNoDuplicates,
	"everything-connects":      checkConnects,
	"one-namespace":            checkOneNamespace,
	"containers-keep-their-config": func(s *rwSite) rwResult {
		return checkContainersKeepTheirConfig(s, false)
	},
}

func selfSite(t *testing.T, out string) *rwSite {
	t.Helper()
	s, err := newSite([]byte(selfProfile), []byte(selfInput), []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// broken is the good output with old replaced by new (old must be there).
func broken(t *testing.T, old, new string) string {
	t.Helper()
	if strings.Count(selfOutput, old) != 1 {
		t.Fatalf("the good output holds %q %d times, want once", old, strings.Count(selfOutput, old))
	}
	return strings.Replace(selfOutput, old, new, 1)
}

func TestRealWorldChecksPassOnAGoodOutput(t *testing.T) {
	s := selfSite(t, selfOutput)
	for name, check := range checksOf {
		r := check(s)
		if len(r.fail) > 0 {
			t.Errorf("%s fails on the good output:\n%s", name, strings.Join(r.fail, "\n"))
		}
	}
	r := checkConnects(s)
	if !hasLine(r.notes, `already in the input: StatefulSet site/mysql: spec.template.spec.containers[name=mysql].env[name=MYSQL_ROOT_PASSWORD].valueFrom.secretKeyRef refers to Secret "mysql-root"`) ||
		!hasLine(r.notes, `to the profile's Secret, which the user creates: Deployment site/wordpress: spec.template.spec.containers[name=wordpress].env[name=WORDPRESS_DB_PASSWORD].valueFrom.secretKeyRef refers to Secret "wordpress-db-pwd"`) {
		t.Errorf("everything-connects does not report the references to Secrets the user makes:\n%s", strings.Join(r.notes, "\n"))
	}
	for _, pc := range prodChecks {
		if f := pc.run(s, s.out); len(f) > 0 {
			t.Errorf("production/%s fails on the good output:\n%s", pc.name, strings.Join(f, "\n"))
		}
	}
	if r := checkIdempotent([]byte(selfOutput), []byte(selfOutput), 0, ""); len(r.fail) > 0 {
		t.Errorf("idempotent: %v", r.fail)
	}
	if r := checkKubeScore(map[string][]string{"pod-probes": {"a", "b"}}, map[string][]string{"pod-probes": {"a"}}); len(r.fail) > 0 {
		t.Errorf("kube-score: %v", r.fail)
	}
	if r := checkExit(rwExpect{}, 0, selfOutput, ""); len(r.fail) > 0 {
		t.Errorf("exit-status: %v", r.fail)
	}
}

func TestRealWorldChecksCatchBrokenOutputs(t *testing.T) {
	const pdb2 = "\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: wp, namespace: site}\nspec:\n  minAvailable: 1\n  selector:\n    matchExpressions: [{key: app, operator: In, values: [wordpress, blog]}]\n"
	for _, c := range []struct {
		name, check, out string
		want             []string // substrings of one failure each
	}{
		{"lost object", "nothing-lost", broken(t, "kind: ConfigMap", "kind: ConfigMapX"),
			[]string{"ConfigMap php: lost, not in the output"}},
		{"object output twice", "nothing-lost", selfOutput + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: php}\n",
			[]string{"ConfigMap php: in the output 2 times"}},
		{"untouched object reformatted", "untouched-byte-identical", broken(t, `  a: "1"   # kept`, `  a: "1"`),
			[]string{"ConfigMap php: a kind the function never hardens, changed", `- "  a: \"1\"   # kept"`}},
		{"untouched object lost its head comment", "untouched-byte-identical", broken(t, "# PHP settings, not the site's\n", ""),
			[]string{"ConfigMap php: a kind the function never hardens, changed"}},
		{"changed PVC spec", "immutable-fields", broken(t, "  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n---\napiVersion: v1\nkind: Service",
			"  accessModes: [ReadWriteOnce]\n  storageClassName: fast\n  resources: {requests: {storage: 1Gi}}\n---\napiVersion: v1\nkind: Service"),
			[]string{`PersistentVolumeClaim site/wp-data: spec is immutable and changed`}},
		{"changed Deployment selector", "immutable-fields", broken(t, "  selector: {matchLabels: {app: wordpress}}\n  strategy", "  selector: {matchLabels: {app: wordpress, tier: frontend}}\n  strategy"),
			[]string{`Deployment site/wordpress: spec.selector is immutable and changed`}},
		{"changed volumeClaimTemplates", "immutable-fields", broken(t, "  - metadata: {name: db}\n    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}",
			"  - metadata: {name: db}\n    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}"),
			[]string{`StatefulSet site/mysql: spec.volumeClaimTemplates is immutable and changed`}},
		{"moved namespace", "immutable-fields", broken(t, "metadata: {name: mysql, namespace: site}", "metadata: {name: mysql, namespace: db}"),
			[]string{`StatefulSet site/mysql: metadata.namespace changed from "site" to "db"`}},
		{"duplicate PDB", "no-duplicates", selfOutput + pdb2,
			[]string{"Deployment site/wordpress: 2 PodDisruptionBudgets select its pods: PodDisruptionBudget site/wordpress-pdb, PodDisruptionBudget site/wp"}},
		{"duplicate HPA", "no-duplicates", selfOutput + "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: wp, namespace: site}\nspec:\n  scaleTargetRef: {kind: Deployment, name: wordpress}\n  maxReplicas: 3\n",
			[]string{"Deployment site/wordpress: 2 HorizontalPodAutoscalers target it"}},
		{"an Ingress next to the IngressRoutes", "no-duplicates", selfOutput + "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: wordpress, namespace: site}\nspec:\n  rules:\n  - host: wp.example.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: wordpress, port: {number: 80}}}}\n",
			[]string{"host wp.example.com is routed twice: IngressRoute site/wordpress-http spec.routes[0] and Ingress site/wordpress spec.rules[0]",
				"Service port site/wordpress:80 is routed twice: IngressRoute site/wordpress-https spec.routes[0] and Ingress site/wordpress spec.rules[0]"}},
		{"a second database", "no-duplicates", selfOutput + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: wordpress-mysql, namespace: site}\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: 'registry.example.com/bitnami/mariadb:11.4'}]\n",
			[]string{"the input has 1 database workloads (StatefulSet site/mysql), the output 2"}},
		{"changed database host", "no-duplicates", broken(t, "- {name: WORDPRESS_DB_HOST, value: mysql}", "- {name: WORDPRESS_DB_HOST, value: wordpress-mysql:3306}"),
			[]string{`Deployment site/wordpress: spec.template.spec.containers[name=wordpress].env[name=WORDPRESS_DB_HOST] changed: the input's database host {"name":"WORDPRESS_DB_HOST","value":"mysql"}`}},
		{"unmounted volume", "everything-connects", broken(t, "        persistentVolumeClaim: {claimName: wp-data}\n---", "        persistentVolumeClaim: {claimName: wp-data}\n      - name: extra\n        emptyDir: {}\n---"),
			[]string{"Deployment site/wordpress: spec.template.spec.volumes[name=extra] is mounted by no container"}},
		{"two mounts on one path", "everything-connects", broken(t, "volumeMounts: [{name: data, mountPath: /var/www/html}]", "volumeMounts: [{name: data, mountPath: /var/www/html}, {name: data, mountPath: /var/www/html/}]"),
			[]string{"Deployment site/wordpress: spec.template.spec container wordpress: two volumeMounts at mountPath /var/www/html/"}},
		{"claim of no PVC", "everything-connects", broken(t, "claimName: wp-data}\n---", "claimName: wordpress-pvc}\n---"),
			[]string{`Deployment site/wordpress: spec.template.spec.volumes[name=data].persistentVolumeClaim.claimName "wordpress-pvc" names no PersistentVolumeClaim`}},
		{"PDB of no pods", "everything-connects", broken(t, "  maxUnavailable: 1\n  selector: {matchLabels: {app: wordpress}}", "  maxUnavailable: 1\n  selector: {matchLabels: {app: wordpress, tier: frontend}}"),
			[]string{`PodDisruptionBudget site/wordpress-pdb: spec.selector {"matchLabels":{"app":"wordpress","tier":"frontend"}} selects no workload's pods`}},
		{"HPA of no workload", "everything-connects", broken(t, "kind: Deployment, name: wordpress}", "kind: Deployment, name: wp}"),
			[]string{`HorizontalPodAutoscaler site/wordpress: spec.scaleTargetRef Deployment wp is not in the output`}},
		{"Service of no pods", "everything-connects", broken(t, "  selector: {app: wordpress}\n  ports", "  selector: {app: wordpress, tier: frontend}\n  ports"),
			[]string{`Service site/wordpress: spec.selector {"app":"wordpress","tier":"frontend"} selects no workload's pods`}},
		{"reference to a Secret nobody makes", "everything-connects", broken(t, "{secretKeyRef: {name: wordpress-db-pwd, key: dbpwd}}", "{secretKeyRef: {name: wordpress-secrets, key: dbpwd}}"),
			[]string{`Deployment site/wordpress: spec.template.spec.containers[name=wordpress].env[name=WORDPRESS_DB_PASSWORD].valueFrom.secretKeyRef refers to Secret "wordpress-secrets", not in the output (namespace "site") (a reference the input did not make`}},
		{"a database user added", "containers-keep-their-config", broken(t, "- {name: WORDPRESS_DB_HOST, value: mysql}", "- {name: WORDPRESS_DB_HOST, value: mysql}\n        - {name: WORDPRESS_DB_USER, value: wordpress}"),
			[]string{"Deployment site/wordpress: spec.template.spec.containers[name=wordpress].env names changed: [WORDPRESS_DB_HOST,WORDPRESS_DB_PASSWORD] -> [WORDPRESS_DB_HOST,WORDPRESS_DB_USER,WORDPRESS_DB_PASSWORD]"}},
		{"generated object elsewhere", "one-namespace", broken(t, "metadata: {name: wordpress-pdb, namespace: site}", "metadata: {name: wordpress-pdb, namespace: kube-samples}"),
			[]string{`PodDisruptionBudget kube-samples/wordpress-pdb: generated, in namespace "kube-samples", not the site's "site"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := selfSite(t, c.out)
			r := checksOf[c.check](s)
			for _, w := range c.want {
				if !hasSubstring(r.fail, w) {
					t.Errorf("%s does not report %q; it reports:\n%s", c.check, w, strings.Join(r.fail, "\n"))
				}
			}
			if len(r.fail) == 0 {
				t.Errorf("%s passes", c.check)
			}
		})
	}
}

func TestRealWorldOtherChecksCatch(t *testing.T) {
	// Production checks, on the input: a literal password, no probe, ...
	s := selfSite(t, selfOutput)
	want := map[string]string{
		"wordpress-readiness-probe":                  "Deployment site/wordpress: spec.template.spec.containers[name=wordpress].readinessProbe is missing",
		"guaranteed-qos":                             `StatefulSet site/mysql: spec.template.spec.containers[name=mysql].resources: memory request "", limit "": not Guaranteed`,
		"wordpress-prestop-hook":                     "Deployment site/wordpress: spec.template.spec.containers[name=wordpress].lifecycle.preStop is missing",
		"wordpress-rolling-update-max-unavailable-0": "Deployment site/wordpress: spec.strategy.rollingUpdate.maxUnavailable is absent (25%), want 0",
		"no-literal-password":                        "Deployment site/wordpress: spec.template.spec.containers[name=wordpress].env[name=WORDPRESS_DB_PASSWORD].value is a literal password",
		"pdb-covers-wordpress":                       `Deployment site/wordpress: no PodDisruptionBudget selects its pods (labels {"app":"wordpress"})`,
		"wordpress-anti-affinity":                    "Deployment site/wordpress: spec.template.spec.affinity.podAntiAffinity is missing",
	}
	for _, pc := range prodChecks {
		w, ok := want[pc.name]
		if !ok {
			t.Errorf("production/%s: no case here proves it can fail", pc.name)
			continue
		}
		if got := pc.run(s, s.in); !hasSubstring(got, w) {
			t.Errorf("production/%s on the input does not report %q; it reports:\n%s", pc.name, w, strings.Join(got, "\n"))
		}
	}
	// Recreate is no rolling update.
	rc := selfSite(t, broken(t, "strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}", "strategy: {type: Recreate}"))
	for _, pc := range prodChecks {
		if pc.name == "wordpress-rolling-update-max-unavailable-0" && !hasSubstring(pc.run(rc, rc.out), "spec.strategy.type is Recreate") {
			t.Errorf("a Recreate strategy passes %s", pc.name)
		}
	}

	if r := checkIdempotent([]byte(selfOutput), []byte(selfOutput+"\n"), 0, ""); !hasSubstring(r.fail, "harden on its own output changed it") {
		t.Errorf("idempotent: a changed second run passes: %v", r.fail)
	}
	if r := checkIdempotent([]byte(selfOutput), nil, 1, "error: boom"); !hasSubstring(r.fail, "exited 1") {
		t.Errorf("idempotent: a failed second run passes: %v", r.fail)
	}
	if r := checkKubeScore(map[string][]string{"pod-probes": {"a"}}, map[string][]string{"pod-probes": {"a"}, "networkpolicy-targets-pod": {"NetworkPolicy x: no pods"}}); !hasSubstring(r.fail, "kube-score networkpolicy-targets-pod: 1 CRITICAL in the output, 0 in the input") {
		t.Errorf("kube-score: a new CRITICAL passes: %v", r.fail)
	}

	// Exit status.
	refused := rwExpect{Refused: true, Object: "StatefulSet/wp-mariadb", Stderr: []string{"two databases"}}
	good := "error: stdin: StatefulSet blog/wp-mariadb: spec.template: two databases would run\n"
	for _, c := range []struct {
		name   string
		exp    rwExpect
		code   int
		stdout string
		stderr string
		want   string
	}{
		{"fails where it must not", rwExpect{}, 1, "", "error: x", "harden exited 1, want 0"},
		{"succeeds where refused", refused, 0, "", good, "harden exited 0, want 1"},
		{"refused, writing stdout", refused, 1, "apiVersion: v1\n", good, "a refused run wrote 15 bytes on stdout"},
		{"refused, naming another object", refused, 1, "", "error: StatefulSet blog/wp-mariadb-2: two databases", "stderr names no StatefulSet wp-mariadb"},
		{"refused, without the reason", refused, 1, "", "error: StatefulSet blog/wp-mariadb: no", `stderr does not contain "two databases"`},
		{"refused, expect.yaml without object", rwExpect{Refused: true}, 1, "", good, "expect.yaml: object is"},
	} {
		if r := checkExit(c.exp, c.code, c.stdout, c.stderr); !hasSubstring(r.fail, c.want) {
			t.Errorf("exit-status, %s: does not report %q: %v", c.name, c.want, r.fail)
		}
	}
	if r := checkExit(refused, 1, "", good); len(r.fail) > 0 {
		t.Errorf("exit-status fails on a good refusal: %v", r.fail)
	}
}

func TestRealWorldFindingsOfTheInputAreNotFailures(t *testing.T) {
	// The input's own dangling Service, doubled PDB and Secret reference
	// are noted, not failed: the function did not make them.
	extra := "---\napiVersion: v1\nkind: Service\nmetadata: {name: old, namespace: site}\nspec:\n  selector: {app: gone}\n" +
		"---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: db-1, namespace: site}\nspec:\n  selector: {matchLabels: {app: mysql}}\n" +
		"---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: db-2, namespace: site}\nspec:\n  selector: {matchLabels: {app: mysql}}\n"
	in, out := selfInput+extra, selfOutput+extra
	s, err := newSite([]byte(selfProfile), []byte(in), []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"no-duplicates", "everything-connects"} {
		r := checksOf[name](s)
		if len(r.fail) > 0 {
			t.Errorf("%s fails on what the input already had: %v", name, r.fail)
		}
		if !hasSubstring(r.notes, "already in the input") {
			t.Errorf("%s does not note what the input already had: %v", name, r.notes)
		}
	}
}

func TestRealWorldNamespaceLessInput(t *testing.T) {
	// An input without namespaces: the function may fill in the namespace
	// of an untouched object (one added line) and nothing else.
	in := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pw # the user's\ntype: Opaque\n"
	for _, c := range []struct {
		out  string
		fail string
	}{
		{"apiVersion: v1\nkind: Secret\nmetadata:\n  name: pw # the user's\n  namespace: site\ntype: Opaque\n", ""},
		{"apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: \"site\"\n  name: pw # the user's\ntype: Opaque\n", ""},
		{"apiVersion: v1\nkind: Secret\nmetadata:\n  name: pw\n  namespace: site\ntype: Opaque\n", "Secret pw: a kind the function never hardens, changed"},
		{"apiVersion: v1\nkind: Secret\nmetadata:\n  name: pw # the user's\n  namespace: site\ntype: Opaque\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: pw\n", ""},
	} {
		s, err := newSite([]byte(selfProfile), []byte(in), []byte(c.out))
		if err != nil {
			t.Fatal(err)
		}
		r := checkUntouched(s)
		lost := checkNothingLost(s)
		switch {
		case strings.Count(c.out, "kind: Secret") == 2:
			if !hasSubstring(lost.fail, "Secret pw: in the output 2 times") {
				t.Errorf("a Secret output with and without a namespace passes nothing-lost: %v", lost.fail)
			}
		case c.fail == "" && (len(r.fail) > 0 || len(lost.fail) > 0):
			t.Errorf("%q: fails: %v %v", c.out, r.fail, lost.fail)
		case c.fail != "" && !hasSubstring(r.fail, c.fail):
			t.Errorf("%q: does not report %q: %v", c.out, c.fail, r.fail)
		}
	}
}

func TestRealWorldOneNamespaceOfChangedObjects(t *testing.T) {
	// An input without namespaces, and a run that puts the workload in the
	// profile's namespace but changes the Service where it was: the two
	// would land in different namespaces.
	in := "apiVersion: v1\nkind: Service\nmetadata: {name: wordpress}\nspec:\n  selector: {app: wordpress}\n  ports: [{port: 80}]\n" +
		"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: wordpress}\nspec:\n  selector: {matchLabels: {app: wordpress}}\n  template:\n    metadata: {labels: {app: wordpress}}\n    spec:\n      containers: [{name: wordpress, image: wordpress:6}]\n"
	out := "apiVersion: v1\nkind: Service\nmetadata: {name: wordpress}\nspec:\n  selector: {app: wordpress}\n  ports: [{port: 80, name: http}]\n" +
		"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: wordpress, namespace: site}\nspec:\n  selector: {matchLabels: {app: wordpress}}\n  template:\n    metadata: {labels: {app: wordpress}}\n    spec:\n      containers: [{name: wordpress, image: wordpress:6}]\n"
	s, err := newSite([]byte(selfProfile), []byte(in), []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if r := checkOneNamespace(s); !hasSubstring(r.fail, `Service wordpress: changed, in namespace "", not the site's "site"`) {
		t.Errorf("one-namespace does not report the changed Service left without a namespace: %v", r.fail)
	}
	if r := checkConnects(s); !hasSubstring(r.fail, `Service wordpress: spec.selector {"app":"wordpress"} selects no workload's pods in namespace ""`) {
		t.Errorf("everything-connects does not report the Service cut from its pods: %v", r.fail)
	}
}

func TestRealWorldProfileSecretMovedAway(t *testing.T) {
	// The profile names the user's Secret, which the input holds without a
	// namespace; the run moves the workload into the profile's namespace
	// and leaves the Secret: the reference breaks, and the exemption for
	// the Secret the user creates by hand does not apply.
	profile := selfProfile + "  credentials: {secretName: pw}\n"
	secret := "apiVersion: v1\nkind: Secret\nmetadata: {name: pw}\n---\n"
	deploy := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: wordpress%s}\nspec:\n  selector: {matchLabels: {app: wordpress}}\n  template:\n    metadata: {labels: {app: wordpress}}\n    spec:\n      containers:\n      - name: wordpress\n        image: wordpress:6\n        env: [{name: WORDPRESS_DB_PASSWORD, valueFrom: {secretKeyRef: {name: pw, key: p}}}]\n"
	s, err := newSite([]byte(profile), []byte(secret+fmt.Sprintf(deploy, "")), []byte(secret+fmt.Sprintf(deploy, ", namespace: site")))
	if err != nil {
		t.Fatal(err)
	}
	if r := checkConnects(s); !hasSubstring(r.fail, `Deployment site/wordpress: spec.template.spec.containers[name=wordpress].env[name=WORDPRESS_DB_PASSWORD].valueFrom.secretKeyRef refers to Secret "pw", not in the output (namespace "site"), but the input holds it in namespace ""`) {
		t.Errorf("everything-connects does not report the Secret left behind: fail %v, notes %v", r.fail, r.notes)
	}
}

func hasSubstring(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func hasLine(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
