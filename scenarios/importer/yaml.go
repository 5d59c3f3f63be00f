package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// parseYAML decodes one YAML document into the generic values the JSON
// readers use (maps with string keys, strings, numbers, booleans), so YAML
// and JSON share node's checks. lines maps a value's path to its line, for
// errors. Anchors and aliases are refused (an Azure ML YAML has none, and
// they could expand without bound).
func parseYAML(file string, data []byte) (node, map[string]int, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return node{}, nil, yamlErr(file, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return node{}, nil, errorf(file, "", "empty YAML file")
	}
	lines := map[string]int{}
	v, err := yamlValue(file, doc.Content[0], "$", lines, 0)
	if err != nil {
		return node{}, nil, err
	}
	return node{v: v, path: "$", file: file}, lines, nil
}

func yamlErr(file string, err error) error {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, tail, ok := strings.Cut(rest, ": "); ok {
			if l, err := strconv.Atoi(n); err == nil {
				return &Error{File: file, Line: l, Msg: "YAML syntax: " + tail}
			}
		}
	}
	return errorf(file, "", "YAML syntax: %s", msg)
}

func yamlValue(file string, n *yaml.Node, path string, lines map[string]int, depth int) (any, error) {
	if depth > 64 {
		return nil, &Error{File: file, Line: n.Line, Msg: "YAML nested too deep"}
	}
	lines[path] = n.Line
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, &Error{File: file, Line: k.Line, Msg: "a YAML key must be a plain name"}
			}
			if _, dup := m[k.Value]; dup {
				return nil, &Error{File: file, Line: k.Line, Path: path + "." + k.Value, Msg: "given twice"}
			}
			v, err := yamlValue(file, n.Content[i+1], path+"."+k.Value, lines, depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		a := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := yamlValue(file, c, fmt.Sprintf("%s[%d]", path, i), lines, depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		return a, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			b, err := strconv.ParseBool(strings.ToLower(n.Value))
			if err != nil {
				return n.Value, nil
			}
			return b, nil
		case "!!int", "!!float":
			return yamlNumber(n.Value), nil
		}
		return n.Value, nil
	case yaml.AliasNode:
		return nil, &Error{File: file, Line: n.Line, Msg: "YAML aliases (*name) are not read: write the value out"}
	}
	return nil, &Error{File: file, Line: n.Line, Msg: "unexpected YAML"}
}

// yamlNumber keeps a YAML number as text in the form node.num reads.
type yamlNumber string

// at returns the line of a path (or of the nearest parent that has one).
func yamlLine(lines map[string]int, path string) int {
	for p := path; p != ""; {
		if l, ok := lines[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

// withLine adds the YAML line of its path to an *Error.
func withLine(err error, lines map[string]int) error {
	var e *Error
	if errors.As(err, &e) && e.Line == 0 && e.Path != "" {
		e.Line = yamlLine(lines, e.Path)
	}
	return err
}
