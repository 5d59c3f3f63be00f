package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxFileBytes caps the size of one imported file.
const MaxFileBytes = 64 << 20

// readFile reads a whole input file, at most MaxFileBytes.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, errorf(name, "", "%v", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, errorf(name, "", "is a folder, not a file")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, errorf(name, "", "%v", err)
	}
	if len(data) > MaxFileBytes {
		return nil, errorf(name, "", "more than the limit of %d bytes", MaxFileBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // PowerShell's UTF-8 BOM
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return nil, errorf(name, "", "a UTF-16 file (PowerShell's > writes those): save it as UTF-8 (Out-File -Encoding utf8)")
	}
	return data, nil
}

// parseJSON decodes one JSON document, numbers kept as json.Number. A
// syntax error names the line and column.
func parseJSON(file string, data []byte) (node, error) {
	if !utf8.Valid(data) {
		return node{}, errorf(file, "", "not UTF-8 text")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return node{}, jsonSyntax(file, data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		off := int(dec.InputOffset())
		l, c := lineCol(data, off)
		return node{}, &Error{File: file, Line: l, Col: c, Msg: "more than one JSON value (one JSON object a line is read only as a Batch diagnostic log)"}
	}
	return node{v: v, path: "$", file: file}, nil
}

func jsonSyntax(file string, data []byte, err error) *Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := -1
	switch {
	case errors.As(err, &se):
		off = int(se.Offset) - 1 // Offset is just after the bad byte
	case errors.As(err, &te):
		off = int(te.Offset)
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) == 0:
		return errorf(file, "", "empty file, not JSON")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		off = len(data)
	}
	if off < 0 {
		return errorf(file, "", "JSON: %v", err)
	}
	l, c := lineCol(data, off)
	return &Error{File: file, Line: l, Col: c, Msg: "JSON syntax: " + strings.TrimPrefix(err.Error(), "json: ")}
}

func lineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line := 1 + bytes.Count(before, []byte("\n"))
	col := 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, col
}

// node is a value in a decoded JSON (or YAML) document with its path, so
// that every error names where it is.
type node struct {
	v    any
	path string
	file string
}

func (n node) errorf(format string, a ...any) *Error {
	return &Error{File: n.file, Path: n.path, Msg: fmt.Sprintf(format, a...)}
}

// kind names a JSON value's type for messages.
func (n node) kind() string {
	switch v := n.v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", clip(v))
	case bool:
		return fmt.Sprintf("%v", v)
	case json.Number:
		return "the number " + v.String()
	case yamlNumber:
		return "the number " + string(v)
	}
	return fmt.Sprintf("%v", n.v)
}

func (n node) object() (map[string]any, bool) {
	m, ok := n.v.(map[string]any)
	return m, ok
}

// get returns member key of an object: the exact name, else one spelled in
// another case (ARM is case-insensitive). ok is false when n is not an
// object, the member is absent, or it is null.
func (n node) get(key string) (node, bool) {
	m, ok := n.v.(map[string]any)
	if !ok {
		return node{}, false
	}
	name := key
	v, ok := m[key]
	if !ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys) // deterministic when two spellings exist
		for _, k := range keys {
			if strings.EqualFold(k, key) {
				v, ok, name = m[k], true, k
				break
			}
		}
	}
	if !ok || v == nil {
		return node{}, false
	}
	return node{v: v, path: n.path + "." + name, file: n.file}, true
}

// has reports whether member key is present and not null.
func (n node) has(key string) bool { _, ok := n.get(key); return ok }

// at follows a dotted path of members ("properties.scaleSettings").
func (n node) at(dotted string) (node, bool) {
	cur := n
	for _, k := range strings.Split(dotted, ".") {
		var ok bool
		if cur, ok = cur.get(k); !ok {
			return node{}, false
		}
	}
	return cur, true
}

// req is get for a required member.
func (n node) req(key string) (node, error) {
	if c, ok := n.get(key); ok {
		return c, nil
	}
	return node{}, &Error{File: n.file, Path: n.path + "." + key, Msg: "missing"}
}

// items returns the elements of an array.
func (n node) items() ([]node, error) {
	a, ok := n.v.([]any)
	if !ok {
		return nil, n.errorf("must be an array, got %s", n.kind())
	}
	out := make([]node, len(a))
	for i, v := range a {
		out[i] = node{v: v, path: n.path + "[" + strconv.Itoa(i) + "]", file: n.file}
	}
	return out, nil
}

func (n node) str() (string, error) {
	s, ok := n.v.(string)
	if !ok {
		return "", n.errorf("must be a string, got %s", n.kind())
	}
	return s, nil
}

// optStr returns member key as a string, "" when absent.
func (n node) optStr(key string) (string, error) {
	c, ok := n.get(key)
	if !ok {
		return "", nil
	}
	return c.str()
}

func (n node) reqStr(key string) (string, error) {
	c, err := n.req(key)
	if err != nil {
		return "", err
	}
	s, err := c.str()
	if err == nil && strings.TrimSpace(s) == "" {
		return "", c.errorf("must not be empty")
	}
	return s, err
}

// num returns a finite number (a JSON number, or a string holding one, as
// some exports quote numbers).
func (n node) num() (float64, error) {
	var s string
	switch v := n.v.(type) {
	case json.Number:
		s = v.String()
	case string:
		s = strings.TrimSpace(v)
	case yamlNumber:
		s = strings.ReplaceAll(string(v), "_", "")
	case float64:
		s = strconv.FormatFloat(v, 'g', -1, 64)
	case int:
		return float64(v), nil
	default:
		return 0, n.errorf("must be a number, got %s", n.kind())
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, n.errorf("must be a number, got %s", n.kind())
	}
	return x, nil
}

// count returns a whole number in [lo, hi].
func (n node) count(lo, hi int) (int, error) {
	x, err := n.num()
	if err != nil || x != math.Trunc(x) || x < float64(lo) || x > float64(hi) {
		return 0, n.errorf("must be a whole number between %d and %d, got %s", lo, hi, n.kind())
	}
	return int(x), nil
}

func (n node) boolean() (bool, error) {
	switch v := n.v.(type) {
	case bool:
		return v, nil
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(v)); err == nil {
			return b, nil
		}
	}
	return false, n.errorf("must be true or false, got %s", n.kind())
}

// timestamp parses an RFC 3339 time.
func (n node) timestamp() (time.Time, error) {
	s, err := n.str()
	if err != nil {
		return time.Time{}, err
	}
	t, err := parseTime(s)
	if err != nil {
		return time.Time{}, n.errorf("%v", err)
	}
	return t, nil
}

// isoDuration parses an ISO 8601 duration (PT15M).
func (n node) isoDuration() (time.Duration, error) {
	s, err := n.str()
	if err != nil {
		return 0, err
	}
	d, err := ParseISODuration(s)
	if err != nil {
		return 0, n.errorf("%v", err)
	}
	return d, nil
}
