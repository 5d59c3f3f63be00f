package preempt

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// HoursPerMonth is the month of the published monthly interruption rates:
// 30 days of 24 hours.
const HoursPerMonth = 720

// exponential returns the exponential lifetime of hazard rate per hour.
func exponential(rate float64, band Bucket) (*Lifetime, error) {
	l := &Lifetime{Dist: dist.Dist{Kind: dist.Exponential, Rate: rate}, Band: band}
	return l, l.Validate()
}

// NewExponential returns the exponential lifetime with the given mean, as
// the rate 1/mean per hour (mean_time_to_preemption).
func NewExponential(mean time.Duration) (*Lifetime, error) {
	if mean <= 0 {
		return nil, fmt.Errorf("exponential lifetime needs a positive mean, got %s", formatDuration(mean))
	}
	return exponential(1/hours(mean), Bucket{})
}

// ExponentialRate returns the exponential lifetime with perHour preemptions
// per hour of life.
func ExponentialRate(perHour float64) (*Lifetime, error) { return exponential(perHour, Bucket{}) }

// ExponentialMonthly returns the exponential lifetime under which a fraction
// b of incarnations is preempted within a month (HoursPerMonth):
// λ = −ln(1 − b)/720 per hour.
func ExponentialMonthly(b float64) (*Lifetime, error) {
	if !(b > 0 && b < 1) {
		return nil, fmt.Errorf("monthly interruption fraction must be in (0, 1), got %v", b)
	}
	return exponential(-math.Log1p(-b)/HoursPerMonth, Bucket{})
}

// AzureEvictionRate returns the exponential lifetime of one of Azure's
// eviction-rate bands ("0-5", "5-10", "10-15", "15-20", "20+": the percent
// chance that a Spot VM is evicted within the next hour, AzureBands): the
// band's representative hourly fraction b gives λ = −ln(1 − b) per hour.
func AzureEvictionRate(label string) (*Lifetime, error) { return bandLifetime("azure", label) }

// AWSInterruptionFrequency returns the exponential lifetime of one of AWS
// Spot Instance Advisor's frequency-of-interruption buckets ("<5%",
// "5-10%", "10-15%", "15-20%", ">20%": the share of instances interrupted
// over a month, AWSBuckets): the bucket's representative monthly fraction b
// gives λ = −ln(1 − b)/720 per hour.
func AWSInterruptionFrequency(label string) (*Lifetime, error) { return bandLifetime("aws", label) }

func bandLifetime(provider, label string) (*Lifetime, error) {
	b, err := BucketOf(provider, label)
	if err != nil {
		return nil, err
	}
	return exponential(b.Rate(), b)
}

// Bucket is a published interruption-rate band: the fraction of spot VMs
// evicted within one Period lies in [Low, High) (High = 1 for the open top
// band), and Value is the representative fraction spotsim uses. Azure's
// eviction-rate bands are per hour, AWS Spot Advisor's buckets per month
// (AZURE.md §5): the same label means rates 720 times apart.
type Bucket struct {
	Provider string        // "azure" (eviction-rate band) or "aws" (Spot Instance Advisor)
	Label    string        // as published
	Low      float64       // fraction per Period, lower end
	High     float64       // fraction per Period, upper end (1 for the open-ended top band)
	Value    float64       // value used: the midpoint, or 0.25 for the top band
	Period   time.Duration // time.Hour for Azure, HoursPerMonth hours for AWS
}

// Rate returns the band's hazard per hour, −ln(1 − Value)/Period.
func (b Bucket) Rate() float64 { return -math.Log1p(-b.Value) / hours(b.Period) }

// String names the band and what it means, for instance
// `Azure eviction-rate band "5-10" (7.5 % of VMs evicted per hour)`.
func (b Bucket) String() string {
	switch b.Provider {
	case "azure":
		return fmt.Sprintf("Azure eviction-rate band %q (%g %% of VMs evicted per hour)", b.Label, 100*b.Value)
	case "aws":
		return fmt.Sprintf("AWS Spot Advisor bucket %q (%g %% of instances interrupted per month)", b.Label, 100*b.Value)
	}
	return fmt.Sprintf("band %q", b.Label)
}

// The open top band ("20+", ">20%") is represented by 25 %: the midpoint of a
// band as wide as the others (20-30 %). Its upper end is unpublished, and the
// midpoint of [20 %, 100 %) (60 %) would be dominated by it; 25 % is a
// cautious low estimate: give rate_per_hour when the true rate is known.
var buckets = []Bucket{
	{"azure", "0-5", 0, 0.05, 0.025, time.Hour},
	{"azure", "5-10", 0.05, 0.10, 0.075, time.Hour},
	{"azure", "10-15", 0.10, 0.15, 0.125, time.Hour},
	{"azure", "15-20", 0.15, 0.20, 0.175, time.Hour},
	{"azure", "20+", 0.20, 1, 0.25, time.Hour},
	{"aws", "<5%", 0, 0.05, 0.025, HoursPerMonth * time.Hour},
	{"aws", "5-10%", 0.05, 0.10, 0.075, HoursPerMonth * time.Hour},
	{"aws", "10-15%", 0.10, 0.15, 0.125, HoursPerMonth * time.Hour},
	{"aws", "15-20%", 0.15, 0.20, 0.175, HoursPerMonth * time.Hour},
	{"aws", ">20%", 0.20, 1, 0.25, HoursPerMonth * time.Hour},
}

// aliases are other spellings of a band: third-party collectors of Azure's
// rates write the top band "20-100".
var aliases = map[[2]string]string{{"azure", "20-100"}: "20+"}

// Buckets returns the table of bands of both providers (a copy).
func Buckets() []Bucket { return append([]Bucket(nil), buckets...) }

// BucketOf returns provider's ("azure" or "aws") band of the given label.
// Spaces and a trailing "%" are ignored ("5 - 10 %" is "5-10"). A label of
// the other provider is an error that says so.
func BucketOf(provider, label string) (Bucket, error) {
	k := normBucket(label)
	if a, ok := aliases[[2]string{provider, k}]; ok {
		k = a
	}
	var names []string
	other := ""
	for _, b := range buckets {
		switch {
		case b.Provider == provider && normBucket(b.Label) == k:
			return b, nil
		case b.Provider == provider:
			names = append(names, fmt.Sprintf("%q", b.Label))
		case normBucket(b.Label) == k:
			other = b.Provider
		}
	}
	what := map[string]string{"azure": "Azure eviction-rate band (per hour)", "aws": "AWS Spot Advisor bucket (per month)"}
	msg := fmt.Sprintf("unknown %s %q (want one of %s)", what[provider], label, strings.Join(names, ", "))
	if other != "" {
		msg += fmt.Sprintf("; %q is an %s", label, what[other])
	}
	return Bucket{}, errors.New(msg)
}
func normBucket(s string) string {
	s = strings.ReplaceAll(s, " ", "")
	return strings.TrimSuffix(s, "%")
}
