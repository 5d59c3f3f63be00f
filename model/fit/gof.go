package fit

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// ksDistance returns sup |F̂(t) − F(t)| over the observed range, F̂ the
// Kaplan–Meier CDF and F the family f at theta: at each step both the value
// after the jump and the one before it are compared with F.
func ksDistance(km []Step, f *family, theta []float64, unit float64) float64 {
	d, before := 0.0, 0.0
	for _, st := range km {
		F := 0.0
		if st.Time > 0 {
			F = f.cdf(theta, float64(st.Time)/unit)
		}
		after := 1 - st.Surv
		d = max(d, math.Abs(after-F), math.Abs(before-F))
		before = after
	}
	return d
}

// bootstrapP returns the parametric-bootstrap p-value of m's KS distance
// on obs from b samples, and how many samples could be refitted. Each
// sample draws len(obs) values from m and censoring times from the reverse
// Kaplan–Meier estimate of obs's censoring distribution, refits m's family
// and measures its KS distance again.
func bootstrapP(obs []Obs, m *Model, b int, seed uint64) (float64, int) {
	h := fnv.New64a()
	h.Write([]byte(m.Family))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	cens := censoring(obs)
	buf := make([]Obs, len(obs))
	exceed, used := 0, 0
	for range b {
		for i := range buf {
			t := clampNs(m.fam.quantile(m.theta, open(rng)) * m.unit)
			t = max(t, 1)
			c, censored := cens.draw(open(rng))
			if censored && c < t {
				buf[i] = Obs{Value: c, Censored: true}
			} else {
				buf[i] = Obs{Value: t}
			}
		}
		s, err := newSample(buf, true)
		if err != nil {
			continue
		}
		theta, _, err := maximise(m.fam, s, m.fam.start(s))
		if err != nil {
			continue
		}
		used++
		if ksDistance(KaplanMeier(buf), m.fam, theta, s.unit) >= m.KS {
			exceed++
		}
	}
	return float64(1+exceed) / float64(1+used), used
}

// open returns a uniform number in the open interval (0, 1).
func open(rng *rand.Rand) float64 {
	for {
		if u := rng.Float64(); u > 0 {
			return u
		}
	}
}

// censorDist is the reverse Kaplan–Meier estimate of the censoring times
// (the censored observations are its events, the others its censorings),
// kept as the times at which it jumps and its CDF there.
type censorDist struct {
	t   []time.Duration
	cdf []float64
}

func censoring(obs []Obs) censorDist {
	rev := make([]Obs, len(obs))
	for i, o := range obs {
		rev[i] = Obs{Value: o.Value, Censored: !o.Censored}
	}
	var c censorDist
	for _, st := range KaplanMeier(rev) {
		if st.Events > 0 {
			c.t = append(c.t, st.Time)
			c.cdf = append(c.cdf, 1-st.Surv)
		}
	}
	return c
}

// draw returns the censoring time at probability u, and false when u falls
// beyond the estimate's mass (no censoring: observed to the end).
func (c censorDist) draw(u float64) (time.Duration, bool) {
	i := sort.SearchFloat64s(c.cdf, u)
	if i == len(c.cdf) {
		return 0, false
	}
	return c.t[i], true
}
