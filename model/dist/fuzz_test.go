package dist_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// FuzzParseDuration requires that ParseDuration never panics, agrees with
// time.ParseDuration wherever that accepts the text, returns a non-negative
// duration for text without a minus sign, and that FormatDuration of any
// duration parses back to the same duration. The seed corpus is in
// testdata/fuzz/FuzzParseDuration.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90s", "1d12h", "1.5d", "-5m", "0", "106751d23h47m16s", "1e300d", ".5h", "1d-3h", "+2m"} {
		f.Add(s, int64(0))
	}
	f.Add("", int64(math.MinInt64))
	f.Add("", int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		d, err := dist.ParseDuration(s)
		if tv, terr := time.ParseDuration(strings.TrimSpace(s)); terr == nil && (err != nil || d != tv) {
			t.Fatalf("ParseDuration(%q) = %v, %v; time.ParseDuration says %v", s, d, err, tv)
		}
		if err == nil && d < 0 && !strings.Contains(s, "-") {
			t.Fatalf("ParseDuration(%q) = %v: negative without a minus sign", s, d)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("ParseDuration(%q): error on several lines: %q", s, err)
		}
		for _, x := range []time.Duration{d, time.Duration(n)} {
			text := dist.FormatDuration(x)
			if x == math.MinInt64 { // the one duration whose magnitude has no time.Duration
				continue
			}
			back, err := dist.ParseDuration(text)
			if err != nil || back != x {
				t.Fatalf("FormatDuration(%d) = %q, which parses as %v, %v", int64(x), text, back, err)
			}
		}
	})
}

// FuzzQuantile builds a distribution of every kind from fuzzed parameters
// and requires, for each that Validate accepts, that Quantile never panics,
// never returns a negative duration, is non-decreasing in u and stays in
// the support of the bounded kinds; and that MeanDuration is not negative.
func FuzzQuantile(f *testing.F) {
	h := int64(time.Hour)
	f.Add(uint8(dist.Uniform), int64(0), int64(math.MaxInt64), int64(0), 0.0, 0.999)
	f.Add(uint8(dist.Uniform), int64(math.MaxInt64-1), int64(math.MaxInt64), int64(0), 0.0, 0.5)
	f.Add(uint8(dist.Exponential), 8*h, int64(0), int64(0), 0.0, 1-1e-16)
	f.Add(uint8(dist.Normal), int64(1), int64(math.MaxInt64), int64(0), 0.0, 1e-300)
	f.Add(uint8(dist.LogNormal), int64(math.MaxInt64), int64(math.MaxInt64), int64(0), 0.0, 0.5)
	f.Add(uint8(dist.Weibull), h, int64(0), int64(0), 1e-3, 0.5)
	f.Add(uint8(dist.Empirical), int64(3), int64(1), int64(2), 0.0, 0.99)
	f.Add(uint8(dist.Fixed), int64(0), int64(0), int64(0), 0.0, 0.0)
	f.Add(uint8(dist.Bathtub), h, 24*h, h, 0.5, 0.5)
	f.Add(uint8(dist.Exponential+16), int64(0), int64(0), 2*h, 0.25, 0.5) // a rate, capped
	f.Add(uint8(dist.LogNormal+32), 8*h, 6*h, 10*h, 0.0, 0.9)
	f.Fuzz(func(t *testing.T, kind uint8, a, b, c int64, shape, u float64) {
		d := build(dist.Kind(kind%8), time.Duration(a), time.Duration(b), time.Duration(c), shape)
		switch kind / 16 % 4 { // a rate instead of a mean, a cap
		case 1:
			if d.Kind == dist.Exponential {
				d.Mean, d.Rate = 0, shape
			}
			d.Cap = time.Duration(c)
		case 2:
			d.Cap = time.Duration(c)
		}
		if d.Validate() != nil {
			return
		}
		us := []float64{math.SmallestNonzeroFloat64, 1e-300, 1e-9, 0.25, 0.5, 0.75, 1 - 1e-9, 1 - 1e-16, math.Nextafter(1, 0)}
		if u > 0 && u < 1 {
			us = append(us, u)
		}
		for _, x := range us {
			q := d.Quantile(x)
			if q < 0 {
				t.Fatalf("%v: Quantile(%g) = %d, negative", d, x, q)
			}
			if d.Kind == dist.Uniform && d.Cap == 0 && (q < d.Min || q > d.Max) {
				t.Fatalf("%v: Quantile(%g) = %d, outside [%d, %d]", d, x, q, d.Min, d.Max)
			}
			if d.Kind == dist.Empirical && d.Cap == 0 && (q < d.Samples[0] || q > d.Samples[len(d.Samples)-1]) {
				t.Fatalf("%v: Quantile(%g) = %d, outside the samples", d, x, q)
			}
		}
		for i := 1; i < len(us)-1; i++ { // the fixed grid is increasing
			if lo, hi := d.Quantile(us[i-1]), d.Quantile(us[i]); lo > hi {
				t.Fatalf("%v: Quantile(%g) = %d > Quantile(%g) = %d", d, us[i-1], lo, us[i], hi)
			}
		}
		if d.Cap > 0 {
			for _, x := range us {
				if q := d.Quantile(x); q > d.Cap {
					t.Fatalf("%v: Quantile(%g) = %d above the cap", d, x, q)
				}
			}
		}
		if m := d.MeanDuration(); m < 0 {
			t.Fatalf("%v: MeanDuration = %d, negative", d, m)
		}
		_ = d.CDF(time.Duration(a))
		_ = d.String()
	})
}

// build makes a distribution of kind k from three durations and a shape.
func build(k dist.Kind, a, b, c time.Duration, shape float64) dist.Dist {
	d := dist.Dist{Kind: k}
	switch k {
	case dist.Fixed:
		d.Value = a
	case dist.Uniform:
		d.Min, d.Max = a, b
	case dist.Exponential:
		d.Mean = a
	case dist.Normal, dist.LogNormal:
		d.Mean, d.StdDev = a, b
	case dist.Weibull:
		d.Scale, d.Shape = a, shape
	case dist.Empirical:
		d.Samples = []time.Duration{min(a, b, c), max(min(a, b), min(max(a, b), c)), max(a, b, c)}
	case dist.Bathtub:
		// at least a second each, as scenarios require: with a sub-second
		// ramp the rounding of t* to the nanosecond can make two draws 1 ns
		// out of order
		d.A, d.Tau1, d.Tau2, d.B = shape, max(a, time.Second), max(c, time.Second), max(b, time.Second)
	}
	return d
}
