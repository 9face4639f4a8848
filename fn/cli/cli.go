// Package cli is the command line of wordpress-fn: a KRM function with no
// arguments, plus the expand and harden commands.
package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/internal/redact"
	"github.com/kube-samples/wordpress-fn/fn/internal/yamlsrc"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"github.com/kube-samples/wordpress-fn/fn/krmio"
	"github.com/kube-samples/wordpress-fn/fn/processor"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// MaxInput bounds what the function reads: far above any real package,
// low enough that a runaway input fails cleanly instead of exhausting memory
// (memory.go: MaxInputEnv changes it).
const MaxInput = 512 << 20

const usage = `wordpress-fn turns a WordPressProfile into a production WordPress + MySQL
deployment, or hardens manifests that already exist.

Usage:
  wordpress-fn                       KRM function: a ResourceList on stdin (kustomize, kpt)
  wordpress-fn expand -f PROFILE     print every resource the profile needs
  wordpress-fn harden -f PROFILE     harden the manifests on stdin (a Helm post-renderer);
                                     --fail-on-warnings: exit 1, writing nothing, on any warning
  wordpress-fn build DIR             kustomize build DIR in-process, our function served by this binary (Argo CD)
  wordpress-fn version

PROFILE may hold several profiles (several sites), separated by ---; expand
reads it from stdin with -f -.
`

// Version is set at build time.
var Version = "dev"

// Main runs the command and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return krm(stdin, stdout, stderr)
	}
	switch args[0] {
	case "expand", "harden":
		for _, a := range args[1:] {
			if a == "-h" || a == "--help" || a == "help" {
				fmt.Fprint(stdout, usage)
				return 0
			}
		}
		rest, strict := args[1:], false
		if args[0] == "harden" {
			rest, strict = failOnWarnings(rest)
		}
		file, err := profileFlag(rest)
		if err != nil {
			fmt.Fprintf(stderr, "wordpress-fn %s: %v\n\n%s", args[0], err, usage)
			return 2
		}
		var in io.Reader
		if args[0] == "harden" {
			in = stdin
			if isTerminal(stdin) {
				fmt.Fprintf(stderr, "wordpress-fn harden: reads the manifests to harden on stdin, and stdin is a terminal: kustomize build DIR | wordpress-fn harden -f PROFILE.yaml (expand -f PROFILE.yaml renders a new site)\n\n%s", usage)
				return 2
			}
		}
		if file == "-" {
			if in != nil {
				fmt.Fprintf(stderr, "wordpress-fn harden: -f - would read the profile from stdin, which holds the manifests: give the profile as a file\n")
				return 2
			}
			return runProfile("stdin", stdin, nil, stdout, stderr, strict)
		}
		return run(file, in, stdout, stderr, strict)
	case "build":
		return build(args[1:], stdin, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, Version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "wordpress-fn: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// isTerminal: r is a terminal (a character device other than the null
// device, which a run with < /dev/null gives and which reads as empty).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(st, null) {
		return false
	}
	return true
}

// failOnWarnings takes --fail-on-warnings out of harden's arguments: a
// Helm post-renderer's stderr is dropped when it exits 0, so a release
// that harden would warn about must fail to be seen.
func failOnWarnings(args []string) ([]string, bool) {
	var rest []string
	on := false
	for _, a := range args {
		if a == "--fail-on-warnings" {
			on = true
			continue
		}
		rest = append(rest, a)
	}
	return rest, on
}

func profileFlag(args []string) (string, error) {
	switch {
	case len(args) == 2 && (args[0] == "-f" || args[0] == "--file"):
		return args[1], nil
	case len(args) == 1 && strings.HasPrefix(args[0], "--file="):
		return strings.TrimPrefix(args[0], "--file="), nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-f" || a == "--file":
			i++ // its value
		case strings.HasPrefix(a, "--file="):
		case strings.HasPrefix(a, "-") && a != "-":
			return "", fmt.Errorf("unknown flag %s: expects exactly -f PROFILE.yaml", a)
		}
	}
	return "", errors.New("expects exactly -f PROFILE.yaml")
}

// krm is the KRM function contract: a ResourceList in, a ResourceList with
// results out; exit 1 when a result is an error.
func krm(stdin io.Reader, stdout, stderr io.Writer) int {
	return krmWith(stdin, stdout, stderr, fromPackage)
}

// KRMAsContainer is the KRM function as its container image runs it: it
// reads no file an item's annotations name (wordpress-fn-build serves
// kustomize's container functions with it).
func KRMAsContainer(stdin io.Reader, stdout, stderr io.Writer) int {
	return krmWith(stdin, stdout, stderr, nil)
}

// krmWith is krm with original as the Processor's Original (nil: no file
// is read for a line number).
func krmWith(stdin io.Reader, stdout, stderr io.Writer, original func(*fn.KubeObject) *yaml.Node) int {
	if isTerminal(stdin) {
		fmt.Fprintf(stderr, "wordpress-fn: the KRM function reads a ResourceList on stdin (kustomize and kpt send one), and stdin is a terminal.\n\n%s", usage)
		return 2
	}
	data, err := readAll(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "error: stdin: %v\n", err)
		return 1
	}
	if err := checkAliases(data); err != nil {
		fmt.Fprintf(stderr, "wordpress-fn: %s\n", redact.String(err.Error()))
		return 1
	}
	if compactInput(len(data)) {
		// One copy of the input, as a string: the compact path keeps
		// parts of it.
		text := string(data)
		data = nil
		code, ok := krmCompact(text, original, stdout, stderr)
		if ok {
			return code
		}
		data = []byte(text)
	}
	rl, err := fn.ParseResourceList(data)
	if err != nil {
		if why := whyNotResourceList(data); why != "" {
			// It may quote a value of the input (functionConfig: "mysql://u:pw@db").
			fmt.Fprintf(stderr, "wordpress-fn: %s\n", redact.String(why))
			return 1
		}
		var n yaml.Node
		if perr := yaml.NewDecoder(bytes.NewReader(data)).Decode(&n); perr != nil && perr != io.EOF {
			report(stderr, located("stdin", yamlsrc.Explain(yamlsrc.Doc{Text: string(data), Line: 1}, perr)))
			return 1
		}
		// The SDK repeats its prefix once per layer.
		msg := strings.Replace(err.Error(), "failed to parse input bytes: failed to parse input bytes: ", "failed to parse input bytes: ", 1)
		fmt.Fprintf(stderr, "wordpress-fn: the input is not a ResourceList: %s\n", redact.String(msg))
		return 1
	}
	ok, err := processor.Processor{Original: original}.Process(rl)
	// krmio writes what rl.ToYAML() writes, in less time and memory.
	out, yerr := krmio.Marshal(rl)
	if err == nil {
		err = yerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "wordpress-fn: %v\n", err)
		return 1
	}
	return krmOutput(rl, ok, out, stdout, stderr)
}

// krmOutput writes the ResourceList out and rl's results.
func krmOutput(rl *fn.ResourceList, ok bool, out []byte, stdout, stderr io.Writer) int {
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "wordpress-fn: %v\n", err)
		return 1
	}
	printResults(stderr, rl.Results)
	if !ok {
		return 1
	}
	return 0
}

// run is expand (in == nil) and harden: profiles from a file, manifests
// from in, multi-document YAML out, results on stderr.
func run(file string, in io.Reader, stdout, stderr io.Writer, strict bool) int {
	f, err := os.Open(file)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = located(file, pe.Err)
		}
		report(stderr, err)
		return 1
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		report(stderr, located(file, errors.New("is a directory: -f names the profile's file")))
		return 1
	}
	return runProfile(file, f, in, stdout, stderr, strict)
}

// runProfile is run with the profile read from r, named file in messages.
func runProfile(file string, r io.Reader, in io.Reader, stdout, stderr io.Writer, strict bool) int {
	profiles, err := readProfiles(file, r)
	if err != nil {
		report(stderr, err)
		return 1
	}
	var text string
	if in != nil {
		data, err := readAll(in)
		if err != nil {
			fmt.Fprintf(stderr, "error: stdin: %v\n", err)
			return 1
		}
		// One copy of the input, as a string: verbatim keeps parts of it.
		text = string(data)
		data = nil
		if compactInput(len(text)) {
			if code, ok := hardenCompact(file, profiles, text, stdout, stderr, strict); ok {
				return code
			}
		}
	}
	return hardenWhole(file, profiles, text, in != nil, stdout, stderr, strict)
}

// hardenWhole is expand (manifests false) and harden with every manifest
// read into nodes at once.
func hardenWhole(file string, profiles []*yaml.RNode, text string, manifests bool, stdout, stderr io.Writer, strict bool) int {
	var items []*yaml.RNode
	verb := &verbatim{}
	if manifests {
		var err error
		items, err = parse(text, "stdin")
		if err != nil {
			report(stderr, err)
			return 1
		}
		if len(items) == 0 {
			// Hardening nothing would print a whole new site, whose
			// images may not be the running site's: a failed
			// `kustomize build |` must not become an apply of that.
			fmt.Fprintf(stderr, "error: stdin: no manifests to harden: harden reads the site's manifests on stdin (kustomize build DIR | wordpress-fn harden -f %s); to render a new site, run expand -f %s\n", file, file)
			return 1
		}
		verb = newVerbatim(text)
		verb.adopt(items)
	}
	for i, p := range profiles {
		if !isProfileNode(p) {
			fmt.Fprintf(stderr, "error: %s:%d: document %d is a %s %s, not a %s (apiVersion %s)\n",
				file, p.YNode().Line, i, p.GetApiVersion(), p.GetKind(), profile.Kind, profile.APIVersion)
			return 1
		}
	}
	if len(profiles) == 0 {
		fmt.Fprintf(stderr, "error: %s holds no %s\n", file, profile.Kind)
		return 1
	}
	rl := &fn.ResourceList{FunctionConfig: fn.NewEmptyKubeObject()}
	for _, n := range append(items, profiles...) {
		rl.Items = append(rl.Items, fn.MoveToKubeObject(n))
	}
	// The profiles' lines are their file's: parseWithLines made them so.
	ok, err := processor.Processor{FileLines: true}.Process(rl)
	return hardenOutput(rl, ok, err, verb, stdout, stderr, strict)
}

// hardenOutput writes what Process made of rl: results on stderr, the
// manifests on stdout.
func hardenOutput(rl *fn.ResourceList, ok bool, err error, verb *verbatim, stdout, stderr io.Writer, strict bool) int {
	if err != nil {
		fmt.Fprintf(stderr, "wordpress-fn: %v\n", err)
		return 1
	}
	printResults(stderr, rl.Results)
	if !ok {
		return 1
	}
	if n := count(rl.Results, fn.Warning); strict && n > 0 {
		fmt.Fprintf(stderr, "error: --fail-on-warnings: %d warning(s) above; nothing written\n", n)
		return 1
	}
	var out []*yaml.RNode
	for _, it := range rl.Items {
		if it.GetKind() == profile.Kind && it.GroupKind().Group == profile.Group {
			continue
		}
		out = append(out, it.MoveToResourceNode())
	}
	SortForApply(out)
	data, err := verb.write(out)
	if err != nil {
		fmt.Fprintf(stderr, "wordpress-fn: %v\n", err)
		return 1
	}
	if _, err := stdout.Write(data); err != nil {
		fmt.Fprintf(stderr, "wordpress-fn: %v\n", err)
		return 1
	}
	return 0
}

func count(results fn.Results, sev fn.Severity) int {
	n := 0
	for _, r := range results {
		if r.Severity == sev {
			n++
		}
	}
	return n
}

func isProfileNode(n *yaml.RNode) bool {
	return n.GetKind() == profile.Kind && strings.HasPrefix(n.GetApiVersion(), profile.Group+"/")
}

func readProfiles(path string, f io.Reader) ([]*yaml.RNode, error) {
	data, err := readAll(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	nodes, err := parseWithLines(data, path)
	if err != nil {
		return nil, err
	}
	for i, n := range nodes {
		// Results name the file and the document a problem came from.
		_ = n.PipeE(yaml.SetAnnotation(kioutil.PathAnnotation, path))
		_ = n.PipeE(yaml.SetAnnotation(kioutil.IndexAnnotation, fmt.Sprint(i)))
	}
	return nodes, nil
}

func parse(data string, name string) ([]*yaml.RNode, error) {
	r := kio.ByteReader{Reader: strings.NewReader(data), OmitReaderAnnotations: true}
	nodes, err := r.Read()
	if err != nil {
		return nil, syntaxError(data, name)
	}
	if err := checkDocuments(nodes, name); err != nil {
		return nil, err
	}
	return nodes, nil
}

// parseWithLines is parse for a file whose lines messages cite (a
// profile): each document is read on its own, as kio.ByteReader does, and
// its lines are made the file's.
func parseWithLines(data []byte, name string) ([]*yaml.RNode, error) {
	docs, err := yamlsrc.Split(string(data))
	if err != nil {
		return nil, located(name, err)
	}
	var nodes []*yaml.RNode
	for _, d := range docs {
		r := kio.ByteReader{Reader: strings.NewReader(d.Text), OmitReaderAnnotations: true, DisableUnwrapping: len(docs) > 1}
		ns, err := r.Read()
		if err != nil {
			return nil, located(name, yamlsrc.Explain(d, err))
		}
		for _, n := range ns {
			yamlsrc.Shift(n.YNode(), d.Line-1)
		}
		nodes = append(nodes, ns...)
	}
	if err := checkDocuments(nodes, name); err != nil {
		return nil, err
	}
	return nodes, nil
}

// syntaxError says where data, which kio.ByteReader refused, is not YAML.
func syntaxError(data string, name string) error {
	docs, err := yamlsrc.Split(data)
	if err != nil {
		return located(name, err)
	}
	for _, d := range docs {
		if _, err := (&kio.ByteReader{Reader: strings.NewReader(d.Text), OmitReaderAnnotations: true}).Read(); err != nil {
			return located(name, yamlsrc.Explain(d, err))
		}
	}
	return located(name, errors.New("not valid YAML"))
}

// problem is an error already worded as "error: FILE:LINE: ...": printed
// as it is, without the command's prefix.
type problem struct{ msg string }

func (p problem) Error() string { return p.msg }

// located is err in the form of every other problem: "error: FILE:LINE: ...".
func located(name string, err error) error {
	var se *yamlsrc.SyntaxError
	if errors.As(err, &se) && se.Line > 0 {
		return problem{fmt.Sprintf("error: %s:%d: not valid YAML: %s", name, se.Line, se.Cause)}
	}
	return problem{fmt.Sprintf("error: %s: %v", name, err)}
}

// report prints err: a problem as it is worded, anything else after the
// command's name.
func report(w io.Writer, err error) {
	var p problem
	if errors.As(err, &p) {
		fmt.Fprintln(w, p.msg)
		return
	}
	fmt.Fprintf(w, "wordpress-fn: %v\n", err)
}

// printResults writes results the way a person reads them:
// "error: FILE: field.path: message".
func printResults(w io.Writer, results fn.Results) {
	for _, r := range results {
		sev := string(r.Severity)
		if sev == "" {
			sev = string(fn.Error)
		}
		var where []string
		if r.File != nil && r.File.Path != "" {
			loc := r.File.Path
			if r.Tags["line"] != "" {
				loc += ":" + r.Tags["line"]
			}
			where = append(where, loc)
		}
		// A profile is named when no file names it (kustomize gives the
		// function config no path), or its file holds several documents.
		if r.ResourceRef != nil && (r.ResourceRef.Kind != profile.Kind || r.File == nil || r.File.Path == "" || r.File.Index > 0) {
			where = append(where, strings.TrimSpace(r.ResourceRef.Kind+" "+ynode.Abbreviate(nsName(r.ResourceRef))))
		}
		if r.Field != nil && r.Field.Path != "" {
			where = append(where, r.Field.Path)
		}
		where = append(where, redact.String(r.Message))
		fmt.Fprintf(w, "%s: %s\n", sev, strings.Join(where, ": "))
	}
}

func nsName(r *fn.ResourceRef) string {
	if r.Namespace == "" {
		return r.Name
	}
	return r.Namespace + "/" + r.Name
}

// kindOrder is the order in which kubectl apply can create a list: what
// others live in first (kustomize's legacy order).
var kindOrder = []string{
	"Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition",
	"ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
	"ClusterRoleBinding", "ConfigMap", "Secret", "ExternalSecret", "Endpoints", "Service",
	"LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim",
	"Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
}

// SortForApply orders resources so that `kubectl apply -f` of the list
// works on the first try: namespaces and storage first, then by kind,
// namespace and name. The order does not depend on the input's.
func SortForApply(nodes []*yaml.RNode) {
	rank := map[string]int{}
	for i, k := range kindOrder {
		rank[k] = i + 1
	}
	r := func(k string) int {
		if v, ok := rank[k]; ok {
			return v
		}
		return len(kindOrder) + 1
	}
	sort.SliceStable(nodes, func(i, j int) bool {
		a, b := nodes[i], nodes[j]
		if ra, rb := r(a.GetKind()), r(b.GetKind()); ra != rb {
			return ra < rb
		}
		if a.GetKind() != b.GetKind() {
			return a.GetKind() < b.GetKind()
		}
		if a.GetNamespace() != b.GetNamespace() {
			return a.GetNamespace() < b.GetNamespace()
		}
		return a.GetName() < b.GetName()
	})
}
