package preempt

import (
	"fmt"
	"math"
	"time"
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
func Describe(l Lifetime) Summary {
	if l == nil {
		return Summary{Model: "none", Text: "none: no lifetime of its own (never preempted but by the market)"}
	}
	s := Summary{Mean: l.Mean(), Median: l.Quantile(0.5)}
	var words string
	s.Model, words, s.RatePerHour, s.Band = describe(l)
	s.Text = words + ": "
	if s.RatePerHour > 0 {
		s.Text += fmt.Sprintf("hazard %.4g per hour", s.RatePerHour)
		if s.Model != "exponential" {
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

// describe names l and says it in words, without its mean and median.
func describe(l Lifetime) (model, words string, rate float64, band Bucket) {
	switch m := l.(type) {
	case Exponential:
		words = "exponential (a constant hazard)"
		if m.Band.Label != "" {
			words = "exponential from " + m.Band.String()
		}
		return "exponential", words, m.Rate, m.Band
	case Weibull:
		trend := "a constant hazard"
		switch {
		case m.Shape < 1:
			trend = "a hazard falling with age: young incarnations are preempted most"
		case m.Shape > 1:
			trend = "a hazard rising with age"
		}
		return "weibull", fmt.Sprintf("weibull (shape %g, scale %s; %s)", m.Shape, formatDuration(m.Scale), trend), 0, band
	case Bathtub:
		return "bathtub", fmt.Sprintf("bathtub (A %g, tau1 %s, tau2 %s, b %s; many preempted in their first hours, the rest by %s)",
			m.A, formatDuration(m.Tau1), formatDuration(m.Tau2), formatDuration(m.B), FormatHours(m.End())), 0, band
	case Empirical:
		n := len(m.Samples)
		if n == 0 {
			return "empirical", "empirical (no samples)", 0, band
		}
		what := fmt.Sprintf("%d observed lifetimes, %s to %s, each equally likely", n, FormatHours(m.Samples[0]), FormatHours(m.Samples[n-1]))
		if n == 1 {
			what = "1 observed lifetime, " + FormatHours(m.Samples[0]) + ": every incarnation lives exactly that"
		}
		return "empirical", "empirical (" + what + ")", 0, band
	case Capped:
		if m.Lifetime == nil {
			return "capped", "every incarnation preempted at " + FormatHours(m.Max), 0, band
		}
		model, words, rate, band = describe(m.Lifetime)
		return model + " capped", words + ", capped at " + FormatHours(m.Max) + " (max_lifetime)", rate, band
	}
	return l.String(), l.String(), 0, band
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
