package scenarios_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/scenarios"
)

// The fuzz targets of the loader. Each requires that no input panics, that
// an error is never nil together with a nil result, that every error is an
// Error or ErrorList whose every line starts with a position (s.toml:L:C:,
// s.toml:, a data file's name:L:C:, or the --set flag), and that a scenario
// that loads passes model validation and runs one replication, scaled down,
// without panicking. Seed corpora are in testdata/fuzz/<Target>; go test
// replays them, go test -fuzz FuzzLoad explores.

// fuzzDir returns a scenario folder holding the data files seeds refer to.
func fuzzDir(f *testing.F) string {
	dir := f.TempDir()
	files := map[string]string{
		"d.csv":     "duration,host\n5m,a\n60,b\n# comment\n\n2m30s,c\n",
		"f.formula": "$TargetDedicatedNodes = 1;\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	return dir
}

// errLine is how each line of a loader error must start.
var errLine = regexp.MustCompile(`^(s\.toml(:[1-9]\d*:[1-9]\d*)?: |--set .*: |[^\s:]+:[1-9]\d*:[1-9]\d*: )\S`)

// checkErr checks the shape of a loader error.
func checkErr(t *testing.T, err error) {
	t.Helper()
	var e *scenarios.Error
	var l scenarios.ErrorList
	if !errors.As(err, &e) && !errors.As(err, &l) {
		t.Fatalf("error %T %q is not a scenarios.Error or ErrorList", err, err)
	}
	msg := err.Error()
	if strings.Contains(msg, "internal error") {
		t.Fatalf("a decoded scenario failed model validation: %s", msg)
	}
	for _, line := range strings.Split(msg, "\n") {
		if !errLine.MatchString(line) {
			t.Fatalf("error line %q does not start with a position (whole error %q)", line, msg)
		}
	}
}

// loadDoc parses src and builds its scenario with the overrides, checking
// the loader's contract; it returns nil when the input is rejected.
func loadDoc(t *testing.T, src, dir string, sets ...scenarios.Set) *model.Scenario {
	t.Helper()
	d, err := scenarios.ParseDoc("s.toml", src, dir)
	if err != nil {
		checkErr(t, err)
		if strings.Contains(err.Error(), "nested more than") {
			checkTooDeep(t, src)
		}
		return nil
	}
	if d == nil {
		t.Fatal("ParseDoc returned nil, nil")
	}
	sc, err := d.Scenario(sets...)
	if err != nil {
		checkErr(t, err)
		return nil
	}
	if sc == nil {
		t.Fatal("Scenario returned nil, nil")
	}
	if err := sc.Validate(); err != nil {
		t.Fatalf("loaded scenario fails model validation: %v", err)
	}
	return sc
}

// runSmall runs replication 0 of a scaled-down copy of sc and of its
// baseline: at most 3+3 nodes of 4 slots a pool, 20 tasks a job, a 1-hour
// horizon, and fixed targets instead of autoscale formulas (which have
// fuzzers of their own), so that one run costs milliseconds.
func runSmall(t *testing.T, sc *model.Scenario) {
	t.Helper()
	c := sc.Clone()
	c.Horizon = min(c.Horizon, time.Hour)
	for i := range c.Pools {
		p := &c.Pools[i]
		if p.Autoscale != nil {
			p.Autoscale, p.TargetDedicatedNodes, p.TargetLowPriorityNodes = nil, 1, 1
		}
		p.TargetDedicatedNodes = min(p.TargetDedicatedNodes, 3)
		p.TargetLowPriorityNodes = min(p.TargetLowPriorityNodes, 3)
		p.TaskSlotsPerNode = min(p.TaskSlotsPerNode, 4)
	}
	for i := range c.Jobs {
		j := &c.Jobs[i]
		j.Tasks = min(j.Tasks, 20)
		for _, p := range c.Pools { // keep what the model requires of the smaller pools
			if p.Name != j.Pool {
				continue
			}
			if p.Cluster == nil {
				j.NodesPerTask = min(j.NodesPerTask, max(1, p.TargetDedicatedNodes+p.TargetLowPriorityNodes))
			}
			if j.MiniBatch != nil {
				mb := *j.MiniBatch
				mb.Concurrency = p.TaskSlotsPerNode
				j.MiniBatch = &mb
			}
		}
	}
	for _, s := range []*model.Scenario{c, c.Baseline()} {
		res, err := model.Run(s, 0, model.Options{})
		if err != nil {
			t.Fatalf("run: %v", err)
		}
		switch {
		case !(res.Cost >= 0) || math.IsInf(res.Cost, 0):
			t.Fatalf("run: cost %v", res.Cost)
		case res.Completion < 0 || res.Completion > s.Horizon:
			t.Fatalf("run: completion %v outside [0, horizon %v]", res.Completion, s.Horizon)
		case res.TasksDone+res.TasksFailed > res.TasksTotal, res.Finished && res.TasksDone+res.TasksFailed != res.TasksTotal:
			t.Fatalf("run: finished %v with %d+%d of %d tasks", res.Finished, res.TasksDone, res.TasksFailed, res.TasksTotal)
		}
	}
}

func FuzzLoad(f *testing.F) {
	dir := fuzzDir(f)
	f.Add(base)
	for _, name := range scenarios.BuiltinNames() {
		src, err := os.ReadFile(filepath.Join("builtin", name+".toml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Add(strings.Replace(base, `duration = "1d2h"`, `duration = { dist = "empirical", file = "d.csv" }`, 1))
	// The bad-input corpus and the example scenarios are seeds too.
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "bad", "*.toml"))
	more, _ := filepath.Glob(filepath.Join("..", "testdata", "scenarios", "*.toml"))
	for _, name := range append(files, more...) {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(string(src))
		}
	}
	f.Add("a = " + strings.Repeat("[", 11) + strings.Repeat("]", 11))
	f.Add(strings.Repeat("a.", 9) + "a = { b = [1] }")
	f.Add("[[a.b]]\n[a.b.c]\nd.e = [[{}]]\nf = \"\"\"x\"\"\"\"\n'g.h' = '''[[['''\n")
	f.Fuzz(func(t *testing.T, src string) {
		if sc := loadDoc(t, src, dir); sc != nil {
			runSmall(t, sc)
		}
	})
}

func FuzzSet(f *testing.F) {
	dir := fuzzDir(f)
	for _, s := range [][2]string{
		{"pools.a.target_low_priority_nodes=50", "jobs.x.tasks=3"},
		{`jobs.x.duration={ dist = "exponential", mean = "5m" }`, "simulation.horizon=10d"},
		{"pools.1.vm_size=Standard_D8s_v5", "billing.granularity=1h"},
		{"pools.a.preemption.rate_per_hour=-1", "pools=1"},
		{"pools.b.preemption.model=none", "pools.b.target_low_priority_nodes=2"},
		{`jobs.y.duration={ dist = "empirical", file = "d.csv" }`, "name=x"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		var sets []scenarios.Set
		for _, s := range []string{a, b} {
			set, err := scenarios.ParseSet(s)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "--set ") {
					t.Fatalf("ParseSet(%q): %q does not name the flag", s, err)
				}
				return
			}
			sets = append(sets, set)
		}
		if sc := loadDoc(t, base, dir, sets...); sc != nil {
			runSmall(t, sc)
		}
	})
}

// FuzzDist puts a distribution (any TOML value) in a job's duration. A
// distribution that loads must give non-negative, non-decreasing draws
// for u in (0,1), u included.
func FuzzDist(f *testing.F) {
	dir := fuzzDir(f)
	for _, s := range []string{
		`"10m"`, `"0"`, `"1d12h"`, `{ dist = "fixed", value = "5m" }`,
		`{ dist = "uniform", min = "1m", max = "3m" }`, `{ dist = "exponential", mean = "8h" }`,
		`{ dist = "normal", mean = "10m", stddev = "3m" }`, `{ dist = "lognormal", mean = "10m", stddev = "4m" }`,
		`{ dist = "weibull", shape = 0.7, scale = "20h" }`, `{ dist = "empirical", file = "d.csv" }`,
		`{ dist = "uniform", min = "0s", max = "106751d23h47m16.854775807s" }`,
	} {
		f.Add(s, 0.5)
	}
	f.Fuzz(func(t *testing.T, value string, u float64) {
		src := strings.Replace(base, `duration = "1d2h"`, "duration = "+value, 1)
		sc := loadDoc(t, src, dir)
		if sc == nil {
			return
		}
		checkDraws(t, sc.Jobs[len(sc.Jobs)-1].Duration, u)
		runSmall(t, sc)
	})
}

func checkDraws(t *testing.T, d dist.Dist, u float64) {
	t.Helper()
	us := []float64{math.SmallestNonzeroFloat64, 1e-9, 0.5, 1 - 1e-9, math.Nextafter(1, 0)}
	if u > 0 && u < 1 {
		us = append(us, u)
	}
	prev := time.Duration(0)
	for i, x := range us {
		q := d.Quantile(x)
		if q < 0 {
			t.Fatalf("%v: Quantile(%g) = %v", d, x, q)
		}
		if i < 5 && q < prev {
			t.Fatalf("%v: Quantile(%g) = %v, below the draw at a smaller u (%v)", d, x, q, prev)
		}
		prev = q
	}
	if m := d.MeanDuration(); m < 0 {
		t.Fatalf("%v: mean %v", d, m)
	}
}

// FuzzDurationsCSV feeds any bytes to the empirical distribution's CSV
// reader, through a scenario that refers to the file.
func FuzzDurationsCSV(f *testing.F) {
	dir := fuzzDir(f)
	for _, s := range []string{
		"duration\n5m\n60\n2m\n", "1\n2\n3\n", "# only a comment\n", "", "5m,x,y\n\n\n7m\n",
		"seconds\n1e-9\n0.5\n1e10\n", "d\n-1\n", "\"5m\",a\n", "1d\r\n2d\r\n", "nan\ninf\n", "\x00\x01",
	} {
		f.Add([]byte(s))
	}
	src := strings.Replace(base, `duration = "1d2h"`, `duration = { dist = "empirical", file = "t.csv" }`, 1)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, "t.csv"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		sc := loadDoc(t, src, dir)
		if sc == nil {
			return
		}
		s := sc.Jobs[1].Duration.Samples
		if len(s) == 0 || len(s) > scenarios.MaxFileRows {
			t.Fatalf("%d samples", len(s))
		}
		for i := range s {
			if s[i] < 0 || i > 0 && s[i] < s[i-1] {
				t.Fatalf("samples not sorted and non-negative: %v", s)
			}
		}
		checkDraws(t, sc.Jobs[1].Duration, 0.5)
	})
}

// checkTooDeep: the scan that refuses deep documents before the decoder
// only refuses what the decoder would read as deeper than the cap, or not
// at all.
func checkTooDeep(t *testing.T, src string) {
	t.Helper()
	var tree map[string]any
	if _, err := toml.Decode(src, &tree); err != nil {
		return
	}
	if d := depth(tree); d <= scenarios.MaxDepth {
		t.Fatalf("refused as nested too deep, but the decoder reads depth %d", d)
	}
}

// depth counts the levels of keys and array elements below v.
func depth(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			n = max(n, 1+depth(e))
		}
	case []map[string]any:
		for _, e := range x {
			n = max(n, 1+depth(e))
		}
	case []any:
		for _, e := range x {
			n = max(n, 1+depth(e))
		}
	}
	return n
}
