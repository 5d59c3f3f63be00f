package scenarios

import (
	"embed"
	"path"
	"sort"
	"strings"
)

//go:embed builtin/*.toml
var builtinFS embed.FS

// DefaultName is the built-in scenario `spotsim run` uses without arguments.
const DefaultName = "default"

// Builtin describes a built-in scenario.
type Builtin struct {
	Name        string
	Description string
}

// BuiltinSource returns the TOML text of a built-in scenario.
func BuiltinSource(name string) (string, bool) { return builtinSource(name) }

func builtinSource(name string) (string, bool) {
	data, err := builtinFS.ReadFile("builtin/" + name + ".toml")
	if err != nil || strings.ContainsAny(name, "/\\") {
		return "", false
	}
	return string(data), true
}

// BuiltinNames returns the names of the built-in scenarios, sorted.
func BuiltinNames() []string {
	ents, _ := builtinFS.ReadDir("builtin")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
	}
	sort.Strings(out)
	return out
}

// Builtins lists the built-in scenarios with their descriptions.
func Builtins() []Builtin {
	var out []Builtin
	for _, n := range BuiltinNames() {
		b := Builtin{Name: n}
		if d, err := Open(n); err == nil {
			b.Description, _ = d.tree["description"].(string)
		}
		out = append(out, b)
	}
	return out
}
