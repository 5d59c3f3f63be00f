package scenarios

import (
	"reflect"
	"strings"
	"testing"
)

const refBase = `[simulation]
replications = 5

[[pools]]
name = "main"
vm_size = "Standard_D4s_v5"
target_dedicated_nodes = 2
target_low_priority_nodes = 20
preemption = { model = "exponential", mean_time_to_preemption = "8h" }

[[jobs]]
name = "render"
tasks = 50
duration = "10m"
`

// TestReference: the reference is the scenario as run (--set), then the
// [reference] keys in file order, then --reference; name and description
// label it.
func TestReference(t *testing.T) {
	d, err := ParseDoc("r.toml", refBase+`
[reference]
name = "today"
description = "ten dedicated nodes"
pools.main.target_low_priority_nodes = 0
pools.main.target_dedicated_nodes = 10
`, "")
	if err != nil {
		t.Fatal(err)
	}
	set, _ := ParseSet("jobs.render.tasks=80")
	flag, _ := ParseReference("pools.main.target_dedicated_nodes=12")
	ref, err := d.Reference([]Set{set}, flag)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"pools.main.target_low_priority_nodes=0", "pools.main.target_dedicated_nodes=10", "pools.main.target_dedicated_nodes=12"}; !reflect.DeepEqual(ref.Overrides, want) {
		t.Errorf("overrides %q, want %q", ref.Overrides, want)
	}
	p := ref.Scenario.Pools[0]
	if ref.Name != "today" || ref.Description != "ten dedicated nodes" || ref.Scenario.Name != "today" ||
		p.TargetDedicatedNodes != 12 || p.TargetLowPriorityNodes != 0 || ref.Scenario.Jobs[0].Tasks != 80 {
		t.Errorf("reference %q %q: %d dedicated, %d low-priority, %d tasks", ref.Name, ref.Description, p.TargetDedicatedNodes, p.TargetLowPriorityNodes, ref.Scenario.Jobs[0].Tasks)
	}
	none, err := ParseDoc("r.toml", refBase, "")
	if err != nil {
		t.Fatal(err)
	}
	if ref, err := none.Reference(nil); ref != nil || err != nil {
		t.Errorf("no [reference], no flag: %v, %v; want none", ref, err)
	}
}

// TestReferenceErrors: a bad reference names its key's place in the file
// or its flag, like any scenario error.
func TestReferenceErrors(t *testing.T) {
	for _, tc := range []struct {
		table, flag, want string
	}{
		{"[reference]\npools.main.target_low_priorty_nodes = 0\n", "",
			`r.toml:17:1: pools.main.target_low_priorty_nodes: unknown key (did you mean "target_low_priority_nodes"?)`},
		{"[reference]\nname = \"x\"\npools.main.target_dedicated_nodes = -3\n", "", `r.toml:18:1: pools.main.target_dedicated_nodes:`},
		{"[reference]\nname = 3\n", "", `r.toml:17:1: reference.name: must be a string`},
		{"[reference]\nname = \"x\"\n", "", `r.toml:16:1: reference: names no key to change`},
		{"[reference]\nsimulation.seed = 9\n", "", `r.toml:17:1: simulation.seed: a reference runs on the scenario's random streams`},
		{"", "pools.other.target_dedicated_nodes=1", `--reference pools.other.target_dedicated_nodes=1: pools: no element named "other"`},
		{"", "pools.main.target_low_priority_nodes=x", `--reference pools.main.target_low_priority_nodes=x: pools.main.target_low_priority_nodes:`},
	} {
		var err error
		d, err := ParseDoc("r.toml", refBase+"\n"+tc.table, "")
		if err == nil {
			var refs []Set
			if tc.flag != "" {
				s, perr := ParseReference(tc.flag)
				if perr != nil {
					t.Fatal(perr)
				}
				refs = append(refs, s)
			}
			_, err = d.Reference(nil, refs...)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %q: error %v, want %q", tc.table, tc.flag, err, tc.want)
		}
	}
}
