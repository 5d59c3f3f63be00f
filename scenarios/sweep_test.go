package scenarios

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

const sweepBase = `name = "s"
[simulation]
replications = 2

[[pools]]
name = "main"
vm_size = "Standard_D4s_v5"
target_dedicated_nodes = 1
target_low_priority_nodes = 2

[pools.preemption]
mean_time_to_preemption = "2h"

[[jobs]]
name = "j"
tasks = 10
duration = "5m"
`

func TestSweepTable(t *testing.T) {
	src := sweepBase + `
[sweep]
pools.main.target_low_priority_nodes = [0, 5, 10]
"pools.main.task_scheduling" = ["spread", "pack"]
deadline = "6h"
percentile = 90
jobs.j.duration = ["5m", { dist = "uniform", min = "1m", max = "9m" }]
`
	d, err := ParseDoc("s.toml", src, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Scenario(); err != nil {
		t.Fatalf("a scenario with [sweep] must load for run: %v", err)
	}
	sw, err := d.Sweep()
	if err != nil {
		t.Fatal(err)
	}
	if sw.Deadline != 6*time.Hour || sw.Percentile != 90 {
		t.Errorf("deadline %v percentile %v", sw.Deadline, sw.Percentile)
	}
	var paths []string
	for _, a := range sw.Axes {
		paths = append(paths, a.Path+"="+strings.Join(a.Values, "|"))
	}
	want := []string{ // in file order
		"pools.main.target_low_priority_nodes=0|5|10",
		"pools.main.task_scheduling=\"spread\"|\"pack\"",
		`jobs.j.duration="5m"|{ dist = "uniform", max = "9m", min = "1m" }`,
	}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("axes:\n got %q\nwant %q", paths, want)
	}
	if sw.Len() != 12 {
		t.Fatalf("Len = %d, want 12", sw.Len())
	}
	// first axis slowest
	if got := sw.Point(7); got[0].Value != "5" || got[1].Value != `"pack"` || got[2].Value != `{ dist = "uniform", max = "9m", min = "1m" }` {
		t.Errorf("point 7 = %v", got)
	}
	scs, err := d.Scenarios(sw)
	if err != nil {
		t.Fatal(err)
	}
	if p := scs[7].Pools[0]; p.TargetLowPriorityNodes != 5 || p.Scheduling.String() != "pack" || scs[7].Jobs[0].Duration.Max != 9*time.Minute {
		t.Errorf("point 7 scenario: %+v", p)
	}
	if scs[0].Seed != scs[11].Seed {
		t.Error("points must share the seed (common random numbers)")
	}
}

func TestSweepNone(t *testing.T) {
	d, err := ParseDoc("s.toml", sweepBase, "")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := d.Sweep()
	if err != nil {
		t.Fatal(err)
	}
	if sw.Len() != 1 || len(sw.Axes) != 0 || sw.Percentile != DefaultPercentile || sw.Deadline != 0 {
		t.Errorf("no [sweep]: %+v", sw)
	}
}

func TestSweepErrors(t *testing.T) {
	tests := []struct{ sweep, want string }{
		{`pools.main.target_low_priority_nodes = 5`,
			`s.toml:20:1: sweep.pools.main.target_low_priority_nodes: must be an array of the values to sweep, for example [0, 10, 20], got an integer`},
		{`pools.main.target_low_priority_nodes = []`,
			`s.toml:20:1: sweep.pools.main.target_low_priority_nodes: lists no values: give at least one, for example [0, 10, 20]`},
		{`pools.main.target_low_priority_nodes = [1, 2, 1]`,
			`s.toml:20:47: sweep.pools.main.target_low_priority_nodes: value 1 is listed twice`},
		{`percentile = 0`, `s.toml:20:1: sweep.percentile: must be above 0 (and at most 100), got 0`},
		{`percentile = 101`, `s.toml:20:1: sweep.percentile: must be between 0 and 100, got 101`},
		{`deadline = "soon"`, `s.toml:20:1: sweep.deadline: `},
	}
	for _, tc := range tests {
		d, err := ParseDoc("s.toml", sweepBase+"\n[sweep]\n"+tc.sweep+"\n", "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.Sweep()
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s", tc.sweep, err, tc.want)
		}
		if _, err2 := d.Scenario(); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("%s: run must report the same problem: %v", tc.sweep, err2)
		}
	}
}

// TestSweepPointErrors: a swept value the scenario rejects is reported at
// that value, once per problem.
func TestSweepPointErrors(t *testing.T) {
	src := sweepBase + `
[sweep]
pools.main.target_low_priority_nodes = [0, -5, 10]
pools.main.target_low_prio = [1, 2]
`
	d, err := ParseDoc("s.toml", src, "")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := d.Sweep()
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Scenarios(sw)
	want := `s.toml:20:44: pools.main.target_low_priority_nodes: must be between 0 and 100000, got -5 (swept value pools.main.target_low_priority_nodes = -5)
s.toml:21:31: pools.main.target_low_prio: unknown key (swept value pools.main.target_low_prio = 1)`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func TestParseAxis(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"pools.main.target_low_priority_nodes=0,5,10", []string{"0", "5", "10"}, ""},
		{"pools.main.max_price= 0.02 , -1", []string{"0.02", "-1"}, ""},
		{"x=[1,2],[3]", []string{"[1,2]", "[3]"}, ""},
		{`jobs.j.duration={dist="uniform",min="1m",max="3m"},"5m"`, []string{`{dist="uniform",min="1m",max="3m"}`, `"5m"`}, ""},
		{`description="a, b",'c,d'`, []string{`"a, b"`, `'c,d'`}, ""},
		{"x=5", []string{"5"}, ""},
		{"x=1,,2", nil, "--set x=1,,2: an empty value in the list"},
		{"x=1,2,1", nil, "--set x=1,2,1: value 1 is listed twice"},
		{"x=[1,2", nil, "--set x=[1,2: unbalanced quotes or brackets"},
		{"=1,2", nil, "--set =1,2: want PATH=VALUE"},
	}
	for _, tc := range tests {
		a, err := ParseAxis(tc.in)
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want %s", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(a.Values, tc.want) {
			t.Errorf("%s: %q, %v; want %q", tc.in, a.Values, err, tc.want)
		}
	}
}

// TestSweepFlags: a flag axis replaces the file's axis of the same key.
func TestSweepFlags(t *testing.T) {
	d, err := ParseDoc("s.toml", sweepBase+"\n[sweep]\npools.main.target_low_priority_nodes = [0, 5]\n", "")
	if err != nil {
		t.Fatal(err)
	}
	sw, _ := d.Sweep()
	a, _ := ParseAxis("pools.main.target_low_priority_nodes=1,2,3")
	sw.Set(a)
	b, _ := ParseAxis("jobs.j.tasks=20,30")
	sw.Set(b)
	if sw.Len() != 6 || sw.Axes[0].Values[2] != "3" || sw.Axes[1].Path != "jobs.j.tasks" {
		t.Errorf("axes after flags: %+v", sw.Axes)
	}
	bad, _ := ParseAxis("jobs.j.tasks=20,-1")
	sw.Set(bad)
	_, err = d.Scenarios(sw)
	if want := "--set jobs.j.tasks=20,-1: jobs.j.tasks: must be between 1 and"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s...", err, want)
	}
	sw.Remove("jobs.j.tasks")
	if sw.Len() != 3 {
		t.Errorf("Remove: %d points", sw.Len())
	}
}

func TestTOMLText(t *testing.T) {
	src := `a = 5
b = 0.05
c = -1.0
d = 1e300
e = "q\"uo\\te\n\u0001"
f = true
g = [1, "x", [2.5]]
h = { dist = "lognormal", mean = "10m", "odd key" = 1 }
i = inf
`
	var m map[string]any
	if _, err := toml.Decode(src, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range m {
		var back map[string]any
		text := tomlText(v)
		if _, err := toml.Decode("v = "+text, &back); err != nil {
			t.Errorf("%s: %s does not parse: %v", k, text, err)
			continue
		}
		if !reflect.DeepEqual(back["v"], v) {
			t.Errorf("%s: %s reads back as %#v, want %#v", k, text, back["v"], v)
		}
	}
}
