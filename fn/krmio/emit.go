package krmio

import (
	"bytes"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// This file is a YAML emitter for the shape that nearly every item of a
// ResourceList has: block mappings and sequences of printable ASCII
// scalars, literal block scalars, flow sequences of scalars, and comments
// above keys and list entries or after scalar values; no anchors, aliases,
// custom tags or foot comments. For that shape it writes exactly what
// yaml.v3's encoder writes (indent 2, compact sequences, as kyaml
// configures it), decision for decision: the same tag elision, the same
// choice between plain, quoted and literal scalars
// (yaml_emitter_analyze_scalar and yaml_emitter_select_scalar_style in
// yaml.v3's emitterc.go), the same indentation and comment placement.
// Anything else is left to yaml.v3 itself: simple reports whether an item
// has the shape, and Write encodes the others with yaml.v3. The tests
// compare the two on random and fuzzed trees.
//
// It exists because yaml.v3's emitter queues every event of a document in
// a slice it never shortens, which makes encoding a large list allocate
// several times the list's size; this emitter allocates nothing per node.

// where a node is, which decides what it may carry.
type where int

const (
	atKey      where = iota // a mapping key
	atValue                 // a mapping value
	atItem                  // an entry of a block sequence that is not itself an entry of a sequence
	atNested                // an entry of a block sequence that is an entry of a sequence ("- - a")
	atFlowItem              // an entry of a flow sequence
)

// simple reports whether n, an item of the list, has the shape this
// emitter writes.
func simple(n *yaml.Node) bool {
	var buf bytes.Buffer
	return (&emitter{buf: &buf}).item(n)
}

// check reports whether the node itself (not its children) has the shape
// this emitter writes at a place.
func check(n *yaml.Node, at where) bool {
	if n.Anchor != "" || n.FootComment != "" || n.Style&yaml.TaggedStyle != 0 {
		return false
	}
	if n.HeadComment != "" && ((at != atKey && at != atItem) || !validComment(n.HeadComment)) {
		return false
	}
	if n.LineComment != "" && (n.Kind != yaml.ScalarNode || at == atKey || at == atFlowItem || !validComment(n.LineComment) ||
		strings.Contains(n.LineComment, "\n")) {
		return false
	}
	switch n.Kind {
	case yaml.MappingNode:
		if at == atKey || at == atFlowItem || (n.Tag != "" && n.Tag != "!!map") || len(n.Content)%2 != 0 {
			return false
		}
		return n.Style&yaml.FlowStyle == 0 || len(n.Content) == 0
	case yaml.SequenceNode:
		return at != atKey && at != atFlowItem && (n.Tag == "" || n.Tag == "!!seq")
	case yaml.ScalarNode:
		return true // scalarStyle checks the rest
	}
	return false
}

// validComment reports whether c is comment lines that yaml.v3 writes as
// they are: each starting with '#', printable ASCII, none empty.
func validComment(c string) bool {
	for _, line := range strings.Split(c, "\n") {
		if line == "" || line[0] != '#' {
			return false
		}
		for i := 0; i < len(line); i++ {
			if line[i] < 0x20 || line[i] > 0x7e {
				return false
			}
		}
	}
	return true
}

type style int

const (
	plain style = iota
	singleQuoted
	doubleQuoted
	literal
)

// knownTag reports whether yaml.v3's resolver gives the tag; a scalar
// with any other tag may keep it in the output, which this emitter does
// not write.
func knownTag(t string) bool {
	switch t {
	case "", "!!str", "!!int", "!!bool", "!!null", "!!float", "!!timestamp":
		return true
	}
	return false
}

// scalarStyle is how yaml.v3 writes the scalar n at a place. ok is false
// when the scalar is not of the shape this emitter writes.
func scalarStyle(n *yaml.Node, at where) (s style, ok bool) {
	v := n.Value
	if !knownTag(n.Tag) {
		return 0, false
	}
	multiline := false
	for i := 0; i < len(v); i++ {
		if v[i] == '\n' {
			multiline = true
		} else if v[i] < 0x20 || v[i] > 0x7e {
			return 0, false // tabs, other line breaks, control and non-ASCII characters
		}
	}
	// encoder.node: drop the tag when the value resolves to it anyway, and
	// quote a string that would otherwise resolve to something else.
	force := false
	if n.Tag != "" {
		quoted := n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
		if !(n.Tag == "!!str" && quoted) {
			r := resolve(v)
			switch {
			case r == n.Tag:
			case n.Tag == "!!str":
				force = true
			default:
				return 0, false // the tag would be written
			}
		}
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		s = doubleQuoted
	case n.Style&yaml.SingleQuotedStyle != 0:
		s = singleQuoted
	case n.Style&yaml.LiteralStyle != 0:
		s = literal
	case n.Style&yaml.FoldedStyle != 0:
		return 0, false
	case multiline:
		s = literal
	case force:
		s = doubleQuoted
	default:
		s = plain
	}
	if multiline {
		// Only literal blocks where yaml.v3 keeps them: not in a key or
		// a flow sequence, no trailing space, no space before a break.
		if s != literal || at == atKey || at == atFlowItem || v[len(v)-1] == ' ' || strings.Contains(v, " \n") {
			return 0, false
		}
		return literal, true
	}
	if s == literal {
		// A single-line literal: block_allowed holds unless it ends with
		// a space, and the emitter writes it as a block. Rare: leave it.
		return 0, false
	}
	// yaml_emitter_select_scalar_style, for a single-line printable ASCII
	// value: single quotes are always allowed, plain only where
	// analyze_scalar allows it.
	if s == plain {
		flow := at == atFlowItem
		if !plainAllowed(v, flow) || (v == "" && (at == atKey || flow)) {
			s = singleQuoted
		}
	}
	return s, true
}

// resolve is the tag yaml.v3 resolves a plain scalar to. yaml.v3's
// resolve returns !!str at once for a value whose first character is not
// in its resolveTable; the rest goes through yaml.v3 itself.
func resolve(v string) string {
	if v != "" && !strings.ContainsRune("+-0123456789yYnNtTfFoO~.", rune(v[0])) {
		return "!!str"
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: v}
	return n.ShortTag()
}

// plainAllowed is yaml_emitter_analyze_scalar's block_plain_allowed (or
// flow_plain_allowed) for a single-line printable ASCII value.
func plainAllowed(v string, flow bool) bool {
	if v == "" {
		return !flow
	}
	if v[0] == ' ' || v[len(v)-1] == ' ' {
		return false
	}
	if strings.HasPrefix(v, "---") || strings.HasPrefix(v, "...") {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		followedBySpace := i+1 >= len(v) || v[i+1] == ' '
		if i == 0 {
			switch c {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				return false
			case '?', ':':
				if flow || followedBySpace {
					return false
				}
			case '-':
				if followedBySpace {
					return false
				}
			}
			continue
		}
		switch c {
		case ',', '?', '[', ']', '{', '}':
			if flow {
				return false
			}
		case ':':
			if flow || followedBySpace {
				return false
			}
		case '#':
			if v[i-1] == ' ' {
				return false
			}
		}
	}
	return true
}

// emitter writes nodes that simple accepted.
type emitter struct {
	buf *bytes.Buffer
}

func (e *emitter) indent(n int) {
	for ; n > 0; n-- {
		e.buf.WriteByte(' ')
	}
}

// comment writes comment lines at column ind; inline writes the first
// one on the current line, where the column is ind already.
func (e *emitter) comment(c string, ind int, inline bool) {
	for i, line := range strings.Split(c, "\n") {
		if i > 0 || !inline {
			e.indent(ind)
		}
		e.buf.WriteString(line)
		e.buf.WriteByte('\n')
	}
}

// scalar writes the scalar n in the style s that scalarStyle gave it; ind
// is the column of its key or dash.
func (e *emitter) scalar(n *yaml.Node, s style, ind int) {
	v := n.Value
	switch s {
	case plain:
		e.buf.WriteString(v)
	case singleQuoted:
		e.buf.WriteByte('\'')
		for i := 0; i < len(v); i++ {
			if v[i] == '\'' {
				e.buf.WriteByte('\'')
			}
			e.buf.WriteByte(v[i])
		}
		e.buf.WriteByte('\'')
	case doubleQuoted:
		e.buf.WriteByte('"')
		for i := 0; i < len(v); i++ {
			if v[i] == '"' || v[i] == '\\' {
				e.buf.WriteByte('\\')
			}
			e.buf.WriteByte(v[i])
		}
		e.buf.WriteByte('"')
	case literal:
		// yaml_emitter_write_literal_scalar: the header with its hints,
		// then the lines at ind+2; empty lines stay empty.
		e.buf.WriteByte('|')
		if v[0] == ' ' || v[0] == '\n' {
			e.buf.WriteByte('2')
		}
		switch {
		case v[len(v)-1] != '\n':
			e.buf.WriteByte('-')
		case len(v) == 1 || v[len(v)-2] == '\n':
			e.buf.WriteByte('+')
		}
		e.buf.WriteByte('\n')
		for len(v) > 0 {
			line := v
			i := strings.IndexByte(v, '\n')
			if i >= 0 {
				line, v = v[:i], v[i+1:]
			} else {
				v = ""
			}
			if line != "" {
				e.indent(ind + 2)
				e.buf.WriteString(line)
			}
			if i >= 0 || line != "" {
				e.buf.WriteByte('\n')
			}
		}
	}
}

// value writes what follows a "key:" or a "-": the rest of the line for a
// scalar, an empty collection or a flow sequence, else a line break and
// the block. ind is the column of the key or of the dash. It returns
// false, having written part of v, when v is not of the emitter's shape.
func (e *emitter) value(v *yaml.Node, ind int, at where) bool {
	if !check(v, at) {
		return false
	}
	switch {
	case v.Kind == yaml.ScalarNode:
		s, ok := scalarStyle(v, at)
		if !ok || (s == literal && v.LineComment != "") {
			return false
		}
		if v.Value != "" || s != plain {
			e.buf.WriteByte(' ')
		}
		e.scalar(v, s, ind)
		if s == literal {
			return true
		}
		if v.LineComment != "" {
			e.buf.WriteByte(' ')
			e.buf.WriteString(v.LineComment)
		}
		e.buf.WriteByte('\n')
		return true
	case len(v.Content) == 0 && v.Kind == yaml.MappingNode:
		e.buf.WriteString(" {}\n")
		return true
	case len(v.Content) == 0:
		e.buf.WriteString(" []\n")
		return true
	case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle != 0:
		e.buf.WriteString(" [")
		for i, c := range v.Content {
			if c.Kind != yaml.ScalarNode || !check(c, atFlowItem) {
				return false
			}
			s, ok := scalarStyle(c, atFlowItem)
			if !ok {
				return false
			}
			if i > 0 {
				e.buf.WriteString(", ")
			}
			e.scalar(c, s, ind)
		}
		e.buf.WriteString("]\n")
		return true
	case at == atValue && v.Kind == yaml.MappingNode:
		e.buf.WriteByte('\n')
		return e.mapping(v, ind+2, false)
	case at == atValue:
		// A sequence in a mapping is compact: its dashes align with the
		// keys.
		e.buf.WriteByte('\n')
		return e.sequence(v, ind, false, atItem)
	case v.Kind == yaml.MappingNode:
		// In a sequence, a collection starts on the dash's line.
		e.buf.WriteByte(' ')
		return e.mapping(v, ind+2, true)
	default:
		e.buf.WriteByte(' ')
		return e.sequence(v, ind+2, true, atNested)
	}
}

// mapping writes a block mapping whose keys are at column ind; inline
// when its first key goes on the current line, after a dash.
func (e *emitter) mapping(m *yaml.Node, ind int, inline bool) bool {
	for i := 0; i < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind != yaml.ScalarNode || len(k.Value) > 128 || !check(k, atKey) {
			return false
		}
		s, ok := scalarStyle(k, atKey)
		if !ok {
			return false
		}
		first := i == 0 && inline
		if k.HeadComment != "" {
			// After a dash, the first line of the comment goes on the
			// dash's line.
			e.comment(k.HeadComment, ind, first)
			first = false
		}
		if !first {
			e.indent(ind)
		}
		e.scalar(k, s, ind)
		e.buf.WriteByte(':')
		if !e.value(m.Content[i+1], ind, atValue) {
			return false
		}
	}
	return true
}

// sequence writes a block sequence whose dashes are at column ind.
func (e *emitter) sequence(s *yaml.Node, ind int, inline bool, at where) bool {
	for i, c := range s.Content {
		if c.HeadComment != "" {
			e.comment(c.HeadComment, ind, false)
		}
		if i > 0 || !inline {
			e.indent(ind)
		}
		e.buf.WriteByte('-')
		if !e.value(c, ind, at) {
			return false
		}
	}
	return true
}

// item writes an item of the list's items. It returns false, having
// written part of it, when n is not of the emitter's shape: the caller
// then drops what was written and leaves the item to yaml.v3.
func (e *emitter) item(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode || !check(n, atItem) {
		return false
	}
	if n.HeadComment != "" {
		e.comment(n.HeadComment, 0, false)
	}
	e.buf.WriteByte('-')
	return e.value(n, 0, atItem)
}
