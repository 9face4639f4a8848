// Package yamlsrc reads YAML as the user wrote it: the documents of a
// stream with the line each begins on, and a syntax error told as a
// person reads it, at the line where the parser stopped.
//
// kyaml parses each document of a stream on its own, so its line numbers
// (and its parser's, which also names the line where the enclosing block
// began rather than the one it stopped at) count from the top of the
// document, not of the file.
package yamlsrc

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Doc is one document of a stream.
type Doc struct {
	// Text is the document, as kio.ByteReader gives it to the parser.
	Text string
	// Line is the line of the stream the document begins on, from 1.
	Line int
}

// separator is kio.ByteReader's: a line starting with ---.
var separator = regexp.MustCompile(`\n---.*\n`)

// Split cuts a stream into its documents as kio.ByteReader does (CRLF
// line ends taken as LF); a separator followed by anything but a comment
// is an error, as there.
func Split(s string) ([]Doc, error) {
	var docs []Doc
	err := Each(s, func(d Doc) error {
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return docs, nil
}

// Each calls f on each document of the stream, in order, as Split cuts
// them, without holding them all: it stops at f's first error, or
// Split's.
func Each(s string, f func(Doc) error) error {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s == "" {
		return nil
	}
	prev, line := 0, 1
	for _, loc := range separator.FindAllStringIndex(s, -1) {
		sep := s[loc[0]:loc[1]]
		if rest := strings.TrimSpace(sep[4:]); rest != "" && rest[0] != '#' {
			return &SyntaxError{Line: line + strings.Count(s[prev:loc[0]], "\n") + 1,
				Cause: fmt.Sprintf("%q is not a document separator: nothing but a comment may follow --- on its line", strings.TrimSpace(sep))}
		}
		// The separator's line feed ends the document, as kio.ByteReader
		// puts it back.
		if err := f(Doc{Text: s[prev:loc[0]] + "\n", Line: line}); err != nil {
			return err
		}
		line += strings.Count(s[prev:loc[1]], "\n")
		prev = loc[1]
	}
	return f(Doc{Text: s[prev:], Line: line})
}

// Shift adds by to the line of n and of every node under it, so that
// lines counted from the top of a document count from the top of its
// stream.
func Shift(n *yaml.Node, by int) {
	if n == nil || by == 0 {
		return
	}
	n.Line += by
	if n.Kind == yaml.AliasNode {
		return // its anchor is shifted where it stands
	}
	for _, c := range n.Content {
		Shift(c, by)
	}
}

// SyntaxError is YAML that does not parse.
type SyntaxError struct {
	// Line in the stream where the parser stopped; 0 when unknown.
	Line int
	// Cause says what is wrong, and what likely fixes it.
	Cause string
}

func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return "not valid YAML: " + e.Cause
	}
	return fmt.Sprintf("%d: not valid YAML: %s", e.Line, e.Cause)
}

// Explain turns the parser's error err about doc into a SyntaxError: the
// line where the parser stopped, found as the shortest run of the
// document's first lines that fails the same way (the parser's own line
// is where the enclosing block began, or one before), and the cause in
// words. When that line cannot be told, Line is 0: no line rather than a
// wrong one.
func Explain(doc Doc, err error) *SyntaxError {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se
	}
	msg := message(err)
	if len(doc.Text) > maxSearch {
		// Each step of the search parses up to the whole document: past
		// this size it would cost more than the run; no line then.
		return &SyntaxError{Cause: cause(msg)}
	}
	lines := strings.SplitAfter(doc.Text, "\n")
	fails := func(k int) bool {
		e := decode(strings.Join(lines[:k], ""))
		return e != nil && message(e) == msg
	}
	// The first lines up to lo parse; up to hi they fail as the whole does.
	lo, hi := 0, len(lines)
	if !fails(hi) {
		return &SyntaxError{Cause: cause(msg)}
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if decode(strings.Join(lines[:mid], "")) == nil {
			lo = mid
		} else {
			hi = mid
		}
	}
	if !fails(hi) {
		// A different error ends a shorter run (a block that a later
		// line closes): where this one stopped is not known.
		return &SyntaxError{Cause: cause(msg)}
	}
	return &SyntaxError{Line: doc.Line + hi - 1, Cause: cause(msg)}
}

// maxSearch bounds the document Explain searches for the line.
const maxSearch = 8 << 20

func decode(s string) error {
	var n yaml.Node
	err := yaml.NewDecoder(bytes.NewBufferString(s)).Decode(&n)
	if err != nil && err.Error() == "EOF" {
		return nil
	}
	return err
}

var lineRef = regexp.MustCompile(`^yaml: line \d+: `)

// message is the parser's message without its wrapping and its line.
func message(err error) string {
	m := err.Error()
	if i := strings.LastIndex(m, "MalformedYAMLError: "); i >= 0 {
		m = m[i+len("MalformedYAMLError: "):]
	}
	m = lineRef.ReplaceAllString(m, "")
	return strings.TrimPrefix(m, "yaml: ")
}

// causes put the parser's messages in words: what is likely wrong, and
// what to do.
var causes = []struct{ parser, words string }{
	{"mapping values are not allowed in this context",
		"a `key: value` where none can start: is this line indented deeper than the field above it, or is the `:` of the line above missing? A value that holds \": \" must be quoted"},
	{"did not find expected key",
		"this line is indented like no field above it: indent it as the fields it belongs with (with spaces)"},
	{"did not find expected '-' indicator",
		"a list item is expected here: start the line with \"- \" at the items' indentation, or indent it under an item"},
	{"found character that cannot start any token",
		"a character that cannot start a value here, such as a tab (YAML indents with spaces only), or an @ or ` that must be quoted"},
	{"found unexpected end of stream",
		"a quote opened on this line is never closed"},
	{"did not find expected ',' or ']'",
		"a [ opened on this line is never closed, or its items are not separated by commas"},
	{"did not find expected ',' or '}'",
		"a { opened on this line is never closed, or its fields are not separated by commas"},
	{"could not find expected ':'",
		"a key without its `:`"},
	{"did not find expected node content",
		"a value is missing where one must be"},
	{"block sequence entries are not allowed in this context",
		"a list item (\"- \") where a value of the line above goes: move it to its own line, indented under its field"},
	{"found a tab character that violates indentation",
		"a tab in the indentation: YAML indents with spaces only"},
	{"found a tab character where an indentation space is expected",
		"a tab in the indentation: YAML indents with spaces only"},
}

func cause(msg string) string {
	for _, c := range causes {
		if strings.HasPrefix(msg, c.parser) {
			return msg + ": " + c.words
		}
	}
	return msg
}
