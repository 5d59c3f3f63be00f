package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/spotsim/spotsim/model"
)

// MaxScenarioBytes caps the size of a scenario file.
const MaxScenarioBytes = 4 << 20

// Doc is a parsed scenario document, before overrides and validation. One
// Doc can produce many scenarios (the points of a sweep).
type Doc struct {
	File string // as named to the user (a path, or "builtin:NAME")
	dir  string // folder data files are read from; "" = none
	tree map[string]any
	pos  map[string]Pos
	strs map[string]Pos // where each string value's text starts
}

// ParseDoc parses TOML text. file names it in errors; dir is the folder its
// data files are read from ("" forbids data files).
func ParseDoc(file, src, dir string) (*Doc, error) {
	if len(src) > MaxScenarioBytes {
		return nil, &Error{Pos: Pos{File: file}, Msg: fmt.Sprintf("file is %d bytes, more than the limit of %d", len(src), MaxScenarioBytes)}
	}
	if !utf8.ValidString(src) || strings.IndexByte(src, 0) >= 0 {
		return nil, &Error{Pos: Pos{File: file}, Msg: "not a TOML scenario (binary data or invalid UTF-8)"}
	}
	if strings.TrimSpace(src) == "" {
		return nil, &Error{Pos: Pos{File: file}, Msg: "empty scenario: it needs at least a [[pools]] and a [[jobs]] table"}
	}
	var tree map[string]any
	if _, err := toml.Decode(src, &tree); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Pos: Pos{File: file, Line: pe.Position.Line, Col: pe.Position.Col}, Msg: "TOML syntax: " + pe.Message}
		}
		return nil, &Error{Pos: Pos{File: file}, Msg: err.Error()}
	}
	pos, strs := locateAll(src)
	return &Doc{File: file, dir: dir, tree: tree, pos: pos, strs: strs}, nil
}

// Scenario applies the overrides, in order, to a copy of the document and
// decodes it into a validated scenario. Errors are an ErrorList.
func (d *Doc) Scenario(sets ...Set) (*model.Scenario, error) {
	tree := deepCopy(d.tree)
	r := &reader{file: d.File, pos: d.pos, strs: d.strs, flags: map[string]string{}, files: fileReader{dir: d.dir}}
	for _, s := range sets {
		path, err := s.apply(tree)
		if err != nil {
			return nil, &Error{Pos: Pos{Flag: s.Flag()}, Msg: err.Error()}
		}
		r.flags[join(path)] = s.Flag()
	}
	sc := r.scenario(r.root(tree))
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	if sc.Name == "" { // a file's name says what it is
		sc.Name = strings.TrimSuffix(filepath.Base(d.File), filepath.Ext(d.File))
	}
	if err := sc.Validate(); err != nil { // a bug in the decoder if it ever fires
		return nil, &Error{Pos: Pos{File: d.File}, Msg: err.Error()}
	}
	return sc, nil
}

// Load reads a scenario from a file, or a built-in one by name, and applies
// the overrides.
func Load(arg string, sets ...Set) (*model.Scenario, error) {
	d, err := Open(arg)
	if err != nil {
		return nil, err
	}
	return d.Scenario(sets...)
}

// Open parses a scenario file, or a built-in scenario by name. An empty arg
// is the default built-in scenario.
func Open(arg string) (*Doc, error) {
	if arg == "" {
		arg = DefaultName
	}
	if st, err := os.Stat(arg); err == nil {
		if st.IsDir() {
			return nil, &Error{Pos: Pos{File: arg}, Msg: "is a folder, not a scenario file"}
		}
		if st.Size() > MaxScenarioBytes {
			return nil, &Error{Pos: Pos{File: arg}, Msg: fmt.Sprintf("file is %d bytes, more than the limit of %d", st.Size(), MaxScenarioBytes)}
		}
		data, err := os.ReadFile(arg)
		if err != nil {
			return nil, &Error{Pos: Pos{File: arg}, Msg: err.Error()}
		}
		return ParseDoc(arg, string(data), filepath.Dir(arg))
	}
	if src, ok := builtinSource(arg); ok {
		return ParseDoc("builtin:"+arg, src, "")
	}
	if strings.ContainsAny(arg, "/\\.") {
		return nil, &Error{Pos: Pos{File: arg}, Msg: "no such file"}
	}
	return nil, &Error{Pos: Pos{File: arg}, Msg: fmt.Sprintf("no such file or built-in scenario (built-ins: %s)", strings.Join(BuiltinNames(), ", "))}
}

func deepCopy(m map[string]any) map[string]any {
	out := maps.Clone(m)
	for k, v := range out {
		out[k] = copyValue(v)
	}
	return out
}

func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return deepCopy(x)
	case []map[string]any:
		c := make([]map[string]any, len(x))
		for i := range x {
			c[i] = deepCopy(x[i])
		}
		return c
	case []any:
		c := make([]any, len(x))
		for i := range x {
			c[i] = copyValue(x[i])
		}
		return c
	}
	return v
}
