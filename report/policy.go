package report

import (
	"fmt"
	"math"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/advise"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/runner"
)

// PolicyFormula compares a scenario's pool policies, simulated natively,
// with their exported autoscale formulas run by spotsim's interpreter on
// the same replications (the same random numbers): deadline shares and
// cost side by side.
type PolicyFormula struct {
	Native         []Deadline `json:"native"`
	Formula        []Deadline `json:"formula"`
	NativeCostUSD  Stat       `json:"native_cost_usd"`
	FormulaCostUSD Stat       `json:"formula_cost_usd"`
	// FormulaFailures counts failed formula evaluations per run.
	FormulaFailures Stat `json:"formula_failures"`
}

// AddFormulaRuns records the runs of the scenario's policies as exported
// formulas (spotsim run does it for a scenario with [pools.policy]).
func (s *Summary) AddFormulaRuns(sc *model.Scenario, native, formula *runner.Side) {
	cost := func(rs *runner.Side) Stat {
		var xs []float64
		for _, r := range rs.Records {
			xs = append(xs, r.Cost)
		}
		return Summarize(xs)
	}
	var fails []float64
	for _, r := range formula.Records {
		fails = append(fails, float64(r.AutoscaleFailures))
	}
	s.PolicyFormula = &PolicyFormula{Native: deadlines(sc, native), Formula: deadlines(sc, formula),
		NativeCostUSD: cost(native), FormulaCostUSD: cost(formula), FormulaFailures: Summarize(fails)}
}

// policyLines says how the native policies and their formulas compare.
func (s *Summary) policyLines() []string {
	pf := s.PolicyFormula
	if pf == nil {
		return nil
	}
	var out []string
	diff := 0.0
	if pf.NativeCostUSD.Mean > 0 {
		diff = 100 * (pf.FormulaCostUSD.Mean/pf.NativeCostUSD.Mean - 1)
	}
	out = append(out, fmt.Sprintf("POLICY vs FORMULA: mean cost $%s with the policy simulated natively, $%s with its exported autoscale formula (%+.1f %%), on the same replications",
		f(pf.NativeCostUSD.Mean, 2), f(pf.FormulaCostUSD.Mean, 2), diff))
	for i := range pf.Native {
		if i >= len(pf.Formula) {
			break
		}
		n, fo := pf.Native[i], pf.Formula[i]
		out = append(out, fmt.Sprintf("POLICY vs FORMULA: job %s met its %s h deadline in %s %% of runs (95 %% CI %s to %s) natively, %s %% (%s to %s) with the formula",
			n.Job, g4(n.DeadlineHours), f(100*n.Share, 1), f(100*n.ShareLow, 1), f(100*n.ShareHigh, 1),
			f(100*fo.Share, 1), f(100*fo.ShareLow, 1), f(100*fo.ShareHigh, 1)))
	}
	out = append(out, "POLICY vs FORMULA: the formula sees task counts up to 90 s late, decides only every evaluation interval (5 min at least), and cannot see whether spot capacity is back while its nodes are dedicated (docs/policies.md).")
	if pf.FormulaFailures.Mean > 0 {
		out = append(out, fmt.Sprintf("POLICY vs FORMULA: %.1f formula evaluations per run failed.", pf.FormulaFailures.Mean))
	}
	return out
}

// CheckpointAdvice is the best checkpoint interval of a checkpointed job
// whose interval is more than 10 % off it (exponential lifetimes only:
// other lifetimes need spotsim advise checkpoint's simulated search).
type CheckpointAdvice struct {
	Job          string  `json:"job"`
	Interval     string  `json:"interval"`
	Best         string  `json:"best_interval"`
	SavedPct     float64 `json:"expected_time_saved_pct"`
	SavedPerTask string  `json:"expected_time_saved_per_task_run"`
	// Lifetimes, when not empty, says the pool's lifetimes are not
	// exponential: Best is then Daly's optimum for exponential lifetimes
	// of the same mean, a first guess (no time saved is claimed) that
	// spotsim advise checkpoint's simulated search refines.
	Lifetimes string `json:"lifetimes_not_exponential,omitempty"`
}

// checkpointAdvice returns advice for every checkpointed job more than
// 10 % off Daly's optimum.
func checkpointAdvice(sc *model.Scenario) []CheckpointAdvice {
	var out []CheckpointAdvice
	for _, j := range sc.Jobs {
		if j.Checkpoint == nil {
			continue
		}
		a, ok, err := advise.Exact(sc, j.Name)
		if err == nil && !ok {
			if g, found := guess(sc, &j); found {
				out = append(out, g)
			}
			continue
		}
		if err != nil || !a.Off() || a.CurrentTime <= 0 {
			continue
		}
		out = append(out, CheckpointAdvice{Job: j.Name, Interval: dist.FormatDuration(a.Current), Best: dist.FormatDuration(a.Best),
			SavedPct: 100 * float64(a.Saved()) / float64(a.CurrentTime), SavedPerTask: dist.FormatDuration(a.Saved().Round(1e9))})
	}
	return out
}

// guess is the advice for a job whose lifetimes are not exponential:
// Daly's optimum at their mean, when the job's interval is more than 10 %
// off it.
func guess(sc *model.Scenario, j *model.Job) (CheckpointAdvice, bool) {
	for _, p := range sc.Pools {
		if p.Name != j.Pool || p.Lifetime == nil {
			continue
		}
		m := p.Lifetime.MeanDuration().Hours()
		best := time.Duration(math.Min(advise.DalyOptimum(j.Checkpoint.Cost.Hours(), m), j.Duration.MeanDuration().Hours()) * float64(time.Hour)).Round(time.Second)
		if math.Abs(float64(j.Checkpoint.Interval-best)) <= 0.1*float64(best) {
			return CheckpointAdvice{}, false
		}
		return CheckpointAdvice{Job: j.Name, Interval: dist.FormatDuration(j.Checkpoint.Interval), Best: dist.FormatDuration(best),
			Lifetimes: p.Lifetime.String()}, true
	}
	return CheckpointAdvice{}, false
}

func (s *Summary) checkpointLines() []string {
	var out []string
	for _, a := range s.Checkpoint {
		if a.Lifetimes != "" {
			out = append(out, fmt.Sprintf("CHECKPOINT: job %s checkpoints every %s; for exponential lifetimes of the same mean Daly's optimum would be every %s, but these are %s: spotsim advise checkpoint finds the best interval by simulation.",
				a.Job, a.Interval, a.Best, a.Lifetimes))
			continue
		}
		out = append(out, fmt.Sprintf("CHECKPOINT: job %s checkpoints every %s; with these exponential lifetimes Daly's exact optimum is every %s, an expected %s (%s %%) less per task run (spotsim advise checkpoint).",
			a.Job, a.Interval, a.Best, a.SavedPerTask, f(a.SavedPct, 2)))
	}
	return out
}
