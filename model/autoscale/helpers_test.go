package autoscale_test

import (
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
)

// testEnv is an Env with explicit histories and values; unknown metrics
// have empty histories and unknown values are 0.
type testEnv struct {
	now   time.Time
	vals  map[string]float64
	hists map[string]*autoscale.History
	rand  float64
}

func (e *testEnv) Now() time.Time                        { return e.now }
func (e *testEnv) Value(name string) float64             { return e.vals[name] }
func (e *testEnv) Metric(name string) *autoscale.History { return e.hists[name] }
func (e *testEnv) Rand() float64                         { return e.rand }

// thursday is the evaluation time of Azure's documented sample output
// ($curTime=2016-10-13T19:18:47.805Z), a Thursday evening.
var thursday = time.Date(2016, 10, 13, 19, 18, 47, 805e6, time.UTC)

// samples returns a history of 30 s samples whose newest is lag before now;
// vals are given oldest first.
func samples(now time.Time, lag time.Duration, vals ...float64) *autoscale.History {
	h := &autoscale.History{Period: 30 * time.Second}
	newest := now.Add(-lag)
	for i, v := range vals {
		h.Add(newest.Add(-time.Duration(len(vals)-1-i)*30*time.Second), v)
	}
	return h
}

// repeat returns n copies of v.
func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
