package report

import (
	"fmt"
	"math"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/runner"
)

// Deadline is how a job with a deadline fared, on one side of the
// comparison, over every replication.
type Deadline struct {
	Job           string  `json:"job"`
	Deadline      string  `json:"deadline"`       // from the job's submission, as a duration
	DeadlineHours float64 `json:"deadline_hours"` // the same in hours
	Replications  int     `json:"replications"`
	// Met counts the replications in which the job finished by its
	// deadline; an unfinished one misses it. Share is Met/Replications,
	// with its 95 % Wilson score interval.
	Met       int     `json:"met"`
	Share     float64 `json:"share_met"`
	ShareLow  float64 `json:"share_met_ci95_low"`
	ShareHigh float64 `json:"share_met_ci95_high"`
	// LatenessHours is the job's completion from submission minus the
	// deadline (negative: early), over the runs in which it finished;
	// Unfinished counts the others, which are later than any of them.
	LatenessHours Stat `json:"lateness_hours"`
	Unfinished    int  `json:"unfinished"`
	// CostMetUSD is the run's cost over the replications that met the
	// deadline (what meeting it costs), CostPerRunUSD over all of them
	// (an unfinished run's cost up to the horizon), and CostPerMetUSD the
	// total cost divided by the number met: what one met deadline costs
	// when misses are paid for too (0 when none met).
	CostMetUSD    Stat    `json:"cost_met_usd"`
	CostPerRunUSD Stat    `json:"cost_per_run_usd"`
	CostPerMetUSD float64 `json:"cost_per_met_usd"`
}

// deadlines returns a Deadline for every job of sc with one.
func deadlines(sc *model.Scenario, rs *runner.Side) []Deadline {
	var out []Deadline
	for k := range sc.Jobs {
		j := &sc.Jobs[k]
		if j.Deadline <= 0 {
			continue
		}
		d := Deadline{Job: j.Name, Deadline: dist.FormatDuration(j.Deadline), DeadlineHours: j.Deadline.Hours(), Replications: rs.Len()}
		var late, lateCen, costMet, cost []float64
		total := 0.0
		for i := range rs.Records {
			r := &rs.Records[i]
			cost = append(cost, r.Cost)
			total += r.Cost
			if k >= len(rs.JobNames) {
				continue
			}
			jr := rs.Job(i)[k]
			if !jr.Finished {
				d.Unfinished++
				// censored: later than the horizon (SummarizeCensored)
				lateCen = append(lateCen, (sc.Horizon - j.Submit - j.Deadline).Hours())
				continue
			}
			late = append(late, (jr.Completion - j.Submit - j.Deadline).Hours())
			if j.Met(jr.Result()) {
				d.Met++
				costMet = append(costMet, r.Cost)
			}
		}
		if d.Replications > 0 {
			d.Share = float64(d.Met) / float64(d.Replications)
		}
		d.ShareLow, d.ShareHigh = Wilson(d.Share, d.Replications)
		d.LatenessHours, d.CostMetUSD, d.CostPerRunUSD = SummarizeCensored(late, lateCen), Summarize(costMet), Summarize(cost)
		if d.Met > 0 {
			d.CostPerMetUSD = total / float64(d.Met)
		}
		out = append(out, d)
	}
	return out
}

// deadlineReport returns both sides' deadlines, or nil when no job has one.
func deadlineReport(sc *model.Scenario, runs *runner.Runs) *DeadlineReport {
	d := &DeadlineReport{Scenario: deadlines(sc, runs.Scenario), Baseline: deadlines(sc, runs.Baseline)}
	if len(d.Scenario) == 0 {
		return nil
	}
	return d
}

// DeadlineReport holds the deadlines of both sides.
type DeadlineReport struct {
	Scenario []Deadline `json:"scenario"`
	Baseline []Deadline `json:"baseline"`
}

// deadlineLines says, one line a job and side, how the deadlines fared.
func (s *Summary) deadlineLines() []string {
	if s.Deadlines == nil {
		return nil
	}
	var out []string
	for i, side := range [][]Deadline{s.Deadlines.Scenario, s.Deadlines.Baseline} {
		run := "scenario"
		if i == 1 {
			run = "baseline"
		}
		for _, d := range side {
			line := fmt.Sprintf("DEADLINE %s, job %s (%s from submission): met in %d of %d runs (%s %%, 95 %% CI %s to %s); completion minus deadline p50 %s h, p95 %s h",
				run, d.Job, g4(d.DeadlineHours)+" h", d.Met, d.Replications,
				f(100*d.Share, 1), f(100*d.ShareLow, 1), f(100*d.ShareHigh, 1), f(d.LatenessHours.P50, 2), f(d.LatenessHours.P95, 2))
			if d.Unfinished > 0 {
				line += fmt.Sprintf(" (%d unfinished runs later still)", d.Unfinished)
			}
			line += fmt.Sprintf("; cost $%s per run", f(d.CostPerRunUSD.Mean, 2))
			if d.Met > 0 {
				line += fmt.Sprintf(", $%s per run that met it, $%s per deadline met", f(d.CostMetUSD.Mean, 2), f(d.CostPerMetUSD, 2))
			}
			out = append(out, line+".")
		}
	}
	return out
}

// Wilson returns the 95 % Wilson score interval of a proportion p of n
// trials ([0, 1] when n is 0).
func Wilson(p float64, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	const z = 1.959963984540054
	nf := float64(n)
	den := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / den
	h := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return math.Max(0, c-h), math.Min(1, c+h)
}

// policyNotes are the deadline, policy-against-formula and checkpoint lines.
func (s *Summary) policyNotes() []string {
	return append(append(s.deadlineLines(), s.policyLines()...), s.checkpointLines()...)
}

// deadlineRows adds summary.csv's deadline rows: per side and job, the
// share of runs that met the deadline (mean, with its Wilson interval as
// the CI), the lateness and the cost of meeting it.
func (s *Summary) deadlineRows(row func(run, key string, st Stat)) {
	if s.Deadlines == nil {
		return
	}
	for i, side := range [][]Deadline{s.Deadlines.Scenario, s.Deadlines.Baseline} {
		run := "scenario"
		if i == 1 {
			run = "baseline"
		}
		for _, d := range side {
			row(run, "deadline_met_share."+d.Job, Stat{N: d.Replications, Mean: d.Share, CI95Low: d.ShareLow, CI95High: d.ShareHigh})
			row(run, "deadline_lateness_hours."+d.Job, d.LatenessHours)
			row(run, "deadline_cost_met_usd."+d.Job, d.CostMetUSD)
		}
	}
}

// ChartDeadline is the deadline completion.png marks, from t = 0: that of
// the only job with one, when the scenario has a single job (the chart is
// of the whole run's completion); 0 otherwise.
func ChartDeadline(sc *model.Scenario) time.Duration {
	if len(sc.Jobs) != 1 || sc.Jobs[0].Deadline <= 0 {
		return 0
	}
	return sc.Jobs[0].Submit + sc.Jobs[0].Deadline
}
