package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
	"github.com/spotsim/spotsim/model/price"
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
	r.pools, r.slotsSet = map[string]*model.Pool{}, map[string]bool{}
	sc := &model.Scenario{
		Name:        root.Str("name", ""),
		Description: root.Str("description", ""),
	}
	s := root.Table("simulation")
	sc.Seed = s.Uint("seed", DefaultSeed)
	sc.Replications = s.Integer("replications", DefaultReplications)
	sc.Horizon = s.Dur("horizon", DefaultHorizon)
	sc.Start = s.Time("start", DefaultStart)
	r.start, r.horizon = sc.Start, sc.Horizon
	s.Done()

	q := root.Table("quotas")
	// A quota left out is no limit: the scenario simulates the pool it asks
	// for, and the report warns when that exceeds Azure's default
	// (model.DefaultQuotas, model.Scenario.QuotaFits).
	sc.Quotas.DedicatedSet, sc.Quotas.LowPrioritySet = q.Has("dedicated_cores"), q.Has("low_priority_cores")
	sc.Quotas.DedicatedCores = q.Integer("dedicated_cores", 0)
	sc.Quotas.LowPriorityCores = q.Integer("low_priority_cores", 0)
	q.Done()

	b := root.Table("billing")
	sc.Billing.Granularity = b.Dur("granularity", time.Second)
	sc.Billing.Minimum = b.Dur("minimum", 0)
	sc.Billing.SkipBoot = !b.Bool("bill_boot", true)
	b.Done()

	catalog := r.catalog(root)
	var poolNames []string
	for _, p := range root.TablesAtMost("pools", MaxPools) {
		pool := r.pool(p, catalog)
		poolNames = append(poolNames, pool.Name)
		sc.Pools = append(sc.Pools, pool) // every pool, so that positions in the file are indices in sc.Pools
	}
	for i := range sc.Pools {
		if _, dup := r.pools[sc.Pools[i].Name]; !dup {
			r.pools[sc.Pools[i].Name] = &sc.Pools[i]
		}
	}
	if !root.Has("pools") {
		root.missing("pools", "a scenario needs at least one [[pools]] table")
	}
	for _, j := range root.TablesAtMost("jobs", MaxJobs) {
		sc.Jobs = append(sc.Jobs, r.job(j, poolNames))
	}
	if !root.Has("jobs") {
		root.missing("jobs", "a scenario needs at least one [[jobs]] table")
	}
	for _, k := range []string{"pools", "jobs"} { // pools = [] or jobs = []: nothing else says it
		if root.Has(k) && len(r.errs) == 0 && (k == "pools" && len(sc.Pools) == 0 || k == "jobs" && len(sc.Jobs) == 0) {
			root.errorf(k, "is empty: a scenario needs at least one [[%s]] table", k)
		}
	}
	r.sweep(root.Table("sweep")) // checked here; spotsim sweep uses it (sweep.go)
	// [reference]: its labels are checked here, its overrides when the
	// reference scenario is built (Doc.Reference).
	ref := root.Table("reference")
	ref.Str("name", "")
	ref.Str("description", "")
	root.Done()
	return sc
}

// catalog returns the built-in VM sizes with the scenario's [[vm_sizes]]
// added or overriding them.
func (r *reader) catalog(root *tbl) model.Catalog {
	c := model.BuiltinCatalog()
	for _, t := range root.TablesAtMost("vm_sizes", MaxVMSizes) {
		name := t.Name()
		if name == "" {
			if !t.Has("name") {
				t.missing("name", "a VM size needs a name")
			}
			for k := range t.m { // an unnamed size's other keys are not unknown
				t.known[k] = true
			}
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
		size.Cores = t.Int("cores", size.Cores, 1, model.MaxCores)
		size.MemoryGiB = t.Float("memory_gib", size.MemoryGiB, 0, 1<<20)
		src := fmt.Sprintf("scenario %v (vm_sizes.%s)", r.at(t.path), name)
		for _, pr := range []struct {
			key    string
			price  *float64
			source *string
		}{{"dedicated_price", &size.DedicatedPrice, &size.DedicatedSource}, {"low_priority_price", &size.LowPriorityPrice, &size.LowPrioritySource}} {
			if t.Has(pr.key) {
				*pr.price, *pr.source = t.Number(pr.key, 0), src
				if err := model.CheckPrice(*pr.price); err != nil { // the model's rule, for sizes no pool may use
					t.errorf(pr.key, "%v", err)
					*pr.price = 0 // said once, here, not again for every pool of the size
				}
			}
		}
		t.Done()
		c[name] = size
	}
	return c
}

func (r *reader) pool(t *tbl, catalog model.Catalog) model.Pool {
	p := model.Pool{Name: t.Name()}
	if !t.Has("name") {
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
	p.TargetDedicatedNodes = t.Integer("target_dedicated_nodes", 0)
	p.TargetLowPriorityNodes = t.Integer("target_low_priority_nodes", 0)
	p.TaskSlotsPerNode = t.Integer("task_slots_per_node", 1)
	r.slotsSet[p.Name] = t.Has("task_slots_per_node")
	if t.Enum("task_scheduling", "spread", "spread", "pack") == "pack" {
		p.Scheduling = model.Pack
	}
	p.AllocationDelay = t.Dist("allocation_delay", dist.Const(0))
	p.StartDelay = t.Dist("start_delay", dist.Const(0))
	if t.Has("dedicated_price") {
		p.Size.DedicatedPrice = t.Number("dedicated_price", 0)
		p.Size.DedicatedSource = fmt.Sprintf("scenario %v (pools.%s.dedicated_price)", r.at(append(t.path, "dedicated_price")), p.Name)
	}
	if t.Has("low_priority_price") {
		p.Size.LowPriorityPrice = t.Number("low_priority_price", 0)
		p.Size.LowPrioritySource = fmt.Sprintf("scenario %v (pools.%s.low_priority_price)", r.at(append(t.path, "low_priority_price")), p.Name)
	}
	if t.Has("cluster") {
		r.cluster(t, &p)
	}
	def := "batch"
	if p.Cluster != nil {
		def = "aml" // [pools.cluster] says which service it is
	}
	p.Service, _ = model.ServiceOf(t.Enum("service", def, model.ServiceNames()...))
	if t.Has("priority_mix") {
		m := t.Table("priority_mix")
		p.PriorityMix = &model.PriorityMix{
			BaseRegular: m.Integer("base_regular_priority_count", 0),
			Percent:     m.Number("regular_priority_percentage_above_base", 0),
		}
		m.Done()
	}
	p.InstanceCount = t.Integer("instance_count", 0)
	for _, rt := range t.TablesAtMost("resize", model.MaxResizes) {
		p.Resizes = append(p.Resizes, model.Resize{
			At:                     rt.Dur("at", 0),
			TargetDedicatedNodes:   rt.Integer("target_dedicated_nodes", 0),
			TargetLowPriorityNodes: rt.Integer("target_low_priority_nodes", 0),
			Option:                 rt.Enum("node_deallocation_option", "", model.DeallocationOptions...),
			Timeout:                rt.Dur("resize_timeout", model.DefaultResizeTimeout),
		})
		if !rt.Has("at") {
			rt.missing("at", "when the resize happens (\"2h\", from the start)")
		}
		rt.Done()
	}
	if t.Has("restore_timeout") {
		p.RestoreTimeout = t.Dur("restore_timeout", model.DefaultRestoreTimeout)
		if p.RestoreTimeout == 0 { // the model's 0 is "no Try & Restore": a file leaves the key out
			t.errorf("restore_timeout", "must be at least %s (leave it out for no Try & Restore)", dist.FormatDuration(model.MinRestoreTimeout))
		}
	}
	if t.Has("autoscale") {
		p.Autoscale = r.autoscale(t.Table("autoscale"))
	}
	if t.Has("policy") {
		r.policy(t, &p)
	}
	p.MaxPrice = t.Number("max_price", 0)
	if t.Has("max_price") && p.MaxPrice == 0 { // the model's 0 is "not set": a file says -1
		t.errorf("max_price", "must be -1 (pay up to the dedicated price, never evicted for price) or a price above 0, got 0")
	}
	r.spotPrice(t.Table("spot_price"), &p)
	pre := t.Table("preemption")
	lowCluster := p.Cluster != nil && p.Cluster.Tier == model.LowPriority
	lowPolicy := p.Sizing != nil && p.Sizing.Kind != model.DedicatedOnlyPolicy
	lowMix := p.PriorityMix != nil && p.PriorityMix.Regular(p.InstanceCount) < p.InstanceCount
	if !t.Has("preemption") && (p.TargetLowPriorityNodes > 0 || p.Autoscale != nil || lowCluster || lowPolicy || lowMix) {
		t.missing("preemption", "a pool with low-priority nodes (or an autoscale formula, which may ask for them) needs a preemption model, for example [pools.preemption] model = \"exponential\", mean_time_to_preemption = \"8h\" (or model = \"none\")")
	}
	r.preemption(pre, &p)
	r.capacity(t.Table("capacity"), &p)
	t.Done()
	return p
}

// preemption decodes [pools.preemption]: the lifetime model of a
// low-priority incarnation and what an eviction does.
func (r *reader) preemption(t *tbl, p *model.Pool) {
	p.Notice = 30 * time.Second
	if t.m == nil {
		return
	}
	if t.Has("interruption_rate") {
		// The old key read both providers' labels as monthly, which made
		// Azure's per-hour bands 720 times too rare: no silent mapping.
		t.errorf("interruption_rate", "is ambiguous and no longer read: Azure's eviction-rate bands are per hour, AWS Spot Advisor's buckets per month; write azure_eviction_rate = \"5-10\" (Azure, per hour) or aws_interruption_frequency = \"5-10%%\" (AWS, per month), with model = \"exponential\"")
	}
	models := []string{"exponential", "weibull", "bathtub", "empirical", "trace", "none"}
	var life *preempt.Lifetime
	model_ := "lifetime"
	if t.Has("lifetime") {
		// any distribution of the family, as a task duration is written
		// (what spotsim fit prints)
		if t.Has("model") {
			t.errorf("lifetime", "give either model = %q (and its keys) or lifetime = { dist = ... }, not both", t.Str("model", ""))
		}
		life = preempt.Of(t.Dist("lifetime", dist.Const(0)))
	} else {
		model_ = t.Enum("model", "exponential", models...)
	}
	switch model_ {
	case "exponential":
		life = r.exponential(t)
	case "weibull":
		if !t.Has("shape") || !t.Has("scale") {
			t.missing("shape", "the weibull model needs shape and scale (for example shape = 0.7, scale = \"20h\")")
		}
		life = preempt.Of(dist.Dist{Kind: dist.Weibull, Shape: t.Float("shape", 1, 1e-3, 1e3), Scale: t.Duration("scale", time.Hour, time.Second)})
	case "bathtub":
		d := dist.DefaultBathtub
		b, err := dist.NewBathtub(t.Float("a", d.A, 1e-6, 1), t.Duration("tau1", d.Tau1, time.Second),
			t.Duration("tau2", d.Tau2, time.Second), t.Duration("b", d.B, time.Second))
		if err != nil {
			t.errorf("model", "%v", err)
		}
		life = preempt.Of(b)
	case "empirical":
		if samples := r.durationsFile(t, "file", "a CSV of observed lifetimes"); samples != nil {
			e, err := dist.NewEmpirical(samples)
			if err != nil {
				t.errorf("file", "%v", err)
			}
			life = preempt.Of(e)
		}
	case "trace":
		p.Capacity.Trace = r.evictionTrace(t)
	}
	if t.Has("max_lifetime") {
		max := t.Duration("max_lifetime", 24*time.Hour, time.Second)
		if life != nil {
			life.Cap = max
		} else {
			t.errorf("max_lifetime", "needs a lifetime model (not %q)", model_)
		}
	}
	if life != nil && model_ != "lifetime" { // a lifetime table was validated as it was read
		if err := life.Validate(); err != nil {
			t.errorf("model", "%v", err)
		}
	}
	p.Lifetime = life
	p.ReplacementDelay = t.Dist("replacement_delay", dist.Const(0))
	p.Notice = t.Dur("notice", 30*time.Second)
	switch t.Enum("eviction_policy", "", "delete", "deallocate") { // absent: the service's
	case "delete":
		p.Policy = model.Delete
	case "deallocate":
		p.Policy = model.Deallocate
	}
	p.DiskPrice = t.Number("disk_price_per_hour", 0)
	p.RestartDelay = t.Dist("restart_delay", dist.Const(time.Minute))
	if t.m["restart_delay"] != nil && p.Policy != model.Deallocate && p.Eviction() != model.Deallocate { // the model cannot tell it from its default
		t.errorf("restart_delay", "only applies with eviction_policy = \"deallocate\"")
	}
	t.Done()
}

// exponential reads the exponential model's one parameter: a mean, a rate
// per hour, an Azure eviction-rate band (per hour) or an AWS Spot Advisor
// bucket (per month).
func (r *reader) exponential(t *tbl) *preempt.Lifetime {
	if t.Has("interruption_rate") {
		return nil // reported by preemption
	}
	keys := []string{"mean_time_to_preemption", "rate_per_hour", "azure_eviction_rate", "aws_interruption_frequency"}
	var given []string
	for _, k := range keys {
		if t.Has(k) {
			given = append(given, k)
		}
	}
	switch {
	case len(given) > 1:
		t.errorf(given[1], "give one of mean_time_to_preemption, rate_per_hour, azure_eviction_rate or aws_interruption_frequency, not several")
		return nil
	case len(given) == 0:
		t.missing("mean_time_to_preemption", "the exponential model needs mean_time_to_preemption (for example \"8h\"), rate_per_hour, azure_eviction_rate (\"5-10\", per hour) or aws_interruption_frequency (\"5-10%%\", per month)")
		return nil
	}
	var e *preempt.Lifetime
	var err error
	switch given[0] {
	case "mean_time_to_preemption":
		e, err = preempt.NewExponential(t.Duration("mean_time_to_preemption", time.Hour, time.Second))
	case "rate_per_hour":
		e, err = preempt.ExponentialRate(t.Float("rate_per_hour", 1, 1e-9, 3600))
	case "azure_eviction_rate":
		e, err = preempt.AzureEvictionRate(t.Str("azure_eviction_rate", ""))
	case "aws_interruption_frequency":
		e, err = preempt.AWSInterruptionFrequency(t.Str("aws_interruption_frequency", ""))
	}
	if err != nil {
		t.errorf(given[0], "%v", err)
		return nil
	}
	return e
}

// capacity decodes [pools.capacity].
func (r *reader) capacity(t *tbl, p *model.Pool) {
	c := &p.Capacity
	c.AllocationFailure = t.Number("allocation_failure_probability", 0)
	c.RetryDelay = t.Dist("retry_delay", dist.Const(5*time.Minute))
	if t.Has("availability") {
		a := t.Table("availability")
		synthetic := a.Has("fraction") || a.Has("mean_spell")
		explicit := a.Has("up") || a.Has("down")
		switch {
		case synthetic && explicit:
			a.errorf("fraction", "give either up and down spells, or fraction and mean_spell, not both")
		case synthetic:
			o, err := preempt.Synthetic(a.Float("fraction", 0.5, 0.01, 0.99), a.Duration("mean_spell", 2*time.Hour, time.Minute))
			if err != nil {
				a.errorf("fraction", "%v", err)
			}
			c.Availability = &o
		default:
			if !a.Has("up") || !a.Has("down") {
				a.missing("up", "availability needs up and down spell lengths (or fraction and mean_spell)")
			}
			o := preempt.OnOff{Up: a.Dist("up", dist.Exp(2*time.Hour)), Down: a.Dist("down", dist.Exp(time.Hour)),
				StartUnavailable: a.Bool("start_unavailable", false)}
			if err := o.Validate(); err != nil {
				a.errorf("up", "%v", err)
			}
			c.Availability = &o
		}
		a.Done()
	}
	if t.Has("crunches") {
		k := t.Table("crunches")
		for _, key := range []string{"every", "fraction", "blackout"} {
			if !k.Has(key) {
				k.missing(key, "crunches need every, fraction and blackout")
			}
		}
		cr := preempt.Crunches{Every: k.Dist("every", dist.Exp(24*time.Hour)), Fraction: k.Float("fraction", 0.5, 0, 1),
			Blackout: k.Dist("blackout", dist.Const(time.Hour))}
		if err := cr.Validate(); err != nil {
			k.errorf("every", "%v", err)
		}
		c.Crunches = &cr
		k.Done()
	}
	t.Done()
}

// spotPrice decodes [pools.spot_price].
func (r *reader) spotPrice(t *tbl, p *model.Pool) {
	switch t.Enum("model", "fixed", "fixed", "ou", "trace") {
	case "fixed":
		if p.Size.LowPrioritySource != "" {
			p.Size.LowPrioritySource += "; a fixed price, which is an assumption: Azure bills Spot (and Batch and Azure ML low-priority) nodes at a variable price"
		}
	case "ou":
		for _, key := range []string{"mean", "volatility", "reversion_time"} {
			if !t.Has(key) {
				t.missing(key, "the ou model needs mean, volatility and reversion_time")
			}
		}
		ou := price.OU{
			Mean:      t.Float("mean", p.Size.LowPriorityPrice, 0, 10000),
			Sigma:     t.Float("volatility", 0, 0, 10000),
			Reversion: t.Duration("reversion_time", time.Hour, time.Minute),
			Floor:     t.Float("floor", 0, 0, 10000),
			Step:      t.Duration("step", price.DefaultStep, time.Second),
		}
		if err := ou.Validate(); err != nil {
			t.errorf("model", "%v", err)
		}
		p.Price.OU = &ou
		p.Size.LowPriorityPrice = ou.Mean
		p.Size.LowPrioritySource = fmt.Sprintf("scenario %v (pools.%s.spot_price: mean-reverting OU process, mean %g, volatility %g, reversion %s, capped at the dedicated price; this is its mean)",
			r.at(t.path), p.Name, ou.Mean, ou.Sigma, dist.FormatDuration(ou.Reversion))
	case "trace":
		name := t.Str("file", "")
		if name == "" {
			t.missing("file", "the trace model needs a CSV of (timestamp or offset, price)")
			break
		}
		data, err := r.files.open(name)
		if err != nil {
			t.errorf("file", "%v", err)
			break
		}
		path, err := price.LoadTrace(bytes.NewReader(data), name, price.TraceOptions{Start: r.start})
		if err != nil {
			t.errorf("file", "%v", err)
			break
		}
		p.Price.Trace = path
		if mean, err := path.Mean(r.horizon); err == nil {
			p.Size.LowPriorityPrice = mean
		}
		p.Size.LowPrioritySource = fmt.Sprintf("scenario %v (pools.%s.spot_price: replayed price trace %s; this is its time average over the horizon)",
			r.at(t.path), p.Name, name)
	}
	t.Done()
}

// evictionTrace loads the CSV of a "trace" preemption model.
func (r *reader) evictionTrace(t *tbl) *preempt.Trace {
	name := t.Str("file", "")
	if name == "" {
		t.missing("file", "the trace model needs a CSV of evictions (time, count or fraction, unavailable_for)")
		return nil
	}
	data, err := r.files.open(name)
	if err != nil {
		t.errorf("file", "%v", err)
		return nil
	}
	tr, err := preempt.LoadTrace(bytes.NewReader(data), name, preempt.TraceOptions{Start: r.start})
	if err != nil {
		t.errorf("file", "%v", err)
		return nil
	}
	return tr
}

// durationsFile reads a CSV of durations named by key.
func (r *reader) durationsFile(t *tbl, key, what string) []time.Duration {
	name := t.Str(key, "")
	if name == "" {
		t.missing(key, "needs %s", what)
		return nil
	}
	d, err := r.files.durations(name)
	if err != nil {
		t.errorf(key, "%v", err)
		return nil
	}
	return d
}

func (r *reader) job(t *tbl, pools []string) model.Job {
	j := model.Job{Name: t.Name()}
	if !t.Has("name") {
		t.missing("name", "a job needs a name")
	}
	def := ""
	if len(pools) == 1 {
		def = pools[0]
	}
	j.Pool = t.Str("pool", def)
	if !t.Has("pool") && len(pools) != 1 {
		t.missing("pool", "say which pool the job runs on (pools: %s)", quoteList(pools))
	}
	if t.m["mini_batch"] != nil { // a batch deployment: its mini-batches are the tasks
		for _, k := range []string{"tasks", "duration"} {
			if t.Has(k) {
				t.errorf(k, "does not apply to a mini-batch job: [jobs.mini_batch] inputs and mini_batch_size make its tasks")
			}
		}
	} else {
		if !t.Has("tasks") {
			t.missing("tasks", "how many tasks the job has")
		}
		j.Tasks = t.Integer("tasks", 1)
		if !t.Has("duration") {
			t.missing("duration", "how long a task takes (\"10m\", or { dist = \"lognormal\", mean = \"10m\", stddev = \"3m\" })")
		}
		j.Duration = t.Dist("duration", dist.Const(time.Minute))
	}
	j.Submit = t.Dur("submit", 0)
	j.Priority = t.Integer("priority", 0)
	j.Deadline = t.Duration("deadline", 0, time.Second)
	r.work(t, &j)
	t.Done()
	return j
}

// work decodes what a job's tasks do beyond their length: retries,
// timeouts, failures, checkpoints, gangs, the job manager, and Azure ML
// batch deployments; and checks them against the job's pool.
func (r *reader) work(t *tbl, j *model.Job) {
	j.MaxTaskRetries = t.Integer("max_task_retries", 0)
	j.MaxWallClock = t.Dur("max_wall_clock", 0)
	j.FailureProbability = t.Number("failure_probability", 0)
	j.NodesPerTask = t.Integer("nodes_per_task", 1)
	j.DedicatedOnly = t.Bool("dedicated_only", false)
	pool := r.pools[j.Pool]
	if t.Has("checkpoint") {
		c := t.Table("checkpoint")
		if !c.Has("interval") {
			c.missing("interval", "checkpointing needs an interval of work between checkpoints")
		}
		j.Checkpoint = &model.Checkpoint{
			Interval: c.Dur("interval", time.Hour),
			Cost:     c.Dur("cost", 0),
			Restore:  c.Dur("restore", 0),
			OnNotice: c.Bool("on_notice", false),
		}
		c.Done()
	}
	if t.Has("manager") {
		m := t.Table("manager")
		if !m.Has("duration") {
			m.missing("duration", "the job manager task needs a duration")
		}
		j.Manager = &model.Manager{Duration: m.Dist("duration", dist.Const(time.Minute)), AllowLowPriority: m.Bool("allow_low_priority", true)}
		m.Done()
	}
	if t.Has("mini_batch") {
		r.miniBatch(t, t.Table("mini_batch"), j, pool)
	}
}

// miniBatch decodes [jobs.mini_batch], an Azure ML batch deployment's
// settings (names as in its YAML).
func (r *reader) miniBatch(job, t *tbl, j *model.Job, pool *model.Pool) {
	for _, k := range []string{"max_task_retries", "max_wall_clock", "checkpoint"} {
		if job.m[k] != nil {
			job.errorf(k, "does not apply to a mini-batch job: use [jobs.mini_batch] retry_settings (mini-batches are rescheduled whole, without checkpoints)")
		}
	}
	if !t.Has("inputs") || !t.Has("time_per_input") {
		t.missing("inputs", "a batch deployment needs inputs (files to score) and time_per_input")
	}
	mb := model.MiniBatch{
		Inputs:         t.Integer("inputs", 1),
		Size:           t.Integer("mini_batch_size", 10),
		PerInput:       t.Dist("time_per_input", dist.Const(time.Second)),
		InstanceCount:  t.Integer("instance_count", 1),
		ErrorThreshold: t.Integer("error_threshold", -1),
		OutputAction:   t.Enum("output_action", "append_row", "append_row", "summary_only"),
	}
	conc := t.Integer("max_concurrency_per_instance", 1)
	retries, timeout := 3, 30*time.Second
	if t.Has("retry_settings") {
		rs := t.Table("retry_settings")
		retries = rs.Integer("max_retries", 3)
		timeout = rs.Dur("timeout", 30*time.Second)
		rs.Done()
	}
	t.Done()
	mb.Concurrency = conc
	if pool != nil && !r.slotsSet[j.Pool] {
		pool.TaskSlotsPerNode = conc // a pool's slots are its deployment's concurrency unless it says otherwise
	}
	*j = model.NewMiniBatchJob(*j, mb, retries, timeout)
}

// cluster decodes [pools.cluster], an Azure ML compute cluster (names as in
// its YAML).
func (r *reader) cluster(t *tbl, p *model.Pool) {
	c := t.Table("cluster")
	cl := &model.Cluster{
		MinInstances:            c.Integer("min_instances", 0),
		MaxInstances:            c.Integer("max_instances", 1),
		IdleTimeBeforeScaleDown: c.Dur("idle_time_before_scale_down", 120*time.Second),
		Resubmit:                c.Bool("resubmit", false),
		ResubmitDelay:           c.Dur("resubmit_delay", 0),
	}
	if c.Enum("tier", "dedicated", "dedicated", "low_priority") == "low_priority" {
		cl.Tier = model.LowPriority
	}
	c.Done()
	p.Cluster = cl
}

// autoscale decodes [pools.autoscale]: the formula, inline or in a file
// beside the scenario, and its evaluation interval. Formula errors are
// placed in the scenario file (inline) or in the formula file.
func (r *reader) autoscale(t *tbl) *model.Autoscale {
	a := &model.Autoscale{Interval: t.Dur("interval", 15*time.Minute)}
	a.SampleLag = t.Dur("sample_lag", model.DefaultSampleLag)
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
	path, label := t.sub(key)
	r.unread = append(r.unread, path)
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
