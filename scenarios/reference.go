package scenarios

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/spotsim/spotsim/model"
)

// Reference is the setup a user runs today, to compare the scenario with
// besides the dedicated-only baseline: the scenario as run (the file, then
// --set) with the [reference] table's overrides and the --reference flags
// applied on top, in that order.
//
//	[reference]
//	name = "today"
//	pools.main.target_dedicated_nodes = 10
//	pools.main.target_low_priority_nodes = 0
type Reference struct {
	Name        string // [reference] name, or "reference"
	Description string
	// Overrides are what the reference changes, PATH=VALUE, in the order
	// applied: the file's [reference] keys, then the --reference flags.
	Overrides []string
	Scenario  *model.Scenario
}

// HasReference reports whether the document has a [reference] table.
func (d *Doc) HasReference() bool {
	_, ok := d.tree["reference"]
	return ok
}

// DefaultReferenceName names a reference whose [reference] table does not.
const DefaultReferenceName = "reference"

// Reference builds the reference scenario of the document run with sets
// (--set), from its [reference] table and refs (--reference, parsed by
// ParseReference). It returns nil when there is neither. The reference is
// validated like the file: a problem names the [reference] key's place in
// the file, or the --reference flag. The keys name and description of
// [reference] (or --reference name=...) label it; they are not overrides.
// A reference runs the scenario's replications on its random streams, so
// it may not change simulation.seed or simulation.replications.
func (d *Doc) Reference(sets []Set, refs ...Set) (*Reference, error) {
	if _, ok := d.tree["reference"]; !ok && len(refs) == 0 {
		return nil, nil
	}
	base, err := d.Scenario(sets...) // checks [reference]'s own keys too
	if err != nil {
		return nil, err
	}
	ref := &Reference{Name: DefaultReferenceName}
	var over []Set
	if m, ok := d.tree["reference"].(map[string]any); ok {
		if v, ok := m["name"].(string); ok && v != "" {
			ref.Name = v
		}
		if v, ok := m["description"].(string); ok {
			ref.Description = v
		}
		over = d.referenceKeys(m)
		if len(over) == 0 && len(refs) == 0 {
			p := d.pos["reference"]
			p.File = d.File
			return nil, &Error{Pos: p, Path: "reference", Msg: "names no key to change: add one, for example pools.main.target_low_priority_nodes = 0"}
		}
	} else if len(refs) == 0 {
		return nil, nil
	}
	for _, s := range refs {
		switch s.Path {
		case "name", "description":
			v := s.Value
			if x, ok := s.parsedValue().(string); ok {
				v = x
			}
			if s.Path == "name" {
				ref.Name = v
			} else {
				ref.Description = v
			}
			continue
		}
		over = append(over, s)
	}
	for _, s := range over {
		ref.Overrides = append(ref.Overrides, s.String())
	}
	all := append(append([]Set(nil), sets...), over...)
	sc, err := d.Scenario(all...)
	if err != nil {
		return nil, err
	}
	for _, k := range []struct {
		key      string
		same     bool
		was, now any
	}{{"simulation.seed", sc.Seed == base.Seed, base.Seed, sc.Seed},
		{"simulation.replications", sc.Replications == base.Replications, base.Replications, sc.Replications}} {
		if k.same {
			continue
		}
		pos := Pos{File: d.File}
		for _, s := range over {
			if s.Path == k.key {
				pos = Pos{File: d.File, Flag: s.Flag()}
				if s.at != nil {
					pos = *s.at
				}
			}
		}
		return nil, &Error{Pos: pos, Path: k.key, Msg: fmt.Sprintf("a reference runs on the scenario's random streams, replication by replication: it cannot change %s (%v, not %v); change it for the run instead (--set)", k.key, k.was, k.now)}
	}
	sc.Name = ref.Name
	if ref.Description != "" {
		sc.Description = ref.Description
	}
	ref.Scenario = sc
	return ref, nil
}

// referenceKeys turns the [reference] table into overrides, one per value
// (its dotted keys are nested tables to TOML), in the order of the file.
func (d *Doc) referenceKeys(m map[string]any) []Set {
	var out []Set
	var walk func(prefix []string, m map[string]any)
	walk = func(prefix []string, m map[string]any) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if len(prefix) == 0 && (k == "name" || k == "description") {
				continue
			}
			path := append(append([]string(nil), prefix...), k)
			if sub, ok := m[k].(map[string]any); ok {
				walk(path, sub)
				continue
			}
			at := d.pos[join(append([]string{"reference"}, path...))]
			at.File = d.File
			v := m[k]
			text, err := toml.Marshal(map[string]any{"v": v})
			value := fmt.Sprint(v)
			if err == nil {
				value = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(text)), "v ="))
			}
			out = append(out, Set{Path: join(path), Value: value, at: &at, val: v})
		}
	}
	walk(nil, m)
	slices.SortStableFunc(out, func(a, b Set) int {
		return cmp.Or(cmp.Compare(a.at.Line, b.at.Line), cmp.Compare(a.at.Col, b.at.Col))
	})
	return out
}
