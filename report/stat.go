package report

import (
	"encoding/json"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Stat summarises one quantity over replications, some of which may not
// have finished (see SummarizeCensored). A value that is not known is NaN
// in Go, null in JSON and an empty cell in CSV, never 0.
type Stat struct {
	// N counts the finished replications the mean, SD and interval are
	// over; Unfinished the replications that hit the horizon first.
	N          int
	Unfinished int
	Mean       float64
	SD         float64
	CI95Low    float64
	CI95High   float64
	// LowerBound says the mean over the finished runs is a lower bound of
	// the mean over all runs: some did not finish, and each of them had
	// reached at least the largest finished value by the horizon.
	LowerBound bool
	// P50 and P95 are the empirical percentiles over all replications; NaN
	// when the percentile falls among unfinished ones and their values at
	// the horizon do not settle it ("not reached").
	P50, P95 float64
}

// statJSON is Stat as summary.json has it: unknown numbers are null.
type statJSON struct {
	N          int      `json:"n"`
	Unfinished int      `json:"unfinished,omitempty"`
	Mean       *float64 `json:"mean"`
	SD         *float64 `json:"sd"`
	CI95Low    *float64 `json:"ci95_low"`
	CI95High   *float64 `json:"ci95_high"`
	LowerBound bool     `json:"mean_is_lower_bound,omitempty"`
	P50        *float64 `json:"p50"`
	P95        *float64 `json:"p95"`
}

// known returns x for JSON, or nil when it is not a number. A negative
// zero is made 0: JSON would print it as -0 (a value such as
// 100·(1 − cost/baseline) of a run that costs as much as its baseline).
func known(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	if x == 0 {
		x = 0
	}
	return &x
}

func unknown(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes unknown numbers as null.
func (s Stat) MarshalJSON() ([]byte, error) {
	return json.Marshal(statJSON{N: s.N, Unfinished: s.Unfinished, Mean: known(s.Mean), SD: known(s.SD),
		CI95Low: known(s.CI95Low), CI95High: known(s.CI95High), LowerBound: s.LowerBound, P50: known(s.P50), P95: known(s.P95)})
}

// UnmarshalJSON reads null as unknown (NaN).
func (s *Stat) UnmarshalJSON(b []byte) error {
	var j statJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Stat{N: j.N, Unfinished: j.Unfinished, Mean: unknown(j.Mean), SD: unknown(j.SD), CI95Low: unknown(j.CI95Low),
		CI95High: unknown(j.CI95High), LowerBound: j.LowerBound, P50: unknown(j.P50), P95: unknown(j.P95)}
	return nil
}

// Summarize summarises values that are all known (every replication
// finished, or a quantity defined whether or not it did).
func Summarize(xs []float64) Stat { return SummarizeCensored(xs, nil) }

// SummarizeCensored is the project's one rule for unfinished replications:
// they are censored data, not missing data. finished holds the values of
// the replications that finished; atHorizon, one per replication that hit
// the horizon, the value it had reached by then, which its true value is at
// least (completion time: the horizon itself; cost: the bill so far).
//
//   - The mean, the sample SD and the 95 % Student-t interval of the mean
//     are over the finished values (NaN when none finished). When some did
//     not finish and each had reached at least the largest finished value,
//     the mean is flagged as a lower bound of the mean over all runs.
//   - The percentiles are over all replications. An unfinished one sorts
//     both at its horizon value and at +∞; a percentile both orders agree
//     on is exact, otherwise it is NaN ("not reached"). For completion
//     time this is "not reached" whenever the percentile falls among the
//     unfinished runs (p95 with more than 5 % unfinished).
//
// SummarizeBounded is the same rule for values known only to lie between
// two bounds (a comparison of two runs one of which did not finish).
func SummarizeCensored(finished, atHorizon []float64) Stat {
	inf := make([]float64, len(atHorizon))
	for i := range inf {
		inf[i] = math.Inf(1)
	}
	return SummarizeBounded(finished, atHorizon, inf)
}

// SummarizeBounded is SummarizeCensored's rule for censored values known
// only to lie in [low[i], high[i]] (either may be infinite): the mean, SD
// and interval are over the finished values, flagged as a lower bound when
// every censored value is at least the largest finished one; a percentile
// is exact when it is the same with every censored value at its low bound
// and at its high bound, NaN otherwise. Paired comparisons (Compare) use
// it: a pair one of whose runs did not finish is censored, never dropped.
func SummarizeBounded(finished, low, high []float64) Stat {
	s := Stat{N: len(finished), Unfinished: len(low), Mean: math.NaN(), SD: math.NaN(),
		CI95Low: math.NaN(), CI95High: math.NaN(), P50: math.NaN(), P95: math.NaN()}
	if len(finished) > 0 {
		s.Mean = stat.Mean(finished, nil)
		s.CI95Low, s.CI95High = s.Mean, s.Mean
		s.SD = 0
		if len(finished) > 1 {
			s.SD = stat.StdDev(finished, nil)
			t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(finished) - 1)}.Quantile(0.975)
			h := t * s.SD / math.Sqrt(float64(len(finished)))
			s.CI95Low, s.CI95High = s.Mean-h, s.Mean+h
		}
		if len(low) > 0 && slices.Min(low) >= slices.Max(finished) {
			s.LowerBound = true
		}
	}
	if len(finished)+len(low) == 0 {
		return s
	}
	lo := append(slices.Clone(finished), low...)
	hi := append(slices.Clone(finished), high...)
	slices.Sort(lo)
	slices.Sort(hi)
	pct := func(p float64) float64 {
		a, b := stat.Quantile(p, stat.Empirical, lo, nil), stat.Quantile(p, stat.Empirical, hi, nil)
		if a != b {
			return math.NaN()
		}
		return a
	}
	s.P50, s.P95 = pct(0.5), pct(0.95)
	return s
}

// Percentile returns the empirical p-quantile (p in [0,1]) of xs.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	return stat.Quantile(p, stat.Empirical, sorted, nil)
}
