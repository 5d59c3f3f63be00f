package scenarios_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/scenarios"
)

const base = `name = "t"
[simulation]
seed = 3
replications = 7
horizon = "2d"

[[vm_sizes]]
name = "Custom_X"
cores = 8
dedicated_price = 1.5
low_priority_price = 0.25

[[pools]]
name = "a"
vm_size = "Custom_X"
target_dedicated_nodes = 1
target_low_priority_nodes = 4
task_slots_per_node = 2
task_scheduling = "pack"
allocation_delay = { dist = "uniform", min = "1m", max = "3m" }
[pools.preemption]
rate_per_hour = 0.5
replacement_delay = "2m"

[[pools]]
name = "b"
vm_size = "Standard_D4s_v5"
target_dedicated_nodes = 2

[[jobs]]
name = "x"
pool = "a"
tasks = 100
duration = { dist = "weibull", shape = 1.5, scale = "20m" }
priority = 5

[[jobs]]
name = "y"
pool = "b"
tasks = 3
duration = "1d2h"
submit = "30m"
`

func load(t *testing.T, src string, sets ...string) (*model.Scenario, error) {
	t.Helper()
	d, err := scenarios.ParseDoc("s.toml", src, t.TempDir())
	if err != nil {
		return nil, err
	}
	var ss []scenarios.Set
	for _, s := range sets {
		set, err := scenarios.ParseSet(s)
		if err != nil {
			return nil, err
		}
		ss = append(ss, set)
	}
	return d.Scenario(ss...)
}

func TestLoadAllKeys(t *testing.T) {
	sc, err := load(t, base)
	if err != nil {
		t.Fatal(err)
	}
	a, b := sc.Pools[0], sc.Pools[1]
	checks := []struct {
		name      string
		got, want any
	}{
		{"seed", sc.Seed, uint64(3)},
		{"replications", sc.Replications, 7},
		{"horizon", sc.Horizon, 48 * time.Hour},
		{"granularity default", sc.Billing.Granularity, time.Second},
		{"custom size", a.Size.Cores, 8},
		{"custom price", a.Size.DedicatedPrice, 1.5},
		{"custom price source", a.Size.LowPrioritySource, "scenario s.toml:7:1 (vm_sizes.Custom_X); a fixed price, which is an assumption: Azure bills Spot (and Batch and Azure ML low-priority) nodes at a variable price"},
		{"slots", a.TaskSlotsPerNode, 2},
		{"pack", a.Scheduling, model.Pack},
		{"alloc", a.AllocationDelay, dist.Dist{Kind: dist.Uniform, Min: time.Minute, Max: 3 * time.Minute}},
		{"rate", a.Lifetime.MeanDuration(), 2 * time.Hour},
		{"replacement", a.ReplacementDelay, dist.Const(2 * time.Minute)},
		{"catalog source", b.Size.DedicatedSource, model.CatalogSource},
		{"b defaults", b.Scheduling, model.Spread},
		{"weibull", sc.Jobs[0].Duration.Shape, 1.5},
		{"priority", sc.Jobs[0].Priority, 5},
		{"days", sc.Jobs[1].Duration, dist.Const(26 * time.Hour)},
		{"submit", sc.Jobs[1].Submit, 30 * time.Minute},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestOverrides(t *testing.T) {
	tests := []struct {
		set   string
		check func(*model.Scenario) bool
	}{
		{"pools.a.target_low_priority_nodes=50", func(s *model.Scenario) bool { return s.Pools[0].TargetLowPriorityNodes == 50 }},
		{"pools.1.target_dedicated_nodes=9", func(s *model.Scenario) bool { return s.Pools[1].TargetDedicatedNodes == 9 }},
		{"pools.b.vm_size=Standard_D8s_v5", func(s *model.Scenario) bool { return s.Pools[1].Size.Cores == 8 }},
		{`jobs.x.duration={ dist = "exponential", mean = "5m" }`, func(s *model.Scenario) bool { return reflect.DeepEqual(s.Jobs[0].Duration, dist.Exp(5*time.Minute)) }},
		{"simulation.replications=11", func(s *model.Scenario) bool { return s.Replications == 11 }},
		{"billing.granularity=1h", func(s *model.Scenario) bool { return s.Billing.Granularity == time.Hour }},
		{"pools.a.preemption.model=none", func(s *model.Scenario) bool { return s.Pools[0].Lifetime == nil }},
	}
	for _, tt := range tests {
		src := base
		if strings.Contains(tt.set, "preemption.model=none") { // "none" takes no rate
			src = strings.Replace(base, "rate_per_hour = 0.5\n", "", 1)
		}
		sc, err := load(t, src, tt.set)
		if err != nil {
			t.Errorf("%s: %v", tt.set, err)
			continue
		}
		if !tt.check(sc) {
			t.Errorf("%s: not applied", tt.set)
		}
	}
}

// TestErrors compares whole rendered messages: position, key path, text.
func TestErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		sets           []string
		want           string
	}{
		{"typo", "task_slots_per_node = 2", "task_slot_per_node = 2", nil,
			`s.toml:18:1: pools.a.task_slot_per_node: unknown key (did you mean "task_slots_per_node"?)`},
		{"type", "tasks = 100", `tasks = "many"`, nil, `s.toml:33:1: jobs.x.tasks: must be an integer, got a string`},
		{"enum", `task_scheduling = "pack"`, `task_scheduling = "fill"`, nil,
			`s.toml:19:1: pools.a.task_scheduling: must be one of "spread", "pack", got "fill"`},
		{"slots above 4×cores", "task_slots_per_node = 2", "task_slots_per_node = 33", nil,
			`s.toml:18:1: pools.a.task_slots_per_node: must be between 1 and 32, got 33`},
		{"dup pool", `name = "b"`, `name = "a"`, nil, "s.toml:26:1: pools.a.name: a pool named \"a\" is already defined\ns.toml:39:1: jobs.y.pool: no pool named \"b\" (pools: \"a\")"},
		{"uniform order", `min = "1m", max = "3m"`, `min = "3m", max = "1m"`, nil,
			`s.toml:20:1: pools.a.allocation_delay: uniform needs 0 <= min <= max, got min 3m0s, max 1m0s`},
		{"nan", "dedicated_price = 1.5", "dedicated_price = nan", nil,
			`s.toml:10:1: vm_sizes.Custom_X.dedicated_price: must be between 0 and 10000, got NaN`},
		{"inf", "rate_per_hour = 0.5", "rate_per_hour = inf", nil,
			`s.toml:22:1: pools.a.preemption.rate_per_hour: must be between 1e-09 and 3600, got +Inf`},
		{"huge", "tasks = 100", "tasks = 99999999999", nil,
			`s.toml:33:1: jobs.x.tasks: must be between 1 and 50000000, got 99999999999`},
		{"set path", "", "", []string{"pools.a.preemption.rate_per_hour=-1"},
			`--set pools.a.preemption.rate_per_hour=-1: pools.a.preemption.rate_per_hour: must be between 1e-09 and 3600, got -1`},
		{"set whole array", "", "", []string{"pools=1"}, `--set pools=1: pools is an array of tables: name an element and a key (pools.NAME.KEY)`},
		// a typo in a --set key is blamed on the flag, with a suggestion, at every depth
		{"set typo", "", "", []string{"pools.a.task_slot_per_node=2"},
			`--set pools.a.task_slot_per_node=2: pools.a.task_slot_per_node: unknown key (did you mean "task_slots_per_node"?)`},
		{"set top typo", "", "", []string{"pool.a.task_slots_per_node=2"},
			`--set pool.a.task_slots_per_node=2: pool: unknown key (did you mean "pools"?)`},
		{"file outside", `duration = "1d2h"`, `duration = { dist = "empirical", file = "../etc/passwd" }`, nil,
			`s.toml:41:34: jobs.y.duration.file: "../etc/passwd" is outside the scenario's folder: data files must sit beside the scenario or below it`},
	}
	for _, tt := range tests {
		src := base
		if tt.old != "" {
			src = strings.Replace(base, tt.old, tt.new, 1)
		}
		_, err := load(t, src, tt.sets...)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}

func TestEmpiricalFileAndSymlink(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "d.csv"), []byte("duration\n5m\n60\n2m\n"), 0o644)
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "x.csv"), []byte("1m\n"), 0o644)
	os.Symlink(filepath.Join(outside, "x.csv"), filepath.Join(dir, "link.csv"))
	src := strings.Replace(base, `duration = "1d2h"`, `duration = { dist = "empirical", file = "d.csv" }`, 1)
	d, err := scenarios.ParseDoc("s.toml", src, dir)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := d.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Jobs[1].Duration.Samples; len(got) != 3 || got[0] != time.Minute || got[2] != 5*time.Minute {
		t.Fatalf("samples %v", got)
	}
	d, _ = scenarios.ParseDoc("s.toml", strings.Replace(src, "d.csv", "link.csv", 1), dir)
	if _, err := d.Scenario(); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("symlink out of the folder: %v", err)
	}
}

func TestBuiltinsLoadAndReferenceMatchesTestdata(t *testing.T) {
	for _, b := range scenarios.Builtins() {
		if b.Description == "" {
			t.Errorf("%s has no description", b.Name)
		}
		if _, err := scenarios.Load(b.Name); err != nil {
			t.Errorf("%s: %v", b.Name, err)
		}
	}
	a, err := scenarios.Load("reference")
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenarios.Load(filepath.Join("..", "testdata", "scenarios", "reference.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Pools[0].TargetLowPriorityNodes != b.Pools[0].TargetLowPriorityNodes || !reflect.DeepEqual(a.Jobs[0], b.Jobs[0]) {
		t.Fatal("built-in reference and testdata/scenarios/reference.toml differ")
	}
}
