package sweep

import (
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
)

// NewPoint summarises the runs of one point. percentile is in (0, 100];
// deadline 0 means none.
func NewPoint(index int, values []string, sc *model.Scenario, runs *runner.Runs, percentile float64, deadline time.Duration) report.SweepPoint {
	sum := report.SummarizeRuns(sc, runs)
	p := report.SweepPoint{
		Index: index, Values: values, Replications: len(runs.Scenario),
		Finished: sum.Scenario.Finished, Unfinished: sum.Scenario.Unfinished,
		CompletionHours: sum.Scenario.CompletionHours, CostUSD: sum.Scenario.CostUSD,
		BaselineCompletionHours: sum.Baseline.CompletionHours, BaselineCostUSD: sum.Baseline.CostUSD,
		SavingsPct: sum.SavingsPct, SlowdownPct: sum.SlowdownPct,
		Notes:       sum.Notes(),
		QuotaCapped: sum.Scenario.QuotaCapped.Mean > 0,
	}
	for _, q := range sum.Quotas.Fits {
		if q.Capped {
			p.QuotaCapped = true
			p.RanAs = append(p.RanAs, "pool "+q.Pool+" "+q.RanAs())
		}
	}
	if d := sum.Deadlines; d != nil && len(d.Scenario) > 0 {
		jd := d.Scenario[0]
		p.JobDeadline = &jd
	}
	all := make([]float64, len(runs.Scenario))
	met := 0
	var bill float64
	for i := range runs.Scenario {
		r := &runs.Scenario[i]
		all[i] = math.Inf(1)
		if !r.Finished {
			bill += r.Cost
		}
		if r.Finished {
			all[i] = r.Completion.Hours()
			if deadline > 0 && r.Completion <= deadline {
				met++
			}
		}
	}
	if u := sum.Scenario.Unfinished; u > 0 {
		done, cost := sum.Scenario.WorkDoneUnfinished, bill/float64(u)
		p.WorkDoneUnfinished, p.CostAtHorizonUSD = &done, &cost
	}
	if len(all) > 0 {
		slices.Sort(all)
		if q := stat.Quantile(percentile/100, stat.Empirical, all, nil); !math.IsInf(q, 1) {
			p.CompletionAtPercentile = &q
		}
	}
	if deadline > 0 && len(all) > 0 {
		share := float64(met) / float64(len(all))
		p.MeetsDeadline = &share
	}
	return p
}
