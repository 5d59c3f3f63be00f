package preempt

import (
	"fmt"
	"math"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// Eviction is a correlated eviction of a pool's low-priority nodes: at time
// At, Count of them (or, when Count < 0, a Fraction of them; see Nodes) are
// evicted at once, and no low-priority node can be allocated during
// [At, At+Blackout). Blackouts of overlapping evictions combine: allocation
// is blocked until the latest end.
type Eviction struct {
	At       time.Duration
	Count    int     // nodes to evict, or < 0 to use Fraction
	Fraction float64 // fraction of the current low-priority nodes, in [0, 1]
	Blackout time.Duration
}

// Nodes returns how many of lowPriority nodes the eviction takes: Count
// (at most lowPriority) when Count ≥ 0, else EvictCount(Fraction,
// lowPriority).
func (e Eviction) Nodes(lowPriority int) int {
	if lowPriority <= 0 {
		return 0
	}
	if e.Count >= 0 {
		return min(e.Count, lowPriority)
	}
	return EvictCount(e.Fraction, lowPriority)
}

// EvictCount returns how many of n nodes a fraction f evicts: f·n rounded
// half up, ⌊f·n + ½⌋, kept within [0, n]. The product is computed with a
// tolerance of 10⁻⁹ so that decimal fractions round as written (0.15 of 10
// nodes is 1.5, which evicts 2, although 0.15 is stored as 0.1499…).
// Examples: 0.5 of 1 evicts 1, 0.49 of 1 evicts 0, 0.25 of 10 evicts 3,
// 0.2 of 10 evicts 2.
func EvictCount(f float64, n int) int {
	if n <= 0 || !(f > 0) {
		return 0
	}
	if f >= 1 {
		return n
	}
	k := int(math.Floor(f*float64(n) + 0.5 + 1e-9))
	return max(0, min(k, n))
}

// Events is a stream of evictions in non-decreasing time order.
type Events interface {
	// Next returns the next eviction, or false when there are no more.
	Next() (Eviction, bool)
}

// Crunches are capacity crunches at random times (DESIGN.md §3): the times
// between the starts of consecutive crunches follow Every (the first crunch
// comes Every after time 0), each crunch evicts Fraction of the pool's
// low-priority nodes (rounded by EvictCount) and blocks low-priority
// allocation for a Blackout. Crunch k draws its gap from u(k, 0) and its
// blackout from u(k, 1). Crunches may overlap; see Eviction.
type Crunches struct {
	Every    dist.Dist
	Fraction float64
	Blackout dist.Dist
}

// Validate reports whether the distributions are valid, Every has a
// positive mean and Fraction is in [0, 1].
func (c Crunches) Validate() error {
	if err := c.Every.Validate(); err != nil {
		return fmt.Errorf("crunch inter-arrival: %w", err)
	}
	if c.Every.MeanDuration() <= 0 {
		return fmt.Errorf("crunch inter-arrival must have a positive mean, got %v", c.Every)
	}
	if !(c.Fraction >= 0 && c.Fraction <= 1) {
		return fmt.Errorf("crunch fraction must be in [0, 1], got %v", c.Fraction)
	}
	if err := c.Blackout.Validate(); err != nil {
		return fmt.Errorf("crunch blackout: %w", err)
	}
	return nil
}

func (c Crunches) String() string {
	return fmt.Sprintf("crunches(every %v, fraction %g, blackout %v)", c.Every, c.Fraction, c.Blackout)
}

// Events returns the infinite stream of crunches drawn from u; times
// saturate at the largest time.Duration.
func (c Crunches) Events(u Uniform) *CrunchEvents { return &CrunchEvents{c: c, u: u} }

// Nth returns crunch k (k = 0 is the first), walking the k gaps before it.
func (c Crunches) Nth(u Uniform, k int) Eviction {
	it := c.Events(u)
	var e Eviction
	for i := 0; i <= k; i++ {
		e, _ = it.Next()
	}
	return e
}

// CrunchEvents iterates over the crunches of a Crunches process.
type CrunchEvents struct {
	c  Crunches
	u  Uniform
	k  uint64
	at time.Duration
}

// Next returns the next crunch; it always returns true.
func (it *CrunchEvents) Next() (Eviction, bool) {
	it.at = satAdd(it.at, it.c.Every.Quantile(it.u(it.k, 0)))
	e := Eviction{At: it.at, Count: -1, Fraction: it.c.Fraction, Blackout: it.c.Blackout.Quantile(it.u(it.k, 1))}
	it.k++
	return e, true
}
