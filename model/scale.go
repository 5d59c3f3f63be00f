package model

import (
	"slices"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/sim"
)

// Azure Batch's metric sampling, which autoscale formulas read through.
const (
	// SamplePeriod is how often every metric is sampled.
	SamplePeriod = 30 * time.Second
	// DefaultSampleLag is how long a sample takes to become visible to
	// formulas ("approximately one minute" in Azure's documentation);
	// Autoscale.SampleLag overrides it.
	DefaultSampleLag = time.Minute
)

// metric is a sampled variable spotsim simulates, by its index in metrics.
type metric uint8

const (
	mCPUPercent metric = iota
	mUsableNodeCount
	mActiveTasks
	mRunningTasks
	mPendingTasks
	mSucceededTasks
	mFailedTasks
	mCurrentDedicatedNodes
	mCurrentLowPriorityNodes
	mPreemptedNodeCount
	mNotSimulated // disk, network, memory: always 0
)

// metrics maps each sampled variable's canonical name to what it measures.
var metrics = func() map[string]metric {
	sim := map[string]metric{
		"$CPUPercent": mCPUPercent, "$SampleNodeCount": mUsableNodeCount, "$UsableNodeCount": mUsableNodeCount,
		"$ActiveTasks": mActiveTasks, "$RunningTasks": mRunningTasks, "$PendingTasks": mPendingTasks,
		"$SucceededTasks": mSucceededTasks, "$FailedTasks": mFailedTasks,
		"$CurrentDedicatedNodes": mCurrentDedicatedNodes, "$CurrentLowPriorityNodes": mCurrentLowPriorityNodes,
		"$PreemptedNodeCount": mPreemptedNodeCount,
	}
	out := map[string]metric{}
	for _, v := range autoscale.Variables {
		if v.Sampled() && v.Alias == "" {
			m, ok := sim[v.Name]
			if !ok {
				m = mNotSimulated
			}
			out[v.Name] = m
		}
	}
	return out
}()

// series is the sample history of one metric the formula queries.
type series struct {
	name string
	m    metric
	hist *autoscale.History
}

// scaler samples a pool's metrics and evaluates its autoscale formula.
// Only the metrics the formula queries are sampled, each into a ring
// buffer as long as the formula can see (autoscale.Formula.Reach); samples
// waiting out the lag sit in a ring too, so sampling allocates nothing.
type scaler struct {
	p                *poolRun
	cfg              *Autoscale
	series           []series // the metrics the formula queries, by name
	pending          pendingRing
	eval             *autoscale.Evaluator
	sampleEv, evalEv sim.EventID
	evals            int
	rands            uint64
	stRand           sim.Stream
	start            int64                // the scenario's start, Unix nanoseconds
	lag              sim.Time             // cfg.SampleLag
	hists            []*autoscale.History // series[i].hist, for publish
}

// pendingRing holds the samples taken but not yet visible, oldest first:
// at most lag/period + 1 of them.
type pendingRing struct {
	at         []sim.Time
	vals       []float64 // len(at) x metrics, row by row
	head, n, w int       // oldest, how many, values per sample
}

func newPendingRing(samples, width int) pendingRing {
	return pendingRing{at: make([]sim.Time, samples), vals: make([]float64, samples*width), w: width}
}

// push makes room for a sample at t and returns its values' row.
func (q *pendingRing) push(t sim.Time) []float64 {
	if q.n == len(q.at) { // cannot happen with the size newScaler gives; grow anyway
		at, vals := make([]sim.Time, 2*len(q.at)+1), make([]float64, (2*len(q.at)+1)*q.w)
		for i := 0; i < q.n; i++ {
			at[i] = q.at[(q.head+i)%len(q.at)]
			copy(vals[i*q.w:(i+1)*q.w], q.row((q.head+i)%len(q.at)))
		}
		q.at, q.vals, q.head = at, vals, 0
	}
	i := q.head + q.n
	if i >= len(q.at) {
		i -= len(q.at)
	}
	q.at[i] = t
	q.n++
	return q.row(i)
}

func (q *pendingRing) row(i int) []float64 { return q.vals[i*q.w : (i+1)*q.w] }

func newScaler(p *poolRun) *scaler {
	s := &scaler{p: p, cfg: p.cfg.Autoscale, stRand: sim.StreamOf("autoscale-rand/" + p.cfg.Name), start: p.r.sc.Start.UnixNano(),
		eval: p.cfg.Autoscale.Formula.Evaluator()}
	reach := s.cfg.Formula.Reach(SamplePeriod)
	for name, n := range reach {
		if m, ok := metrics[name]; ok {
			s.series = append(s.series, series{name: name, m: m, hist: &autoscale.History{Period: SamplePeriod, Cap: max(1, n)}})
		}
	}
	slices.SortFunc(s.series, func(a, b series) int { return strings.Compare(a.name, b.name) })
	s.pending = newPendingRing(int(s.cfg.SampleLag/SamplePeriod)+2, len(s.series))
	s.lag = s.cfg.SampleLag
	for _, x := range s.series {
		s.hists = append(s.hists, x.hist)
	}
	// The pool's creation is a sample of an empty pool, visible at once:
	// Azure documents that the preempted-nodes formula "starts with 25
	// low-priority nodes", which needs a 0 sample at the first evaluation.
	t0 := p.r.sc.Start
	for _, x := range s.series {
		x.hist.Add(t0, s.value(x.m))
	}
	r := p.r
	s.sampleEv = r.eng.At(SamplePeriod, r, encode(evSample, 0, int32(p.idx)))
	s.evalEv = r.eng.At(0, r, encode(evEvaluate, 0, int32(p.idx)))
	return s
}

func (s *scaler) stop() {
	s.p.r.eng.Cancel(s.sampleEv)
	s.p.r.eng.Cancel(s.evalEv)
}

// value returns the current value of a sampled metric.
func (s *scaler) value(m metric) float64 {
	p := s.p
	ded, low := &p.count[Dedicated], &p.count[LowPriority]
	usable := ded[Idle] + ded[Running] + low[Idle] + low[Running]
	switch m {
	case mCPUPercent:
		// Like Result.Utilisation: leavingpool nodes still run tasks, so
		// their slots count, and the value stays within 100.
		withSlots := usable + ded[Leaving] + low[Leaving]
		if withSlots == 0 {
			return 0
		}
		return 100 * float64(p.runningTasks) / float64(withSlots*p.cfg.TaskSlotsPerNode)
	case mUsableNodeCount:
		return float64(usable)
	case mActiveTasks:
		return float64(s.active())
	case mRunningTasks:
		return float64(p.runningTasks)
	case mPendingTasks:
		return float64(s.active() + p.runningTasks)
	case mSucceededTasks:
		return float64(p.succeeded)
	case mFailedTasks:
		return float64(p.failed)
	case mCurrentDedicatedNodes:
		return float64(p.current(Dedicated))
	case mCurrentLowPriorityNodes:
		return float64(p.current(LowPriority))
	case mPreemptedNodeCount:
		return float64(low[Preempted])
	}
	return 0 // metrics spotsim does not simulate (disk, network, memory)
}

// active counts the pool's queued tasks of submitted jobs.
func (s *scaler) active() int {
	n := 0
	for _, j := range s.p.jobs {
		n += j.queued()
	}
	return n
}

// sample records the queried metrics now; the sample becomes visible
// after the lag.
func (s *scaler) sample() {
	r := s.p.r
	now := r.eng.Now()
	s.publish(now)
	row := s.pending.push(now)
	for i, x := range s.series {
		row[i] = s.value(x.m)
	}
	s.p.succeeded, s.p.failed = 0, 0 // task counts are per sampling period
	s.sampleEv = r.eng.After(SamplePeriod, r, encode(evSample, 0, int32(s.p.idx)))
}

// publish moves the samples taken at least the lag ago into the histories.
func (s *scaler) publish(now sim.Time) {
	q := &s.pending
	for limit := now - s.lag; q.n > 0 && q.at[q.head] <= limit; {
		// Start.Add(at).UnixNano(), in integers (the same, wrapping alike)
		t := s.start + int64(q.at[q.head])
		row := q.row(q.head)
		for i, h := range s.hists {
			h.AddUnixNano(t, row[i]) // times increase: always added
		}
		if q.head++; q.head == len(q.at) {
			q.head = 0
		}
		q.n--
	}
}

// evaluate runs the formula and applies its targets; a failed evaluation
// changes nothing, as in Azure.
func (s *scaler) evaluate() {
	p, r := s.p, s.p.r
	now := r.eng.Now()
	s.publish(now)
	s.evals++
	r.res.Autoscale.Evaluations++
	res, err := s.eval.Eval(env{s})
	ok := err == nil
	if !ok {
		r.res.Autoscale.Failures++
		if r.res.Autoscale.FirstError == "" {
			r.res.Autoscale.FirstError = "pool " + p.cfg.Name + " at " + now.String() + ": " + err.Error()
		}
	} else {
		d, l := res.Targets()
		if s.cfg.AllDedicated {
			d, l = d+l, 0
		}
		d, l = min(d, Limits.Nodes), min(l, Limits.Nodes)
		if m := p.cfg.PriorityMix; m != nil { // a scale set's size; the mix picks the priorities
			d, l = m.Targets(min(d+l, Limits.Nodes), p.current(Dedicated), p.current(LowPriority))
		}
		p.resize(d, l, res.NodeDeallocationOption)
		s.noteTargets(d, l)
	}
	if r.finished {
		return
	}
	if r.opt.KeepSeries {
		r.res.Autoscale.Series = append(r.res.Autoscale.Series, ScalePoint{
			At: now, Pool: p.idx, OK: ok,
			TargetDedicated: p.targetDedicated, TargetLowPriority: p.targetLowPriority,
			Dedicated: p.current(Dedicated), LowPriority: p.current(LowPriority),
			Preempted: p.count[LowPriority][Preempted], Usable: int(s.value(mUsableNodeCount)),
		})
	}
	s.evalEv = r.eng.After(s.cfg.Interval, r, encode(evEvaluate, 0, int32(p.idx)))
}

// noteTargets keeps the largest targets the formula set
// (AutoscaleResult.MostTargets).
func (s *scaler) noteTargets(d, l int) {
	p, res := s.p, &s.p.r.res.Autoscale
	if res.MostTargets == nil {
		res.MostTargets = make([][2]int, len(p.r.pools))
	}
	m := &res.MostTargets[p.idx]
	m[Dedicated], m[LowPriority] = max(m[Dedicated], d), max(m[LowPriority], l)
}

// env is what the formula reads.
type env struct{ s *scaler }

func (e env) Now() time.Time { return e.s.p.r.sc.Start.Add(e.s.p.r.eng.Now()) }

func (e env) Metric(name string) *autoscale.History {
	for _, x := range e.s.series {
		if x.name == name {
			return x.hist
		}
	}
	return nil // a metric the formula does not query: no samples
}

func (e env) Value(name string) float64 {
	p := e.s.p
	switch name {
	case "$TaskSlotsPerNode":
		return float64(p.cfg.TaskSlotsPerNode)
	case "$TargetDedicatedNodes":
		return float64(p.targetDedicated)
	case "$TargetLowPriorityNodes":
		return float64(p.targetLowPriority)
	}
	if m, ok := metrics[name]; ok {
		return e.s.value(m)
	}
	return 0
}

func (e env) Rand() float64 {
	s := e.s
	s.rands++
	return s.p.r.streams.Uniform(s.stRand, uint64(s.evals), s.rands)
}
