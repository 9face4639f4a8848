package processor

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/harden"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// secretAnnotation is an annotation name (its part after the prefix) that
// holds a credential itself; one that names a Secret (auth-secret,
// tls-secret) or a file does not.
var (
	secretAnnotation = regexp.MustCompile(`(?i)(password|passwd|pwd|token|api-?key|api_key|client-secret|client_secret)`)
	refAnnotation    = regexp.MustCompile(`(?i)(secret|name|ref|file|path|dir|type|header|url)$`)
)

// literalSecrets warns about credentials the function passes through as
// they are, naming the object and the field, never the value: an
// annotation named like a password or token, and an env var named like
// one with a literal value in any object's containers (harden already
// warned about, or replaced, those of the workloads it hardens). An item
// held as a stub (inert) gives the warnings literalHits gave on the item
// itself when it was read.
func literalSecrets(items fn.KubeObjects, said fn.Results, inert func(*fn.KubeObject) *Inert) fn.Results {
	done := map[string]bool{}
	for _, r := range said {
		if r.ResourceRef != nil && r.Field != nil {
			done[refKey(r.ResourceRef.Kind, r.ResourceRef.Namespace, r.ResourceRef.Name, r.Field.Path)] = true
		}
	}
	var results fn.Results
	for _, o := range items {
		var hits []literal
		if in := inertOf(inert, o); in != nil {
			hits = in.literals
		} else {
			hits = literalHits(o)
		}
		for _, h := range hits {
			if !done[h.key] {
				results = append(results, h.r)
			}
		}
	}
	return results
}

// literal is a warning of literalSecrets, and the key (refKey) under
// which an earlier result about the same field silences it.
type literal struct {
	key string
	r   *fn.Result
}

// literalHits are the warnings literalSecrets gives about o, before any
// is silenced.
func literalHits(o *fn.KubeObject) []literal {
	if isProfile(o) || (o.GetKind() == "Secret" && o.GetAPIVersion() == "v1") {
		return nil
	}
	var out []literal
	what := o.GetKind()
	anns := o.GetAnnotations()
	for _, k := range slices.Sorted(maps.Keys(anns)) { // results in a fixed order
		v := anns[k]
		if k == lastApplied {
			if r := lastAppliedSecret(o, v); r != nil {
				out = append(out, literal{refKey(o.GetKind(), o.GetNamespace(), o.GetName(), "metadata.annotations["+lastApplied+"]"), r})
			}
			continue
		}
		name := k[strings.LastIndex(k, "/")+1:]
		named := secretAnnotation.MatchString(name) && !refAnnotation.MatchString(name) && harden.LooksSecret("PASSWORD", v)
		if v == "" || !named && !harden.HasURLPassword(v) {
			continue
		}
		path := "metadata.annotations[" + k + "]"
		out = append(out, literal{refKey(o.GetKind(), o.GetNamespace(), o.GetName(), path), result(fn.Warning, o, path,
			"annotation %s holds a literal value that looks like a credential (not shown here): whoever can read this %s reads it, and kubectl and Argo CD display it; keep the credential in a Secret and name the Secret here (ingress-nginx's basic auth takes auth-secret)", k, what)})
	}
	if noContainers[o.GetKind()] {
		return out
	}
	// Read in place (a copy of every item doubled the allocations of
	// a large list), then hand the node back before naming o.
	type hit struct{ path, name string }
	var hits []hit
	rn := o.MoveToResourceNode()
	walkEnv(rn.YNode(), "", func(path, name, value string) {
		if harden.LooksSecret(name, value) {
			hits = append(hits, hit{path, name})
		}
	})
	*o = *fn.MoveToKubeObject(rn)
	for _, h := range hits {
		out = append(out, literal{refKey(o.GetKind(), o.GetNamespace(), o.GetName(), h.path), result(fn.Warning, o, h.path,
			"%s holds a literal value that looks like a credential (not shown here): whoever can read this %s reads it; move it to a Secret and use valueFrom.secretKeyRef", h.name, what)})
	}
	return out
}

// noContainers are the common kinds that hold no container, whose env
// is not walked.
var noContainers = map[string]bool{
	"ConfigMap": true, "Service": true, "Namespace": true, "PersistentVolumeClaim": true,
	"PersistentVolume": true, "ServiceAccount": true, "Role": true, "RoleBinding": true,
	"ClusterRole": true, "ClusterRoleBinding": true, "NetworkPolicy": true, "Ingress": true,
	"PodDisruptionBudget": true, "HorizontalPodAutoscaler": true, "StorageClass": true,
	"Endpoints": true, "EndpointSlice": true, "LimitRange": true, "ResourceQuota": true,
	"PriorityClass": true, "CustomResourceDefinition": true,
}

const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// lastAppliedSecret warns when client-side kubectl apply's copy of the
// object holds a literal credential in an env var: hardening the object
// (a literal password made a secretKeyRef) leaves the copy as it was.
func lastAppliedSecret(o *fn.KubeObject, v string) *fn.Result {
	node, err := yaml.Parse(v)
	if err != nil {
		return nil
	}
	var names []string
	walkEnv(node.YNode(), "", func(path, name, value string) {
		if harden.LooksSecret(name, value) {
			names = append(names, name)
		}
	})
	path := "metadata.annotations[" + lastApplied + "]"
	if len(names) == 0 {
		return nil
	}
	return result(fn.Warning, o, path,
		"kubectl's copy of the last applied %s holds a literal value in %s (not shown here), kept as written: whoever can read the object reads it there, even once the env var reads a Secret; remove the annotation from the manifest (kubectl apply writes a new one)", o.GetKind(), strings.Join(names, ", "))
}

func refKey(kind, ns, name, path string) string {
	return kind + "\x00" + ns + "\x00" + name + "\x00" + path
}

// walkEnv calls f on every {name, value} element of every list named env
// under n, with its path in the function's notation
// (spec.template.spec.containers[name=x].env[name=Y].value). The path is
// built only for an env var found: most of a list holds none.
func walkEnv(n *yaml.Node, path string, f func(path, name, value string)) {
	walkEnvIn(n, &envPath{prefix: path}, f)
}

// envPath is the path walked so far: a field name, or a list element by
// its name or index.
type envPath struct {
	prefix string
	segs   []envSeg
}

type envSeg struct {
	key  string
	name *yaml.Node
	idx  int
}

func (p *envPath) String() string {
	var b strings.Builder
	b.WriteString(p.prefix)
	for _, s := range p.segs {
		switch {
		case s.key != "":
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.key)
		case s.name != nil:
			b.WriteString("[name=" + s.name.Value + "]")
		default:
			b.WriteString("[" + strconv.Itoa(s.idx) + "]")
		}
	}
	return b.String()
}

func walkEnvIn(n *yaml.Node, p *envPath, f func(path, name, value string)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			if v.Kind != yaml.MappingNode && v.Kind != yaml.SequenceNode {
				continue
			}
			p.segs = append(p.segs, envSeg{key: k})
			if k == "env" && v.Kind == yaml.SequenceNode {
				for _, e := range v.Content {
					name, val := scalarField(e, "name"), scalarField(e, "value")
					if name != nil && val != nil {
						f(p.String()+"[name="+name.Value+"].value", name.Value, val.Value)
					}
				}
			} else {
				walkEnvIn(v, p, f)
			}
			p.segs = p.segs[:len(p.segs)-1]
		}
	case yaml.SequenceNode:
		for j, e := range n.Content {
			if e.Kind != yaml.MappingNode {
				continue
			}
			p.segs = append(p.segs, envSeg{name: scalarField(e, "name"), idx: j})
			walkEnvIn(e, p, f)
			p.segs = p.segs[:len(p.segs)-1]
		}
	}
}

func scalarField(m *yaml.Node, k string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k && m.Content[i+1].Kind == yaml.ScalarNode {
			return m.Content[i+1]
		}
	}
	return nil
}
