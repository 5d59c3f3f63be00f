package report

import (
	"strconv"
	"strings"
)

// namedSide is one side of the report's tables, by its summary.json key.
type namedSide struct {
	name string
	s    *Side
}

// sides are the runs the tables show, in order: the scenario, its
// dedicated-only baseline and, when there is one, the reference.
func (s *Summary) sides() []namedSide {
	out := []namedSide{{"scenario", &s.Scenario}, {"baseline", &s.Baseline}}
	if s.Reference != nil {
		out = append(out, namedSide{"reference", &s.Reference.Side})
	}
	return out
}

// referenceHeadline is the headline against the reference; ok is false
// when there is none.
func (s *Summary) referenceHeadline() (headline, bool) {
	r := s.Reference
	if r == nil {
		return headline{}, false
	}
	return s.headlineAgainst("the reference "+strconv.Quote(r.Name), "reference", &r.Side,
		Comparison{*s.SavingsVsReference, *s.SavedVsReference, *s.SlowdownVsReference},
		[3]string{"savings_vs_reference_pct", "saved_vs_reference_usd", "slowdown_vs_reference_pct"}), true
}

// referenceLines say what the reference is, for whatRan: its name, what
// it simulated and what it changes.
func (s *Summary) referenceLines() []string {
	r := s.Reference
	if r == nil {
		return nil
	}
	out := []string{"Reference " + strconv.Quote(r.Name) + " (what you run today): " + r.Configuration + "."}
	if len(r.Overrides) > 0 {
		out = append(out, "The reference is the scenario as run with "+strings.Join(r.Overrides, ", ")+".")
	}
	if r.Description != "" {
		out = append(out, "The reference is described as: "+r.Description)
	}
	return out
}
