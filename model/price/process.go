package price

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// nsPerHour converts price·nanoseconds to price·hours ($).
const nsPerHour = float64(time.Hour)

// Process is a spot price over simulated time, in $ per node-hour: a
// right-continuous step function (a change at t applies from t on).
//
// A negative max price (Azure's −1) means "pay up to the pay-as-you-go
// price, never evicted for price": NextAbove(t, max) reports no crossing and
// NextAtOrBelow(t, max) returns t.
type Process interface {
	// At returns the price in effect at t.
	At(t time.Duration) float64
	// Integrate returns ∫ price dt over [from, to) in $ (price × hours):
	// the cost of one node billed over that span. It is 0 when to ≤ from.
	Integrate(from, to time.Duration) float64
	// NextAbove returns the first time s ≥ t at which the price is > max
	// (t itself if it already is): when a node with that max price is
	// evicted. ok is false if the price never exceeds max again (or max < 0).
	NextAbove(t time.Duration, max float64) (s time.Duration, ok bool)
	// NextAtOrBelow returns the first time s ≥ t at which the price is
	// ≤ max: when a node with that max price can be allocated again.
	NextAtOrBelow(t time.Duration, max float64) (s time.Duration, ok bool)
	// NextChange returns the first price change strictly after t and the
	// new price; ok is false if the price never changes after t.
	NextChange(t time.Duration) (at time.Duration, price float64, ok bool)
}

// Fixed is a constant price.
type Fixed float64

// At returns p.
func (p Fixed) At(time.Duration) float64 { return float64(p) }

// Integrate returns p × (to − from) in hours.
func (p Fixed) Integrate(from, to time.Duration) float64 {
	if to <= from {
		return 0
	}
	return float64(p) * float64(to-from) / nsPerHour
}

// NextAbove returns t if p > max ≥ 0.
func (p Fixed) NextAbove(t time.Duration, max float64) (time.Duration, bool) {
	return t, max >= 0 && float64(p) > max
}

// NextAtOrBelow returns t if p ≤ max or max < 0.
func (p Fixed) NextAtOrBelow(t time.Duration, max float64) (time.Duration, bool) {
	return t, max < 0 || float64(p) <= max
}

// NextChange reports that a fixed price never changes.
func (p Fixed) NextChange(time.Duration) (time.Duration, float64, bool) { return 0, 0, false }

// Path is a piecewise-constant price: Price(i) from Time(i) until the next
// step, the last price forever after. Time(0) is 0 and times strictly
// increase; consecutive prices differ (NewPath merges equal ones). Times
// before 0 take the first price. Queries are O(log n): prefix integrals and
// two segment trees (of maxima and minima) find crossings exactly, at step
// times.
type Path struct {
	times  []time.Duration
	prices []float64
	cum    []float64 // cum[i] = ∫₀^{times[i]} price, in $·ns
	size   int       // leaves of the segment trees, a power of 2
	hiTree []float64 // hiTree[v] = max of prices under node v (−Inf padding)
	loTree []float64 // loTree[v] = min of prices under node v (+Inf padding)
}

// NewPath returns the step path with prices[i] from times[i] on. times must
// start at 0 and strictly increase; prices must be finite and ≥ 0. Steps
// that do not change the price are dropped.
func NewPath(times []time.Duration, prices []float64) (*Path, error) {
	if len(times) == 0 || len(times) != len(prices) {
		return nil, fmt.Errorf("price path needs as many times as prices, at least one (got %d and %d)", len(times), len(prices))
	}
	if times[0] != 0 {
		return nil, fmt.Errorf("price path must start at time 0, not %v", times[0])
	}
	p := &Path{times: make([]time.Duration, 0, len(times)), prices: make([]float64, 0, len(prices))}
	for i, t := range times {
		if err := checkStep(times, prices, i); err != nil {
			return nil, err
		}
		x := prices[i]
		if n := len(p.prices); n > 0 && p.prices[n-1] == x {
			continue
		}
		p.times = append(p.times, t)
		p.prices = append(p.prices, x)
	}
	p.build()
	return p, nil
}

// checkStep checks step i of a path: a finite price ≥ 0, after the time of
// step i−1.
func checkStep(times []time.Duration, prices []float64, i int) error {
	t, x := times[i], prices[i]
	if !(x >= 0) || math.IsInf(x, 0) {
		return fmt.Errorf("price %v at %v is not a finite price ≥ 0", x, t)
	}
	if i > 0 && t <= times[i-1] {
		return fmt.Errorf("price path times must increase: %v after %v", t, times[i-1])
	}
	return nil
}

func (p *Path) build() {
	n := len(p.prices)
	p.cum = make([]float64, n)
	for i := 1; i < n; i++ {
		p.cum[i] = p.cum[i-1] + p.prices[i-1]*float64(p.times[i]-p.times[i-1])
	}
	p.size = 1
	for p.size < n {
		p.size *= 2
	}
	p.hiTree = make([]float64, 2*p.size)
	p.loTree = make([]float64, 2*p.size)
	for i := range p.size {
		hi, lo := math.Inf(-1), math.Inf(1)
		if i < n {
			hi, lo = p.prices[i], p.prices[i]
		}
		p.hiTree[p.size+i], p.loTree[p.size+i] = hi, lo
	}
	for v := p.size - 1; v >= 1; v-- {
		p.hiTree[v] = max(p.hiTree[2*v], p.hiTree[2*v+1])
		p.loTree[v] = min(p.loTree[2*v], p.loTree[2*v+1])
	}
}

// Len returns the number of steps.
func (p *Path) Len() int { return len(p.times) }

// Step returns step i: the price from time at on.
func (p *Path) Step(i int) (at time.Duration, price float64) { return p.times[i], p.prices[i] }

// index returns the step in effect at t.
func (p *Path) index(t time.Duration) int {
	return max(0, sort.Search(len(p.times), func(i int) bool { return p.times[i] > t })-1)
}

// At returns the price in effect at t.
func (p *Path) At(t time.Duration) float64 { return p.prices[p.index(t)] }

// cumAt returns ∫₀^t price in $·ns (negative for t < 0).
func (p *Path) cumAt(t time.Duration) float64 {
	i := p.index(t)
	return p.cum[i] + p.prices[i]*float64(t-p.times[i])
}

// Integrate returns ∫ price dt over [from, to) in $.
func (p *Path) Integrate(from, to time.Duration) float64 {
	if to <= from {
		return 0
	}
	return (p.cumAt(to) - p.cumAt(from)) / nsPerHour
}

// first returns the first step j ≥ i whose price satisfies ok, using tree
// (hiTree with ok = "> m", loTree with ok = "≤ m"), or −1.
func (p *Path) first(i int, tree []float64, ok func(float64) bool) int {
	v := i + p.size
	for !ok(tree[v]) {
		for v&1 == 1 { // a right child: climb until there is a right sibling
			v >>= 1
		}
		if v == 0 {
			return -1
		}
		v++
	}
	for v < p.size {
		v *= 2
		if !ok(tree[v]) {
			v++
		}
	}
	return v - p.size
}

// NextAbove returns the first s ≥ t with price > max.
func (p *Path) NextAbove(t time.Duration, max float64) (time.Duration, bool) {
	if max < 0 || math.IsNaN(max) {
		return 0, false
	}
	j := p.first(p.index(t), p.hiTree, func(x float64) bool { return x > max })
	if j < 0 {
		return 0, false
	}
	return later(t, p.times[j]), true
}

// NextAtOrBelow returns the first s ≥ t with price ≤ max.
func (p *Path) NextAtOrBelow(t time.Duration, max float64) (time.Duration, bool) {
	if max < 0 {
		return t, true
	}
	j := p.first(p.index(t), p.loTree, func(x float64) bool { return x <= max })
	if j < 0 {
		return 0, false
	}
	return later(t, p.times[j]), true
}

func later(a, b time.Duration) time.Duration { return max(a, b) }

// NextChange returns the first step strictly after t.
func (p *Path) NextChange(t time.Duration) (time.Duration, float64, bool) {
	i := p.index(t) + 1
	if t < 0 {
		i = 1
	}
	if i >= len(p.times) {
		return 0, 0, false
	}
	return p.times[i], p.prices[i], true
}

// Clamp returns the path with every price moved into [lo, hi] (for
// instance hi = the dedicated price, for a max price of −1).
func (p *Path) Clamp(lo, hi float64) (*Path, error) {
	if !(lo >= 0 && lo <= hi) {
		return nil, fmt.Errorf("price clamp needs 0 <= lo <= hi, got [%v, %v]", lo, hi)
	}
	ps := slices.Clone(p.prices)
	for i, x := range ps {
		ps[i] = max(lo, min(x, hi))
	}
	return NewPath(p.times, ps)
}

// Mean returns the time-average price over [0, horizon), or an error if
// horizon ≤ 0.
func (p *Path) Mean(horizon time.Duration) (float64, error) {
	if horizon <= 0 {
		return 0, errors.New("price mean needs a positive horizon")
	}
	return p.Integrate(0, horizon) / (float64(horizon) / nsPerHour), nil
}

// lazyPath is the Path of checked samples (times, prices) built only up to
// the samples its queries need: p is the path of the first k samples, which
// agrees with the whole path before the time of sample k (end), its last
// price holding until then. It grows by doubling, so a run that stops after
// a day of a 30-day horizon builds a day or two of it. With a generator
// (gen), the samples are drawn as it grows too, else all were drawn first.
type lazyPath struct {
	times  []time.Duration
	prices []float64
	k      int // samples built
	total  int // samples in all
	p      *Path
	gen    *ouGen
}

// lazyFirst is how many samples a lazyPath builds first.
const lazyFirst = 512

func (l *lazyPath) full() bool { return l.k == l.total }

// grow doubles the samples built (to all of them at most).
func (l *lazyPath) grow() {
	l.k = min(l.total, max(2*l.k, lazyFirst))
	if l.gen != nil {
		if cap(l.times) < l.k { // room for what is drawn now, and only that
			l.times, l.prices = slices.Grow(l.times, l.k-len(l.times)), slices.Grow(l.prices, l.k-len(l.prices))
		}
		l.times, l.prices = l.gen.drawTo(int64(l.k), l.times, l.prices)
	}
	p, err := NewPath(l.times[:l.k], l.prices[:l.k])
	if err != nil {
		panic("price: a checked path failed: " + err.Error())
	}
	l.p = p
}

// end returns the time of sample k, where the path built so far may stop
// agreeing with the whole path.
func (l *lazyPath) end() time.Duration {
	if l.gen != nil {
		return time.Duration(l.k) * l.gen.step
	}
	return l.times[l.k]
}

// upTo returns the path built at least past t.
func (l *lazyPath) upTo(t time.Duration) *Path {
	for l.p == nil || !l.full() && t >= l.end() {
		l.grow()
	}
	return l.p
}

// find answers a forward search: q on the path built so far, growing it
// until q finds its time (before the end of what is built, so on the whole
// path too) or the whole path is built.
func (l *lazyPath) find(t time.Duration, q func(*Path) (time.Duration, bool)) (time.Duration, bool) {
	p := l.upTo(t)
	for {
		if s, ok := q(p); ok || l.full() {
			return s, ok
		}
		l.grow()
		p = l.p
	}
}

func (l *lazyPath) At(t time.Duration) float64 { return l.upTo(t).At(t) }

func (l *lazyPath) Integrate(from, to time.Duration) float64 {
	if to <= from {
		return 0
	}
	return l.upTo(to).Integrate(from, to)
}

func (l *lazyPath) NextAbove(t time.Duration, max float64) (time.Duration, bool) {
	if max < 0 || math.IsNaN(max) {
		return 0, false
	}
	return l.find(t, func(p *Path) (time.Duration, bool) { return p.NextAbove(t, max) })
}

func (l *lazyPath) NextAtOrBelow(t time.Duration, max float64) (time.Duration, bool) {
	if max < 0 {
		return t, true
	}
	return l.find(t, func(p *Path) (time.Duration, bool) { return p.NextAtOrBelow(t, max) })
}

func (l *lazyPath) NextChange(t time.Duration) (time.Duration, float64, bool) {
	var price float64
	at, ok := l.find(t, func(p *Path) (time.Duration, bool) {
		at, x, ok := p.NextChange(t)
		price = x
		return at, ok
	})
	return at, price, ok
}
