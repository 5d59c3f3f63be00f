package preempt

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// Empirical is the empirical distribution of observed lifetimes: each of the
// n Samples has probability 1/n. It is a step distribution: CDF(t) is the
// fraction of samples ≤ t, and Quantile(u) = x₍⌈u·n⌉₎, the ⌈u·n⌉-th smallest
// sample (the generalised inverse of that CDF), so a draw is always one of
// the observed values and the mean is exactly the sample mean.
type Empirical struct {
	Samples []time.Duration // sorted ascending, non-negative
}

// NewEmpirical returns the empirical distribution of a copy of samples,
// sorted.
func NewEmpirical(samples []time.Duration) (Empirical, error) {
	e := Empirical{Samples: slices.Clone(samples)}
	slices.Sort(e.Samples)
	return e, e.Validate()
}

// Quantile returns the ⌈u·n⌉-th smallest sample.
func (e Empirical) Quantile(u float64) time.Duration {
	n := len(e.Samples)
	if n == 0 {
		return 0
	}
	i := int(math.Ceil(clampU(u)*float64(n))) - 1
	return e.Samples[max(0, min(i, n-1))]
}

// CDF returns the fraction of samples ≤ t.
func (e Empirical) CDF(t time.Duration) float64 {
	if len(e.Samples) == 0 {
		return 0
	}
	i := sort.Search(len(e.Samples), func(i int) bool { return e.Samples[i] > t })
	return float64(i) / float64(len(e.Samples))
}

// Mean returns the sample mean.
func (e Empirical) Mean() time.Duration { return fromHours(e.meanBelow(math.MaxInt64)) }

func (e Empirical) meanBelow(m time.Duration) float64 {
	if len(e.Samples) == 0 {
		return 0
	}
	sum := 0.0
	for _, x := range e.Samples {
		sum += hours(min(x, m))
	}
	return sum / float64(len(e.Samples))
}

func (e Empirical) String() string { return fmt.Sprintf("empirical(%d samples)", len(e.Samples)) }

// Validate reports whether there are samples, all non-negative and sorted.
func (e Empirical) Validate() error {
	if len(e.Samples) == 0 {
		return errors.New("empirical lifetime has no samples")
	}
	if e.Samples[0] < 0 {
		return fmt.Errorf("empirical lifetime has a negative sample %s", formatDuration(e.Samples[0]))
	}
	if !slices.IsSorted(e.Samples) {
		return errors.New("empirical lifetime samples are not sorted")
	}
	return nil
}
