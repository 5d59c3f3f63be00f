package preempt_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/preempt"
)

// TestBucketRates: Azure's eviction-rate bands are per hour (a fraction b
// of VMs evicted within an hour: λ = −ln(1 − b)/h), AWS Spot Advisor's
// buckets per month (λ = −ln(1 − b)/720 h); the same label is 720 times
// apart.
func TestBucketRates(t *testing.T) {
	for _, c := range []struct {
		provider, label string
		b               float64
		period          time.Duration
	}{
		{"aws", "<5%", 0.025, 720 * time.Hour}, {"aws", "5-10%", 0.075, 720 * time.Hour}, {"aws", "10-15%", 0.125, 720 * time.Hour},
		{"aws", "15-20%", 0.175, 720 * time.Hour}, {"aws", ">20%", 0.25, 720 * time.Hour}, {"aws", "5 - 10 %", 0.075, 720 * time.Hour},
		{"azure", "0-5", 0.025, time.Hour}, {"azure", "5-10", 0.075, time.Hour}, {"azure", "10-15", 0.125, time.Hour},
		{"azure", "15-20", 0.175, time.Hour}, {"azure", "20+", 0.25, time.Hour}, {"azure", " 20+ ", 0.25, time.Hour},
		{"azure", "20-100", 0.25, time.Hour}, {"azure", "5-10%", 0.075, time.Hour},
	} {
		get := preempt.AzureEvictionRate
		if c.provider == "aws" {
			get = preempt.AWSInterruptionFrequency
		}
		e, err := get(c.label)
		if err != nil {
			t.Fatalf("%s %q: %v", c.provider, c.label, err)
		}
		if want := -math.Log1p(-c.b) / c.period.Hours(); e.Rate != want {
			t.Errorf("%s %q: rate %v per hour, want %v", c.provider, c.label, e.Rate, want)
		}
		// A fraction b of incarnations dies within one period.
		if got := e.CDF(c.period); math.Abs(got-c.b) > 1e-12 {
			t.Errorf("%s %q: CDF(%v) = %v, want %v", c.provider, c.label, c.period, got, c.b)
		}
		if e.Band.Provider != c.provider {
			t.Errorf("%s %q: band %+v", c.provider, c.label, e.Band)
		}
	}
	// The figure: Azure 5-10 at its midpoint is 0.078/h, a mean of 12.8 h.
	if e, _ := preempt.AzureEvictionRate("5-10"); math.Abs(e.Rate-0.07796) > 1e-5 || math.Abs(e.MeanDuration().Hours()-12.83) > 0.01 {
		t.Errorf("azure 5-10: rate %v, mean %v", e.Rate, e.MeanDuration())
	}
	if len(preempt.Buckets()) != 10 {
		t.Errorf("Buckets() has %d rows, want 10", len(preempt.Buckets()))
	}
	for _, b := range preempt.Buckets() {
		if !(b.Low <= b.Value && b.Value < b.High) {
			t.Errorf("bucket %q: representative %v outside [%v, %v)", b.Label, b.Value, b.Low, b.High)
		}
	}
	for _, c := range []struct {
		get   func(string) (*preempt.Lifetime, error)
		label string
		want  string
	}{
		{preempt.AWSInterruptionFrequency, "30-40%", `unknown AWS Spot Advisor bucket (per month) "30-40%" (want one of "<5%", "5-10%", "10-15%", "15-20%", ">20%")`},
		{preempt.AzureEvictionRate, "<5%", `unknown Azure eviction-rate band (per hour) "<5%" (want one of "0-5", "5-10", "10-15", "15-20", "20+"); "<5%" is an AWS Spot Advisor bucket (per month)`},
		{preempt.AWSInterruptionFrequency, "20+", `"20+" is an Azure eviction-rate band (per hour)`},
	} {
		if _, err := c.get(c.label); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %s", c.label, err, c.want)
		}
	}
}

func TestExponentialConstructors(t *testing.T) {
	e, err := preempt.NewExponential(8 * time.Hour)
	if err != nil || e.Rate != 0.125 || e.MeanDuration() != 8*time.Hour {
		t.Errorf("NewExponential(8h) = %v, %v", e, err)
	}
	r, err := preempt.ExponentialRate(0.125)
	if err != nil || r.Rate != e.Rate || r.Band != e.Band {
		t.Errorf("ExponentialRate(0.125) = %v, %v", r, err)
	}
	if q := e.Quantile(1 - math.Exp(-1)); q != 8*time.Hour {
		t.Errorf("Quantile(1-1/e) = %v, want 8h", q)
	}
}
