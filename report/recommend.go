package report

import (
	"fmt"
	"math"
	"strconv"
)

// recommend picks the cheapest point (by mean cost; the lowest index on a
// tie) whose completion time at the sweep's percentile meets the deadline.
func (s *Sweep) recommend() *Recommendation {
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
				pct, p.Index, s.PointLabel(p), *p.CompletionAtPercentile, 100*share(p))
		} else {
			text += fmt.Sprintf(" No point even finishes at %s (too many replications hit the horizon).", pct)
		}
		return &Recommendation{Text: text}
	}
	p := &s.Results[best]
	sh := share(p)
	lo, hi := wilson(sh, p.Replications)
	idx := p.Index
	return &Recommendation{
		Index: &idx, Values: p.Values, MeetsDeadlineShare: sh, ShareCI95Low: lo, ShareCI95High: hi,
		Text: fmt.Sprintf("Cheapest point meeting the deadline of %s h at %s: point %d (%s), mean cost $%.2f "+
			"(%.1f %% less than its dedicated-only baseline), %s completion %.2f h; %.1f %% of its %d replications "+
			"finish by the deadline (95 %% CI %.1f to %.1f %%).",
			g4(dl), pct, p.Index, s.PointLabel(p), p.CostUSD.Mean, p.SavingsPct.Mean, pct, *p.CompletionAtPercentile,
			100*sh, p.Replications, 100*lo, 100*hi),
	}
}

func share(p *SweepPoint) float64 {
	if p.MeetsDeadline == nil {
		return 0
	}
	return *p.MeetsDeadline
}

func g4(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

// wilson returns the 95 % Wilson score interval of a proportion p of n.
func wilson(p float64, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	const z = 1.959963984540054
	nf := float64(n)
	den := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / den
	h := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return math.Max(0, c-h), math.Min(1, c+h)
}
