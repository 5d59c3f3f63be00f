package report_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
)

// TestSummarizeCensored: unfinished runs count in the percentiles (not
// reached when the percentile falls among them), the mean over finished
// runs is flagged as a lower bound, and nothing finished gives no numbers.
func TestSummarizeCensored(t *testing.T) {
	nan := math.NaN()
	ten := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	cases := []struct {
		name          string
		fin, cen      []float64
		mean          float64
		lowerBound    bool
		p50, p95      float64
		n, unfinished int
	}{
		{"all finished", ten, nil, 5.5, false, 5, 10, 10, 0},
		// 19 finished + 1 at the horizon: p95 is the 19th of 20, a finished value.
		{"5 % unfinished", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, []float64{20}, 10, true, 10, 19, 19, 1},
		// 2 of 20 unfinished: p95 falls among them.
		{"10 % unfinished", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, []float64{20, 20}, 9.5, true, 10, nan, 18, 2},
		{"half unfinished", []float64{1, 2}, []float64{5, 5}, 1.5, true, 2, nan, 2, 2},
		{"nothing finished", nil, []float64{5, 5}, nan, false, nan, nan, 0, 2},
		// An unfinished run's value at the horizon below a finished one's:
		// the finished mean is no bound, and a percentile above it is unknown.
		{"bill so far below a finished bill", []float64{1, 2, 8}, []float64{3}, 11.0 / 3, false, 2, nan, 3, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := report.SummarizeCensored(c.fin, c.cen)
			same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
			if !same(st.Mean, c.mean) || st.LowerBound != c.lowerBound || !same(st.P50, c.p50) || !same(st.P95, c.p95) ||
				st.N != c.n || st.Unfinished != c.unfinished {
				t.Errorf("got mean %v (lower bound %v), p50 %v, p95 %v, n %d, unfinished %d; want %v (%v), %v, %v, %d, %d",
					st.Mean, st.LowerBound, st.P50, st.P95, st.N, st.Unfinished, c.mean, c.lowerBound, c.p50, c.p95, c.n, c.unfinished)
			}
		})
	}
}

// TestStatJSONNull: an unknown number is null in JSON, never 0, and reads
// back as unknown.
func TestStatJSONNull(t *testing.T) {
	st := report.SummarizeCensored(nil, []float64{3})
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"n":0,"unfinished":1,"mean":null,"sd":null,"ci95_low":null,"ci95_high":null,"p50":null,"p95":null}`
	if string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	var back report.Stat
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back.Mean) || !math.IsNaN(back.P95) || back.Unfinished != 1 {
		t.Errorf("read back %+v", back)
	}
}

// TestCompareCensorsPairs: a pair one of whose runs did not finish is
// censored, not left out: it is counted (Unfinished) in savings, dollars
// saved and slowdown alike, the means are over the pairs both finished, and
// a percentile that the censored pairs could move is unknown.
func TestCompareCensorsPairs(t *testing.T) {
	nan := math.NaN()
	run := func(fin bool, cost float64, hours float64) runner.Record {
		return runner.Record{Finished: fin, Cost: cost, Completion: time.Duration(hours * float64(time.Hour))}
	}
	pairs := func(scen, base []runner.Record) ([]runner.Record, []runner.Record) {
		var a, b []runner.Record
		for range 10 - len(scen) {
			a, b = append(a, run(true, 5, 11)), append(b, run(true, 10, 10))
		}
		return append(a, scen...), append(b, base...)
	}
	const h = 20 // horizon, hours
	cases := []struct {
		name                 string
		scen, base           []runner.Record // the censored pairs, after finished ones
		n, unfinished        int             // savings, saved and slowdown alike
		saveP50, saveP95     float64
		savedP95, slowP95    float64
		slowUnfinished       int
		savingsMean, slowMin float64
	}{
		{"all finished", nil, nil, 10, 0, 50, 50, 5, 10, 0, 50, 10},
		// Unfinished at $4 so far: savings at most 60 %, $6 saved at most,
		// slowdown at least 100 %: p50 is settled, p95 is not.
		{"one scenario run unfinished", []runner.Record{run(false, 4, h)}, []runner.Record{run(true, 10, 10)}, 9, 1, 50, nan, nan, nan, 1, 50, 10},
		// The baseline unfinished at $10 so far: the pair's slowdown is at
		// most 11/20 − 1 = −45 %; the old rule dropped it from the slowdown.
		{"one baseline run unfinished", []runner.Record{run(true, 5, 11)}, []runner.Record{run(false, 10, h)}, 9, 1, 50, nan, nan, 10, 1, 50, 10},
		{"half unfinished on both sides", []runner.Record{run(false, 4, h), run(false, 4, h), run(false, 4, h), run(false, 4, h), run(false, 4, h)},
			[]runner.Record{run(false, 9, h), run(false, 9, h), run(false, 9, h), run(false, 9, h), run(false, 9, h)}, 5, 5, nan, nan, nan, nan, 5, 50, 10},
	}
	same := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 || math.IsNaN(a) && math.IsNaN(b) }
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := pairs(c.scen, c.base)
			cmp := report.Compare(a, b, h*time.Hour, h*time.Hour)
			for _, st := range []struct {
				what string
				s    report.Stat
				n, u int
			}{{"savings", cmp.SavingsPct, c.n, c.unfinished}, {"saved", cmp.SavedUSD, c.n, c.unfinished}, {"slowdown", cmp.SlowdownPct, c.n, c.slowUnfinished}} {
				if st.s.N != st.n || st.s.Unfinished != st.u {
					t.Errorf("%s: n %d, unfinished %d; want %d and %d", st.what, st.s.N, st.s.Unfinished, st.n, st.u)
				}
			}
			if !same(cmp.SavingsPct.Mean, c.savingsMean) || !same(cmp.SavingsPct.P50, c.saveP50) || !same(cmp.SavingsPct.P95, c.saveP95) {
				t.Errorf("savings mean %v p50 %v p95 %v; want %v, %v, %v", cmp.SavingsPct.Mean, cmp.SavingsPct.P50, cmp.SavingsPct.P95, c.savingsMean, c.saveP50, c.saveP95)
			}
			if !same(cmp.SavedUSD.P95, c.savedP95) || !same(cmp.SlowdownPct.P95, c.slowP95) {
				t.Errorf("saved p95 %v, slowdown p95 %v; want %v and %v", cmp.SavedUSD.P95, cmp.SlowdownPct.P95, c.savedP95, c.slowP95)
			}
			if !same(cmp.SlowdownPct.Mean, c.slowMin) {
				t.Errorf("slowdown mean %v, want %v (over the finished pairs)", cmp.SlowdownPct.Mean, c.slowMin)
			}
		})
	}
}
