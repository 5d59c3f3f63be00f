package runner_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/scenarios"
)

func load(t testing.TB, src string) *model.Scenario {
	t.Helper()
	d, err := scenarios.ParseDoc("e.toml", src, "")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := d.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// scenario is one pool of ded + low nodes running tasks of length dur;
// mttp "" means no preemption. Quotas are off.
func scenario(reps, ded, low, tasks int, dur, mttp string) string {
	s := fmt.Sprintf("[simulation]\nreplications = %d\n[quotas]\ndedicated_cores = 0\nlow_priority_cores = 0\n[[pools]]\nname = \"p\"\nvm_size = \"Standard_D4s_v5\"\ntarget_dedicated_nodes = %d\ntarget_low_priority_nodes = %d\n", reps, ded, low)
	if mttp != "" {
		s += fmt.Sprintf("[pools.preemption]\nmean_time_to_preemption = %q\n", mttp)
	}
	return s + fmt.Sprintf("[[jobs]]\nname = \"j\"\npool = \"p\"\ntasks = %d\nduration = %q\n", tasks, dur)
}

// TestEstimateRun: the estimates of the issue's scenarios, within a factor
// of 3 of the counts they must give: a dedicated run's events are two per
// task and three per node, a replication's fixed cost and the baseline's
// as many again; preemptions add a rerun per slot and four events each.
func TestEstimateRun(t *testing.T) {
	tests := []struct {
		name           string
		src            string
		events, memory float64 // want, roughly
	}{
		// 50 million 1 ms tasks x 10^6 replications: ~2e14 events.
		{"tasks", scenario(1000000, 100, 0, 50000000, "1ms", ""), 2 * 1e6 * (2*50e6 + 300 + runner.RepEvents), 4e8},
		// One task, 10^6 replications: the records dominate memory (two
		// of 160 bytes a replication, and the summary's working copy).
		{"reps", scenario(1000000, 1, 0, 1, "1m", ""), 2 * 1e6 * (2 + 3 + runner.RepEvents), 4e8},
		// 100,000 low-priority nodes living 1 s on average, 100-day tasks:
		// nothing finishes, so 100,000 preemptions a second to the horizon.
		{"preempted", scenario(1, 0, 100000, 100000, "100d", "1s"), 100000 * 720 * 3600 * 6, 1e8},
	}
	for _, tt := range tests {
		e := runner.EstimateRun(load(t, tt.src), 2)
		if r := e.Events / tt.events; r < 1.0/3 || r > 3 || math.IsNaN(r) {
			t.Errorf("%s: %.3g events, want about %.3g", tt.name, e.Events, tt.events)
		}
		if r := e.Bytes / tt.memory; r < 1.0/3 || r > 3 {
			t.Errorf("%s: %.3g bytes, want about %.3g", tt.name, e.Bytes, tt.memory)
		}
	}
}

// TestCheckMemory: a run expected to hold more than Headroom of the limit
// is refused in one line that gives the estimate and the limit.
func TestCheckMemory(t *testing.T) {
	e := runner.EstimateRun(load(t, scenario(1000000, 1, 0, 1, "1m", "")), 2)
	if err := runner.CheckMemory(e, 1<<40); err != nil {
		t.Errorf("1 TiB: %v", err)
	}
	if err := runner.CheckMemory(e, 768<<20); err != nil {
		t.Errorf("768 MiB: %v", err)
	}
	err := runner.CheckMemory(e, 256<<20)
	if err == nil {
		t.Fatal("256 MiB: no error")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "about 393.1 MiB") || !strings.Contains(msg, "limit of 256.0 MiB") {
		t.Errorf("256 MiB: %s", msg)
	}
}

func TestFormats(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{runner.Count(1234), "1234"},
		{runner.Count(56789), "57 thousand"},
		{runner.Count(2.5e7), "25.0 million"},
		{runner.Count(2e14), "2.0e+14"},
		{runner.Bytes(512), "512 bytes"},
		{runner.Bytes(1.5 * (1 << 30)), "1.5 GiB"},
		{runner.Span(45 * time.Second), "45 s"},
		{runner.Span(3 * time.Hour), "3.0 h"},
		{runner.Span(500 * 24 * time.Hour), "500 days"},
		{runner.Span(math.MaxInt64), "more than 290 years"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func ExampleEstimateRun() {
	d, _ := scenarios.ParseDoc("big.toml", `
[simulation]
replications = 1000
[[pools]]
name = "p"
vm_size = "Standard_D4s_v5"
target_dedicated_nodes = 10
[[jobs]]
name = "j"
pool = "p"
tasks = 100000
duration = "1m"
`, "")
	sc, _ := d.Scenario()
	e := runner.EstimateRun(sc, 4)
	fmt.Println(e)
	fmt.Println(runner.CheckMemory(e, runner.DefaultMemoryLimit))
	// Output:
	// about 400.1 million events (200.0 million task runs) in 1000 replications and as many baseline runs, about 50 s on 4 worker(s) and 64.6 MiB of memory
	// <nil>
}

// TestWithCharts: the charts' traces are bounded whatever the events, so
// a preemption-heavy replication (100,000 nodes evicted every second for
// 30 days) fits with them as it does without: they add 2 × 1,000 traces
// and 2 replays at most. They used to add 16 bytes per event, tens of TiB
// here.
func TestWithCharts(t *testing.T) {
	e := runner.EstimateRun(load(t, scenario(1000, 0, 100000, 100000, "100d", "1s")), 2)
	if e.Bytes > 1<<30 {
		t.Errorf("without charts: %s", runner.Bytes(e.Bytes))
	}
	c := e.WithCharts(1000, 16<<10, 1<<20)
	if want := e.Bytes + 2*1000*16<<10 + 2<<20; c.Bytes != want || runner.CheckMemory(c, 16<<30) != nil {
		t.Errorf("with charts: %s, want %s and not refused", runner.Bytes(c.Bytes), runner.Bytes(want))
	}
}

// TestEstimateRunWithReference: a reference is a third run of every
// replication (PairWith runs and keeps 3n results, not 2n): its events,
// task runs and kept results are counted, and the estimate says so.
func TestEstimateRunWithReference(t *testing.T) {
	sc := load(t, scenario(1000000, 1, 0, 1, "1m", ""))
	ref := load(t, scenario(1000000, 2, 0, 1, "1m", ""))
	cases := []struct {
		name      string
		ref       *model.Scenario
		results   float64 // kept, per replication
		reference string  // in String
	}{
		{"no reference", nil, 2, ""},
		{"reference", ref, 3, ", and 1000000 reference runs"},
	}
	plain := runner.EstimateRun(sc, 2)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := runner.EstimateRunWith(sc, c.ref, 2)
			extra := runner.ResultsBytes(sc, int(c.results-2)*sc.Replications) // results beyond the pair's
			if d := e.Bytes - plain.Bytes; d < extra || d > extra+1e6 {
				t.Errorf("%.4g bytes, %.4g more than without a reference; want %.4g more (its kept results)", e.Bytes, d, extra)
			}
			if r := e.Events / plain.Events; math.Abs(r-c.results/2) > 0.05 {
				t.Errorf("events %.4g, %.3g of the plain run's; want %.3g", e.Events, r, c.results/2)
			}
			if s := e.String(); !strings.Contains(s, "as many baseline runs"+c.reference+", about") {
				t.Errorf("String: %s", s)
			}
		})
	}
	if err := runner.CheckMemory(runner.EstimateRunWith(sc, ref, 2), 512<<20); err == nil || !strings.Contains(err.Error(), "their baselines and references kept") {
		t.Errorf("CheckMemory with a reference: %v", err)
	}
}
