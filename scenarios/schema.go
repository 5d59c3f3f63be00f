package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/model/dist"
)

// DefaultStart is the wall-clock time of t = 0 unless simulation.start says
// otherwise: a Monday, 00:00 UTC.
var DefaultStart = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)

// Defaults of keys a scenario may leave out (documented in docs/scenario.md).
const (
	DefaultSeed         = 1
	DefaultReplications = 100
	DefaultHorizon      = 30 * 24 * time.Hour
)

// scenario decodes the whole document.
func (r *reader) scenario(root *tbl) *model.Scenario {
	sc := &model.Scenario{
		Name:        root.Str("name", ""),
		Description: root.Str("description", ""),
	}
	s := root.Table("simulation")
	sc.Seed = s.Uint("seed", DefaultSeed)
	sc.Replications = s.Int("replications", DefaultReplications, 1, model.Limits.Replications)
	sc.Horizon = s.Duration("horizon", DefaultHorizon, time.Second)
	sc.Start = s.Time("start", DefaultStart)
	s.Done()

	q := root.Table("quotas")
	sc.Quotas.DedicatedCores = q.Int("dedicated_cores", 0, 0, 100000000)
	sc.Quotas.LowPriorityCores = q.Int("low_priority_cores", 0, 0, 100000000)
	q.Done()

	b := root.Table("billing")
	sc.Billing.Granularity = b.Duration("granularity", time.Second, time.Millisecond)
	b.Done()

	catalog := r.catalog(root)
	pools := map[string]bool{}
	var poolNames []string // every named pool, valid or not, so jobs do not cascade errors
	for _, p := range root.Tables("pools") {
		pool, ok := r.pool(p, catalog)
		if pool.Name != "" && !pools[pool.Name] {
			poolNames = append(poolNames, pool.Name)
		} else if pool.Name != "" {
			p.errorf("name", "a pool named %q is already defined", pool.Name)
			continue
		}
		pools[pool.Name] = true
		if ok {
			sc.Pools = append(sc.Pools, pool)
		}
	}
	if !root.Has("pools") {
		root.missing("pools", "a scenario needs at least one [[pools]] table")
	}
	jobs := map[string]bool{}
	used := map[string]bool{}
	tasks := 0
	for _, j := range root.Tables("jobs") {
		job, ok := r.job(j, poolNames)
		if !ok {
			continue
		}
		if jobs[job.Name] {
			j.errorf("name", "a job named %q is already defined", job.Name)
			continue
		}
		jobs[job.Name] = true
		used[job.Pool] = true
		tasks += job.Tasks
		sc.Jobs = append(sc.Jobs, job)
	}
	if !root.Has("jobs") {
		root.missing("jobs", "a scenario needs at least one [[jobs]] table")
	}
	if tasks > model.Limits.Tasks {
		root.errorf("jobs", "%d tasks in all, more than the limit of %d", tasks, model.Limits.Tasks)
	}
	nodes := 0
	for i, p := range sc.Pools {
		nodes += p.TargetDedicatedNodes + p.TargetLowPriorityNodes
		if len(r.errs) == 0 && !used[p.Name] {
			r.errs.Add(r.at([]string{"pools", fmt.Sprint(i)}), "pools."+p.Name, "no job runs on this pool (give a job pool = %q, or remove the pool)", p.Name)
		}
	}
	if nodes > model.Limits.Nodes {
		root.errorf("pools", "%d nodes in all, more than the limit of %d", nodes, model.Limits.Nodes)
	}
	r.sweep(root.Table("sweep")) // checked here; spotsim sweep uses it (sweep.go)
	root.Done()
	return sc
}

// catalog returns the built-in VM sizes with the scenario's [[vm_sizes]]
// added or overriding them.
func (r *reader) catalog(root *tbl) model.Catalog {
	c := model.BuiltinCatalog()
	for _, t := range root.Tables("vm_sizes") {
		name := t.Str("name", "")
		if name == "" {
			t.missing("name", "a VM size needs a name")
			t.Done()
			continue
		}
		size, known := c[name]
		size.Name = name
		for _, key := range []string{"cores", "dedicated_price", "low_priority_price"} {
			if !known && !t.Has(key) {
				t.missing(key, "%q is not in the built-in catalog, so it needs cores, dedicated_price and low_priority_price", name)
			}
		}
		size.Cores = t.Int("cores", size.Cores, 1, 4096)
		size.MemoryGiB = t.Float("memory_gib", size.MemoryGiB, 0, 1<<20)
		src := fmt.Sprintf("scenario %v (vm_sizes.%s)", r.at(t.path), name)
		if t.Has("dedicated_price") {
			size.DedicatedPrice = t.Float("dedicated_price", 0, 0, 10000)
			size.DedicatedSource = src
		}
		if t.Has("low_priority_price") {
			size.LowPrioritySource = src
			size.LowPriorityPrice = t.Float("low_priority_price", 0, 0, 10000)
		}
		t.Done()
		c[name] = size
	}
	return c
}

func (r *reader) pool(t *tbl, catalog model.Catalog) (model.Pool, bool) {
	n := len(r.errs)
	p := model.Pool{Name: t.Str("name", "")}
	if p.Name == "" {
		t.missing("name", "a pool needs a name")
	}
	sizeName := t.Str("vm_size", "")
	if sizeName == "" {
		t.missing("vm_size", "a pool needs a vm_size (for example \"Standard_D4s_v5\")")
	} else if size, err := catalog.Lookup(sizeName); err != nil {
		t.errorf("vm_size", "%v", err)
	} else {
		p.Size = size
	}
	p.TargetDedicatedNodes = t.Int("target_dedicated_nodes", 0, 0, model.Limits.Nodes)
	p.TargetLowPriorityNodes = t.Int("target_low_priority_nodes", 0, 0, model.Limits.Nodes)
	maxSlots := model.Limits.SlotsPerNode
	if c := 4 * p.Size.Cores; c > 0 && c < maxSlots {
		maxSlots = c
	}
	p.TaskSlotsPerNode = t.Int("task_slots_per_node", 1, 1, maxSlots)
	if t.Enum("task_scheduling", "spread", "spread", "pack") == "pack" {
		p.Scheduling = model.Pack
	}
	p.AllocationDelay = t.Dist("allocation_delay", dist.Const(0))
	p.StartDelay = t.Dist("start_delay", dist.Const(0))
	if t.Has("dedicated_price") {
		p.Size.DedicatedPrice = t.Float("dedicated_price", 0, 0, 10000)
		p.Size.DedicatedSource = fmt.Sprintf("scenario %v (pools.%s.dedicated_price)", r.at(append(t.path, "dedicated_price")), p.Name)
	}
	if t.Has("low_priority_price") {
		p.Size.LowPriorityPrice = t.Float("low_priority_price", 0, 0, 10000)
		p.Size.LowPrioritySource = fmt.Sprintf("scenario %v (pools.%s.low_priority_price)", r.at(append(t.path, "low_priority_price")), p.Name)
	}
	if t.Has("autoscale") {
		for _, k := range []string{"target_dedicated_nodes", "target_low_priority_nodes"} {
			if t.Has(k) {
				t.errorf(k, "cannot be used with [pools.autoscale]: the formula sets the targets (Azure ignores them too)")
			}
		}
		p.Autoscale = r.autoscale(t.Table("autoscale"))
	}
	pre := t.Table("preemption")
	if !t.Has("preemption") && (p.TargetLowPriorityNodes > 0 || p.Autoscale != nil) {
		t.missing("preemption", "a pool with low-priority nodes (or an autoscale formula, which may ask for them) needs a preemption model, for example [pools.preemption] model = \"exponential\", mean_time_to_preemption = \"8h\" (or model = \"none\")")
	}
	r.preemption(pre, &p)
	t.Done()
	return p, len(r.errs) == n
}

// preemption decodes [pools.preemption].
func (r *reader) preemption(t *tbl, p *model.Pool) {
	if t.m == nil {
		return
	}
	switch t.Enum("model", "exponential", "exponential", "none") {
	case "exponential":
		hasMean, hasRate := t.Has("mean_time_to_preemption"), t.Has("rate_per_hour")
		switch {
		case hasMean && hasRate:
			t.errorf("rate_per_hour", "give either mean_time_to_preemption or rate_per_hour, not both")
		case hasMean:
			p.Lifetime = dist.Exp(t.Duration("mean_time_to_preemption", time.Hour, time.Second))
		case hasRate:
			rate := t.Float("rate_per_hour", 1, 1e-9, 3600)
			p.Lifetime = dist.Exp(time.Duration(float64(time.Hour) / rate))
		default:
			t.missing("mean_time_to_preemption", "the exponential model needs mean_time_to_preemption (for example \"8h\") or rate_per_hour")
		}
	case "none":
		p.Lifetime = dist.Const(0)
	}
	p.ReplacementDelay = t.Dist("replacement_delay", dist.Const(0))
	t.Done()
}

func (r *reader) job(t *tbl, pools []string) (model.Job, bool) {
	n := len(r.errs)
	j := model.Job{Name: t.Str("name", "")}
	if j.Name == "" {
		t.missing("name", "a job needs a name")
	}
	def := ""
	if len(pools) == 1 {
		def = pools[0]
	}
	j.Pool = t.Str("pool", def)
	found := false
	for _, p := range pools {
		found = found || p == j.Pool
	}
	names := pools
	if !found && j.Pool == "" {
		t.missing("pool", "say which pool the job runs on (pools: %s)", quoteList(names))
	} else if !found {
		t.errorf("pool", "no pool named %q (pools: %s)", j.Pool, quoteList(names))
	}
	if !t.Has("tasks") {
		t.missing("tasks", "how many tasks the job has")
	}
	j.Tasks = t.Int("tasks", 1, 1, model.Limits.Tasks)
	if !t.Has("duration") {
		t.missing("duration", "how long a task takes (\"10m\", or { dist = \"lognormal\", mean = \"10m\", stddev = \"3m\" })")
	}
	j.Duration = t.Dist("duration", dist.Const(time.Minute))
	j.Submit = t.Duration("submit", 0, 0)
	j.Priority = t.Int("priority", 0, -1000, 1000)
	t.Done()
	return j, len(r.errs) == n
}

// autoscale decodes [pools.autoscale]: the formula, inline or in a file
// beside the scenario, and its evaluation interval. Formula errors are
// placed in the scenario file (inline) or in the formula file.
func (r *reader) autoscale(t *tbl) *model.Autoscale {
	a := &model.Autoscale{Interval: t.Duration("interval", 15*time.Minute, 0)}
	a.SampleLag = t.Duration("sample_lag", model.DefaultSampleLag, 0)
	if a.SampleLag > time.Hour {
		t.errorf("sample_lag", "must be at most 1h, got %s", dist.FormatDuration(a.SampleLag))
	}
	if a.Interval < model.MinAutoscaleInterval || a.Interval > model.MaxAutoscaleInterval {
		t.errorf("interval", "must be between 5m and 168h (as in Azure), got %s", dist.FormatDuration(a.Interval))
	}
	inline, file := t.Has("formula"), t.Has("formula_file")
	switch {
	case inline && file:
		t.errorf("formula_file", "give either formula or formula_file, not both")
	case inline:
		src := t.Str("formula", "")
		path := append(append([]string(nil), t.path...), "formula")
		if flag, ok := r.flagOf(path); ok {
			flag, _, _ = strings.Cut(flag, "=")
			a.Formula = r.formula(t, "formula", flag, src, 1, 1)
		} else if p, ok := r.strs[join(path)]; ok {
			a.Formula = r.formula(t, "formula", r.file, src, p.Line, p.Col)
		} else {
			a.Formula = r.formula(t, "formula", r.file, src, 1, 1)
		}
	case file:
		name := t.Str("formula_file", "")
		data, err := r.files.open(name)
		if err != nil {
			t.errorf("formula_file", "%v", err)
			break
		}
		a.Formula = r.formula(t, "formula_file", name, string(data), 1, 1)
	default:
		t.missing("formula", "an autoscale table needs a formula (or a formula_file beside the scenario)")
	}
	t.Done()
	return a
}

// formula parses a formula; its errors keep their own positions (in the
// scenario file or the formula file) and are prefixed with the key.
func (r *reader) formula(t *tbl, key, name, src string, line, col int) *autoscale.Formula {
	f, err := autoscale.ParseAt(name, src, line, col)
	if err == nil {
		return f
	}
	_, label := t.sub(key)
	var list autoscale.ErrorList
	if !errors.As(err, &list) {
		t.errorf(key, "%v", err)
		return nil
	}
	for _, e := range list {
		if flag, ok := r.flagOf(append(append([]string(nil), t.path...), key)); ok {
			r.errs.Add(Pos{Flag: flag}, label, "formula column %d: %s", e.Pos.Col, e.Msg)
			continue
		}
		r.errs.Add(Pos{File: name, Line: e.Pos.Line, Col: e.Pos.Col}, label, "formula: %s", e.Msg)
	}
	return nil
}

// flagOf returns the --set flag that set path or one of its parents.
func (r *reader) flagOf(path []string) (string, bool) {
	for n := len(path); n > 0; n-- {
		if f, ok := r.flags[join(path[:n])]; ok {
			return f, true
		}
	}
	return "", false
}
