package report_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// ran is one run of a test scenario with everything the reports need.
type ran struct {
	sc     *model.Scenario
	runs   *runner.Runs
	sum    *report.Summary
	charts []report.Chart
}

// runScenario runs testdata/small.toml with overrides on workers goroutines
// and draws its charts, as spotsim run --out does.
func runScenario(t *testing.T, workers int, sets ...scenarios.Set) *ran {
	t.Helper()
	return runWithReference(t, workers, nil, sets...)
}

// runWithReference is runScenario with a reference given as --reference
// flags (PATH=VALUE), none when refs is empty.
func runWithReference(t *testing.T, workers int, refs []string, sets ...scenarios.Set) *ran {
	t.Helper()
	d, err := scenarios.Open(filepath.Join("testdata", "small.toml"))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := d.Scenario(sets...)
	if err != nil {
		t.Fatal(err)
	}
	var ref *scenarios.Reference
	if len(refs) > 0 {
		var rs []scenarios.Set
		for _, r := range refs {
			s, err := scenarios.ParseReference(r)
			if err != nil {
				t.Fatal(err)
			}
			rs = append(rs, s)
		}
		if ref, err = d.Reference(sets, rs...); err != nil {
			t.Fatal(err)
		}
	}
	base := sc.Baseline()
	traces := [2]*report.CostTraces{report.NewCostTraces(sc), report.NewCostTraces(base)}
	opt := runner.Options{Workers: workers}
	if ref != nil {
		opt.Reference = ref.Scenario
	}
	opt.Observe = func(rep int, baseline bool) model.Observer {
		if baseline {
			return traces[1].Observer(rep)
		}
		return traces[0].Observer(rep)
	}
	runs, err := runner.PairWith(sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	rep := report.Representative(runs.Scenario.Records)
	nodes := report.NewNodeTraces(runs.Scenario.Records[rep].Completion, runs.Baseline.Records[rep].Completion)
	var markets []model.MarketSeries
	for i, s := range []*model.Scenario{sc, base} {
		res, err := runner.Replay(s, rep, model.Options{Observer: nodes[i], KeepSeries: i == 0})
		if err != nil {
			t.Fatal(err)
		}
		nodes[i].Done(res.Completion)
		if i == 0 {
			markets = res.Markets
		}
	}
	charts, err := report.RunCharts(&report.RunChartData{Runs: runs, ScenarioCost: traces[0], BaselineCost: traces[1], Horizon: sc.Horizon,
		Rep: rep, ScenarioNodes: nodes[0], BaselineNodes: nodes[1], Markets: markets})
	if err != nil {
		t.Fatal(err)
	}
	sum := report.SummarizeRuns(sc, runs)
	for _, set := range sets {
		sum.Overrides = append(sum.Overrides, set.Path+"="+set.Value) // as spotsim run records --set
	}
	if ref != nil {
		sum.AddReference(sc, ref.Scenario, ref.Name, ref.Description, ref.Overrides, runs)
	}
	return &ran{sc: sc, runs: runs, sum: sum, charts: charts}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report/ -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (if the change is intended, run go test ./report/ -update and review the diff)\n--- got:\n%s", name, got)
	}
}
