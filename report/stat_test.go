package report_test

import (
	"encoding/json"
	"math"
	"testing"

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
