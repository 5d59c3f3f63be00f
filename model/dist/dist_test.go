package dist_test

import (
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"90s", 90 * time.Second, false},
		{"15m", 15 * time.Minute, false},
		{"36h", 36 * time.Hour, false},
		{"30d", 30 * 24 * time.Hour, false},
		{"1d12h", 36 * time.Hour, false},
		{"1.5d", 36 * time.Hour, false},
		{" 2m ", 2 * time.Minute, false},
		{"-5m", -5 * time.Minute, false},
		{"0", 0, false},
		{"", 0, true},
		{"d", 0, true},
		{"5", 0, true},
		{"5x", 0, true},
		{"1d-3h", 0, true},
		{"1e300d", 0, true},
		{"NaNd", 0, true},
		{"200000d", 0, true},
		{"106751d23h47m16.854775807s", math.MaxInt64, false}, // the largest, exact
		{"106751d23h47m16.854775808s", 0, true},
		{"-9223372036854775808ns", math.MinInt64, false}, // as time.ParseDuration
		{"0x1p3d", 0, true},
		{"1_0d", 0, true},
		{".5d", 12 * time.Hour, false},
		{"1.d", 24 * time.Hour, false},
		{".d", 0, true},
	}
	for _, tt := range tests {
		got, err := dist.ParseDuration(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"}, {90 * time.Second, "1m30s"}, {time.Hour, "1h"}, {36 * time.Hour, "1d12h"},
		{48 * time.Hour, "2d"}, {10 * time.Minute, "10m"}, {-time.Minute, "-1m"},
		{math.MaxInt64, "106751d23h47m16.854775807s"}, {-36 * time.Hour, "-1d12h"},
	}
	// Its magnitude is no time.Duration; this used to recurse forever.
	if got := dist.FormatDuration(math.MinInt64); got != "-106751d23h47m16.854775808s" {
		t.Errorf("FormatDuration(MinInt64) = %q", got)
	}
	for _, tt := range tests {
		if got := dist.FormatDuration(tt.in); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
		back, err := dist.ParseDuration(dist.FormatDuration(tt.in))
		if err != nil || back != tt.in {
			t.Errorf("round trip of %v gave %v, %v", tt.in, back, err)
		}
	}
}

// TestSampleMeans draws by inversion from counter-based uniforms and checks
// the sample mean against the analytic mean within a 99.9 % interval.
func TestSampleMeans(t *testing.T) {
	h := time.Hour
	tests := []dist.Dist{
		dist.Const(7 * time.Minute),
		{Kind: dist.Uniform, Min: time.Minute, Max: 3 * time.Minute},
		dist.Exp(8 * h),
		{Kind: dist.Normal, Mean: 10 * time.Minute, StdDev: 3 * time.Minute},
		{Kind: dist.Normal, Mean: 2 * time.Minute, StdDev: 3 * time.Minute}, // heavily truncated
		{Kind: dist.LogNormal, Mean: 10 * time.Minute, StdDev: 3 * time.Minute},
		{Kind: dist.Weibull, Shape: 0.7, Scale: 20 * h},
		{Kind: dist.Weibull, Shape: 2, Scale: 5 * h},
		{Kind: dist.Empirical, Samples: []time.Duration{time.Minute, 2 * time.Minute, 6 * time.Minute}},
	}
	s := sim.NewStreams(1)
	for _, d := range tests {
		t.Run(d.String(), func(t *testing.T) {
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
			const n = 200000
			st := sim.StreamOf(d.String())
			var sum, sum2 float64
			for i := uint64(0); i < n; i++ {
				x := float64(d.Quantile(s.Uniform(st, i, 0)))
				if x < 0 {
					t.Fatalf("negative draw %v", x)
				}
				sum += x
				sum2 += x * x
			}
			mean := sum / n
			sd := math.Sqrt((sum2 - sum*sum/n) / (n - 1))
			want := float64(d.MeanDuration())
			if half := 3.3 * sd / math.Sqrt(n); math.Abs(mean-want) > half+1e-9*want {
				t.Errorf("sample mean %v, analytic %v (± %v)", time.Duration(mean), time.Duration(want), time.Duration(half))
			}
		})
	}
}

// TestMeanNoOverflow: the mean of a uniform near the largest duration
// used to overflow to a negative duration.
func TestMeanNoOverflow(t *testing.T) {
	d := dist.Dist{Kind: dist.Uniform, Min: math.MaxInt64 - 1, Max: math.MaxInt64}
	if m := d.MeanDuration(); m != math.MaxInt64-1 {
		t.Fatalf("mean %d", m)
	}
}

func TestValidate(t *testing.T) {
	bad := []dist.Dist{
		dist.Const(-1),
		{Kind: dist.Uniform, Min: 3, Max: 2},
		dist.Exp(0),
		{Kind: dist.Normal, Mean: 0, StdDev: 1},
		{Kind: dist.LogNormal, Mean: 1, StdDev: -1},
		{Kind: dist.Weibull, Shape: 0, Scale: 1},
		{Kind: dist.Weibull, Shape: math.NaN(), Scale: 1},
		{Kind: dist.Empirical},
		{Kind: dist.Empirical, Samples: []time.Duration{3, 1}},
		{Kind: dist.Kind(99)},
	}
	for _, d := range bad {
		if d.Validate() == nil {
			t.Errorf("%v: Validate accepted it", d)
		}
	}
}
