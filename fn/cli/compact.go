package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/kptdev/krm-functions-sdk/go/fn"
	"github.com/kube-samples/wordpress-fn/fn/internal/yamlsrc"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"github.com/kube-samples/wordpress-fn/fn/krmio"
	"github.com/kube-samples/wordpress-fn/fn/processor"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The compact path (issue 10: memory in proportion to the input). A large
// input is read item by item, and an item the processor only passes
// through (processor/inert.go says which) is held as a stub: its identity,
// what the processor reads of it (processor.Inert) and the text it is
// written as, instead of its yaml.v3 nodes, which cost ~17 bytes per input
// byte. Its output is byte for byte the whole path's: the items are parsed
// exactly as the whole path parses them, and any input it is not sure of
// (an error, a shape it does not split) is left to the whole path, which
// then reads the input again. The tests run both paths on the goldens, the
// real-world corpus, generated lists and fuzzed inputs.

// CompactAboveEnv sets the input size, in bytes, above which the compact
// path is tried (default compactAbove; a negative number: never). The
// tests set it to 0 to run the compact path on every input.
const CompactAboveEnv = "WORDPRESS_FN_COMPACT_ABOVE"

// compactAbove is where the node trees start to matter: a list of a few
// hundred resources.
const compactAbove = 256 << 10

func compactInput(n int) bool {
	limit := int64(compactAbove)
	if s := strings.TrimSpace(os.Getenv(CompactAboveEnv)); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			return false
		}
		limit = v
	}
	return int64(n) > limit
}

// inertOf answers processor.Processor.Inert from the stubs' nodes.
func inertOf(m map[*yaml.Node]*processor.Inert) func(*fn.KubeObject) *processor.Inert {
	return func(o *fn.KubeObject) *processor.Inert {
		rn := o.MoveToResourceNode()
		n := rn.YNode()
		*o = *fn.MoveToKubeObject(rn)
		return m[n]
	}
}

// readDoc parses one document of a stream as kio.ByteReader parses each
// document of the whole stream (yamlsrc.Split cut them as it does).
func readDoc(text string) ([]*yaml.RNode, error) {
	return (&kio.ByteReader{Reader: strings.NewReader(text), OmitReaderAnnotations: true, DisableUnwrapping: true}).Read()
}

// hardenCompact is hardenWhole on the compact path; ok is false when it
// leaves the input to hardenWhole, having written nothing.
func hardenCompact(file string, profiles []*yaml.RNode, text string, stdout, stderr io.Writer, strict bool) (int, bool) {
	return compactRun(len(text), func(writing *bool) (int, bool) {
		return hardenStubs(file, profiles, text, stdout, stderr, strict, writing)
	})
}

// compactRun runs f, a compact path, with the collector set for n bytes of
// input (compactGC): a panic before f starts writing (*writing) leaves the
// input to the whole path, as f's own false does.
func compactRun(n int, f func(writing *bool) (int, bool)) (code int, ok bool) {
	restore := compactGC(n)
	writing := false
	defer func() {
		if r := recover(); r != nil {
			if writing {
				panic(r)
			}
			// Whatever went wrong here, the whole path decides.
			code, ok = 0, false
		}
		restore()
	}()
	return f(&writing)
}

// hardenStubs is hardenCompact's work, under compactRun.
func hardenStubs(file string, profiles []*yaml.RNode, text string, stdout, stderr io.Writer, strict bool, writing *bool) (int, bool) {
	var copies []*yaml.RNode
	var pnodes []*yaml.Node
	for _, p := range profiles {
		if !isProfileNode(p) {
			return 0, false
		}
		c := p.Copy()
		copies = append(copies, c)
		pnodes = append(pnodes, c.YNode())
	}
	hot, ok := processor.NewHot(pnodes)
	if !ok {
		return 0, false
	}
	verb := newVerbatim(text)
	byEncoding := verb.byEncoding()
	verb.read, verb.text, verb.encoded, verb.stub = nil, map[*yaml.Node]string{}, map[*yaml.Node]digest{}, map[*yaml.Node]string{}
	type item struct {
		node *yaml.RNode // nil for a stub
		doc  int
		ns   string
		stub *yaml.RNode
		in   *processor.Inert
	}
	var items []item
	hotNS := map[string]bool{}
	var stubs processor.Stubs
	// keep maps a node to its text, as verbatim.adopt does.
	keep := func(n *yaml.RNode, d digest, texts []string) {
		if len(texts) == 1 {
			verb.text[n.YNode()], verb.encoded[n.YNode()] = texts[0], d
		}
	}
	// The documents one at a time: their texts are copies.
	docs := 0
	errLeave := errors.New("left to the whole path")
	err := yamlsrc.Each(text, func(d yamlsrc.Doc) error {
		i := docs
		docs++
		nodes, err := readDoc(d.Text)
		if err != nil || len(nodes) > 1 {
			return errLeave
		}
		if len(nodes) == 0 {
			return nil
		}
		n := nodes[0]
		if checkDocuments(nodes, "stdin") != nil {
			return errLeave
		}
		if n.GetKind() == profile.Kind {
			// A profile on stdin is a site too, which hot does not know.
			return errLeave
		}
		f := processor.FactsOf(n.YNode())
		if hot.Seeds(f) {
			if f.Odd {
				return errLeave
			}
			hotNS[f.Namespace] = true
		}
		s, err := n.String()
		if err != nil {
			return errLeave
		}
		dg := digestOf(s)
		texts := byEncoding[dg]
		if f.Stubbable && len(texts) == 1 && !hot.Named(f.Namespace) {
			st := yaml.NewRNode(stubs.Stub(n.YNode()))
			in := processor.ScanInert(n)
			if in != nil {
				// A document as yaml.v3 writes it is its own text.
				in.ShareText(texts[0])
			}
			items = append(items, item{doc: i, ns: f.Namespace, stub: st, in: in})
			verb.stub[st.YNode()] = texts[0]
			return nil
		}
		keep(n, dg, texts)
		items = append(items, item{node: n, doc: i})
		return nil
	})
	// One document is unwrapped when it is a List: the whole path reads it.
	// No manifest at all is the whole path's error.
	if err != nil || docs < 2 || len(items) == 0 {
		return 0, false
	}
	// A stub in a namespace an item read later made hot is read again.
	var all []yamlsrc.Doc
	for i := range items {
		it := &items[i]
		if it.node != nil || !hotNS[it.ns] {
			continue
		}
		if all == nil {
			all, _ = yamlsrc.Split(text)
		}
		nodes, err := readDoc(all[it.doc].Text)
		if err != nil || len(nodes) != 1 {
			return 0, false
		}
		s, err := nodes[0].String()
		if err != nil {
			return 0, false
		}
		dg := digestOf(s)
		delete(verb.stub, it.stub.YNode())
		it.node, it.stub, it.in = nodes[0], nil, nil
		keep(it.node, dg, byEncoding[dg])
	}
	all, byEncoding = nil, nil
	inert := map[*yaml.Node]*processor.Inert{}
	rl := &fn.ResourceList{FunctionConfig: fn.NewEmptyKubeObject()}
	for _, it := range items {
		n := it.node
		if n == nil {
			n = it.stub
			if it.in != nil {
				inert[n.YNode()] = it.in
			}
		}
		rl.Items = append(rl.Items, fn.MoveToKubeObject(n))
	}
	items = nil
	for _, p := range copies {
		rl.Items = append(rl.Items, fn.MoveToKubeObject(p))
	}
	// The output is about the input's size, a little more where harden
	// adds.
	verb.size = len(text) + len(text)/8 + 1<<20
	ok, err = processor.Processor{FileLines: true, Inert: inertOf(inert)}.Process(rl)
	if err != nil || !ok {
		return 0, false
	}
	*writing = true
	return hardenOutput(rl, ok, err, verb, stdout, stderr, strict), true
}

// span is one item of a ResourceList's items: data[start:end], whose
// first line is line (from 1).
type span struct{ start, end, line int }

// splitItems finds the items of a ResourceList in data, when it can prove
// that parsing each on its own gives the nodes that parsing the whole
// list gives: items: is a line of its own at column 0 holding a block
// sequence, each entry starting "- " at one indentation; no tab, carriage
// return, byte order mark, directive or document marker anywhere; no
// comment between two items, before the first or after the last
// (yaml.v3 could attach those to either side). envelope is the list
// without its items (envelopeOf). ok is false for anything else: the whole
// path then reads the input.
func splitItems(data string) (envelope []byte, items []span, ok bool) {
	if strings.ContainsAny(data, "\t\r") || strings.HasPrefix(data, "\xef\xbb\xbf") {
		return nil, nil, false
	}
	head, tail := -1, -1
	dash := -1           // the entries' indentation
	lastComment := false // the current entry's last non-blank line is a comment
	line := 0
	for pos := 0; pos < len(data); {
		start := pos
		l, next := lineAt(data, pos)
		l = strings.TrimSuffix(l, "\n")
		line++
		pos = next
		if strings.HasPrefix(l, "---") || strings.HasPrefix(l, "...") || strings.HasPrefix(l, "%") {
			return nil, nil, false
		}
		if strings.HasPrefix(l, "items:") {
			if head >= 0 || l != "items:" {
				return nil, nil, false
			}
			head = start
			continue
		}
		if head < 0 || tail >= 0 {
			continue
		}
		rest := strings.TrimLeft(l, " ")
		ind := len(l) - len(rest)
		switch {
		case rest == "":
			continue
		case rest[0] == '#':
			if dash < 0 || ind <= dash+1 {
				return nil, nil, false
			}
			lastComment = true
			continue
		case dash < 0 || ind == dash && strings.HasPrefix(rest, "- "):
			if dash < 0 {
				if !strings.HasPrefix(rest, "- ") {
					return nil, nil, false
				}
				dash = ind
			}
			if len(rest) < 3 || rest[2] == ' ' || lastComment {
				return nil, nil, false
			}
			if n := len(items); n > 0 {
				items[n-1].end = start
			}
			items = append(items, span{start: start, line: line})
			lastComment = false
			continue
		case ind <= dash:
			// The first key after the items.
			if ind != 0 || rest[0] == '-' || lastComment {
				return nil, nil, false
			}
			tail = start
			items[len(items)-1].end = start
			continue
		}
		lastComment = false
	}
	if head < 0 || len(items) == 0 || lastComment && tail < 0 {
		return nil, nil, false
	}
	if tail < 0 {
		tail = len(data)
		items[len(items)-1].end = tail
	}
	// The items: line must be the list's own key, not a line of a
	// multi-line quoted scalar that holds "items:" at column 0 (x: "\n
	// items:\n- ...\n"), whose entries the whole path never reads as
	// items.
	envelope = envelopeOf(data, head, tail)
	if !itemsKeyAt(envelope, strings.Count(data[:head], "\n")+1) {
		return nil, nil, false
	}
	return envelope, items, true
}

// envelopeOf is the list without its items, each line where it was.
func envelopeOf(data string, head, tail int) []byte {
	lines := strings.Count(data[head:tail], "\n")
	envelope := make([]byte, 0, head+len(data)-tail+lines+16)
	envelope = append(envelope, data[:head]...)
	envelope = append(envelope, "items: []"...)
	envelope = append(envelope, strings.Repeat("\n", lines)...)
	envelope = append(envelope, data[tail:]...)
	return envelope
}

// itemsKeyAt: the envelope is one document whose top-level mapping has
// one key items, at column 1 of the given line, holding the empty
// sequence that stands for the items.
func itemsKeyAt(envelope []byte, line int) bool {
	dec := yaml.NewDecoder(bytes.NewReader(envelope))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return false
	}
	var more yaml.Node
	if err := dec.Decode(&more); err != io.EOF {
		return false
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := doc.Content[0]
	found := 0
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Value != "items" {
			continue
		}
		found++
		if k.Kind != yaml.ScalarNode || k.Style != 0 || k.Line != line || k.Column != 1 ||
			v.Kind != yaml.SequenceNode || v.Style != yaml.FlowStyle || len(v.Content) != 0 || v.Line != line {
			return false
		}
	}
	return found == 1
}

// parseItem parses one item of a ResourceList, at its lines in the input:
// nil when the text is not exactly one entry that is a mapping.
func parseItem(data string, s span) *yaml.Node {
	dec := yaml.NewDecoder(strings.NewReader(data[s.start:s.end]))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil
	}
	var more yaml.Node
	if err := dec.Decode(&more); err != io.EOF {
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.HeadComment != "" || doc.LineComment != "" || doc.FootComment != "" {
		return nil
	}
	seq := doc.Content[0]
	if seq.Kind != yaml.SequenceNode || len(seq.Content) != 1 || seq.HeadComment != "" || seq.LineComment != "" || seq.FootComment != "" ||
		seq.Style != 0 || seq.Anchor != "" || seq.Tag != "!!seq" {
		return nil
	}
	n := seq.Content[0]
	if n.Kind != yaml.MappingNode {
		return nil
	}
	yamlsrc.Shift(n, s.line-1)
	return n
}

// krmCompact is krmWith on the compact path; ok is false when it leaves
// the input to the whole path, having written nothing.
func krmCompact(data string, original func(*fn.KubeObject) *yaml.Node, stdout, stderr io.Writer) (int, bool) {
	return compactRun(len(data), func(writing *bool) (int, bool) {
		return krmStubs(data, original, stdout, stderr, writing)
	})
}

// krmStubs is krmCompact's work, under compactRun.
func krmStubs(data string, original func(*fn.KubeObject) *yaml.Node, stdout, stderr io.Writer, writing *bool) (int, bool) {
	envelope, spans, ok := splitItems(data)
	if !ok {
		return 0, false
	}
	rl, err := fn.ParseResourceList(envelope)
	if err != nil || len(rl.Items) != 0 {
		return 0, false
	}
	// The profiles: the function config, and the items of their kind.
	var pnodes []*yaml.Node
	if fc := rl.FunctionConfig; fc != nil && !fc.IsEmpty() && fc.GetKind() == profile.Kind {
		pnodes = append(pnodes, fc.CopyToResourceNode().YNode())
	}
	for _, s := range spans {
		if strings.Contains(data[s.start:s.end], profile.Kind) {
			n := parseItem(data, s)
			if n == nil {
				return 0, false
			}
			if str := ynode.Scalar(n, "kind"); str == profile.Kind {
				pnodes = append(pnodes, yaml.CopyYNode(n))
			}
		}
	}
	hot, ok := processor.NewHot(pnodes)
	if !ok {
		return 0, false
	}
	type item struct {
		node *yaml.Node // the stub, or the item
		span span
		ns   string
		stub bool
	}
	items := make([]item, 0, len(spans))
	inert := map[*yaml.Node]*processor.Inert{}
	raw := map[*yaml.Node]string{}
	rawSize := 0
	hotNS := map[string]bool{}
	var stubs processor.Stubs
	for _, s := range spans {
		n := parseItem(data, s)
		if n == nil {
			return 0, false
		}
		if ynode.Scalar(n, "kind") == profile.Kind && !strings.Contains(data[s.start:s.end], profile.Kind) {
			return 0, false // a profile hot did not read
		}
		f := processor.FactsOf(n)
		if hot.Seeds(f) {
			if f.Odd {
				return 0, false
			}
			hotNS[f.Namespace] = true
		}
		if !f.Stubbable || hot.Named(f.Namespace) {
			items = append(items, item{node: n, span: s})
			continue
		}
		out, err := krmio.EncodeItem(n)
		if err != nil {
			return 0, false
		}
		if out == data[s.start:s.end] {
			// As it came (a list kpt or kustomize wrote): a part of
			// the input, not a copy.
			out = data[s.start:s.end]
		}
		st := stubs.Stub(n)
		if in := processor.ScanInert(yaml.NewRNode(n)); in != nil {
			inert[st] = in
		}
		raw[st] = out
		rawSize += len(out)
		items = append(items, item{node: st, span: s, ns: f.Namespace, stub: true})
	}
	for i := range items {
		it := &items[i]
		if !it.stub || !hotNS[it.ns] {
			continue
		}
		// Read again: an item read later made its namespace hot.
		n := parseItem(data, it.span)
		if n == nil {
			return 0, false
		}
		delete(inert, it.node)
		rawSize -= len(raw[it.node])
		delete(raw, it.node)
		it.node, it.stub = n, false
	}
	for _, it := range items {
		rl.Items = append(rl.Items, fn.MoveToKubeObject(yaml.NewRNode(it.node)))
	}
	items = nil
	ok, err = processor.Processor{Original: original, Inert: inertOf(inert)}.Process(rl)
	if err != nil || !ok {
		return 0, false
	}
	// Each item's bytes are let go once written: the output grows as
	// they go.
	out, err := krmio.MarshalWith(rl, func(n *yaml.Node) (string, bool) {
		s, ok := raw[n]
		delete(raw, n)
		return s, ok
	}, rawSize+2*(len(data)-rawSize)+1<<20)
	if err != nil {
		return 0, false
	}
	*writing = true
	return krmOutput(rl, ok, out, stdout, stderr), true
}
