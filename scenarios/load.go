package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
	if err := checkText(file, src); err != nil {
		return nil, err
	}
	empty := &Error{Pos: Pos{File: file}, Msg: "empty scenario: it needs at least a [[pools]] and a [[jobs]] table"}
	if strings.TrimSpace(src) == "" {
		return nil, empty
	}
	if err := checkShape(file, src); err != nil {
		return nil, err
	}
	var tree map[string]any
	if _, err := toml.Decode(src, &tree); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Pos: syntaxPos(file, src, pe.Position), Msg: "TOML syntax: " + pe.Message}
		}
		return nil, &Error{Pos: Pos{File: file}, Msg: err.Error()}
	}
	if len(tree) == 0 { // comments only
		return nil, empty
	}
	pos, strs := locateAll(src)
	return &Doc{File: file, dir: dir, tree: tree, pos: pos, strs: strs}, nil
}

// syntaxPos places a syntax error at the byte the decoder points at: its
// own line count is one ahead when the error is at the end of a line.
func syntaxPos(file, src string, p toml.Position) Pos {
	if p.Start <= 0 || p.Start > len(src) {
		return Pos{File: file, Line: p.Line, Col: p.Col}
	}
	before := src[:p.Start]
	line := 1 + strings.Count(before, "\n")
	col := 1 + utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:])
	return Pos{File: file, Line: line, Col: col}
}

// checkText refuses text that is not UTF-8 without NUL bytes, at the first
// bad byte.
func checkText(file, src string) *Error {
	if strings.HasPrefix(src, "\xff\xfe") || strings.HasPrefix(src, "\xfe\xff") {
		return &Error{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "a UTF-16 file (it starts with a UTF-16 byte order mark), not a TOML scenario: save it as UTF-8"}
	}
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, w := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == 0:
			return &Error{Pos: Pos{File: file, Line: line, Col: col}, Msg: "binary data (a NUL byte), not a TOML scenario; a file saved as UTF-16 looks like this: save it as UTF-8"}
		case r == utf8.RuneError && w == 1:
			return &Error{Pos: Pos{File: file, Line: line, Col: col}, Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x), not a TOML scenario: save it as UTF-8", src[i])}
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += w
	}
	return nil
}

// Scenario applies the overrides, in order, to a copy of the document and
// decodes it into a validated scenario. Errors are an ErrorList.
func (d *Doc) Scenario(sets ...Set) (*model.Scenario, error) {
	if len(sets) > MaxSets {
		return nil, &Error{Pos: Pos{Flag: sets[MaxSets].Flag()}, Msg: fmt.Sprintf("more than %d --set flags: the limit of a run", MaxSets)}
	}
	tree := deepCopy(d.tree)
	r := &reader{file: d.File, pos: d.pos, strs: d.strs, flags: map[string]string{}, origin: map[string]Pos{}, files: fileReader{dir: d.dir}}
	for _, s := range sets {
		path, err := s.apply(tree)
		if err != nil {
			return nil, &Error{Pos: Pos{Flag: s.Flag()}, Msg: err.Error()}
		}
		if s.at != nil {
			r.origin[join(path)] = *s.at
		} else {
			r.flags[join(path)] = s.Flag()
		}
	}
	sc := r.scenario(r.root(tree))
	if sc.Name == "" { // a file's name says what it is
		sc.Name = strings.TrimSuffix(filepath.Base(d.File), filepath.Ext(d.File))
	}
	r.validate(sc)
	if err := r.errs.Err(); err != nil {
		return nil, err
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
	if _, err := os.Stat(arg); err == nil {
		fh, err := openRegular(arg)
		if err != nil {
			return nil, &Error{Pos: Pos{File: arg}, Msg: unwrapPathErr(err).Error()}
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil && st.Size() > MaxScenarioBytes {
			return nil, &Error{Pos: Pos{File: arg}, Msg: fmt.Sprintf("file is %d bytes, more than the limit of %d", st.Size(), MaxScenarioBytes)}
		}
		data, err := readAll(fh, MaxScenarioBytes) // the file may grow since it was checked
		if err != nil {
			return nil, &Error{Pos: Pos{File: arg}, Msg: unwrapPathErr(err).Error()}
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

// validate adds the model's problems with the scenario to the decoder's:
// the decoder reads types, every other rule is the model's (model.Validate).
// A problem names a key, which is placed in the file or at its --set flag.
// Where the decoder could not read a key, the model saw a default instead:
// its problems about that key (or a key above or below it) and those of
// rules that relate keys are left out, since they would be about values
// the file does not hold.
func (r *reader) validate(sc *model.Scenario) {
	err := sc.Validate()
	if err == nil {
		return
	}
	var ps model.Problems
	if !errors.As(err, &ps) {
		r.errs.Add(Pos{File: r.file}, "", "%v", err)
		return
	}
	for _, p := range ps {
		if len(r.unread) > 0 && (p.Related || r.touchesUnread(p.Key)) {
			continue
		}
		r.errs.Add(r.at(p.Key), p.Path, "%s", p.Msg)
	}
}

// touchesUnread reports whether key is, or is above or below, a key the
// decoder could not read.
func (r *reader) touchesUnread(key []string) bool {
	for _, u := range r.unread {
		n := min(len(u), len(key))
		if slices.Equal(u[:n], key[:n]) {
			return true
		}
	}
	return false
}
