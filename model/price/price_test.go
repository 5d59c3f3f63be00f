package price_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/spotsim/spotsim/model/price"
)

const h = time.Hour

func mustPath(t *testing.T, times []time.Duration, prices []float64) *price.Path {
	t.Helper()
	p, err := price.NewPath(times, prices)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestIntegrateExact uses prices and spans that are exact in binary, so the
// integral must come out exactly.
func TestIntegrateExact(t *testing.T) {
	p := mustPath(t, []time.Duration{0, h, 3 * h, 3*h + 30*time.Minute}, []float64{0.5, 0.25, 1, 0.125})
	for _, c := range []struct {
		from, to time.Duration
		want     float64
	}{
		{0, h, 0.5},
		{0, 3 * h, 1},
		{30 * time.Minute, 3*h + 15*time.Minute, 0.25 + 0.5 + 0.25},
		{3*h + 30*time.Minute, 5*h + 30*time.Minute, 0.25}, // the last price holds
		{h, h, 0},
		{2 * h, h, 0},
		{0, 10 * h, 0.5 + 0.5 + 0.5 + 0.125*6.5},
		{-h, 0, 0.5}, // before 0: the first price
	} {
		if got := p.Integrate(c.from, c.to); got != c.want {
			t.Errorf("Integrate(%v, %v) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
	if got := price.Fixed(0.25).Integrate(0, 6*h); got != 1.5 {
		t.Errorf("Fixed(0.25).Integrate(0, 6h) = %v", got)
	}
	// Additivity over a random split, for a path of awkward numbers.
	r := rand.New(rand.NewPCG(1, 1))
	q, err := price.OU{Mean: 0.03, Sigma: 0.01, Reversion: 2 * h}.Path(48*h, r)
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		a, b := time.Duration(r.Int64N(int64(50*h))), time.Duration(r.Int64N(int64(50*h)))
		a, b = min(a, b), max(a, b)
		m := a + (b-a)/3
		if d := q.Integrate(a, b) - q.Integrate(a, m) - q.Integrate(m, b); math.Abs(d) > 1e-15 {
			t.Errorf("Integrate not additive on [%v, %v): %g", a, b, d)
		}
	}
}

func TestPath(t *testing.T) {
	// 0.02 until 1h, 0.05 until 2h, 0.02 until 4h, 0.1 until 5h, then 0.03.
	p := mustPath(t, []time.Duration{0, h, 2 * h, 3 * h, 4 * h, 5 * h}, []float64{0.02, 0.05, 0.02, 0.02, 0.1, 0.03})
	if p.Len() != 5 {
		t.Errorf("equal steps not merged: %d steps", p.Len())
	}
	type res struct {
		at time.Duration
		ok bool
	}
	for _, c := range []struct {
		t          time.Duration
		max        float64
		above, low res
	}{
		{0, 0.04, res{h, true}, res{0, true}},
		{h, 0.04, res{h, true}, res{2 * h, true}},
		{h + 1, 0.04, res{h + 1, true}, res{2 * h, true}},
		{2 * h, 0.04, res{4 * h, true}, res{2 * h, true}},
		{4*h + 30*time.Minute, 0.04, res{4*h + 30*time.Minute, true}, res{5 * h, true}},
		{5 * h, 0.04, res{0, false}, res{5 * h, true}},
		{0, 0.05, res{4 * h, true}, res{0, true}}, // strictly above: 0.05 is not
		{0, 0.1, res{0, false}, res{0, true}},
		{4 * h, 0.01, res{4 * h, true}, res{0, false}},
		{0, -1, res{0, false}, res{0, true}}, // max −1: never evicted for price
		{3 * h, -1, res{0, false}, res{3 * h, true}},
		{0, math.NaN(), res{0, false}, res{0, false}},
	} {
		at, ok := p.NextAbove(c.t, c.max)
		if (res{at, ok}) != c.above {
			t.Errorf("NextAbove(%v, %v) = %v, %v, want %v", c.t, c.max, at, ok, c.above)
		}
		at, ok = p.NextAtOrBelow(c.t, c.max)
		if (res{at, ok}) != c.low {
			t.Errorf("NextAtOrBelow(%v, %v) = %v, %v, want %v", c.t, c.max, at, ok, c.low)
		}
	}
	var steps []time.Duration
	for at, _, ok := p.NextChange(-1); ok; at, _, ok = p.NextChange(at) {
		steps = append(steps, at)
	}
	if len(steps) != 4 || steps[0] != h || steps[3] != 5*h {
		t.Errorf("NextChange walk = %v", steps)
	}
	c, err := p.Clamp(0.03, 0.05)
	if err != nil || c.At(0) != 0.03 || c.At(4*h) != 0.05 || c.At(6*h) != 0.03 {
		t.Errorf("Clamp: %v", err)
	}
	if m, err := p.Mean(6 * h); err != nil || math.Abs(m-(0.02+0.05+0.02+0.02+0.1+0.03)/6) > 1e-15 {
		t.Errorf("Mean(6h) = %v, %v", m, err)
	}
	for _, c := range []struct {
		times  []time.Duration
		prices []float64
		want   string
	}{
		{nil, nil, "price path needs as many times as prices, at least one (got 0 and 0)"},
		{[]time.Duration{h}, []float64{1}, "price path must start at time 0, not 1h0m0s"},
		{[]time.Duration{0, h, h}, []float64{1, 2, 3}, "price path times must increase: 1h0m0s after 1h0m0s"},
		{[]time.Duration{0}, []float64{-1}, "price -1 at 0s is not a finite price ≥ 0"},
		{[]time.Duration{0}, []float64{math.Inf(1)}, "price +Inf at 0s"},
		{[]time.Duration{0}, []float64{math.NaN()}, "price NaN at 0s"},
	} {
		if _, err := price.NewPath(c.times, c.prices); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewPath(%v, %v): err = %v, want %q", c.times, c.prices, err, c.want)
		}
	}
}

// TestCrossingsBruteForce compares the segment-tree searches with a scan.
func TestCrossingsBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + r.IntN(40)
		times := make([]time.Duration, n)
		prices := make([]float64, n)
		for i := range n {
			times[i] = time.Duration(i) * time.Minute
			prices[i] = float64(r.IntN(6))
		}
		p := mustPath(t, times, prices)
		for range 50 {
			at := time.Duration(r.Int64N(int64(n+2)*int64(time.Minute))) - time.Minute/2
			m := float64(r.IntN(7)) - 0.5
			wa, wok := time.Duration(0), false
			wb, bok := time.Duration(0), false
			for i := range n {
				end := time.Duration(math.MaxInt64)
				if i+1 < n {
					end = times[i+1]
				}
				if end <= at {
					continue
				}
				s := max(at, times[i])
				if !wok && prices[i] > m {
					wa, wok = s, true
				}
				if !bok && prices[i] <= m {
					wb, bok = s, true
				}
			}
			if m < 0 { // max −1: no price limit
				wa, wok, wb, bok = 0, false, at, true
			}
			if ga, gok := p.NextAbove(at, m); ga != wa || gok != wok {
				t.Fatalf("trial %d: NextAbove(%v, %v) = %v, %v, want %v, %v", trial, at, m, ga, gok, wa, wok)
			}
			if gb, gok := p.NextAtOrBelow(at, m); gb != wb || gok != bok {
				t.Fatalf("trial %d: NextAtOrBelow(%v, %v) = %v, %v, want %v, %v", trial, at, m, gb, gok, wb, bok)
			}
		}
	}
}

func TestFixed(t *testing.T) {
	f := price.Fixed(0.03)
	if at, ok := f.NextAbove(h, 0.02); !ok || at != h {
		t.Errorf("NextAbove below the price = %v, %v", at, ok)
	}
	if _, ok := f.NextAbove(h, 0.03); ok {
		t.Error("NextAbove at the price reported a crossing")
	}
	if _, ok := f.NextAbove(h, -1); ok {
		t.Error("NextAbove with max −1 reported a crossing")
	}
	if _, ok := f.NextAtOrBelow(h, 0.02); ok {
		t.Error("NextAtOrBelow below the price reported a time")
	}
	if _, _, ok := f.NextChange(0); ok || f.At(5*h) != 0.03 {
		t.Error("a fixed price changed")
	}
}

// timeAbove returns the fraction of [from, to) during which p's price is
// above m.
func timeAbove(p *price.Path, from, to time.Duration, m float64) float64 {
	var above time.Duration
	t := from
	for t < to {
		next, _, ok := p.NextChange(t)
		if !ok || next > to {
			next = to
		}
		if p.At(t) > m {
			above += next - t
		}
		t = next
	}
	return float64(above) / float64(to-from)
}

func ci99(xs []float64) (mean, half float64) {
	mean, sd := stat.MeanStdDev(xs, nil)
	n := float64(len(xs))
	return mean, distuv.StudentsT{Sigma: 1, Nu: n - 1}.Quantile(0.995) * sd / math.Sqrt(n)
}

// TestOUFractionAbove checks DESIGN.md §6: the long-run fraction of time an
// OU price is above m is 1 − Φ((m − μ)/(σ/√(2θ))). Batch means: 100
// batches of 200 h (200 reversion times each), 99 % Student-t interval.
func TestOUFractionAbove(t *testing.T) {
	const batches, batch = 100, 200 * h
	ou := price.OU{Mean: 0.05, Sigma: 0.01 * math.Sqrt2, Reversion: h, Cap: 0.192}
	if sd := ou.StationaryStdDev(); math.Abs(sd-0.01) > 1e-15 {
		t.Fatalf("stationary sd %v", sd)
	}
	p, err := ou.Path(batches*batch, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []float64{0.06, 0.05, 0.04, 0.07} {
		fr := make([]float64, batches)
		for b := range fr {
			fr[b] = timeAbove(p, time.Duration(b)*batch, time.Duration(b+1)*batch, m)
		}
		mean, half := ci99(fr)
		want := ou.FractionAbove(m)
		t.Logf("m = %v: fraction above %.4f ± %.4f (99%%), theory 1 − Φ(%.1f) = %.4f", m, mean, half, (m-0.05)/0.01, want)
		if math.Abs(mean-want) > half {
			t.Errorf("m = %v: theory %.4f outside the 99%% CI %.4f ± %.4f", m, want, mean, half)
		}
	}
	// The exact transition: lag-one autocorrelation e^{−θΔ} at Δ = 5 min.
	xs := make([]float64, 0, p.Len())
	for i := range int(batches * batch / price.DefaultStep) {
		xs = append(xs, p.At(time.Duration(i)*price.DefaultStep))
	}
	rho := stat.Correlation(xs[:len(xs)-1], xs[1:], nil)
	if want := math.Exp(-1.0 / 12); math.Abs(rho-want) > 0.005 {
		t.Errorf("lag-one autocorrelation %.4f, want e^{−θΔ} = %.4f", rho, want)
	}
	// Never above the cap, never evicted at max −1.
	if _, ok := p.NextAbove(0, -1); ok {
		t.Error("max price −1 reported a crossing")
	}
	if _, ok := p.NextAbove(0, 0.192); ok {
		t.Error("the price went above its cap")
	}
}

func TestOUCapFloor(t *testing.T) {
	const horizon = 20000 * h
	ou := price.OU{Mean: 0.05, Sigma: 0.01 * math.Sqrt2, Reversion: h, Floor: 0.045, Cap: 0.055}
	p, err := ou.Path(horizon, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range p.Len() {
		_, x := p.Step(i)
		lo, hi = min(lo, x), max(hi, x)
	}
	if lo != 0.045 || hi != 0.055 {
		t.Errorf("prices span [%v, %v], want [0.045, 0.055]", lo, hi)
	}
	atCap := timeAbove(p, 0, horizon, 0.055-1e-12)
	atFloor := 1 - timeAbove(p, 0, horizon, 0.045)
	want := 1 - distuv.UnitNormal.CDF(0.5)
	t.Logf("time at cap %.4f, at floor %.4f, theory %.4f each", atCap, atFloor, want)
	if math.Abs(atCap-want) > 0.01 || math.Abs(atFloor-want) > 0.01 {
		t.Errorf("time at cap %.4f, at floor %.4f, want %.4f", atCap, atFloor, want)
	}
	if ou.FractionAbove(0.055) != 0 || ou.FractionAbove(0.04) != 1 || math.Abs(ou.FractionAbove(0.05)-0.5) > 1e-15 {
		t.Errorf("FractionAbove at the cap, below the floor, at the mean: %v %v %v",
			ou.FractionAbove(0.055), ou.FractionAbove(0.04), ou.FractionAbove(0.05))
	}
}

func TestOUDeterministicAndValidate(t *testing.T) {
	ou := price.OU{Mean: 0.02, Sigma: 0.005, Reversion: 6 * h, Cap: 0.192}
	a, _ := ou.Path(72*h, rand.New(rand.NewPCG(4, 2)))
	b, _ := ou.Path(72*h, rand.New(rand.NewPCG(4, 2)))
	// 72 h of 5 min steps, less the few merged where the floor 0 clamps.
	if a.Len() > 72*12+1 || a.Len() < 800 || a.Len() != b.Len() {
		t.Fatalf("steps %d and %d, want at most %d", a.Len(), b.Len(), 72*12+1)
	}
	for i := range a.Len() {
		ta, pa := a.Step(i)
		tb, pb := b.Step(i)
		if ta != tb || pa != pb {
			t.Fatalf("step %d differs", i)
		}
	}
	for _, c := range []struct {
		ou   price.OU
		want string
	}{
		{price.OU{Mean: -1, Reversion: h}, "ou price needs a finite mean >= 0, got -1"},
		{price.OU{Mean: math.NaN(), Reversion: h}, "got NaN"},
		{price.OU{Sigma: -1, Reversion: h}, "ou price needs a finite volatility >= 0, got -1"},
		{price.OU{}, "ou price needs a positive reversion time, got 0s"},
		{price.OU{Reversion: h, Step: -1}, "ou price step must be positive, got -1ns"},
		{price.OU{Reversion: h, Floor: -1}, "ou price floor must be finite and >= 0, got -1"},
		{price.OU{Reversion: h, Cap: math.Inf(1)}, "ou price cap must be finite and >= 0 (0 for none), got +Inf"},
		{price.OU{Reversion: h, Floor: 0.2, Cap: 0.1}, "ou price cap 0.1 is below its floor 0.2"},
	} {
		if _, err := c.ou.Path(h, rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.ou, err, c.want)
		}
	}
	if _, err := (price.OU{Reversion: h, Step: time.Second}).Path(300*h, rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), "more than 1048576 steps") {
		t.Errorf("too many steps: err = %v", err)
	}
}
