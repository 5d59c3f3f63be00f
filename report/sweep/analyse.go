package sweep

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/spotsim/spotsim/report"
)

// Analyse computes the sweep's frontier and recommendation from its
// results (so merged shards can be analysed again).
func Analyse(s *report.Sweep) {
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
		s.Recommendation = recommend(s)
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

// recommend picks the cheapest point (by mean cost; the lowest index on a
// tie) whose completion time at the sweep's percentile meets the deadline.
func recommend(s *report.Sweep) *report.Recommendation {
	dl := s.DeadlineHours
	pct := "p" + strconv.FormatFloat(s.Percentile, 'g', -1, 64)
	best, fastest := -1, -1
	for i := range s.Results {
		p := &s.Results[i]
		if p.CompletionAtPercentile == nil || p.Finished == 0 {
			continue
		}
		if fastest < 0 || *p.CompletionAtPercentile < *s.Results[fastest].CompletionAtPercentile {
			fastest = i
		}
		if *p.CompletionAtPercentile <= dl && (best < 0 || p.CostUSD.Mean < s.Results[best].CostUSD.Mean) {
			best = i
		}
	}
	if best < 0 {
		text := fmt.Sprintf("No point meets the deadline of %s h at %s.", g4(dl), pct)
		if fastest >= 0 {
			p := &s.Results[fastest]
			text += fmt.Sprintf(" The fastest at %s is point %d (%s): %.2f h, with %.1f %% of its replications finishing by the deadline.",
				pct, p.Index, s.PointLabel(p), *p.CompletionAtPercentile, 100*p.DeadlineShare())
		} else {
			text += fmt.Sprintf(" No point even finishes at %s (too many replications hit the horizon).", pct)
		}
		return &report.Recommendation{Text: text}
	}
	p := &s.Results[best]
	sh := p.DeadlineShare()
	lo, hi := report.Wilson(sh, p.Replications)
	idx := p.Index
	return &report.Recommendation{
		Index: &idx, Values: p.Values, MeetsDeadlineShare: sh, ShareCI95Low: lo, ShareCI95High: hi,
		Text: fmt.Sprintf("Cheapest point meeting the deadline of %s h at %s: point %d (%s)%s, mean cost %s$%.2f "+
			"(%s its dedicated-only baseline), %s completion %.2f h; %.1f %% of its %d replications "+
			"finish by the deadline (95 %% CI %.1f to %.1f %%).",
			g4(dl), pct, p.Index, s.PointLabel(p), ranAs(p), atLeast(p.CostUSD), p.CostUSD.Mean, versus(p.SavingsPct.Mean), pct,
			*p.CompletionAtPercentile, 100*sh, p.Replications, 100*lo, 100*hi) + againstReference(s, p),
	}
}

// againstReference says how the recommended point p compares with the
// sweep's reference, paired: " It saves $129.48 a run (81.0 %, 95 % CI
// 80.5 to 81.4 %) against your reference "today" and finishes 90.5 %
// earlier (95 % CI 90.5 to 90.6 %)." Empty without a reference.
func againstReference(s *report.Sweep, p *report.SweepPoint) string {
	r := s.Reference
	if r == nil || p.SavedVsReferenceUSD == nil || p.SavingsVsReferencePct == nil || p.SlowdownVsReferencePct == nil {
		return ""
	}
	name := "your reference " + strconv.Quote(r.Name)
	saved, sv, sl := *p.SavedVsReferenceUSD, *p.SavingsVsReferencePct, *p.SlowdownVsReferencePct
	if math.IsNaN(saved.Mean) || math.IsNaN(sv.Mean) {
		return fmt.Sprintf(" Against %s there is no comparison: no replication finished on both sides.", name)
	}
	text := fmt.Sprintf(" It saves $%.2f a run (%.1f %%, 95 %% CI %s) against %s", saved.Mean, sv.Mean, interval(sv, "less", "more"), name)
	if saved.Mean < 0 {
		text = fmt.Sprintf(" It costs $%.2f a run more (%.1f %% more, 95 %% CI %s) than %s", -saved.Mean, -sv.Mean, interval(sv, "less", "more"), name)
	}
	switch {
	case math.IsNaN(sl.Mean):
	case sl.Mean < 0:
		text += fmt.Sprintf(" and finishes %.1f %% earlier (95 %% CI %s)", -sl.Mean, interval(sl, "later", "earlier"))
	default:
		text += fmt.Sprintf(" and finishes %.1f %% later (95 %% CI %s)", sl.Mean, interval(sl, "later", "earlier"))
	}
	if sv.Unfinished > 0 {
		text += fmt.Sprintf(", over the %d replications both finished (%d more censored)", sv.N, sv.Unfinished)
	}
	return text + "."
}

// interval says a 95 % interval of percentages signed by words: "80.5 to
// 81.4 %", "90.6 to 90.5 % earlier", "3.0 % earlier to 5.0 % later".
func interval(st report.Stat, up, down string) string {
	lo, hi := st.CI95Low, st.CI95High
	switch {
	case lo >= 0:
		return fmt.Sprintf("%.1f to %.1f %%", lo, hi)
	case hi <= 0:
		return fmt.Sprintf("%.1f to %.1f %% %s", -hi, -lo, down)
	}
	return fmt.Sprintf("%.1f %% %s to %.1f %% %s", -lo, down, hi, up)
}

func g4(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

// ranAs is ", where pool main ran as 25 low-priority nodes (capped by the
// low-priority quota)," for a capped point, else empty.
func ranAs(p *report.SweepPoint) string {
	if len(p.RanAs) == 0 {
		return ""
	}
	return ", where " + strings.Join(p.RanAs, " and ")
}

// atLeast is "≥ " when a mean is a lower bound (some runs unfinished).
func atLeast(st report.Stat) string {
	if st.LowerBound {
		return "≥ "
	}
	return ""
}

// versus compares a saving with the baseline in words: "74.6 % less than",
// or "214.0 % more than" for a point that costs more.
func versus(savings float64) string {
	if savings < 0 {
		return fmt.Sprintf("%.1f %% more than", -savings)
	}
	return fmt.Sprintf("%.1f %% less than", savings)
}
