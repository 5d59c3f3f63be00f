package price

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestLazyIsPath: a lazy OU path answers every query (in any order, before,
// inside and after the horizon, any max price) exactly as the eager path of
// the same draws, and fails exactly when it does.
func TestLazyIsPath(t *testing.T) {
	cases := []struct {
		ou      OU
		horizon time.Duration
	}{
		{OU{Mean: 0.05, Sigma: 0.04, Reversion: 6 * time.Hour, Floor: 0.01, Cap: 0.192}, 30 * 24 * time.Hour},
		{OU{Mean: 0.05, Sigma: 0.02, Reversion: time.Hour, Cap: 0.06, Step: time.Minute}, 3 * 24 * time.Hour},
		{OU{Mean: 0.02, Sigma: 0, Reversion: time.Hour}, 10 * 24 * time.Hour}, // constant: one step
		{OU{Mean: 0.05, Sigma: 0.5, Reversion: time.Hour, Cap: 0.1, Step: time.Hour}, 2 * time.Hour},
		{OU{Mean: 0.05, Sigma: 0.03, Reversion: time.Hour}, 0},
		// so volatile that a sample might overflow: drawn all at once, still finite
		{OU{Mean: 0.05, Sigma: 1e299, Reversion: time.Hour, Cap: 0.1}, 24 * time.Hour},
	}
	for ci, c := range cases {
		for seed := uint64(0); seed < 4; seed++ {
			eager, err := c.ou.Path(c.horizon, rand.New(rand.NewPCG(seed, 9)))
			if err != nil {
				t.Fatal(err)
			}
			lp, err := c.ou.Lazy(c.horizon, rand.New(rand.NewPCG(seed, 9)))
			if err != nil {
				t.Fatal(err)
			}
			if drawn := lp.(*lazyPath).gen == nil; drawn != (ci == len(cases)-1) {
				t.Fatalf("case %d: every sample drawn at once is %v", ci, drawn)
			}
			q := rand.New(rand.NewPCG(seed, 77))
			span := int64(c.horizon) + int64(time.Hour)
			maxes := []float64{-1, math.NaN(), 0, 0.03, 0.05, 0.07, 0.1, 0.192, 1}
			for i := 0; i < 400; i++ {
				// mostly early times, as a run that stops early asks, some anywhere
				at := time.Duration(q.Int64N(span/50+1)) - time.Minute
				if i%4 == 0 {
					at = time.Duration(q.Int64N(span)) - time.Minute
				}
				m := maxes[q.IntN(len(maxes))]
				if a, b := lp.At(at), eager.At(at); a != b {
					t.Fatalf("case %d seed %d: At(%v) = %v, want %v", ci, seed, at, a, b)
				}
				to := at + time.Duration(q.Int64N(int64(48*time.Hour)))
				if a, b := lp.Integrate(at, to), eager.Integrate(at, to); a != b {
					t.Fatalf("case %d seed %d: Integrate(%v, %v) = %v, want %v", ci, seed, at, to, a, b)
				}
				if a, aok := lp.NextAbove(at, m); true {
					b, bok := eager.NextAbove(at, m)
					if a != b || aok != bok {
						t.Fatalf("case %d seed %d: NextAbove(%v, %v) = %v %v, want %v %v", ci, seed, at, m, a, aok, b, bok)
					}
				}
				if a, aok := lp.NextAtOrBelow(at, m); true {
					b, bok := eager.NextAtOrBelow(at, m)
					if a != b || aok != bok {
						t.Fatalf("case %d seed %d: NextAtOrBelow(%v, %v) = %v %v, want %v %v", ci, seed, at, m, a, aok, b, bok)
					}
				}
				a, ax, aok := lp.NextChange(at)
				b, bx, bok := eager.NextChange(at)
				if a != b || ax != bx || aok != bok {
					t.Fatalf("case %d seed %d: NextChange(%v) = %v %v %v, want %v %v %v", ci, seed, at, a, ax, aok, b, bx, bok)
				}
			}
		}
	}
	// the same failures
	bad := OU{Mean: 0.05, Sigma: math.MaxFloat64, Reversion: 100 * time.Hour}
	_, e1 := bad.Path(24*time.Hour, rand.New(rand.NewPCG(1, 2)))
	_, e2 := bad.Lazy(24*time.Hour, rand.New(rand.NewPCG(1, 2)))
	if e1 == nil || e2 == nil || e1.Error() != e2.Error() {
		t.Errorf("an infinite price: Path says %v, Lazy %v", e1, e2)
	}
	if _, err := (OU{Mean: 1, Reversion: time.Hour, Step: time.Second}).Lazy(3650*24*time.Hour, rand.New(rand.NewPCG(1, 2))); err == nil {
		t.Error("Lazy took more than MaxSteps steps")
	}
}

// TestLazyBuildsLittle: queries in the first day of a 30-day path build a
// small part of it.
func TestLazyBuildsLittle(t *testing.T) {
	o := OU{Mean: 0.05, Sigma: 0.04, Reversion: 6 * time.Hour, Floor: 0.01, Cap: 0.192}
	p, err := o.Lazy(30*24*time.Hour, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	p.Integrate(0, 20*time.Hour)
	p.NextAbove(time.Hour, 0.06)
	if l := p.(*lazyPath); l.k > 2*lazyFirst || len(l.times) > 2*lazyFirst {
		t.Errorf("built %d and drew %d of %d samples for a day's queries", l.k, len(l.times), l.total)
	}
}
