package sweep

import (
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
)

// NewPoint summarises the runs of one point. percentile is in (0, 100];
// deadline 0 means none. ref, when not nil, is the sweep's reference,
// whose runs are runs.Reference (paired with the point's by replication).
func NewPoint(index int, values []string, sc, ref *model.Scenario, runs *runner.Runs, percentile float64, deadline time.Duration) report.SweepPoint {
	sum := report.SummarizeRuns(sc, runs)
	p := report.SweepPoint{
		Index: index, Values: values, Replications: runs.Scenario.Len(),
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
	var bill float64
	for i := range runs.Scenario.Records {
		if r := &runs.Scenario.Records[i]; !r.Finished {
			bill += r.Cost
		}
	}
	if u := sum.Scenario.Unfinished; u > 0 {
		done, cost := sum.Scenario.WorkDoneUnfinished, bill/float64(u)
		p.WorkDoneUnfinished, p.CostAtHorizonUSD = &done, &cost
	}
	p.CompletionAtPercentile, p.MeetsDeadline = atPercentile(runs.Scenario, percentile, deadline)
	if ref != nil && runs.Reference != nil {
		c := report.Compare(runs.Scenario.Records, runs.Reference.Records, sc.Horizon, ref.Horizon)
		p.SavingsVsReferencePct, p.SavedVsReferenceUSD, p.SlowdownVsReferencePct = &c.SavingsPct, &c.SavedUSD, &c.SlowdownPct
	}
	return p
}
