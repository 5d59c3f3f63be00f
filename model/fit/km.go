package fit

import (
	"slices"
	"sort"
	"time"
)

// Step is one distinct observed value of a Kaplan–Meier estimate: Surv is
// the estimated P(X > Time), after the Events uncensored and Censored
// censored observations at Time, of the AtRisk still under observation
// just before it.
type Step struct {
	Time             time.Duration
	Surv             float64
	AtRisk           int
	Events, Censored int
}

// KaplanMeier returns the product-limit estimate of the survival function
// of obs, one Step per distinct value in increasing order. At a value with
// both, events count before censorings (a value censored at t was at risk
// at t). Without censoring it is the empirical distribution: Surv is the
// fraction of values above Time.
func KaplanMeier(obs []Obs) []Step {
	o := slices.Clone(obs)
	slices.SortFunc(o, func(a, b Obs) int {
		switch {
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return 0
	})
	var steps []Step
	surv, atRisk := 1.0, len(o)
	for i := 0; i < len(o); {
		st := Step{Time: o[i].Value, AtRisk: atRisk}
		for ; i < len(o) && o[i].Value == st.Time; i++ {
			if o[i].Censored {
				st.Censored++
			} else {
				st.Events++
			}
		}
		if st.Events > 0 {
			surv *= 1 - float64(st.Events)/float64(atRisk)
		}
		st.Surv = surv
		atRisk -= st.Events + st.Censored
		steps = append(steps, st)
	}
	return steps
}

// kmCDF returns 1 − S(t) of a Kaplan–Meier estimate (0 before the first
// value; the last estimate after the last one).
func kmCDF(km []Step, t time.Duration) float64 {
	i := sort.Search(len(km), func(i int) bool { return km[i].Time > t })
	if i == 0 {
		return 0
	}
	return 1 - km[i-1].Surv
}
