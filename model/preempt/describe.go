package preempt

import (
	"fmt"
	"math"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// Summary is a lifetime model as spotsim understood it, for every output
// that shows it (validate, the run table, summary.json, the reports): the
// model in words, its mean and median time to preemption and, for an
// exponential model, the constant hazard (per hour) that its mean, rate or
// published band became.
type Summary struct {
	// Model is the model's name: "exponential", "weibull", "bathtub",
	// "empirical", "none", with " capped" for a max_lifetime; another
	// package's model gives its String.
	Model string
	// Text is the whole description in one line, numbers included.
	Text string
	// Mean and Median are the mean and median time from an incarnation's
	// allocation to its preemption (0 for none).
	Mean, Median time.Duration
	// RatePerHour is an exponential model's hazard λ (below its cap, if it
	// has one); 0 for the other models.
	RatePerHour float64
	// Band is the published band an exponential model came from (zero if
	// none).
	Band Bucket
}

// Describe returns the summary of l; a nil l is "none" (never preempted by
// a lifetime of its own).
func Describe(l *Lifetime) Summary {
	if l == nil {
		return Summary{Model: "none", Text: "none: no lifetime of its own (never preempted but by the market)"}
	}
	s := Summary{Mean: l.MeanDuration(), Median: l.Quantile(0.5), Band: l.Band}
	var words string
	s.Model, words, s.RatePerHour = describe(l.Dist)
	if l.Band.Label != "" {
		words = "exponential from " + l.Band.String()
	}
	if l.Cap > 0 {
		s.Model += " capped"
		words += ", capped at " + FormatHours(l.Cap) + " (max_lifetime)"
	}
	s.Text = words + ": "
	if s.RatePerHour > 0 {
		s.Text += fmt.Sprintf("hazard %.4g per hour", s.RatePerHour)
		if l.Cap > 0 {
			s.Text += " below the cap"
		}
		s.Text += ", "
	}
	s.Text += "mean time to preemption " + FormatHours(s.Mean)
	if s.Model != "exponential" {
		s.Text += ", median " + FormatHours(s.Median)
	}
	return s
}

// describe names d's kind and says it in words, without its cap, mean and
// median, and gives an exponential's hazard per hour.
func describe(d dist.Dist) (model, words string, rate float64) {
	model = d.Kind.String()
	switch d.Kind {
	case dist.Exponential:
		rate = d.Rate
		if rate == 0 {
			rate = float64(time.Hour) / float64(d.Mean)
		}
		return model, "exponential (a constant hazard)", rate
	case dist.Weibull:
		trend := "a constant hazard"
		switch {
		case d.Shape < 1:
			trend = "a hazard falling with age: young incarnations are preempted most"
		case d.Shape > 1:
			trend = "a hazard rising with age"
		}
		return model, fmt.Sprintf("weibull (shape %g, scale %s; %s)", d.Shape, formatDuration(d.Scale), trend), 0
	case dist.Bathtub:
		return model, fmt.Sprintf("bathtub (A %g, tau1 %s, tau2 %s, b %s; many preempted in their first hours, the rest by %s)",
			d.A, formatDuration(d.Tau1), formatDuration(d.Tau2), formatDuration(d.B), FormatHours(d.End())), 0
	case dist.Empirical:
		n := len(d.Samples)
		if n == 0 {
			return model, "empirical (no samples)", 0
		}
		what := fmt.Sprintf("%d observed lifetimes, %s to %s, each equally likely", n, FormatHours(d.Samples[0]), FormatHours(d.Samples[n-1]))
		if n == 1 {
			what = "1 observed lifetime, " + FormatHours(d.Samples[0]) + ": every incarnation lives exactly that"
		}
		return model, "empirical (" + what + ")", 0
	case dist.Fixed:
		return model, "fixed: every incarnation preempted at " + FormatHours(d.Value), 0
	}
	u := d
	u.Cap = 0
	return model, u.String(), 0
}

// FormatHours writes a duration in hours for a reader: "12.8 h", "9235 h",
// "45 min", "never" for durations that saturate.
func FormatHours(d time.Duration) string {
	h := hours(d)
	switch {
	case d == math.MaxInt64:
		return "never"
	case h >= 100:
		return fmt.Sprintf("%.0f h", h)
	case h >= 1:
		return fmt.Sprintf("%.3g h", h)
	}
	return fmt.Sprintf("%.3g min", h*60)
}
