package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Set is one override of a scenario key, as given by --set PATH=VALUE. The
// path is dotted; elements of [[pools]], [[jobs]] and [[vm_sizes]] are
// addressed by name (or index): "pools.main.target_low_priority_nodes".
// The value is read as a TOML value; text that is not one is taken as a
// string, so --set pools.main.vm_size=Standard_D8s_v5 needs no quotes.
type Set struct {
	Path  string
	Value string
	// flag is the flag the override came from ("" = --set); at, when set,
	// is the key of the file's [reference] table it came from instead, and
	// val its value as the file holds it.
	flag string
	at   *Pos
	val  any
}

// ParseSet parses "PATH=VALUE".
func ParseSet(s string) (Set, error) { return parseOverride("--set", s) }

// ParseReference parses "PATH=VALUE" given to --reference: an override of
// the reference scenario (Doc.Reference), read like --set.
func ParseReference(s string) (Set, error) {
	set, err := parseOverride("--reference", s)
	set.flag = "--reference"
	return set, err
}

func parseOverride(flag, s string) (Set, error) {
	path, value, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Set{}, &Error{Pos: Pos{Flag: flag + " " + s}, Msg: "want PATH=VALUE, for example pools.main.target_low_priority_nodes=50"}
	}
	for _, seg := range strings.Split(path, ".") {
		if seg == "" {
			return Set{}, &Error{Pos: Pos{Flag: flag + " " + s}, Msg: fmt.Sprintf("empty segment in key path %q", path)}
		}
	}
	return Set{Path: path, Value: strings.TrimSpace(value)}, nil
}

// Flag renders the override as the user wrote it: "--set PATH=VALUE",
// "--reference PATH=VALUE", or "reference.PATH" for a key of the file's
// [reference] table.
func (s Set) Flag() string {
	switch {
	case s.at != nil:
		return "reference." + s.Path
	case s.flag != "":
		return s.flag + " " + s.Path + "=" + s.Value
	}
	return "--set " + s.Path + "=" + s.Value
}

// String is the override as PATH=VALUE.
func (s Set) String() string { return s.Path + "=" + s.Value }

// parsedValue reads the value as TOML.
func (s Set) parsedValue() any {
	if s.at != nil {
		return s.val
	}
	var m map[string]any
	if _, err := toml.Decode("v = "+s.Value, &m); err == nil && len(m) == 1 { // "1\nx = 2" is no one value
		return m["v"]
	}
	return s.Value
}

// apply sets the value in tree and returns the key's path in index form.
func (s Set) apply(tree map[string]any) ([]string, error) {
	segs := strings.Split(s.Path, ".")
	if len(segs) > MaxDepth {
		return nil, fmt.Errorf("key path of %d segments, more than the limit of %d", len(segs), MaxDepth)
	}
	for _, seg := range segs {
		if len(seg) > MaxKeyLen {
			return nil, fmt.Errorf("key %q… is %d bytes long, more than the limit of %d", seg[:20], len(seg), MaxKeyLen)
		}
	}
	if s.at == nil { // the file's values were checked with the file
		if err := checkShape("", "v = "+s.Value); err != nil {
			return nil, fmt.Errorf("value: %s", err.Msg)
		}
	}
	var path []string
	cur := tree
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		path = append(path, seg)
		if i == len(segs)-1 {
			if _, isArr := cur[seg].([]map[string]any); isArr {
				return nil, fmt.Errorf("%s is an array of tables: name an element and a key (%s.NAME.KEY)", strings.Join(segs[:i+1], "."), seg)
			}
			cur[seg] = s.parsedValue()
			return path, nil
		}
		switch next := cur[seg].(type) {
		case nil:
			m := map[string]any{}
			cur[seg] = m
			cur = m
		case map[string]any:
			cur = next
		case []map[string]any:
			i++
			idx, err := element(next, segs[i])
			if err != nil {
				return nil, fmt.Errorf("%s: %v", strings.Join(segs[:i], "."), err)
			}
			path = append(path, strconv.Itoa(idx))
			cur = next[idx]
			if i == len(segs)-1 {
				return nil, fmt.Errorf("%s names a whole element: add the key to set", s.Path)
			}
		default:
			return nil, fmt.Errorf("%s is %s, not a table", strings.Join(segs[:i+1], "."), aTypeName(next))
		}
	}
	return path, nil
}

// element finds the array element whose name is sel, or whose index it is.
func element(arr []map[string]any, sel string) (int, error) {
	var names []string
	for i, m := range arr {
		name, _ := m["name"].(string)
		if name == sel {
			return i, nil
		}
		names = append(names, name)
	}
	if i, err := strconv.Atoi(sel); err == nil && i >= 0 && i < len(arr) {
		return i, nil
	}
	return 0, fmt.Errorf("no element named %q (names: %s)", sel, quoteList(names))
}
