package runner

import (
	"fmt"
	"math"
	"sync"
	"time"
	"unsafe"

	"github.com/spotsim/spotsim/model"
)

// Record is what a summary keeps of one replication of one setup (the
// scenario, its baseline or a reference) until every replication is in:
// the quantities whose percentiles and intervals it reports, or that pair
// replications (cost, completion), at the width they need and no more.
// What only adds up (node-hours by state, work done, events, the first
// autoscale error) is folded into the setup's Totals as results arrive,
// and the series (Markets, Autoscale.Series) are not kept at all.
//
// A record is RecordBytes, and JobRecordBytes more per job (Side.Job),
// against about 800 + 80 per job for a model.Result and its slices.
type Record struct {
	Completion                                       time.Duration
	Cost, CostDedicated, CostLowPriority, CostDisk   float64
	WorkLostCoreHours, CheckpointHours, RestoreHours float64
	Utilisation                                      float64
	// Counts of one replication; a run counting more than MaxCount of any
	// is an error (Collector.Put), never a wrapped number.
	Notices, Preemptions, Requeued, TasksFailed uint32
	Retries, Timeouts, Cancellations, Aborted   uint32
	AutoscaleEvaluations, AutoscaleFailures     uint32
	QuotaCapped, ResizeErrors                   uint32
	Finished                                    bool
}

// JobRecord is what a summary keeps of one job in one replication.
type JobRecord struct {
	Completion           time.Duration
	CostShare, NodeHours float64
	TasksFailed          uint32
	Finished             bool
}

// Result returns the model's view of the job's outcome (model.Job.Met
// reads it).
func (j *JobRecord) Result() model.JobResult {
	return model.JobResult{Finished: j.Finished, Completion: j.Completion}
}

// The sizes the memory estimate counts (a test checks them against the
// heap).
const (
	RecordBytes    = int(unsafe.Sizeof(Record{}))
	JobRecordBytes = int(unsafe.Sizeof(JobRecord{}))
)

// MaxCount is the largest count a record holds.
const MaxCount = math.MaxUint32

// Totals is what a setup's replications add up to, folded in replication
// order (so the float sums, and the outputs, never depend on the worker
// count).
type Totals struct {
	// NodeHours is the node time by kind and state, summed over the
	// finished replications.
	NodeHours [2][model.NumStates]float64
	// WorkDoneUnfinished is the share of tasks done (model.Result.WorkDone),
	// summed over the unfinished replications.
	WorkDoneUnfinished float64
	// Events is the engine events of every replication.
	Events uint64
	// AutoscaleError is the first failed autoscale evaluation's message of
	// the lowest replication with one (AutoscaleErrorRep), "" when none.
	AutoscaleError    string
	AutoscaleErrorRep int
	// MostTargets is model.AutoscaleResult.MostTargets's largest over the
	// replications: per pool, the most nodes of each kind its autoscale
	// formula asked for in any of them; nil when no pool autoscales.
	MostTargets [][2]int
}

// Side is the records of one setup's replications, in replication order,
// and their Totals.
type Side struct {
	Records []Record
	// JobNames names the scenario's jobs, in order: Job(i) has one record
	// for each.
	JobNames []string
	jobs     []JobRecord // replication-major
	Totals
	next    int          // the next replication to fold into Totals
	pending map[int]part // results ahead of next
}

// NewSide returns the (empty) records of n replications of sc.
func NewSide(sc *model.Scenario, n int) *Side {
	s := &Side{Records: make([]Record, n), jobs: make([]JobRecord, n*len(sc.Jobs)), pending: map[int]part{}}
	for _, j := range sc.Jobs {
		s.JobNames = append(s.JobNames, j.Name)
	}
	return s
}

// Len is the number of replications.
func (s *Side) Len() int { return len(s.Records) }

// Job returns the job records of replication i, one per job.
func (s *Side) Job(i int) []JobRecord {
	n := len(s.JobNames)
	return s.jobs[i*n : (i+1)*n : (i+1)*n]
}

// part is what a result adds to Totals, held while an earlier
// replication is still running.
type part struct {
	finished bool
	hours    [2][model.NumStates]float64
	workDone float64
	events   uint64
	err      string
	most     [][2]int
}

// Put stores replication i's result (not safe for concurrent use: Collector.Put
// is): its record in place, its totals
// folded now or once the replications before it are in.
func (s *Side) Put(i int, r *model.Result) error {
	rec, err := NewRecord(r)
	if err != nil {
		return fmt.Errorf("replication %d: %v", i, err)
	}
	if len(r.Jobs) != len(s.JobNames) {
		return fmt.Errorf("replication %d: %d job results for %d jobs", i, len(r.Jobs), len(s.JobNames))
	}
	s.Records[i] = rec
	for k, jr := range r.Jobs {
		failed, err := count("failed tasks of job "+jr.Name, jr.TasksFailed)
		if err != nil {
			return fmt.Errorf("replication %d: %v", i, err)
		}
		s.Job(i)[k] = JobRecord{Completion: jr.Completion, CostShare: jr.CostShare, NodeHours: jr.NodeHours, TasksFailed: failed, Finished: jr.Finished}
	}
	p := part{finished: r.Finished, hours: r.NodeHours, events: r.Events, err: r.Autoscale.FirstError, most: r.Autoscale.MostTargets}
	if !r.Finished {
		p.workDone = r.WorkDone()
	}
	s.pending[i] = p
	for {
		q, ok := s.pending[s.next]
		if !ok {
			return nil
		}
		delete(s.pending, s.next)
		s.fold(s.next, &q)
		s.next++
	}
}

// fold adds replication i's part to Totals; i runs in order.
func (s *Side) fold(i int, p *part) {
	t := &s.Totals
	t.Events += p.events
	if t.AutoscaleError == "" && p.err != "" {
		t.AutoscaleError, t.AutoscaleErrorRep = p.err, i
	}
	if t.MostTargets == nil && p.most != nil {
		t.MostTargets = make([][2]int, len(p.most))
	}
	for i, m := range p.most {
		for k := range m {
			t.MostTargets[i][k] = max(t.MostTargets[i][k], m[k])
		}
	}
	if !p.finished {
		t.WorkDoneUnfinished += p.workDone
		return
	}
	for k := range t.NodeHours {
		for st := range t.NodeHours[k] {
			t.NodeHours[k][st] += p.hours[k][st]
		}
	}
}

// NewRecord keeps what a summary needs of r (its jobs aside: Side.Job).
func NewRecord(r *model.Result) (Record, error) {
	rec := Record{Completion: r.Completion, Cost: r.Cost, CostDedicated: r.CostDedicated, CostLowPriority: r.CostLowPriority,
		CostDisk: r.CostDisk, WorkLostCoreHours: r.WorkLostCoreHours, CheckpointHours: r.CheckpointHours,
		RestoreHours: r.RestoreHours, Utilisation: r.Utilisation, Finished: r.Finished}
	for _, c := range []struct {
		dst  *uint32
		name string
		n    int
	}{
		{&rec.Notices, "eviction notices", r.Notices}, {&rec.Preemptions, "preemptions", r.Preemptions},
		{&rec.Requeued, "requeued tasks", r.Requeued}, {&rec.TasksFailed, "failed tasks", r.TasksFailed},
		{&rec.Retries, "retries", r.Retries}, {&rec.Timeouts, "timeouts", r.Timeouts},
		{&rec.Cancellations, "cancellations", r.Cancellations}, {&rec.Aborted, "aborted jobs", r.Aborted},
		{&rec.AutoscaleEvaluations, "autoscale evaluations", r.Autoscale.Evaluations},
		{&rec.AutoscaleFailures, "failed autoscale evaluations", r.Autoscale.Failures},
		{&rec.QuotaCapped, "quota-capped resizes", r.QuotaCapped}, {&rec.ResizeErrors, "resize errors", r.ResizeErrors},
	} {
		v, err := count(c.name, c.n)
		if err != nil {
			return Record{}, err
		}
		*c.dst = v
	}
	return rec, nil
}

// count checks that n fits a record.
func count(name string, n int) (uint32, error) {
	if n < 0 || uint64(n) > MaxCount {
		return 0, fmt.Errorf("%d %s, more than the %d a summary counts in one replication", n, name, uint64(MaxCount))
	}
	return uint32(n), nil
}

// Collector gathers the results of the setups of a paired run (the
// scenario, its baseline, a reference) as they arrive, in any order and
// from any goroutine, into their Sides.
type Collector struct {
	mu   sync.Mutex
	runs *Runs
}

// NewCollector prepares the records of n replications of sc, of base and,
// when not nil, of ref.
func NewCollector(n int, sc, base, ref *model.Scenario) *Collector {
	runs := &Runs{Scenario: NewSide(sc, n), Baseline: NewSide(base, n)}
	if ref != nil {
		runs.Reference = NewSide(ref, n)
	}
	return &Collector{runs: runs}
}

// The setups of a Collector.
const (
	ScenarioSide = iota
	BaselineSide
	ReferenceSide
)

// Put stores the result of replication rep of setup side (ScenarioSide,
// BaselineSide or ReferenceSide); the result is not kept.
func (c *Collector) Put(side, rep int, r *model.Result) error {
	s := c.runs.Scenario
	switch side {
	case BaselineSide:
		s = c.runs.Baseline
	case ReferenceSide:
		s = c.runs.Reference
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return s.Put(rep, r)
}

// Runs returns the records, once every result is in.
func (c *Collector) Runs() *Runs { return c.runs }
