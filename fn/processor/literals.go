package processor

import (
	"fmt"
	"regexp"
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
// warned about, or replaced, those of the workloads it hardens).
func literalSecrets(items fn.KubeObjects, said fn.Results) fn.Results {
	done := map[string]bool{}
	for _, r := range said {
		if r.ResourceRef != nil && r.Field != nil {
			done[refKey(r.ResourceRef.Kind, r.ResourceRef.Namespace, r.ResourceRef.Name, r.Field.Path)] = true
		}
	}
	var results fn.Results
	for _, o := range items {
		if isProfile(o) || (o.GetKind() == "Secret" && o.GetAPIVersion() == "v1") {
			continue
		}
		what := o.GetKind()
		for k, v := range o.GetAnnotations() {
			if k == lastApplied {
				if r := lastAppliedSecret(o, v, done); r != nil {
					results = append(results, r)
				}
				continue
			}
			name := k[strings.LastIndex(k, "/")+1:]
			if v == "" || !secretAnnotation.MatchString(name) || refAnnotation.MatchString(name) || !harden.LooksSecret("PASSWORD", v) {
				continue
			}
			path := "metadata.annotations[" + k + "]"
			if done[refKey(o.GetKind(), o.GetNamespace(), o.GetName(), path)] {
				continue
			}
			results = append(results, result(fn.Warning, o, path,
				"annotation %s holds a literal value that looks like a credential (not shown here): whoever can read this %s reads it, and kubectl and Argo CD display it; keep the credential in a Secret and name the Secret here (ingress-nginx's basic auth takes auth-secret)", k, what))
		}
		node := o.CopyToResourceNode().YNode()
		walkEnv(node, "", func(path, name, value string) {
			if !harden.LooksSecret(name, value) || done[refKey(o.GetKind(), o.GetNamespace(), o.GetName(), path)] {
				return
			}
			results = append(results, result(fn.Warning, o, path,
				"%s holds a literal value that looks like a credential (not shown here): whoever can read this %s reads it; move it to a Secret and use valueFrom.secretKeyRef", name, what))
		})
	}
	return results
}

const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// lastAppliedSecret warns when client-side kubectl apply's copy of the
// object holds a literal credential in an env var: hardening the object
// (a literal password made a secretKeyRef) leaves the copy as it was.
func lastAppliedSecret(o *fn.KubeObject, v string, done map[string]bool) *fn.Result {
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
	if len(names) == 0 || done[refKey(o.GetKind(), o.GetNamespace(), o.GetName(), path)] {
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
// (spec.template.spec.containers[name=x].env[name=Y].value).
func walkEnv(n *yaml.Node, path string, f func(path, name, value string)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			p := k
			if path != "" {
				p = path + "." + k
			}
			if k == "env" && v.Kind == yaml.SequenceNode {
				for _, e := range v.Content {
					name, val := scalarField(e, "name"), scalarField(e, "value")
					if name != nil && val != nil {
						f(fmt.Sprintf("%s[name=%s].value", p, name.Value), name.Value, val.Value)
					}
				}
				continue
			}
			walkEnv(v, p, f)
		}
	case yaml.SequenceNode:
		for j, e := range n.Content {
			if name := scalarField(e, "name"); name != nil {
				walkEnv(e, fmt.Sprintf("%s[name=%s]", path, name.Value), f)
			} else {
				walkEnv(e, fmt.Sprintf("%s[%d]", path, j), f)
			}
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
