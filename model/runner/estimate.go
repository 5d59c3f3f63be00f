package runner

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spotsim/spotsim/model"
)

// What the estimates assume. They are rough on purpose: a scenario's work
// is only known once it has run, and the estimate is there to say "this
// takes 3 seconds" or "this takes 2 years" before it starts.
const (
	// EventsPerSecond is about how many engine events one worker handles
	// a second in a whole model (nodes, tasks, billing), on a 2020s core.
	EventsPerSecond = 2e6
	// RepEvents stands for the fixed cost of a replication (its engine,
	// pools and result), in events: about 20 µs.
	RepEvents = 40
	// AnnounceAfter: a run estimated to take longer (wall time) is
	// announced on stderr, in one line, before it starts.
	AnnounceAfter = 30 * time.Second
	// SummaryBytes is the summary's working copy per replication: one
	// quantity's values at a time, sorted twice for its percentiles
	// (report.SummarizeCensored), 8 bytes each and 3 copies.
	SummaryBytes = 24
	// NodeBytes, TaskBytes and EventBytes are what a replication in
	// progress holds per node, per task with history (preempted, retried)
	// and per pending event; one runs on each worker.
	NodeBytes  = 600
	TaskBytes  = 64
	EventBytes = 48
	// BaseBytes is the program itself, its scenario and its charts.
	BaseBytes = 64 << 20
	// DefaultMemoryLimit applies when neither GOMEMLIMIT nor the machine's
	// memory says otherwise.
	DefaultMemoryLimit = 4 << 30
)

// Estimate is what a paired run (a scenario and its dedicated-only
// baseline) is expected to cost before it starts.
type Estimate struct {
	Replications int
	Workers      int
	// TaskRuns and Events are over every replication of both sides; a
	// preempted task runs again, so runs can exceed tasks.
	TaskRuns, Events float64
	// Longest is the events of the longest replication: one worker runs
	// it, however many there are. PerRep is the events of one replication
	// and its baseline.
	Longest, PerRep float64
	// Bytes is the expected peak memory.
	Bytes float64
	// ReferenceRuns counts the runs of a reference (Options.Reference),
	// included in TaskRuns, Events and Bytes.
	ReferenceRuns int
}

// WithCharts returns e with the memory of the charts' traces added: traced
// replications and their baselines followed until the charts are drawn,
// at most traceBytes each, and the replication replayed for the node chart
// and its baseline, at most replayBytes each. The traces are bounded
// whatever the replications' events (report.CostTraceBytes,
// report.NodeTraceBytes).
func (e Estimate) WithCharts(traced int, traceBytes, replayBytes float64) Estimate {
	e.Bytes += 2*float64(min(traced, e.Replications))*traceBytes + 2*replayBytes
	return e
}

// Wall returns the expected wall time at EventsPerSecond per worker.
func (e Estimate) Wall() time.Duration {
	s := max(e.Events/float64(max(1, e.Workers)), e.Longest) / EventsPerSecond
	if s*1e9 >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(s * 1e9)
}

// String says the estimate in one line: events, task runs, time and
// memory.
func (e Estimate) String() string {
	return fmt.Sprintf("about %s events (%s task runs) in %s and as many baseline runs%s, about %s on %d worker(s) and %s of memory",
		Count(e.Events), Count(e.TaskRuns), plural(e.Replications, "replication"), e.referenceText(), Span(e.Wall()), max(1, e.Workers), Bytes(e.Bytes))
}

// referenceText is ", and 200 reference runs" when e has a reference.
func (e Estimate) referenceText() string {
	if e.ReferenceRuns == 0 {
		return ""
	}
	return ", and " + plural(e.ReferenceRuns, "reference run")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// EstimateRun estimates a paired run of sc on workers goroutines (<= 0:
// one per CPU).
func EstimateRun(sc *model.Scenario, workers int) Estimate { return EstimateRunWith(sc, nil, workers) }

// EstimateRunWith estimates a paired run of sc with a reference (ref, nil
// for none: Options.Reference), as PairWith runs it: two runs a
// replication, three with a reference, every result kept until the
// summary.
func EstimateRunWith(sc, ref *model.Scenario, workers int) Estimate {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sides := []*model.Scenario{sc, sc.Baseline()}
	if ref != nil {
		sides = append(sides, ref)
	}
	workers = min(workers, max(1, len(sides)*sc.Replications))
	e := Estimate{Replications: sc.Replications, Workers: workers}
	var live float64
	for _, s := range sides {
		r := estimateRep(s)
		e.TaskRuns += r.runs * float64(sc.Replications)
		e.Events += r.events * float64(sc.Replications)
		e.Longest = max(e.Longest, r.events)
		e.PerRep += r.events
		live = max(live, r.bytes)
	}
	if ref != nil {
		e.ReferenceRuns = sc.Replications
	}
	runs := len(sides) * sc.Replications
	if formulas(sc) {
		runs += sc.Replications // the policies as exported formulas, for the report
	}
	// a worker holds one replication's runs and their shared durations
	e.Bytes = BaseBytes + ResultsBytes(sc, runs) + WorkingBytes(sc.Replications) + (live+float64(sc.SharedBytes()))*float64(workers)
	return e
}

// formulas reports whether a run of sc also runs its pools' policies as
// exported formulas (a pool has a [pools.policy]: the report compares them).
func formulas(sc *model.Scenario) bool {
	for _, p := range sc.Pools {
		if p.Sizing != nil {
			return true
		}
	}
	return false
}

// ResultsBytes is what the records of n runs of sc take while they are
// kept for a summary: RecordBytes and JobRecordBytes per job each.
func ResultsBytes(sc *model.Scenario, n int) float64 {
	return float64(RecordBytes+JobRecordBytes*len(sc.Jobs)) * float64(n)
}

// WorkingBytes is what gathering and summarising reps replications takes
// besides their records: the results waiting in Each's window for an
// earlier one (at most Window, partBytes each) and the summary's working
// copy (SummaryBytes a replication).
func WorkingBytes(reps int) float64 {
	return float64(min(Window, reps))*partBytes + float64(reps)*SummaryBytes
}

// partBytes is what a result waiting in the window holds (a part and its
// map entry).
const partBytes = 256

// EstimateReference estimates the reps runs of a reference on its own, as
// a sweep runs it once for all its points (its records kept throughout).
func EstimateReference(ref *model.Scenario, reps int) Estimate {
	r := estimateRep(ref)
	return Estimate{TaskRuns: r.runs * float64(reps), Events: r.events * float64(reps), Longest: r.events,
		Bytes: ResultsBytes(ref, reps), ReferenceRuns: reps}
}

// rep is the estimate of one replication of one side.
type rep struct{ runs, events, bytes float64 }

// estimateRep estimates one replication of s: for each pool, its work
// (tasks × mean length × nodes per task) over its slots, the low-priority
// ones counted at the share of their time that ends in a completed task
// (a task of length t on a node living m on average, restarted from
// scratch, takes (e^{t/m} − 1)·m), gives a makespan, capped at the
// horizon; preemptions follow from the makespan and the mean lifetime, and
// every preemption reruns the tasks of its node.
func estimateRep(s *model.Scenario) rep {
	var out rep
	for _, p := range s.Pools {
		var tasks, work, width float64
		for _, j := range s.Jobs {
			if j.Pool != p.Name && len(s.Pools) > 1 {
				continue
			}
			n := float64(j.Tasks)
			if j.Manager != nil {
				n++
			}
			mean := j.Duration.MeanDuration().Hours()
			if mean == 0 && j.MiniBatch != nil {
				mean = j.MiniBatch.PerInput.MeanDuration().Hours() * float64(j.MiniBatch.Size)
			}
			tasks += n
			work += n * mean * float64(max(1, j.NodesPerTask))
			width = max(width, float64(max(1, j.NodesPerTask)))
		}
		slots := float64(max(1, p.TaskSlotsPerNode))
		ded, low := nodes(s, &p, tasks, slots)
		horizon := s.Horizon.Hours()
		if horizon <= 0 {
			horizon = model.MaxHorizon.Hours()
		}
		t := 0.0
		if tasks > 0 {
			t = work / tasks
		}
		m := math.Inf(1)
		if p.Lifetime != nil {
			if mm := p.Lifetime.MeanDuration().Hours(); mm > 0 {
				m = mm
			}
		}
		eff := 1.0
		if !math.IsInf(m, 1) && t > 0 {
			eff = t / (math.Expm1(t/m) * m) // 0 once e^{t/m} overflows
		}
		capacity := (ded + low*eff) * slots
		span := horizon
		if capacity > 0 && tasks > 0 {
			span = min(horizon, max(t, work/capacity))
		}
		pre := 0.0
		if !math.IsInf(m, 1) {
			pre = low * span / m
		}
		runs := tasks + pre*slots
		events := 2*runs + 4*pre + 3*(ded+low)
		if p.Autoscale != nil && p.Autoscale.Interval > 0 {
			events += span/p.Autoscale.Interval.Hours() + span*120 // evaluations, and a metric sample every 30 s
		}
		out.runs += runs
		out.events += events + RepEvents
		live := (ded+low)*(NodeBytes+4*EventBytes) + tasks*TaskBytes
		if pre == 0 {
			live = (ded+low)*(NodeBytes+4*EventBytes) + min(tasks, (ded+low)*slots)*TaskBytes
		}
		out.bytes += live
	}
	return out
}

// nodes returns the dedicated and low-priority nodes a pool is expected to
// hold: its targets, capped by the core quotas; an autoscaled pool or a
// cluster as many as its tasks can use, up to the limits.
func nodes(s *model.Scenario, p *model.Pool, tasks, slots float64) (ded, low float64) {
	ded, low = float64(p.TargetDedicatedNodes), float64(p.TargetLowPriorityNodes)
	if p.Autoscale != nil || p.Cluster != nil || p.Sizing != nil {
		want := min(math.Ceil(tasks/slots), float64(model.Limits.Nodes))
		if p.Cluster != nil {
			want = min(want, float64(p.Cluster.MaxInstances))
			if p.Cluster.Tier == model.LowPriority {
				return 0, want
			}
			return want, 0
		}
		ded = max(ded, want)
	}
	cores := float64(max(1, p.Size.Cores))
	if q := s.Quotas.DedicatedCores; q > 0 {
		ded = min(ded, math.Floor(float64(q)/cores))
	}
	if q := s.Quotas.LowPriorityCores; q > 0 {
		low = min(low, math.Floor(float64(q)/cores))
	}
	return ded, low
}

// MemoryLimit returns the most memory a run may be expected to use: the
// smallest of the Go runtime's limit (GOMEMLIMIT, when set), half the
// machine's memory, the container's (cgroup memory.max) and what the
// process's address-space limit leaves (ulimit -v, AddressSpaceLimit: Go
// reserves address space well beyond what it uses), or DefaultMemoryLimit
// when none is known.
func MemoryLimit() float64 {
	limit := math.Inf(1)
	if os.Getenv("GOMEMLIMIT") != "" {
		if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
			limit = float64(l)
		}
	}
	if total := physicalMemory(); total > 0 {
		limit = min(limit, float64(total)/2)
	}
	if c := containerMemory(); c > 0 {
		limit = min(limit, float64(c))
	}
	if as := addressSpace(); as > 0 {
		limit = min(limit, AddressSpaceLimit(float64(as), float64(mapped())))
	}
	if math.IsInf(limit, 1) {
		return DefaultMemoryLimit
	}
	return limit
}

// AddressSpaceLimit is the memory limit an address-space limit of as bytes
// (ulimit -v) leaves when mapped bytes are mapped already: half of it, and
// no more than what is not mapped yet. The Go runtime reserves over a GiB
// at start, so under ulimit -v 2 GiB a heap of about 800 MiB fits, not 1 GiB.
func AddressSpaceLimit(as, mapped float64) float64 {
	return max(0, min(as/2, as-mapped))
}

// Headroom is the share of the memory limit a run may be expected to
// hold live: the rest lets the garbage collector work without thrashing.
const Headroom = 0.75

// CheckMemory returns an error, in one line with the estimate and the
// limit, when e is expected to hold more than Headroom of limit.
func CheckMemory(e Estimate, limit float64) error {
	if e.Bytes <= Headroom*limit {
		return nil
	}
	kept := "their baselines"
	if e.ReferenceRuns > 0 {
		kept = "their baselines and references"
	}
	return fmt.Errorf("refusing to start: the run would need about %s of memory (%d replications and %s kept for the summary, and %d replication(s) in progress at a time), more than %.0f %% of the limit of %s (half the machine's memory, or less: GOMEMLIMIT, the container's, ulimit -v); use fewer replications or a smaller scenario",
		Bytes(e.Bytes), e.Replications, kept, e.Workers, 100*Headroom, Bytes(limit))
}

// SetMemoryLimit tells the Go runtime the limit, so that the garbage
// collector keeps the heap under it rather than letting it grow to twice
// what is live (GOGC); GOMEMLIMIT, when set, is left as it is.
func SetMemoryLimit(limit float64) {
	if os.Getenv("GOMEMLIMIT") == "" && limit > 0 && limit < math.MaxInt64 {
		debug.SetMemoryLimit(int64(limit))
	}
}

// Count formats a count: 1234 as is, larger ones as "1.2 thousand",
// "3.4 million" and so on, the largest as "2.0e+14".
func Count(x float64) string {
	switch {
	case x < 1e4:
		return fmt.Sprintf("%.0f", x)
	case x < 1e6:
		return fmt.Sprintf("%.0f thousand", x/1e3)
	case x < 1e9:
		return fmt.Sprintf("%.1f million", x/1e6)
	case x < 1e12:
		return fmt.Sprintf("%.1f billion", x/1e9)
	}
	return fmt.Sprintf("%.1e", x)
}

// Bytes formats a size in KiB, MiB, GiB or TiB.
func Bytes(b float64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f bytes", b)
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// Span formats a wall time roughly: seconds, minutes, hours, days, years.
func Span(d time.Duration) string {
	s := d.Seconds()
	switch {
	case d == math.MaxInt64:
		return "more than 290 years"
	case s < 90:
		return fmt.Sprintf("%.0f s", s)
	case s < 90*60:
		return fmt.Sprintf("%.0f min", s/60)
	case s < 48*3600:
		return fmt.Sprintf("%.1f h", s/3600)
	case s < 2*365*86400:
		return fmt.Sprintf("%.0f days", s/86400)
	}
	return fmt.Sprintf("%.0f years", s/(365*86400))
}
