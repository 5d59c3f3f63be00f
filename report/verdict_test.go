package report

import (
	"strings"
	"testing"
)

// TestVerdict: the rule of verdict.go, case by case, on the paired savings
// and slowdown intervals.
func TestVerdict(t *testing.T) {
	st := func(mean, lo, hi float64) Stat { return Stat{N: 100, Mean: mean, CI95Low: lo, CI95High: hi} }
	cases := []struct {
		name          string
		save, slow    Stat
		unfinished    int
		rule, contain string
	}{
		{"mpi-lowpri-like", st(-214, -220, -208), st(1470, 1400, 1540), 0, "costs-more", "3.1× more expensive and 15.7× slower than dedicated: don't."},
		{"costs more, not slower", st(-20, -25, -15), st(1, -2, 4), 0, "costs-more", "20.0 % more expensive than dedicated, and not surely faster: don't."},
		{"do", st(81.4, 81.3, 81.5), st(3.2, 3.1, 3.3), 0, "saves", "81.4 % cheaper ($130.00 a run) and at most 3.3 % slower than dedicated: do."},
		{"trade-off", st(54.6, 53.3, 55.8), st(15.2, 11.8, 18.6), 0, "saves-slower", "54.6 % cheaper ($130.00 a run) but 15.2 % slower than dedicated: do if the deadline allows."},
		{"unclear", st(1, -2, 4), st(0, -1, 1), 0, "unclear", "No clear difference in cost (savings 95 % CI -2.0 to 4.0 %)"},
		{"unfinished", st(80, 79, 81), st(3, 2, 4), 34, "unfinished", "34 % of the runs did not finish within the 39.5 h horizon (the baseline: 0 %): don't rely on it."},
		{"nothing finished", Stat{}, Stat{}, 100, "no-comparison", "none: no replication finished"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Summary{Replications: 100, HorizonHours: 39.5, SavingsPct: c.save, SlowdownPct: c.slow, SavedUSD: Stat{N: 100, Mean: 130}}
			s.Scenario.Finished, s.Scenario.Unfinished, s.Baseline.Finished = 100-c.unfinished, c.unfinished, 100
			v := s.verdict()
			if v.Rule != c.rule || !strings.Contains(v.Text, c.contain) {
				t.Errorf("got %s %q, want %s %q", v.Rule, v.Text, c.rule, c.contain)
			}
		})
	}
}
