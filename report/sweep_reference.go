package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// referenceLine says what the sweep's reference is and how it did, in one
// sentence, for every rendering of a sweep; "" without one.
func (s *Sweep) referenceLine() string {
	r := s.Reference
	if r == nil {
		return ""
	}
	line := fmt.Sprintf("Reference %s (what you run today): %s", strconv.Quote(r.Name), r.Configuration)
	if len(r.Overrides) > 0 {
		line += ", the scenario with " + strings.Join(r.Overrides, ", ")
	}
	reps := r.Finished + r.Unfinished
	line += fmt.Sprintf("; run once, its %d replications paired with every point's (replication i with replication i): ", reps)
	if r.Finished == 0 {
		return line + "none of them finished within the horizon."
	}
	at := "not reached"
	if r.CompletionAtPercentile != nil {
		at = f(*r.CompletionAtPercentile, 2) + " h"
	}
	line += fmt.Sprintf("mean cost $%s, completion %s %s", meanText(r.CostUSD, 2), pctName(s.Percentile), at)
	if r.MeetsDeadline != nil {
		line += fmt.Sprintf(", %s %% of its replications finish by the deadline", f(100**r.MeetsDeadline, 1))
	}
	if r.Unfinished > 0 {
		line += fmt.Sprintf("; %d of %d unfinished", r.Unfinished, reps)
	}
	return line + "."
}

// vsReference is a point's comparison with the reference as two table
// cells, savings then slowdown, each with its 95 % interval: "80.9 % (80.8
// to 81.0)", "-90.5 (-90.6 to -90.5)"; "–" without a finished pair.
func vsReference(p *SweepPoint) (savings, slowdown string) {
	sv, sl := p.SavingsVsReferencePct, p.SlowdownVsReferencePct
	if sv == nil || sl == nil || p.Finished == 0 {
		return "–", "–"
	}
	abs := func(c cell, a bool) string {
		if a {
			return num(math.Abs(c.Value), 1)
		}
		return num(c.Value, 1)
	}
	savings, slowdown = "–", "–"
	if !math.IsNaN(sv.Mean) {
		savings = fmt.Sprintf("%s (%s)", savingsText(sv.Mean), intervalText(abs, cell{Value: sv.CI95Low}, cell{Value: sv.CI95High}, "less", "more"))
	}
	if !math.IsNaN(sl.Mean) {
		slowdown = fmt.Sprintf("%s (%s to %s)", meanText(*sl, 1), num(sl.CI95Low, 1), num(sl.CI95High, 1))
	}
	return overPairs(*sv, savings), overPairs(*sl, slowdown)
}

// againstReference is " and the same reference "today"" for a sweep with a
// reference, to follow "each point against its own dedicated-only
// baseline".
func (s *Sweep) againstReference() string {
	if s.Reference == nil {
		return ""
	}
	return " and the same reference " + strconv.Quote(s.Reference.Name)
}
