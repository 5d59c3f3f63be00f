package report

import (
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
)

// SweepAxis is one swept key and its values (TOML text).
type SweepAxis struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// SweepPoint is one point of a sweep: its swept values and how it compares
// with its own dedicated-only baseline. A point is self-contained, so the
// points of several shards of one sweep can be merged by index.
type SweepPoint struct {
	Index        int      `json:"index"`
	Values       []string `json:"values"` // one per axis
	Replications int      `json:"replications"`
	Finished     int      `json:"finished"`
	Unfinished   int      `json:"unfinished"`
	// CompletionHours and CostUSD are over finished replications, as in
	// summary.json.
	CompletionHours Stat `json:"completion_time_hours"`
	CostUSD         Stat `json:"cost_usd"`
	// CompletionAtPercentile is the sweep's percentile of completion time
	// over all replications, an unfinished one counting as never finishing;
	// null when the percentile falls on an unfinished replication.
	CompletionAtPercentile *float64 `json:"completion_at_percentile_hours"`
	// MeetsDeadline is the share of all replications finished by the
	// deadline (only with a deadline).
	MeetsDeadline           *float64 `json:"meets_deadline_share,omitempty"`
	BaselineCompletionHours Stat     `json:"baseline_completion_time_hours"`
	BaselineCostUSD         Stat     `json:"baseline_cost_usd"`
	SavingsPct              Stat     `json:"savings_pct"`
	SlowdownPct             Stat     `json:"slowdown_pct"`
	OnFrontier              bool     `json:"on_frontier"`
	// Notes are the point's warnings, as its own report would give them:
	// unfinished runs, failing autoscale formulas, quotas that capped it.
	Notes []string `json:"notes,omitempty"`
}

// NewSweepPoint summarises the runs of one point. percentile is in (0,
// 100]; deadline 0 means none.
func NewSweepPoint(index int, values []string, sc *model.Scenario, runs *runner.Runs, percentile float64, deadline time.Duration) SweepPoint {
	sum := SummarizeRuns(sc, runs)
	p := SweepPoint{
		Index: index, Values: values, Replications: len(runs.Scenario),
		Finished: sum.Scenario.Finished, Unfinished: sum.Scenario.Unfinished,
		CompletionHours: sum.Scenario.CompletionHours, CostUSD: sum.Scenario.CostUSD,
		BaselineCompletionHours: sum.Baseline.CompletionHours, BaselineCostUSD: sum.Baseline.CostUSD,
		SavingsPct: sum.SavingsPct, SlowdownPct: sum.SlowdownPct,
		Notes: sum.notes(),
	}
	all := make([]float64, len(runs.Scenario))
	met := 0
	for i := range runs.Scenario {
		r := &runs.Scenario[i]
		all[i] = math.Inf(1)
		if r.Finished {
			all[i] = r.Completion.Hours()
			if deadline > 0 && r.Completion <= deadline {
				met++
			}
		}
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

// Recommendation names the cheapest point that meets the deadline at the
// sweep's percentile, or says that none does.
type Recommendation struct {
	// Index is the recommended point, or null when no point meets the
	// deadline.
	Index  *int     `json:"index"`
	Values []string `json:"values,omitempty"`
	// MeetsDeadlineShare is the share of the point's replications finished
	// by the deadline, with its 95 % Wilson interval.
	MeetsDeadlineShare float64 `json:"meets_deadline_share,omitempty"`
	ShareCI95Low       float64 `json:"meets_deadline_share_ci95_low,omitempty"`
	ShareCI95High      float64 `json:"meets_deadline_share_ci95_high,omitempty"`
	// Text says it in a sentence.
	Text string `json:"text"`
}

// Sweep is the outcome of a sweep: one record per point, the Pareto front
// of cost against completion time, and the recommendation.
type Sweep struct {
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Seed        uint64      `json:"seed"`
	Axes        []SweepAxis `json:"axes"`
	// Points is the size of the grid; Results holds every point, in index
	// order (a shard of a sweep would hold some of them).
	Points        int     `json:"points"`
	Percentile    float64 `json:"percentile"`
	DeadlineHours float64 `json:"deadline_hours,omitempty"`
	// Results has one record per point, in index order.
	Results []SweepPoint `json:"results"`
	// Frontier lists the indices of the non-dominated points (no other
	// point is as cheap and as fast, and strictly one of them), fastest
	// first: mean cost against completion time at Percentile.
	Frontier       []int           `json:"frontier"`
	Recommendation *Recommendation `json:"recommendation,omitempty"`
}

// Analyse computes the frontier and the recommendation from the results
// (so merged shards can be analysed again).
func (s *Sweep) Analyse() {
	xs := make([]float64, len(s.Results))
	ys := make([]float64, len(s.Results))
	for i, p := range s.Results {
		xs[i], ys[i] = math.NaN(), math.NaN()
		if p.CompletionAtPercentile != nil && p.Finished > 0 {
			xs[i], ys[i] = *p.CompletionAtPercentile, p.CostUSD.Mean
		}
	}
	front := Frontier(xs, ys)
	s.Frontier = s.Frontier[:0]
	for i := range s.Results {
		s.Results[i].OnFrontier = false
	}
	for _, i := range front {
		s.Results[i].OnFrontier = true
		s.Frontier = append(s.Frontier, s.Results[i].Index)
	}
	if s.Frontier == nil {
		s.Frontier = []int{}
	}
	s.Recommendation = nil
	if s.DeadlineHours > 0 {
		s.Recommendation = s.recommend()
	}
}

// Frontier returns the indices of the points (xs[i], ys[i]) that no other
// point dominates (another is dominated when it is no better on both and
// worse on one; lower is better), sorted by x then y then index. Points
// with a NaN coordinate take no part.
func Frontier(xs, ys []float64) []int {
	var idx []int
	for i := range xs {
		if !math.IsNaN(xs[i]) && !math.IsNaN(ys[i]) {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case xs[a] != xs[b]:
			return cmpf(xs[a], xs[b])
		case ys[a] != ys[b]:
			return cmpf(ys[a], ys[b])
		}
		return a - b
	})
	var out []int
	best := math.Inf(1) // lowest y among points with a smaller x
	for g := 0; g < len(idx); {
		e := g
		for e < len(idx) && xs[idx[e]] == xs[idx[g]] {
			e++
		}
		gy := ys[idx[g]] // the group's lowest y
		if gy < best {
			for k := g; k < e && ys[idx[k]] == gy; k++ {
				out = append(out, idx[k])
			}
			best = gy
		}
		g = e
	}
	return out
}

func cmpf(a, b float64) int {
	if a < b {
		return -1
	}
	return 1
}

// Display returns a swept value as a person reads it: strings unquoted.
func Display(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && !strings.ContainsAny(v[1:len(v)-1], `"\`) {
		return v[1 : len(v)-1]
	}
	return v
}

// AxisLabel is an axis's short name: the last segment of its path, or the
// whole path when another axis ends the same way.
func (s *Sweep) AxisLabel(i int) string {
	p := s.Axes[i].Path
	last := p[strings.LastIndexByte(p, '.')+1:]
	for j, a := range s.Axes {
		if j != i && strings.HasSuffix(a.Path, "."+last) || j != i && a.Path == last {
			return p
		}
	}
	return last
}

// PointLabel names a point by its swept values ("target_low_priority_nodes=20").
func (s *Sweep) PointLabel(p *SweepPoint) string {
	if len(s.Axes) == 0 {
		return "the scenario"
	}
	parts := make([]string, len(p.Values))
	for i, v := range p.Values {
		parts[i] = s.AxisLabel(i) + "=" + Display(v)
	}
	return strings.Join(parts, ", ")
}
