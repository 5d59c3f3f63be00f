package preempt_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/internal/stattest"
	"github.com/spotsim/spotsim/model/preempt"
)

func TestEvictCount(t *testing.T) {
	for _, c := range []struct {
		f    float64
		n    int
		want int
	}{
		{0, 10, 0}, {1, 10, 10}, {0.5, 1, 1}, {0.49, 1, 0}, {0.5, 3, 2}, {0.25, 10, 3},
		{0.2, 10, 2}, {0.15, 10, 2}, {0.05, 10, 1}, {0.04, 10, 0}, {0.3, 5, 2}, {0.1, 3, 0},
		{1.0 / 3, 3, 1}, {2.0 / 3, 3, 2}, {0.999, 1000, 999}, {0.5, 0, 0}, {0.5, -4, 0},
		{-0.1, 10, 0}, {1.5, 10, 10}, {math.NaN(), 10, 0},
	} {
		if got := preempt.EvictCount(c.f, c.n); got != c.want {
			t.Errorf("EvictCount(%v, %d) = %d, want %d", c.f, c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		e    preempt.Eviction
		n    int
		want int
	}{
		{preempt.Eviction{Count: 3}, 10, 3},
		{preempt.Eviction{Count: 30}, 10, 10},
		{preempt.Eviction{Count: 0, Fraction: 1}, 10, 0},
		{preempt.Eviction{Count: -1, Fraction: 0.25}, 10, 3},
		{preempt.Eviction{Count: -1, Fraction: 0.25}, 0, 0},
	} {
		if got := c.e.Nodes(c.n); got != c.want {
			t.Errorf("%+v.Nodes(%d) = %d, want %d", c.e, c.n, got, c.want)
		}
	}
}

func TestCrunches(t *testing.T) {
	c := preempt.Crunches{Every: dist.Exp(72 * time.Hour), Fraction: 0.4,
		Blackout: dist.Dist{Kind: dist.Uniform, Min: 30 * time.Minute, Max: 90 * time.Minute}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	u := uniforms(3, "crunch/pool")
	it := c.Events(u)
	var prev time.Duration
	const n = 20000
	gaps := make([]float64, n)
	blk := make([]float64, n)
	for k := 0; k < n; k++ {
		e, ok := it.Next()
		if !ok || e.At < prev || e.Count != -1 || e.Fraction != 0.4 || e.Blackout < 30*time.Minute || e.Blackout > 90*time.Minute {
			t.Fatalf("crunch %d = %+v after %v", k, e, prev)
		}
		if k == 0 || k == 17 {
			if nth := c.Nth(u, k); nth != e {
				t.Errorf("Nth(%d) = %+v, iterator gave %+v", k, nth, e)
			}
		}
		gaps[k] = (e.At - prev).Hours()
		blk[k] = e.Blackout.Hours()
		prev = e.At
	}
	for _, s := range []struct {
		name string
		xs   []float64
		want float64
	}{{"inter-arrival", gaps, 72}, {"blackout", blk, 1}} {
		m, half := stattest.CI99(s.xs)
		t.Logf("crunch %s: mean %.4f h ± %.4f (99%%), want %v h", s.name, m, half, s.want)
		if math.Abs(m-s.want) > half {
			t.Errorf("crunch %s mean %.4f ± %.4f h, want %v h", s.name, m, half, s.want)
		}
	}
	for _, c := range []struct {
		c    preempt.Crunches
		want string
	}{
		{preempt.Crunches{Fraction: 0.5}, "crunch inter-arrival must have a positive mean, got 0s"},
		{preempt.Crunches{Every: dist.Exp(time.Hour), Fraction: 1.5}, "crunch fraction must be in [0, 1], got 1.5"},
		{preempt.Crunches{Every: dist.Exp(time.Hour), Fraction: math.NaN()}, "got NaN"},
		{preempt.Crunches{Every: dist.Exp(time.Hour), Blackout: dist.Const(-1)}, "crunch blackout: duration -1ns is negative"},
		{preempt.Crunches{Every: dist.Exp(-time.Hour)}, "crunch inter-arrival: exponential needs mean > 0"},
	} {
		if err := c.c.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.c, err, c.want)
		}
	}
}
