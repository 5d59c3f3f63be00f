package preempt

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// HoursPerMonth is the month of the published monthly interruption rates:
// 30 days of 24 hours.
const HoursPerMonth = 720

// Exponential is the memoryless lifetime: a constant hazard Rate
// (preemptions per hour of life), mean 1/Rate.
type Exponential struct {
	Rate float64 // per hour, > 0
}

// NewExponential returns the exponential lifetime with the given mean.
func NewExponential(mean time.Duration) (Exponential, error) {
	if mean <= 0 {
		return Exponential{}, fmt.Errorf("exponential lifetime needs a positive mean, got %s", formatDuration(mean))
	}
	return Exponential{Rate: 1 / hours(mean)}, nil
}

// ExponentialRate returns the exponential lifetime with perHour preemptions
// per hour of life.
func ExponentialRate(perHour float64) (Exponential, error) {
	e := Exponential{Rate: perHour}
	return e, e.Validate()
}

// ExponentialMonthly returns the exponential lifetime under which a fraction
// b of incarnations is preempted within a month (HoursPerMonth):
// λ = −ln(1 − b)/720 per hour.
func ExponentialMonthly(b float64) (Exponential, error) {
	if !(b > 0 && b < 1) {
		return Exponential{}, fmt.Errorf("monthly interruption fraction must be in (0, 1), got %v", b)
	}
	return Exponential{Rate: -math.Log1p(-b) / HoursPerMonth}, nil
}

// ExponentialBucket returns the exponential lifetime of a published
// interruption-rate bucket (AWS "5-10%", Azure "5-10", ...; see Buckets): the
// bucket's representative monthly fraction b gives λ = −ln(1 − b)/720 per
// hour.
func ExponentialBucket(label string) (Exponential, error) {
	b, err := BucketFraction(label)
	if err != nil {
		return Exponential{}, err
	}
	return ExponentialMonthly(b)
}

// Quantile returns −ln(1 − u)/Rate.
func (e Exponential) Quantile(u float64) time.Duration {
	u = clampU(u)
	if u == 1 || !(e.Rate > 0) {
		return math.MaxInt64
	}
	return fromHours(-math.Log1p(-u) / e.Rate)
}

// CDF returns 1 − e^{−Rate·t}.
func (e Exponential) CDF(t time.Duration) float64 {
	if t <= 0 {
		return 0
	}
	return -math.Expm1(-e.Rate * hours(t))
}

// Mean returns 1/Rate.
func (e Exponential) Mean() time.Duration { return fromHours(1 / e.Rate) }

func (e Exponential) meanBelow(m time.Duration) float64 {
	return -math.Expm1(-e.Rate*hours(m)) / e.Rate
}

func (e Exponential) String() string {
	return fmt.Sprintf("exponential(rate %.6g/h, mean %s)", e.Rate, formatDuration(e.Mean()))
}

// Validate reports whether Rate is positive and finite.
func (e Exponential) Validate() error {
	if !(e.Rate > 0) || math.IsInf(e.Rate, 0) {
		return fmt.Errorf("exponential lifetime needs a positive, finite rate, got %v per hour", e.Rate)
	}
	return nil
}

// Bucket is a published interruption-rate bucket: the fraction of spot VMs
// interrupted per month lies in [Low, High) (High = 1 for the open top
// bucket), and Monthly is the representative value spotsim uses.
type Bucket struct {
	Provider string  // "aws" (Spot Instance Advisor) or "azure" (portal / Resource Graph)
	Label    string  // as published
	Low      float64 // monthly fraction, lower end
	High     float64 // monthly fraction, upper end (1 for the open-ended top bucket)
	Monthly  float64 // value used: the midpoint, or 0.25 for the top bucket
}

// Rate returns the bucket's hazard per hour, −ln(1 − Monthly)/720.
func (b Bucket) Rate() float64 { return -math.Log1p(-b.Monthly) / HoursPerMonth }

var buckets = []Bucket{
	{"aws", "<5%", 0, 0.05, 0.025},
	{"aws", "5-10%", 0.05, 0.10, 0.075},
	{"aws", "10-15%", 0.10, 0.15, 0.125},
	{"aws", "15-20%", 0.15, 0.20, 0.175},
	{"aws", ">20%", 0.20, 1, 0.25},
	{"azure", "0-5", 0, 0.05, 0.025},
	{"azure", "5-10", 0.05, 0.10, 0.075},
	{"azure", "10-15", 0.10, 0.15, 0.125},
	{"azure", "15-20", 0.15, 0.20, 0.175},
	{"azure", "20+", 0.20, 1, 0.25},
}

// Buckets returns the table of interruption-rate buckets (a copy).
func Buckets() []Bucket { return append([]Bucket(nil), buckets...) }

// BucketFraction returns the representative monthly interruption fraction
// of a bucket label. Labels of both providers are accepted; spaces and a
// trailing "%" are ignored ("5 - 10 %" is "5-10").
func BucketFraction(label string) (float64, error) {
	k := normBucket(label)
	for _, b := range buckets {
		if normBucket(b.Label) == k {
			return b.Monthly, nil
		}
	}
	names := make([]string, len(buckets))
	for i, b := range buckets {
		names[i] = fmt.Sprintf("%q", b.Label)
	}
	return 0, fmt.Errorf("unknown interruption-rate bucket %q (want one of %s)", label, strings.Join(names, ", "))
}

func normBucket(s string) string {
	s = strings.ReplaceAll(s, " ", "")
	return strings.TrimSuffix(s, "%")
}
