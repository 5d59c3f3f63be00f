package preempt_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/internal/stattest"
	"github.com/spotsim/spotsim/model/preempt"
	"github.com/spotsim/spotsim/sim"
)

// uniforms returns counter-based uniforms of the named stream.
func uniforms(seed uint64, name string) preempt.Uniform {
	s, st := sim.NewStreams(seed), sim.StreamOf(name)
	return func(i, j uint64) float64 { return s.Uniform(st, i, j) }
}

// TestOnOffAvailability checks the long-run available fraction against
// E[up]/(E[up]+E[down]) by batch means: the time line is cut into batches
// of equal length (after a warm-up batch that is dropped) and the 99 %
// Student-t interval of the batches' available fractions must hold it.
func TestOnOffAvailability(t *testing.T) {
	syn := func(a float64, s time.Duration) preempt.OnOff {
		o, err := preempt.Synthetic(a, s)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	for _, c := range []struct {
		o    preempt.OnOff
		want float64
	}{
		{syn(0.1, 2*time.Hour), 0.1},
		{syn(0.5, time.Hour), 0.5},
		{syn(0.9, 4*time.Hour), 0.9},
		{preempt.OnOff{Up: dist.Dist{Kind: dist.Uniform, Min: time.Hour, Max: 3 * time.Hour},
			Down: dist.Dist{Kind: dist.Weibull, Shape: 1.5, Scale: time.Hour}, StartUnavailable: true},
			2 / (2 + math.Gamma(1+1/1.5))},
	} {
		if got := c.o.Availability(); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%v: Availability() = %v, want %v", c.o, got, c.want)
		}
		const batches, batchLen = 100, 400 * time.Hour
		up := make([]float64, batches+1)
		it := c.o.Spells(uniforms(1, "onoff"))
		spells := 0
		for {
			start, end, avail := it.Next()
			spells++
			if start >= (batches+1)*batchLen {
				break
			}
			if !avail {
				continue
			}
			// Split [start, end) over the batches it covers.
			for s := start; s < end && s < (batches+1)*batchLen; {
				b := s / batchLen
				e := min(end, (b+1)*batchLen)
				up[b] += (e - s).Hours()
				s = e
			}
		}
		fr := make([]float64, batches)
		for i := range fr {
			fr[i] = up[i+1] / batchLen.Hours()
		}
		mean, half := stattest.CI99(fr)
		t.Logf("%v: %d spells, available %.4f ± %.4f (99%%), theory %.4f", c.o, spells, mean, half, c.want)
		if math.Abs(mean-c.want) > half {
			t.Errorf("%v: theory %.4f outside the 99%% CI %.4f ± %.4f", c.o, c.want, mean, half)
		}
	}
}

func TestOnOffSpells(t *testing.T) {
	o, _ := preempt.Synthetic(0.75, 2*time.Hour)
	if o.Up.Mean != 3*time.Hour || o.Down.Mean != time.Hour {
		t.Errorf("Synthetic(0.75, 2h) = %v, want up 3h, down 1h", o)
	}
	a, b := o.Spells(uniforms(7, "x")), o.Spells(uniforms(7, "x"))
	prevEnd, prevAvail := time.Duration(0), false
	for k := 0; k < 1000; k++ {
		s1, e1, v1 := a.Next()
		s2, e2, v2 := b.Next()
		if s1 != s2 || e1 != e2 || v1 != v2 {
			t.Fatalf("spell %d differs between two iterators on the same uniforms", k)
		}
		if s1 != prevEnd || e1 < s1 || v1 == prevAvail && k > 0 || k == 0 && !v1 {
			t.Fatalf("spell %d [%v, %v) available %v does not follow [.., %v) %v", k, s1, e1, v1, prevEnd, prevAvail)
		}
		prevEnd, prevAvail = e1, v1
	}
	for _, c := range []struct {
		a    float64
		s    time.Duration
		want string
	}{
		{0, time.Hour, "availability must be in (0, 1), got 0"},
		{1, time.Hour, "got 1"},
		{math.NaN(), time.Hour, "got NaN"},
		{0.5, 0, "mean spell must be positive, got 0s"},
		{1e-12, time.Nanosecond, "leaves a spell of 0 length"},
	} {
		if _, err := preempt.Synthetic(c.a, c.s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Synthetic(%v, %v): err = %v, want %q", c.a, c.s, err, c.want)
		}
	}
	if err := (preempt.OnOff{}).Validate(); err == nil || err.Error() != "on/off spells have a zero mean length" {
		t.Errorf("zero OnOff: err = %v", err)
	}
	if err := (preempt.OnOff{Up: dist.Exp(-1)}).Validate(); err == nil || !strings.HasPrefix(err.Error(), "available spells: ") {
		t.Errorf("bad up spells: err = %v", err)
	}
}
