package preempt_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

// TestDescribe: every model's summary gives the model's own mean and
// median, an exponential's hazard (and band), and words that say which
// model it is.
func TestDescribe(t *testing.T) {
	azure, _ := preempt.AzureEvictionRate("10-15")
	aws, _ := preempt.AWSInterruptionFrequency("10-15%")
	one, _ := dist.NewEmpirical([]time.Duration{10 * time.Hour})
	capped := *azure
	capped.Cap = 4 * time.Hour
	for _, c := range []struct {
		l          *preempt.Lifetime
		model      string
		rate       float64
		words      []string
		showMedian bool
	}{
		{azure, "exponential", -math.Log1p(-0.125), []string{`Azure eviction-rate band "10-15" (12.5 % of VMs evicted per hour)`, "mean time to preemption 7.49 h"}, false},
		{aws, "exponential", -math.Log1p(-0.125) / 720, []string{`AWS Spot Advisor bucket "10-15%" (12.5 % of instances interrupted per month)`, "mean time to preemption 5392 h"}, false},
		{preempt.Of(dist.Dist{Kind: dist.Weibull, Shape: 2, Scale: 10 * time.Hour}), "weibull", 0, []string{"rising with age"}, true},
		{preempt.Of(dist.DefaultBathtub), "bathtub", 0, []string{"bathtub", "mean time to preemption 12.1 h"}, true},
		{preempt.Of(one), "empirical", 0, []string{"every incarnation lives exactly that", "mean time to preemption 10 h, median 10 h"}, true},
		{&capped, "exponential capped", -math.Log1p(-0.125), []string{"capped at 4 h", "below the cap"}, true},
	} {
		s := preempt.Describe(c.l)
		if s.Model != c.model || s.Mean != c.l.MeanDuration() || s.Median != c.l.Quantile(0.5) || math.Abs(s.RatePerHour-c.rate) > 1e-15 {
			t.Errorf("%v: %+v", c.l, s)
		}
		for _, w := range c.words {
			if !strings.Contains(s.Text, w) {
				t.Errorf("%v: %q lacks %q", c.l, s.Text, w)
			}
		}
		if strings.Contains(s.Text, "median") != c.showMedian {
			t.Errorf("%v: %q: median shown %v, want %v", c.l, s.Text, !c.showMedian, c.showMedian)
		}
	}
	if s := preempt.Describe(nil); s.Model != "none" || s.Mean != 0 {
		t.Errorf("nil: %+v", s)
	}
}
