package report

import (
	"strconv"
	"strings"
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
	MeetsDeadline *float64 `json:"meets_deadline_share,omitempty"`
	// JobDeadline is how the point's first job with a deadline of its own
	// ([[jobs]] deadline, which an axis may vary) fared.
	JobDeadline             *Deadline `json:"job_deadline,omitempty"`
	BaselineCompletionHours Stat      `json:"baseline_completion_time_hours"`
	BaselineCostUSD         Stat      `json:"baseline_cost_usd"`
	SavingsPct              Stat      `json:"savings_pct"`
	SlowdownPct             Stat      `json:"slowdown_pct"`
	// SavingsVsReferencePct, SavedVsReferenceUSD and SlowdownVsReferencePct
	// compare the point with the sweep's reference (Sweep.Reference) as
	// SavingsPct and SlowdownPct do with its baseline: paired replication by
	// replication (Compare), the same reference runs for every point. Absent
	// without a reference.
	SavingsVsReferencePct  *Stat `json:"savings_vs_reference_pct,omitempty"`
	SavedVsReferenceUSD    *Stat `json:"saved_vs_reference_usd,omitempty"`
	SlowdownVsReferencePct *Stat `json:"slowdown_vs_reference_pct,omitempty"`
	OnFrontier             bool  `json:"on_frontier"`
	// WorkDoneUnfinished is the mean share of the tasks the unfinished
	// runs had done by the horizon, and CostAtHorizonUSD their mean bill by
	// then (a lower bound of what finishing would cost); null when every
	// run finished.
	WorkDoneUnfinished *float64 `json:"work_done_share_unfinished"`
	CostAtHorizonUSD   *float64 `json:"cost_at_horizon_usd_unfinished"`
	// QuotaCapped says a core quota cut the point's pool short in some run:
	// it ran with fewer nodes than it asked for. RanAs says how, per capped
	// target ("ran as 25 low-priority nodes (capped by the low-priority
	// quota)").
	QuotaCapped bool     `json:"quota_capped"`
	RanAs       []string `json:"ran_as,omitempty"`
	// Notes are the point's warnings, as its own report would give them:
	// unfinished runs, failing autoscale formulas, quotas that capped it.
	Notes []string `json:"notes,omitempty"`
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
	// Run is the build, date and command line, for report.md and
	// report.html only (never sweep.json).
	Run         *RunInfo    `json:"-"`
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
	// Reference, when the sweep has one ([reference], --reference), is
	// that setup: run once, its replications paired with every point's.
	Reference *SweepReference `json:"reference,omitempty"`
}

// SweepReference is sweep.json's "reference": the reference as
// summary.json's "reference" has it (its statistics the same numbers, for
// the same scenario and seed), with its completion time at the sweep's
// percentile and share meeting the deadline, as a point's.
type SweepReference struct {
	Reference
	CompletionAtPercentile *float64 `json:"completion_at_percentile_hours"`
	MeetsDeadline          *float64 `json:"meets_deadline_share,omitempty"`
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

// DeadlineShare is the share of the point's replications finished by the
// sweep's deadline (0 without a deadline).
func (p *SweepPoint) DeadlineShare() float64 {
	if p.MeetsDeadline == nil {
		return 0
	}
	return *p.MeetsDeadline
}

// Notes are the summary's warnings, one sentence each, as its reports
// give them.
func (s *Summary) Notes() []string { return s.notes() }

func g4(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
