// Command yamlrt is the bare YAML cost of a KRM function: it decodes stdin
// into yaml.v3 nodes and encodes them back (indent 2, compact sequences,
// as kyaml writes), with no KRM logic at all.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "yamlrt:", err)
		os.Exit(1)
	}
}

func run(r io.Reader, w io.Writer) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	enc := yaml.NewEncoder(bw)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		if err := enc.Encode(&n); err != nil {
			return err
		}
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return bw.Flush()
}
