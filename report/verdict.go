package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
)

// Verdict thresholds (README, "The verdict").
const (
	// TolerableSlowdownPct is the slowdown a "do" may cost at most: the
	// upper end of the slowdown's 95 % interval.
	TolerableSlowdownPct = 10
	// UnfinishedShareLimit is the share of unfinished scenario runs above
	// which the verdict is "don't rely on it", whatever the savings.
	UnfinishedShareLimit = 0.05
)

// Verdict is the report's one-line answer and the rule that gave it.
type Verdict struct {
	// Rule names the case: "no-comparison", "unfinished", "costs-more",
	// "saves", "saves-slower", "unclear".
	Rule string `json:"rule"`
	Text string `json:"text"`
}

// times says a ratio: "3.1×" from 2× up, else a percentage.
func times(pct float64, more, less string) string {
	if r := 1 + pct/100; r >= 2 {
		return strconv.FormatFloat(r, 'f', 1, 64) + "× " + more
	}
	if pct < 0 {
		return f(-pct, 1) + " % " + less
	}
	return f(pct, 1) + " % " + more
}

// verdict applies the rule, on the paired savings and slowdown and their
// 95 % intervals:
//
//   - no finished run on a side: no comparison;
//   - more than UnfinishedShareLimit of the scenario's runs unfinished:
//     "don't rely on it";
//   - savings interval entirely below 0 (surely costs more): "don't";
//   - savings interval entirely above 0 and slowdown interval at most
//     TolerableSlowdownPct: "do";
//   - savings interval above 0, slowdown beyond that: "do if the deadline
//     allows";
//   - otherwise (the savings interval includes 0): "no clear difference".
func (s *Summary) verdict() Verdict {
	sv, sl := s.SavingsPct, s.SlowdownPct
	cost := func() string { return times(-sv.Mean, "more expensive", "cheaper") }
	slow := func() string { return times(sl.Mean, "slower", "faster") }
	switch {
	case s.NothingFinished() || sv.N == 0:
		return Verdict{"no-comparison", "none: no replication finished on both sides within the horizon; lengthen simulation.horizon."}
	case float64(s.Scenario.Unfinished) > UnfinishedShareLimit*float64(s.Replications):
		return Verdict{"unfinished", fmt.Sprintf("%s of the runs did not finish within the %s h horizon (the baseline: %s): don't rely on it.",
			f(100*float64(s.Scenario.Unfinished)/float64(s.Replications), 0)+" %", f(s.HorizonHours, 1),
			f(100*float64(s.Baseline.Unfinished)/float64(s.Replications), 0)+" %")}
	case sv.CI95High < 0:
		if sl.CI95Low > 0 {
			return Verdict{"costs-more", cost() + " and " + slow() + " than dedicated: don't."}
		}
		return Verdict{"costs-more", cost() + " than dedicated, and not surely faster: don't."}
	case sv.CI95Low > 0 && sl.CI95High <= TolerableSlowdownPct:
		return Verdict{"saves", fmt.Sprintf("%s %% cheaper ($%s a run) and at most %s %% slower than dedicated: do.",
			f(sv.Mean, 1), f(s.SavedUSD.Mean, 2), f(math.Max(sl.CI95High, 0), 1))}
	case sv.CI95Low > 0:
		return Verdict{"saves-slower", fmt.Sprintf("%s %% cheaper ($%s a run) but %s than dedicated: do if the deadline allows.",
			f(sv.Mean, 1), f(s.SavedUSD.Mean, 2), slow())}
	}
	return Verdict{"unclear", fmt.Sprintf("No clear difference in cost (savings 95 %% CI %s to %s %%): run more replications.",
		f(sv.CI95Low, 1), f(sv.CI95High, 1))}
}

// Assumptions lists, one sentence each, everything the numbers depend on
// that the user did not see in the headline: prices and where they came
// from, each pool's lifetime model and what else evicts it, eviction
// policy and notice, delays, autoscale sampling, quotas, billing, the
// horizon and the replications.
func Assumptions(sc *model.Scenario) []string {
	var out []string
	for i := range sc.Pools {
		p := &sc.Pools[i]
		pre := "pool " + p.Name + ": "
		out = append(out, pre+fmt.Sprintf("dedicated price $%s per node-hour, from %s", strconv.FormatFloat(p.Size.DedicatedPrice, 'g', 6, 64), p.Size.DedicatedSource))
		if !lowPriority(p) {
			continue
		}
		spot := fmt.Sprintf("low-priority price $%s per node-hour, fixed, from %s", strconv.FormatFloat(p.Size.LowPriorityPrice, 'g', 6, 64), p.Size.LowPrioritySource)
		switch {
		case p.Price.OU != nil:
			o := p.Price.OU
			hi := o.Cap
			if hi <= 0 {
				hi = p.Size.DedicatedPrice
			}
			spot = fmt.Sprintf("low-priority price a mean-reverting (Ornstein–Uhlenbeck) process around $%s/h, volatility %s, reversion time %s, sampled every %s, clamped to [$%s, $%s]",
				g(o.Mean), g(o.Sigma), dist.FormatDuration(o.Reversion), dist.FormatDuration(o.Step), g(o.Floor), g(hi))
		case p.Price.Trace != nil:
			spot = "low-priority price replayed from a recorded price trace, step-wise"
		}
		if p.MaxPrice > 0 {
			spot += fmt.Sprintf("; max price $%s/h (evicted above it)", g(p.MaxPrice))
		}
		out = append(out, pre+spot)
		l := p.DescribeLifetime()
		out = append(out, pre+"lifetime of a low-priority node "+l.Text)
		if m := p.DescribeMarket(); m != "" {
			out = append(out, pre+"also evicted by "+m)
		}
		ev := fmt.Sprintf("an eviction deletes the VM after a %s notice; its replacement is asked for after %s", dist.FormatDuration(p.Notice), p.ReplacementDelay)
		if p.Service != model.ScaleSet {
			ev = fmt.Sprintf("an eviction (%s: capacity only) recreates the node after a %s notice, through creating and starting, asked for after %s; evicted nodes and every boot are billed", p.Service.Describe(), dist.FormatDuration(p.Notice), p.ReplacementDelay)
		} else if p.Eviction() == model.Deallocate {
			ev = fmt.Sprintf("an eviction deallocates the VM after a %s notice", dist.FormatDuration(p.Notice))
			ev += fmt.Sprintf(" (disk billed $%s/h meanwhile, restart after %s)", g(p.DiskPrice), p.RestartDelay)
		}
		if p.Service == model.ScaleSet {
			if p.RestoreTimeout > 0 {
				ev += fmt.Sprintf("; Try & Restore restores it for up to %s after its eviction, then gives it up", dist.FormatDuration(p.RestoreTimeout))
			} else {
				ev += "; a scale set without Try & Restore does not replace it"
			}
		}
		out = append(out, pre+ev+"; a preempted task restarts from scratch unless it checkpoints")
		out = append(out, pre+fmt.Sprintf("allocation takes %s, start %s", p.AllocationDelay, p.StartDelay))
		if p.Autoscale != nil {
			out = append(out, pre+fmt.Sprintf("the autoscale formula runs every %s on metrics sampled every %s and visible %s later (Azure: about a minute)",
				dist.FormatDuration(p.Autoscale.Interval), dist.FormatDuration(model.SamplePeriod), dist.FormatDuration(p.Autoscale.SampleLag)))
		}
	}
	q := "quotas: " + quotaLine(sc)
	if !sc.Quotas.DedicatedSet || !sc.Quotas.LowPrioritySet {
		q += "; a quota left unset caps nothing (Azure's default quotas would: see any QUOTA WARNING)"
	}
	out = append(out, q)
	b := sc.Billing
	bill := "billing per " + dist.FormatDuration(b.Granularity)
	if b.Minimum > 0 {
		bill += ", at least " + dist.FormatDuration(b.Minimum) + " an allocation"
	}
	if b.SkipBoot {
		bill += ", from when a node is usable (boot not billed)"
	} else {
		bill += ", from allocation (boot billed)"
	}
	out = append(out, bill)
	out = append(out, fmt.Sprintf("%d replications from seed %d, each scenario run paired with a dedicated-only run on the same random numbers; runs stopped at the %s horizon count as unfinished (censored)",
		sc.Replications, sc.Seed, dist.FormatDuration(sc.Horizon)))
	var jobs []string
	for _, j := range sc.Jobs {
		jobs = append(jobs, fmt.Sprintf("job %s: %d tasks of %s each", j.Name, j.Tasks, j.Duration))
	}
	out = append(out, strings.Join(jobs, "; "))
	return out
}

// Glossary is the report's short glossary: term, meaning.
var Glossary = [][2]string{
	{"low-priority / spot node", "a VM at a discount that Azure may take back (preempt) at any time"},
	{"dedicated-only baseline", "the same pool with every low-priority node made dedicated, on the same random numbers"},
	{"savings", "100·(1 − cost / baseline cost) per replication; negative: it costs more"},
	{"slowdown", "100·(completion / baseline completion − 1) per replication"},
	{"paired", "computed replication by replication against the baseline, then averaged: a tighter interval"},
	{"95 % CI", "the interval that holds the true mean in 95 % of repetitions of the experiment"},
	{"p50, p95", "the completion time (or cost) that half, or 95 %, of the runs beat"},
	{"unfinished (censored)", "a run still working at the horizon: its completion is later than the horizon"},
	{"≥", "a lower bound: the mean over finished runs, some runs being longer still"},
	{"preemption", "Azure taking a low-priority node back; its running tasks go back to the queue"},
	{"work lost", "core-hours of task time thrown away by preemptions"},
	{"quota", "the cores an Azure account may hold, dedicated and low-priority apart"},
}
