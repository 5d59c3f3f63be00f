package report

import (
	"fmt"
	"math"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
)

// Side is the statistics of one side of the comparison (the scenario or its
// baseline). Unfinished replications are censored data (SummarizeCensored):
// means are over the finished ones, percentiles over all.
type Side struct {
	// Finished and Unfinished count replications. The statistics of
	// quantities that grow with time (completion, costs, preemptions...)
	// treat a run that hit the horizon as censored at its value then;
	// utilisation and node-hours are over finished runs only.
	Finished   int `json:"finished"`
	Unfinished int `json:"unfinished"`
	// WorkDoneUnfinished is the mean share of tasks done by unfinished runs.
	WorkDoneUnfinished float64 `json:"work_done_share_unfinished"`
	// CostAtHorizonUSD is what the unfinished runs had spent by the
	// horizon (over those runs only; n = 0 when every run finished).
	CostAtHorizonUSD Stat `json:"cost_at_horizon_usd_unfinished"`

	CompletionHours Stat `json:"completion_time_hours"`
	CostUSD         Stat `json:"cost_usd"`
	CostDedicated   Stat `json:"cost_dedicated_usd"`
	CostLowPriority Stat `json:"cost_low_priority_usd"`
	CostDisk        Stat `json:"cost_disk_usd"`
	Retries         Stat `json:"retries"`
	Timeouts        Stat `json:"timeouts"`
	CheckpointHours Stat `json:"checkpoint_hours"`
	RestoreHours    Stat `json:"restore_hours"`
	Cancellations   Stat `json:"cancellations"`
	Aborted         Stat `json:"aborted_jobs"`
	// Jobs has one entry per job: completion and cost share over the runs
	// in which that job finished.
	Jobs              []JobStat `json:"jobs"`
	Notices           Stat      `json:"eviction_notices"`
	Preemptions       Stat      `json:"preemptions"`
	Requeued          Stat      `json:"requeued_tasks"`
	WorkLostCoreHours Stat      `json:"work_lost_core_hours"`
	Utilisation       Stat      `json:"utilisation"`
	TasksFailed       Stat      `json:"tasks_failed"`
	// Autoscale formulas: evaluations and failed evaluations per run (a
	// failed one leaves the targets unchanged), and the first failure seen;
	// these, and QuotaCapped, are over all runs, finished or not.
	AutoscaleEvaluations Stat   `json:"autoscale_evaluations"`
	AutoscaleFailures    Stat   `json:"autoscale_failures"`
	AutoscaleFirstError  string `json:"autoscale_first_error,omitempty"`
	// QuotaCapped counts, per run, the resizes a core quota cut short.
	QuotaCapped Stat `json:"quota_capped"`
	// ResizeErrors counts, per run, the timed resizes ([[pools.resize]])
	// that timed out with nodes given up.
	ResizeErrors Stat `json:"resize_errors"`
	// NodeHours is the mean node-hours by kind and state.
	NodeHours map[string]map[string]float64 `json:"node_hours"`
}

// JobStat summarises one job over replications.
type JobStat struct {
	Name            string `json:"name"`
	Finished        int    `json:"finished"`
	CompletionHours Stat   `json:"completion_time_hours"`
	CostShareUSD    Stat   `json:"cost_share_usd"`
	NodeHours       Stat   `json:"node_hours"`
	TasksFailed     Stat   `json:"tasks_failed"`
}

// Price says what a pool pays and where each figure came from.
type Price struct {
	Pool              string  `json:"pool"`
	VMSize            string  `json:"vm_size"`
	Dedicated         float64 `json:"dedicated_usd_per_hour"`
	DedicatedSource   string  `json:"dedicated_source"`
	LowPriority       float64 `json:"low_priority_usd_per_hour"`
	LowPrioritySource string  `json:"low_priority_source"`
}

// Lifetime is a pool's lifetime model as spotsim understood it
// (model.Pool.DescribeLifetime): in words, its mean and median time to
// preemption in hours and, for an exponential model, its hazard per hour and
// the published band it came from. Mean and median are absent for a pool
// with no lifetime of its own.
type Lifetime struct {
	Pool        string   `json:"pool"`
	Model       string   `json:"model"`
	Description string   `json:"description"`
	MeanHours   *float64 `json:"mean_time_to_preemption_hours,omitempty"`
	MedianHours *float64 `json:"median_time_to_preemption_hours,omitempty"`
	RatePerHour float64  `json:"rate_per_hour,omitempty"`
	Band        string   `json:"band,omitempty"`
	// Market says what else evicts the pool's low-priority nodes.
	Market string `json:"market,omitempty"`
}

// Lifetimes describes the lifetime model of every pool of sc.
func Lifetimes(sc *model.Scenario) []Lifetime {
	var out []Lifetime
	for i := range sc.Pools {
		p := &sc.Pools[i]
		d := p.DescribeLifetime()
		l := Lifetime{Pool: p.Name, Model: d.Model, Description: d.Text, RatePerHour: d.RatePerHour, Market: p.DescribeMarket()}
		if d.Mean > 0 {
			mean, median := d.Mean.Hours(), d.Median.Hours()
			l.MeanHours, l.MedianHours = &mean, &median
		}
		if d.Band.Label != "" {
			l.Band = d.Band.String()
		}
		out = append(out, l)
	}
	return out
}

// Summary is the comparison of a scenario with its dedicated-only baseline.
type Summary struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Configuration is what was simulated, generated from the scenario
	// after the overrides (Configuration); Overrides are the --set flags
	// (PATH=VALUE) that changed the file, in order.
	Configuration string   `json:"configuration"`
	Overrides     []string `json:"overrides,omitempty"`
	// Verdict is the one-line answer (verdict.go); Assumptions everything
	// the numbers depend on, one sentence each.
	Verdict     Verdict  `json:"verdict"`
	Assumptions []string `json:"assumptions"`
	// Run says which build ran it, when and how: report.md and report.html
	// show it, summary.json never does (it stays byte-identical).
	Run          *RunInfo `json:"-"`
	Replications int      `json:"replications"`
	Seed         uint64   `json:"seed"`
	// HorizonHours is simulation.horizon: a run still working then is
	// unfinished (censored at the horizon).
	HorizonHours float64 `json:"horizon_hours"`
	Scenario     Side    `json:"scenario"`
	Baseline     Side    `json:"baseline"`
	// SavingsPct is 100·(1 − cost/baseline cost) and SlowdownPct is
	// 100·(completion/baseline completion − 1), computed per replication
	// (paired: both sides share the replication's random streams) over the
	// replications where both finished.
	SavingsPct Stat `json:"savings_pct"`
	// SavedUSD is baseline cost − scenario cost, per replication, over the
	// same pairs as SavingsPct (negative: the scenario costs more).
	SavedUSD    Stat `json:"saved_usd"`
	SlowdownPct Stat `json:"slowdown_pct"`
	// Reference, when the user named one ([reference], --reference), is
	// that setup; SavingsVsReference, SavedVsReference and
	// SlowdownVsReference compare the scenario with it as SavingsPct,
	// SavedUSD and SlowdownPct do with the baseline (paired, Compare).
	Reference           *Reference `json:"reference,omitempty"`
	SavingsVsReference  *Stat      `json:"savings_vs_reference_pct,omitempty"`
	SavedVsReference    *Stat      `json:"saved_vs_reference_usd,omitempty"`
	SlowdownVsReference *Stat      `json:"slowdown_vs_reference_pct,omitempty"`
	Prices              []Price    `json:"prices"`
	// Deadlines, when a job has one, says how often it was met (deadline.go).
	Deadlines *DeadlineReport `json:"deadlines,omitempty"`
	// Lifetimes has one entry per pool: how its nodes are preempted.
	Lifetimes []Lifetime `json:"lifetimes"`
	// PolicyFormula compares pool policies with their exported formulas,
	// and Checkpoint names better checkpoint intervals (policy.go).
	PolicyFormula *PolicyFormula     `json:"policy_formula,omitempty"`
	Checkpoint    []CheckpointAdvice `json:"checkpoint_advice,omitempty"`
	// Quotas are the scenario's core quotas: null when [quotas] does not
	// set one (no limit), 0 when set to no limit; Fits lists the fixed pool
	// targets that do not fit a quota (capped by one the scenario set, or
	// over Azure's default for one it did not set: a warning).
	Quotas Quotas `json:"quotas"`
}

// RunInfo is the build, date and command line of a run, for the human
// reports only.
type RunInfo struct {
	Version, Date, CommandLine string
}

// Quotas is summary.json's "quotas".
type Quotas struct {
	DedicatedCores   *int       `json:"dedicated_cores"`
	LowPriorityCores *int       `json:"low_priority_cores"`
	Fits             []QuotaFit `json:"fits,omitempty"`
}

// QuotaFit is a pool target that does not fit a core quota
// (model.Scenario.QuotaFits).
type QuotaFit struct {
	Pool       string `json:"pool"`
	Kind       string `json:"kind"`
	AskedNodes int    `json:"asked_nodes"`
	AskedCores int    `json:"asked_cores"`
	QuotaCores int    `json:"quota_cores"`
	// AllowedNodes is what the quota leaves room for. Capped: the scenario
	// set the quota, so the pool ran as AllowedNodes (and so did its
	// baseline); otherwise it ran as asked and QuotaCores is Azure's
	// default, which would allow AllowedNodes.
	AllowedNodes int  `json:"allowed_nodes"`
	Capped       bool `json:"capped"`
	// DefaultOf says whose default quota QuotaCores is, when not Capped.
	DefaultOf string `json:"default_of,omitempty"`
	// Most, for a pool without fixed targets (a cluster, a sizing policy),
	// says where AskedNodes, the most it may ask for, comes from.
	Most string `json:"asked_most_by,omitempty"`
	// FromRuns says AskedNodes is the most an autoscale formula asked for
	// in the runs (the replications of this summary), known only by
	// running it.
	FromRuns bool `json:"from_runs,omitempty"`
}

// defaultOf names the default quota a target was checked against.
func defaultOf(f model.QuotaFit) string {
	switch {
	case f.Capped:
		return ""
	case f.Service == model.Batch:
		return "Azure Batch's default " + f.Kind.String() + " quota per account"
	}
	return "the lowest default regional Spot / low-priority vCPU quota of a subscription (100 to 3,000 by offer)"
}

// quotasOf reads a scenario's quotas for summary.json; ran is the
// largest targets its autoscaled pools set in the runs
// (runner.Totals.MostTargets), nil before it runs.
func quotasOf(sc *model.Scenario, ran [][2]int) Quotas {
	var q Quotas
	if sc.Quotas.DedicatedSet {
		v := sc.Quotas.DedicatedCores
		q.DedicatedCores = &v
	}
	if sc.Quotas.LowPrioritySet {
		v := sc.Quotas.LowPriorityCores
		q.LowPriorityCores = &v
	}
	for _, f := range sc.QuotaFitsRan(ran) {
		q.Fits = append(q.Fits, QuotaFit{Pool: f.Pool, Kind: f.Kind.String(), AskedNodes: f.Asked, AskedCores: f.AskedCores(),
			QuotaCores: f.QuotaCores, AllowedNodes: f.Allowed, Capped: f.Capped, DefaultOf: defaultOf(f), Most: f.Most, FromRuns: f.FromRuns})
	}
	return q
}

// SummarizeRuns compares the runs of sc with its baseline.
func SummarizeRuns(sc *model.Scenario, runs *runner.Runs) *Summary {
	s := &Summary{
		Name:          sc.Name,
		Description:   sc.Description,
		Replications:  sc.Replications,
		Seed:          sc.Seed,
		HorizonHours:  sc.Horizon.Hours(),
		Configuration: Configuration(sc),
		Scenario:      side(runs.Scenario, sc.Horizon),
		Baseline:      side(runs.Baseline, sc.Horizon),
	}
	s.Quotas = quotasOf(sc, runs.Scenario.MostTargets)
	s.Assumptions = Assumptions(sc)
	c := Compare(runs.Scenario.Records, runs.Baseline.Records, sc.Horizon, sc.Horizon)
	s.SavingsPct, s.SavedUSD, s.SlowdownPct = c.SavingsPct, c.SavedUSD, c.SlowdownPct
	s.Deadlines = deadlineReport(sc, runs)
	s.Lifetimes = Lifetimes(sc)
	s.Checkpoint = checkpointAdvice(sc)
	for _, p := range sc.Pools {
		s.Prices = append(s.Prices, Price{
			Pool: p.Name, VMSize: p.Size.Name,
			Dedicated: p.Size.DedicatedPrice, DedicatedSource: p.Size.DedicatedSource,
			LowPriority: p.Size.LowPriorityPrice, LowPrioritySource: p.Size.LowPrioritySource,
		})
	}
	s.Verdict = s.verdict()
	return s
}

// Comparison is the paired comparison of the scenario's runs with those of
// another setup on the same random streams (the baseline, or a reference).
type Comparison struct {
	SavingsPct, SavedUSD, SlowdownPct Stat
}

// Compare pairs a (the scenario's runs, on a horizon of ha) with b (the
// other setup's, on hb), replication by replication (index i of each;
// replications beyond the shorter are left out). SavingsPct is 100·(1 −
// cost/b's cost), SavedUSD b's cost − cost, SlowdownPct 100·(completion/b's
// completion − 1).
//
// A pair one of whose runs did not finish is censored, not dropped
// (SummarizeBounded, SummarizeCensored's rule): an unfinished run's cost
// and completion are at least their values at its horizon, which bounds
// the pair's savings, dollars saved and slowdown on one side (both sides
// unknown when neither finished). Means are over the pairs where both
// finished (N); Unfinished counts the others, which percentiles include.
func Compare(a, b []runner.Record, ha, hb time.Duration) Comparison {
	var save, saved, slow []float64
	var saveLo, saveHi, savedLo, savedHi, slowLo, slowHi []float64
	inf := math.Inf(1)
	for i := range min(len(a), len(b)) {
		a, b := &a[i], &b[i]
		if a.Finished && b.Finished {
			if b.Cost > 0 {
				save = append(save, 100*(1-a.Cost/b.Cost))
			}
			saved = append(saved, b.Cost-a.Cost)
			if b.Completion > 0 {
				slow = append(slow, 100*(float64(a.Completion)/float64(b.Completion)-1))
			}
			continue
		}
		// Unfinished: cost ≥ its bill so far, completion ≥ its horizon.
		ac, bc := a.Completion, b.Completion
		if !a.Finished {
			ac = ha
		}
		if !b.Finished {
			bc = hb
		}
		switch {
		case !b.Finished && !a.Finished:
			saveLo, saveHi = append(saveLo, -inf), append(saveHi, 100)
			savedLo, savedHi = append(savedLo, -inf), append(savedHi, inf)
			slowLo, slowHi = append(slowLo, -100), append(slowHi, inf)
		case !a.Finished: // a costs at least a.Cost and takes at least ha
			if b.Cost > 0 {
				saveLo, saveHi = append(saveLo, -inf), append(saveHi, 100*(1-a.Cost/b.Cost))
			}
			savedLo, savedHi = append(savedLo, -inf), append(savedHi, b.Cost-a.Cost)
			if bc > 0 {
				slowLo, slowHi = append(slowLo, 100*(float64(ac)/float64(bc)-1)), append(slowHi, inf)
			}
		default: // b costs at least b.Cost and takes at least hb
			if b.Cost > 0 {
				saveLo, saveHi = append(saveLo, 100*(1-a.Cost/b.Cost)), append(saveHi, 100)
			} else {
				saveLo, saveHi = append(saveLo, -inf), append(saveHi, 100)
			}
			savedLo, savedHi = append(savedLo, b.Cost-a.Cost), append(savedHi, inf)
			if bc > 0 {
				slowLo, slowHi = append(slowLo, -100), append(slowHi, 100*(float64(ac)/float64(bc)-1))
			}
		}
	}
	return Comparison{SavingsPct: SummarizeBounded(save, saveLo, saveHi), SavedUSD: SummarizeBounded(saved, savedLo, savedHi),
		SlowdownPct: SummarizeBounded(slow, slowLo, slowHi)}
}

// Reference is summary.json's "reference": the setup the user runs today
// (scenarios.Doc.Reference), its own statistics (the Side's fields, at the
// top level of the object) and what it is.
type Reference struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Overrides are what the reference changes in the scenario as run,
	// PATH=VALUE in the order applied ([reference], then --reference).
	Overrides []string `json:"overrides"`
	// Configuration is what the reference simulated (Configuration).
	Configuration string `json:"configuration"`
	Side
}

// NewReference is the reference ref (named name, its description and
// overrides as the user gave them) with its own statistics over its runs:
// summary.json's and sweep.json's "reference".
func NewReference(ref *model.Scenario, name, description string, overrides []string, runs *runner.Side) *Reference {
	return &Reference{Name: name, Description: description, Overrides: append([]string{}, overrides...),
		Configuration: Configuration(ref), Side: side(runs, ref.Horizon)}
}

// AddReference adds the reference ref (NewReference) and the scenario's
// paired comparison with it: runs.Reference are its runs, on the
// scenario's random streams.
func (s *Summary) AddReference(sc, ref *model.Scenario, name, description string, overrides []string, runs *runner.Runs) {
	s.Reference = NewReference(ref, name, description, overrides, runs.Reference)
	c := Compare(runs.Scenario.Records, runs.Reference.Records, sc.Horizon, ref.Horizon)
	s.SavingsVsReference, s.SavedVsReference, s.SlowdownVsReference = &c.SavingsPct, &c.SavedUSD, &c.SlowdownPct
}

// side summarises one setup's records. Each quantity's values are
// gathered, summarised and let go in turn, so the working copy is one
// quantity's (runner.SummaryBytes a replication).
func side(rs *runner.Side, horizon time.Duration) Side {
	var s Side
	recs := rs.Records
	for i := range recs {
		if recs[i].Finished {
			s.Finished++
		} else {
			s.Unfinished++
		}
	}
	// Accumulating quantities: a run's value only grows with time, so an
	// unfinished run's value at the horizon is a lower bound of its own
	// (SummarizeCensored): fin holds the finished runs' values, cen the
	// unfinished ones'.
	fin, cen := make([]float64, 0, s.Finished), make([]float64, 0, s.Unfinished)
	censored := func(v func(r *runner.Record) float64) Stat {
		fin, cen = fin[:0], cen[:0]
		for i := range recs {
			if r := &recs[i]; r.Finished {
				fin = append(fin, v(r))
			} else {
				cen = append(cen, v(r))
			}
		}
		return SummarizeCensored(fin, cen)
	}
	// over the finished runs only (a ratio, not an accumulation), over the
	// unfinished ones, or over every run
	over := func(which int, v func(r *runner.Record) float64) Stat {
		fin = fin[:0]
		for i := range recs {
			if r := &recs[i]; which == overAll || r.Finished == (which == overFinished) {
				fin = append(fin, v(r))
			}
		}
		return Summarize(fin)
	}
	s.CompletionHours = censored(func(r *runner.Record) float64 {
		if !r.Finished {
			return horizon.Hours()
		}
		return r.Completion.Hours()
	})
	s.CostUSD = censored(func(r *runner.Record) float64 { return r.Cost })
	s.CostDedicated = censored(func(r *runner.Record) float64 { return r.CostDedicated })
	s.CostLowPriority = censored(func(r *runner.Record) float64 { return r.CostLowPriority })
	s.CostDisk = censored(func(r *runner.Record) float64 { return r.CostDisk })
	s.Notices = censored(func(r *runner.Record) float64 { return float64(r.Notices) })
	s.Retries = censored(func(r *runner.Record) float64 { return float64(r.Retries) })
	s.Timeouts = censored(func(r *runner.Record) float64 { return float64(r.Timeouts) })
	s.CheckpointHours = censored(func(r *runner.Record) float64 { return r.CheckpointHours })
	s.RestoreHours = censored(func(r *runner.Record) float64 { return r.RestoreHours })
	s.Cancellations = censored(func(r *runner.Record) float64 { return float64(r.Cancellations) })
	s.Aborted = censored(func(r *runner.Record) float64 { return float64(r.Aborted) })
	s.CostAtHorizonUSD = over(overUnfinished, func(r *runner.Record) float64 { return r.Cost })
	for k, name := range rs.JobNames {
		if len(recs) == 0 {
			break
		}
		job := JobStat{Name: name}
		fin, cen = fin[:0], cen[:0]
		for i := range recs {
			if jr := &rs.Job(i)[k]; jr.Finished {
				fin = append(fin, jr.Completion.Hours())
			} else {
				cen = append(cen, horizon.Hours())
			}
		}
		job.Finished = len(fin)
		job.CompletionHours = SummarizeCensored(fin, cen)
		// over the runs in which the job finished
		each := func(v func(jr *runner.JobRecord) float64) Stat {
			fin = fin[:0]
			for i := range recs {
				if jr := &rs.Job(i)[k]; jr.Finished {
					fin = append(fin, v(jr))
				}
			}
			return Summarize(fin)
		}
		job.CostShareUSD = each(func(jr *runner.JobRecord) float64 { return jr.CostShare })
		job.NodeHours = each(func(jr *runner.JobRecord) float64 { return jr.NodeHours })
		job.TasksFailed = each(func(jr *runner.JobRecord) float64 { return float64(jr.TasksFailed) })
		s.Jobs = append(s.Jobs, job)
	}
	s.Preemptions = censored(func(r *runner.Record) float64 { return float64(r.Preemptions) })
	s.Requeued = censored(func(r *runner.Record) float64 { return float64(r.Requeued) })
	s.WorkLostCoreHours = censored(func(r *runner.Record) float64 { return r.WorkLostCoreHours })
	s.TasksFailed = censored(func(r *runner.Record) float64 { return float64(r.TasksFailed) })
	// Utilisation is a ratio, not an accumulation: over finished runs only.
	s.Utilisation = over(overFinished, func(r *runner.Record) float64 { return r.Utilisation })
	// Autoscale and quota tallies cover every run: a formula that always
	// fails is why runs do not finish.
	s.QuotaCapped = over(overAll, func(r *runner.Record) float64 { return float64(r.QuotaCapped) })
	s.ResizeErrors = over(overAll, func(r *runner.Record) float64 { return float64(r.ResizeErrors) })
	s.AutoscaleEvaluations = over(overAll, func(r *runner.Record) float64 { return float64(r.AutoscaleEvaluations) })
	s.AutoscaleFailures = over(overAll, func(r *runner.Record) float64 { return float64(r.AutoscaleFailures) })
	if rs.AutoscaleError != "" {
		s.AutoscaleFirstError = fmt.Sprintf("replication %d: %s", rs.AutoscaleErrorRep, rs.AutoscaleError)
	}
	if s.Unfinished > 0 {
		s.WorkDoneUnfinished = rs.WorkDoneUnfinished / float64(s.Unfinished)
	}
	s.NodeHours = map[string]map[string]float64{}
	for k := range rs.NodeHours {
		m := map[string]float64{}
		for st := model.State(0); st < model.NumStates; st++ {
			if st == model.Released {
				continue
			}
			if s.Finished > 0 {
				m[st.String()] = rs.NodeHours[k][st] / float64(s.Finished)
			} else {
				m[st.String()] = 0
			}
		}
		s.NodeHours[model.Kind(k).String()] = m
	}
	return s
}

// The runs a Stat of side is over.
const (
	overAll = iota
	overFinished
	overUnfinished
)
