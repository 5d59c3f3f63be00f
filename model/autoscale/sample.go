package autoscale

import (
	"fmt"
	"math"
	"time"
)

// Sampling constants of Azure Batch, which spotsim's simulation follows.
const (
	// DefaultPeriod is the period of metric samples: Azure records one every
	// 30 s. A History with a zero Period uses it.
	DefaultPeriod = 30 * time.Second
	// MaxSamples bounds the samples a History keeps: 24 h of 30 s samples.
	// Adding more drops the oldest, so memory per metric stays bounded.
	MaxSamples = 2880
)

// History holds the samples of one metric that are visible at evaluation
// time, oldest first, and the sampling period. The zero value is an empty
// history with the default period; a nil *History is an empty history.
type History struct {
	Period time.Duration // sampling period; 0 means DefaultPeriod
	// Cap is how many samples it keeps, oldest dropped first: 0 (or
	// anything above) means MaxSamples. Formula.Reach says how few a
	// formula needs; the buffer is allocated whole at the first Add.
	Cap int

	// A ring buffer: once it holds MaxSamples samples, head is the index of
	// the oldest and Add overwrites it.
	times  []int64 // Unix nanoseconds
	vals   []float64
	head   int
	newest int64 // the newest sample's time, when there is one
}

// Add appends a sample taken at t with value v. Times must not decrease;
// Add panics if t is before the newest sample. When the history is full
// (MaxSamples), the oldest sample is dropped.
func (h *History) Add(t time.Time, v float64) {
	if ns := t.UnixNano(); !h.AddUnixNano(ns, v) {
		panic(fmt.Sprintf("autoscale: History.Add: sample at %s is older than the newest sample", t.Format(time.RFC3339Nano)))
	}
}

// AddUnixNano is Add of a sample taken at ns Unix nanoseconds, for a
// caller that keeps times as numbers: it returns false, adding nothing,
// if ns is before the newest sample. It allocates nothing but the buffer,
// once.
func (h *History) AddUnixNano(ns int64, v float64) bool {
	n := len(h.times)
	if n > 0 && ns < h.newest {
		return false
	}
	h.newest = ns
	c := h.cap()
	if n < c {
		if h.times == nil {
			h.times, h.vals = make([]int64, 0, c), make([]float64, 0, c)
		}
		h.times = append(h.times, ns)
		h.vals = append(h.vals, v)
		return true
	}
	h.times[h.head] = ns
	h.vals[h.head] = v
	if h.head++; h.head == c {
		h.head = 0
	}
	return true
}

// cap returns how many samples h keeps.
func (h *History) cap() int {
	if h.Cap <= 0 || h.Cap > MaxSamples {
		return MaxSamples
	}
	return h.Cap
}

// Len returns the number of samples held.
func (h *History) Len() int {
	if h == nil {
		return 0
	}
	return len(h.times)
}

// At returns sample i, counting from 0 for the oldest.
func (h *History) At(i int) (time.Time, float64) {
	ns, v := h.at(i)
	return time.Unix(0, ns).UTC(), v
}

func (h *History) at(i int) (int64, float64) {
	if i < 0 || i >= h.Len() {
		panic(fmt.Sprintf("autoscale: History.At(%d) out of range [0, %d)", i, h.Len()))
	}
	j := h.head + i
	if j >= len(h.times) {
		j -= len(h.times)
	}
	return h.times[j], h.vals[j]
}

// period returns the sampling period, DefaultPeriod if unset.
func (h *History) period() time.Duration {
	if h == nil || h.Period <= 0 {
		return DefaultPeriod
	}
	return h.Period
}

// window is a half-open time window (lo, hi] of a sample query.
type window struct {
	lo, hi time.Time
}

// windowOf builds the window of GetSample/GetSamplePercent arguments: a
// timeinterval is a look-back offset from now, a timestamp is absolute; with
// one argument the window ends now. The two ends may come in either order.
func windowOf(now time.Time, args []value) (window, error) {
	ends := [2]time.Time{now, now}
	for i, a := range args {
		if a.typ == TypeTimestamp {
			ends[i] = a.ts
			continue
		}
		t, err := addTicks(now, -a.iv)
		if err != nil {
			return window{}, err
		}
		ends[i] = t
	}
	if ends[1].Before(ends[0]) {
		ends[0], ends[1] = ends[1], ends[0]
	}
	return window{lo: ends[0], hi: ends[1]}, nil
}

// clampNanos converts t to Unix nanoseconds, saturating outside int64.
func clampNanos(t time.Time) int64 {
	if t.Before(time.Unix(0, math.MinInt64)) {
		return math.MinInt64
	}
	if t.After(time.Unix(0, math.MaxInt64)) {
		return math.MaxInt64
	}
	return t.UnixNano()
}

// indexRange returns the indexes [i, j) of the samples in w.
func (h *History) indexRange(w window) (int, int) {
	lo, hi := clampNanos(w.lo), clampNanos(w.hi)
	i := h.after(lo)
	return i, max(i, h.after(hi))
}

// after returns the index of the oldest sample taken after ns (Len if
// none): a binary search over the ring, in two sorted runs.
func (h *History) after(ns int64) int {
	if h == nil {
		return 0
	}
	older, newer := h.times[h.head:], h.times[:h.head] // oldest first
	if len(older) > 0 && older[len(older)-1] > ns {
		return firstAfter(older, ns)
	}
	return len(older) + firstAfter(newer, ns)
}

// firstAfter returns the index of the first time in ts (increasing) after ns.
func firstAfter(ts []int64, ns int64) int {
	i, j := 0, len(ts)
	for i < j {
		m := int(uint(i+j) >> 1)
		if ts[m] > ns {
			j = m
		} else {
			i = m + 1
		}
	}
	return i
}

// percentIn returns the percentage of the possible samples of w that h
// holds: 100 × held / max(1, ⌊width/period⌋), capped at 100.
func (h *History) percentIn(w window) float64 {
	i, j := h.indexRange(w)
	width := diffTicks(w.hi, w.lo)
	possible := max(1, width/max(1, h.period().Nanoseconds()/Tick))
	return math.Min(100, 100*float64(j-i)/float64(possible))
}

// newestFirst returns the values of samples [i, j), newest first, in the
// evaluation's arena.
func (h *History) newestFirst(ev *evaluator, i, j int) []float64 {
	out := ev.floats(j - i)
	if j == i {
		return out
	}
	// the ring as two runs, oldest first: vals[head:] then vals[:head]
	older, newer := h.vals[h.head:], h.vals[:h.head]
	o := 0
	for k := j - 1; k >= i && k >= len(older); k-- {
		out[o] = newer[k-len(older)]
		o++
	}
	for k := min(j, len(older)) - 1; k >= i; k-- {
		out[o] = older[k]
		o++
	}
	return out
}

// getSample implements GetSample(count), GetSample(start [, percent]) and
// GetSample(start, end [, percent]).
func getSample(c *call, args []value) (value, error) {
	h := c.hist
	if args[0].typ == TypeDouble {
		count := args[0].num
		if !(count >= 0) {
			return value{}, fmt.Errorf("%s.GetSample: count %s is negative", c.name, formatNumber(count))
		}
		n := h.Len()
		if count < float64(n) {
			n = int(count)
		}
		return vec(h.newestFirst(c.ev, h.Len()-n, h.Len())), nil
	}
	times, percent := args, -1.0
	if last := args[len(args)-1]; last.typ == TypeDouble {
		times, percent = args[:len(args)-1], last.num
		if !(percent >= 0 && percent <= 100) {
			return value{}, fmt.Errorf("%s.GetSample: sample percentage %s is outside [0, 100]", c.name, formatNumber(percent))
		}
	}
	w, err := windowOf(c.ev.now, times)
	if err != nil {
		return value{}, err
	}
	if percent >= 0 {
		if have := h.percentIn(w); have < percent {
			return value{}, fmt.Errorf("%s.GetSample: only %s%% of the samples in the window are available, %s%% required",
				c.name, formatNumber(math.Floor(have*100)/100), formatNumber(percent))
		}
	}
	i, j := h.indexRange(w)
	return vec(h.newestFirst(c.ev, i, j)), nil
}

// getSamplePercent implements GetSamplePercent(start [, end]).
func getSamplePercent(c *call, args []value) (value, error) {
	w, err := windowOf(c.ev.now, args)
	if err != nil {
		return value{}, err
	}
	return num(c.hist.percentIn(w)), nil
}
