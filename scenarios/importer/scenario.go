package importer

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/fit"
)

// Sources are the parsed inputs of one import: a Batch pool, or an Azure
// ML compute (with an optional deployment), and what else was given.
type Sources struct {
	Pool       *Pool
	Compute    *AMLCompute
	Deployment *AMLDeployment
	Prices     []PriceRow // every row of the --prices pages
	Spot       *Spot
	Tasks      *Tasks
	Lifetimes  *Lifetimes
	Account    *Account // a Batch account's core quotas
}

// Options are the import's settings.
type Options struct {
	Region string   // --region: the Azure region (armRegionName) of the prices and the Spot data
	OS     string   // --os: "linux" or "windows"; "" = the pool's own (its node agent SKU), else linux
	Cores  int      // --cores: the size's vCPUs, when its name does not tell
	Meters []string // --meter: Retail Prices meterIds that settle an ambiguous choice
	// Inputs and TimePerInput (a duration or an inline distribution, as
	// TOML) are an Azure ML job's files and time per file, which no
	// Azure file gives.
	Inputs       int
	TimePerInput string
	// Out is the scenario's file name; data files (the Spot price trace)
	// are named after it and go beside it. "" (standard output) refuses
	// inputs that need a data file.
	Out string
	// Command is the command line shown in the scenario's first comment.
	Command string
}

// File is a data file written beside the scenario.
type File struct {
	Name string // relative to the scenario's folder
	Data []byte
}

// Result is an imported scenario.
type Result struct {
	TOML    []byte
	Files   []File
	Assumed []string // values no input gave, which the scenario marks ASSUMED
}

// Built-in assumptions for what no Azure file says (marked ASSUMED in the
// scenario): the default scenario's node timing and workload.
const (
	assumedAllocation  = `{ dist = "lognormal", mean = "4m", stddev = "2m" }`
	assumedStart       = `{ dist = "uniform", min = "1m", max = "3m" }`
	assumedReplacement = `{ dist = "exponential", mean = "5m" }`
	assumedLifetime    = "8h"
	assumedTasks       = 1000
	assumedDuration    = `{ dist = "lognormal", mean = "10m", stddev = "4m" }`
	assumedInputs      = 600
	assumedPerInput    = `{ dist = "lognormal", mean = "20s", stddev = "8s" }`
)

// build holds one import's state while it writes.
type build struct {
	src     Sources
	opt     Options
	w       tomlWriter
	res     Result
	size    string
	cores   int
	coreSrc string
	prices  *Prices
	region  string
	os      string
	spotH   *SpotHistory
	band    *SpotBand
	life    *fit.Report
	dur     *fit.Report
	trace   string // the price trace's file name
	osSrc   string // where the OS came from
}

// Build writes the scenario of the sources.
func Build(src Sources, opt Options) (*Result, error) {
	if (src.Pool == nil) == (src.Compute == nil) {
		return nil, errors.New("importer: Build needs a pool or an Azure ML compute")
	}
	b := &build{src: src, opt: opt, os: "linux", osSrc: "Linux unless --os windows"}
	switch {
	case strings.EqualFold(opt.OS, "windows"), strings.EqualFold(opt.OS, "linux"):
		b.os, b.osSrc = strings.ToLower(opt.OS), "--os"
	case opt.OS != "":
		return nil, fmt.Errorf("--os %s: want linux or windows", opt.OS)
	case src.Pool != nil && src.Pool.OS != "":
		b.os, b.osSrc = src.Pool.OS, from(src.Pool.File, src.Pool.Paths["os"])
	}
	if err := b.gather(); err != nil {
		return nil, err
	}
	b.header()
	b.vmSize()
	if src.Pool != nil {
		b.batchPool()
	} else {
		b.amlPool()
	}
	b.preemption()
	b.spotPrice()
	if src.Pool != nil {
		b.batchJob()
	} else {
		b.amlJob()
	}
	b.res.TOML = []byte(b.w.String())
	return &b.res, nil
}

// gather picks everything from the inputs before anything is written, so
// that every error comes first.
func (b *build) gather() error {
	src, opt := b.src, b.opt
	if src.Pool != nil {
		b.size = canonicalSize(src.Pool.VMSize)
	} else {
		b.size = src.Compute.Size
		if d := src.Deployment; d != nil && d.ComputeName() != "" && !strings.EqualFold(d.ComputeName(), src.Compute.Name) {
			return withLine(&Error{File: d.File, Path: d.Paths["compute"], Msg: fmt.Sprintf("names compute %q, but %s defines %q", d.Compute, src.Compute.File, src.Compute.Name)}, d.Lines)
		}
	}
	b.region = opt.Region
	if len(src.Prices) > 0 {
		p, err := PickPrices(src.Prices, b.size, opt.Region, b.os, opt.Meters)
		if err != nil {
			return err
		}
		b.prices, b.region = p, p.Region
		b.size = p.Regular.SkuArmName
	} else if _, ok := catalogSize(b.size); !ok {
		return b.sizeError("%s is not in spotsim's built-in catalog: give its prices with --prices (Retail Prices API pages)", b.size)
	}
	var err error
	if b.cores, b.coreSrc, err = sizeCores(b.size, opt.Cores); err != nil {
		return b.sizeError("%v", err)
	}
	if s := src.Spot; s != nil {
		if b.spotH, err = s.History(b.size, b.region, b.os); err != nil {
			return err
		}
		if b.band, err = s.Band(b.size, b.region); err != nil {
			return err
		}
		if b.spotH == nil && b.band == nil {
			return errorf(s.File, "", "no Spot price history of %s (%s) nor eviction-rate band of it in %s (it has: %s)", b.size, b.os, orAny(b.region), s.Contents())
		}
		if b.spotH != nil {
			b.region = b.spotH.Region
			if opt.Out == "" {
				return fmt.Errorf("%s: its Spot price history becomes a price trace CSV beside the scenario: give --out FILE", s.File)
			}
			base := strings.TrimSuffix(filepath.Base(opt.Out), filepath.Ext(opt.Out))
			b.trace = base + "-spot-price.csv"
			b.res.Files = append(b.res.Files, File{Name: b.trace, Data: b.traceCSV()})
		} else if b.region == "" {
			b.region = b.band.Region
		}
	}
	if a := src.Account; a != nil && src.Pool != nil {
		p := src.Pool
		switch {
		case a.Dedicated == 0 && (p.TargetDedicatedNodes > 0 || p.AutoScale):
			return &Error{File: a.File, Path: a.DedicatedPath, Msg: "0: this account can allocate no dedicated cores (and spotsim's quota 0 means no limit): ask Azure for a quota first"}
		case a.LowPriority == 0 && (p.TargetLowPriority > 0 || p.AutoScale):
			return &Error{File: a.File, Path: a.LowPriorityPath, Msg: "0: this account can allocate no low-priority (Spot) cores (and spotsim's quota 0 means no limit): ask Azure for a quota first"}
		}
	}
	if l := src.Lifetimes; l != nil {
		if b.life, err = fit.Fit(l.Obs, fit.Options{AllowCensored: true, Bootstrap: -1}); err != nil {
			return &Error{File: l.File, Msg: "fitting its lifetimes: " + err.Error()}
		}
	}
	if t := src.Tasks; t != nil {
		if src.Pool == nil {
			return fmt.Errorf("%s: a Batch task history is for spotsim import batch-pool; an Azure ML job's time per input is --time-per-input", t.File)
		}
		if len(t.Jobs) > 1 {
			return errorf(t.File, "", "tasks of %d jobs (%s): choose one with --job ID", len(t.Jobs), list(t.Jobs, 8))
		}
		if b.dur, err = fit.Fit(t.Obs, fit.Options{AllowCensored: true, Bootstrap: -1}); err != nil {
			return &Error{File: t.File, Msg: "fitting its task durations: " + err.Error()}
		}
		if p := t.FailureProbability(); p >= 0.999 {
			return &Error{File: t.File, Msg: fmt.Sprintf("%d of %d tries failed: a failure probability of %.3f is more than spotsim's 0.999", t.Failed, t.Tries, p)}
		}
	}
	return nil
}

// sizeError is an error about the VM size, placed where the size was read.
func (b *build) sizeError(format string, a ...any) error {
	msg := fmt.Sprintf(format, a...)
	if p := b.src.Pool; p != nil {
		return &Error{File: p.File, Path: p.Paths["vm_size"], Msg: msg}
	}
	c := b.src.Compute
	if path, ok := c.Paths["vm_size"]; ok {
		return &Error{File: c.File, Path: path, Line: yamlLine(c.Lines, path), Msg: msg}
	}
	return &Error{File: c.File, Msg: "the default size " + msg}
}

func (b *build) assume(what string) string {
	b.res.Assumed = append(b.res.Assumed, what)
	return "ASSUMED: " + what
}

// from names a value's source: the file and its path.
func from(file, path string) string {
	if path == "" {
		return file
	}
	return file + ": " + path
}

func (b *build) header() {
	w := &b.w
	var files []string
	add := func(f string) {
		for _, g := range files {
			if g == f {
				return
			}
		}
		files = append(files, f)
	}
	name := ""
	if p := b.src.Pool; p != nil {
		add(p.File)
		name = p.ID
	} else {
		add(b.src.Compute.File)
		name = b.src.Compute.Name
		if d := b.src.Deployment; d != nil {
			add(d.File)
			name = d.Name
		}
	}
	for _, r := range b.src.Prices {
		add(r.File)
	}
	for _, r := range []string{b.spotFile(), b.lifeFile(), b.taskFile()} {
		if r != "" {
			add(r)
		}
	}
	cmd := b.opt.Command
	if cmd == "" {
		cmd = "spotsim import"
	}
	w.comment("Imported by `%s`.", cmd)
	w.comment("From: %s.", strings.Join(files, ", "))
	w.comment("Every imported value says where it came from; values marked ASSUMED came from no file: check them.")
	w.kv("name", tomlString(name), "")
	desc := "imported " + b.size + " pool"
	if b.src.Compute != nil {
		desc = "imported Azure ML compute " + b.src.Compute.Name + " (" + b.size + ")"
	}
	if b.region != "" {
		desc += " in " + b.region
	}
	w.kv("description", tomlString(desc), "")
	w.table("simulation")
	w.kv("replications", "100", "spotsim's default")
	if b.spotH != nil {
		w.kv("start", b.spotH.Points[0].At.Format(time.RFC3339), "the first Spot price's date, so the price trace replays from t = 0")
	}
	b.quotas()
}

// quotas writes the account's core quotas. Azure's 0 allows nothing, and
// spotsim's 0 means no limit, so a 0 quota is left out (gather refuses
// one that the pool would need).
func (b *build) quotas() {
	a := b.src.Account
	if a == nil {
		return
	}
	w := &b.w
	w.table("quotas")
	if a.Dedicated > 0 {
		what := from(a.File, a.DedicatedPath)
		if a.Family != "" && !a.FamilyMissing {
			what += " (" + a.Family + ", enforced per VM family)"
		}
		w.kv("dedicated_cores", tomlInt(a.Dedicated), what)
	}
	if a.FamilyMissing {
		w.comment("%s enforces dedicated quotas per VM family but lists none for %s: the account's quota is used", a.File, orName(a.Family, b.size))
	}
	if a.LowPriority > 0 {
		w.kv("low_priority_cores", tomlInt(a.LowPriority), from(a.File, a.LowPriorityPath))
	}
}

func orName(family, size string) string {
	if family == "" {
		return size
	}
	return family
}

func (b *build) spotFile() string {
	if b.src.Spot == nil {
		return ""
	}
	return b.src.Spot.File
}

func (b *build) lifeFile() string {
	if b.src.Lifetimes == nil {
		return ""
	}
	return b.src.Lifetimes.File
}

func (b *build) taskFile() string {
	if b.src.Tasks == nil {
		return ""
	}
	return b.src.Tasks.File
}

// vmSize writes the size's table when prices were imported (or the cores
// were given); otherwise the built-in catalog's entry is used.
func (b *build) vmSize() {
	w := &b.w
	if b.prices == nil && b.opt.Cores == 0 {
		w.blank()
		w.comment("%s: the built-in catalog's seed prices (give --prices for your region's)", b.size)
		return
	}
	w.array("vm_sizes")
	w.kv("name", tomlString(b.size), "")
	w.kv("cores", tomlInt(b.cores), b.coreSrc)
	if p := b.prices; p != nil {
		w.comment("%s prices (%s)", strings.ToUpper(b.os[:1])+b.os[1:], b.osSrc)
		w.kv("dedicated_price", tomlPrice(p.Regular.Price), p.Regular.Source())
		w.kv("low_priority_price", tomlPrice(p.Spot.Price), p.Spot.Source())
		if p.Spot.LowPriority() {
			w.comment("(a legacy Low Priority meter, chosen with --meter: Batch bills low-priority nodes at the Spot rate now)")
		}
	} else {
		c, _ := catalogSize(b.size)
		w.kv("dedicated_price", tomlPrice(c.DedicatedPrice), "the built-in catalog (give --prices for your region's)")
		w.kv("low_priority_price", tomlPrice(c.LowPriorityPrice), "the built-in catalog")
	}
}

func (b *build) nodeTiming() {
	w := &b.w
	w.kv("allocation_delay", assumedAllocation, b.assume("allocation delay as in spotsim's default scenario (AZURE.md §2.2)"))
	w.kv("start_delay", assumedStart, b.assume("boot and start task as in spotsim's default scenario"))
}

func (b *build) batchPool() {
	p, w := b.src.Pool, &b.w
	w.array("pools")
	w.kv("name", tomlString(p.ID), from(p.File, p.Paths["name"]))
	w.kv("service", `"batch"`, fmt.Sprintf("%s is %s", p.File, p.Kind))
	w.kv("vm_size", tomlString(b.size), from(p.File, p.Paths["vm_size"]))
	if !p.AutoScale {
		w.kv("target_dedicated_nodes", tomlInt(p.TargetDedicatedNodes), b.orDefault(p, "target_dedicated_nodes", "0"))
		w.kv("target_low_priority_nodes", tomlInt(p.TargetLowPriority), b.orDefault(p, "target_low_priority_nodes", "0"))
	}
	w.kv("task_slots_per_node", tomlInt(p.TaskSlotsPerNode), b.orDefault(p, "task_slots_per_node", "1"))
	fill := p.NodeFillType
	if fill == "" {
		fill = "spread"
	}
	w.kv("task_scheduling", tomlString(fill), b.orDefault(p, "task_scheduling", "spread"))
	b.nodeTiming()
	if !p.AutoScale {
		w.comment("resizeTimeout %s (%s) and nodeDeallocationOption %s (%s) apply to the pool's resizes:",
			FormatISODuration(p.ResizeTimeout), b.orDefault(p, "resize_timeout", "PT15M"), p.NodeDeallocationOption, b.orDefault(p, "node_deallocation_option", "requeue"))
		w.comment("to simulate one, add [[pools.resize]] with at, the targets, resize_timeout = %s, node_deallocation_option = %q", tomlDuration(p.ResizeTimeout), p.NodeDeallocationOption)
		return
	}
	w.table("pools.autoscale")
	w.comment("%s", from(p.File, p.Paths["formula"]))
	w.kv("formula", tomlMultiline(p.Formula), "")
	w.kv("interval", tomlDuration(p.Interval), b.orDefault(p, "interval", "PT15M")+" ("+FormatISODuration(p.Interval)+")")
}

// orDefault names a pool value's path, or says it is Azure's default.
func (b *build) orDefault(p *Pool, key, def string) string {
	if path, ok := p.Paths[key]; ok {
		return from(p.File, path)
	}
	return fmt.Sprintf("not in %s: Azure's default, %s", p.File, def)
}

func (b *build) amlPool() {
	c, w := b.src.Compute, &b.w
	src := func(key, def string) string {
		if path, ok := c.Paths[key]; ok {
			return fromYAML(c.File, c.Lines, path)
		}
		return fmt.Sprintf("not in %s: Azure ML's default, %s", c.File, def)
	}
	w.array("pools")
	w.kv("name", tomlString(c.Name), src("name", ""))
	w.kv("service", `"aml"`, c.File+" is an Azure ML compute cluster")
	w.kv("vm_size", tomlString(b.size), src("vm_size", amlDefaultSize))
	b.nodeTiming()
	w.table("pools.cluster")
	tier := "dedicated"
	if c.LowPriority {
		tier = "low_priority"
	}
	w.kv("tier", tomlString(tier), src("tier", "dedicated"))
	w.kv("min_instances", tomlInt(c.MinInstances), src("min_instances", "0"))
	w.kv("max_instances", tomlInt(c.MaxInstances), src("max_instances", "1"))
	w.kv("idle_time_before_scale_down", tomlDuration(c.IdleTimeBeforeScaleDown), src("idle_time_before_scale_down", "120 s"))
}

// fromYAML names a YAML value's source: "file:LINE: $.path".
func fromYAML(file string, lines map[string]int, path string) string {
	if l := yamlLine(lines, path); l > 0 {
		return fmt.Sprintf("%s:%d: %s", file, l, path)
	}
	return from(file, path)
}

// needsPreemption reports whether the pool can have low-priority nodes.
func (b *build) needsPreemption() bool {
	if p := b.src.Pool; p != nil {
		return p.AutoScale || p.TargetLowPriority > 0
	}
	return b.src.Compute.LowPriority
}

func (b *build) preemption() {
	w := &b.w
	if !b.needsPreemption() && b.life == nil && b.band == nil {
		return
	}
	w.table("pools.preemption")
	switch {
	case b.life != nil:
		b.fittedLifetime()
		if bd := b.band; bd != nil {
			w.comment("(%s gives the band %s for %s in %s: the observed lifetimes take precedence)", from(b.src.Spot.File, bd.Path), bd.Band, bd.Size, bd.Region)
		}
	case b.band != nil:
		bd := b.band
		w.kv("azure_eviction_rate", tomlString(bd.Band), fmt.Sprintf("%s (%s in %s; Azure's bands are per hour)", from(b.src.Spot.File, bd.Path), bd.Size, bd.Region))
	default:
		w.kv("mean_time_to_preemption", tomlString(assumedLifetime), b.assume("spotsim's default scenario's mean lifetime; give --spot (an eviction band) or --evictions (observed lifetimes)"))
	}
	w.kv("replacement_delay", assumedReplacement, b.assume("time before a preempted node is allocated again, as in spotsim's default scenario"))
}

// fittedLifetime writes the best fit (by AIC) to the observed lifetimes.
func (b *build) fittedLifetime() {
	w, l, rep := &b.w, b.src.Lifetimes, b.life
	what := fmt.Sprintf("fitted to %s: %d lifetimes, %d censored", l.File, rep.N, rep.Censored)
	if l.Kind == ActivityLog {
		what += fmt.Sprintf(" (%d VMs, %d evictions, up to %s)", l.VMs, l.Evictions, l.Until.Format(time.RFC3339))
	}
	m := rep.Best()
	w.comment("%s; by AIC: %s", what, rankAIC(rep))
	w.comment("95 %% intervals: %s", paramsCI(m))
	w.kv("lifetime", m.TOML(), "maximum likelihood, with censoring (spotsim fit lifetimes shows the comparison)")
}

// rankAIC lists the fitted families with their ΔAIC.
func rankAIC(rep *fit.Report) string {
	var s []string
	for _, m := range rep.Models {
		s = append(s, fmt.Sprintf("%s ΔAIC %.1f", m.Family, m.DeltaAIC))
	}
	return strings.Join(s, ", ")
}

func (b *build) spotPrice() {
	if b.spotH == nil {
		return
	}
	w, h := &b.w, b.spotH
	w.table("pools.spot_price")
	w.kv("model", `"trace"`, fmt.Sprintf("%s: %d prices of %s %s in %s", from(b.src.Spot.File, h.Path), len(h.Points), h.Size, h.OS, h.Region))
	w.kv("file", tomlString(b.trace), fmt.Sprintf("%s to %s, step-wise", h.Points[0].At.Format("2006-01-02"), h.Points[len(h.Points)-1].At.Format("2006-01-02")))
}

// traceCSV writes the Spot price history as a spotsim price trace:
// offsets from the first price, oldest first.
func (b *build) traceCSV() []byte {
	h := b.spotH
	var s strings.Builder
	fmt.Fprintf(&s, "# Spot price of %s (%s) in %s, $ per hour, from %s %s\n", h.Size, h.OS, h.Region, b.src.Spot.File, h.Path)
	fmt.Fprintf(&s, "# offsets from %s (the scenario's simulation.start)\n", h.Points[0].At.Format(time.RFC3339))
	s.WriteString("timestamp,price\n")
	t0 := h.Points[0].At
	for i, p := range h.Points {
		if i > 0 && p.At.Equal(h.Points[i-1].At) {
			continue // the later row of the same instant was sorted after: keep the first
		}
		fmt.Fprintf(&s, "%s,%s\n", dist.FormatDuration(p.At.Sub(t0)), tomlPrice(p.Price))
	}
	return []byte(s.String())
}

func (b *build) batchJob() {
	w, t := &b.w, b.src.Tasks
	w.array("jobs")
	if t == nil {
		w.kv("name", `"work"`, "")
		w.kv("pool", tomlString(b.src.Pool.ID), "")
		w.kv("tasks", tomlInt(assumedTasks), b.assume("no --tasks: an example workload; give --tasks (az batch task list or diagnostic logs)"))
		w.kv("duration", assumedDuration, b.assume("spotsim's default scenario's task length"))
		return
	}
	name := "work"
	if len(t.Jobs) > 0 {
		name = t.Jobs[0]
	}
	w.comment("%s: %s", t.File, t.describe())
	w.kv("name", tomlString(name), t.File+": the job id")
	w.kv("pool", tomlString(b.src.Pool.ID), "")
	w.kv("tasks", tomlInt(t.Tasks), t.File+": tasks in the history")
	w.kv("duration", b.dur.Best().TOML(), fmt.Sprintf("fitted by maximum likelihood (by AIC: %s)", rankAIC(b.dur)))
	if m := b.dur.Best(); len(m.Params) > 0 {
		w.comment("95 %% intervals: %s", paramsCI(m))
	}
	p := t.FailureProbability()
	w.kv("failure_probability", tomlFloat(math.Round(p*1e4)/1e4), fmt.Sprintf("%s: %d of %d tries failed", t.File, t.Failed, t.Tries))
	w.kv("max_task_retries", tomlInt(t.MaxRetries), t.File+": constraints.maxTaskRetryCount")
	if t.MaxWallClock > 0 {
		w.kv("max_wall_clock", tomlDuration(t.MaxWallClock), t.File+": constraints.maxWallClockTime")
	}
	if t.NodesPerTask > 1 {
		w.kv("nodes_per_task", tomlInt(t.NodesPerTask), t.File+": multiInstanceSettings.numberOfInstances")
	}
}

func paramsCI(m *fit.Model) string {
	var s []string
	for _, p := range m.Params {
		s = append(s, p.String())
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

func (b *build) amlJob() {
	w, d := &b.w, b.src.Deployment
	w.array("jobs")
	name := "batch"
	if d != nil {
		name = d.Name
	}
	w.kv("name", tomlString(name), "")
	w.kv("pool", tomlString(b.src.Compute.Name), "")
	w.table("jobs.mini_batch")
	if b.opt.Inputs > 0 {
		w.kv("inputs", tomlInt(b.opt.Inputs), "--inputs")
	} else {
		w.kv("inputs", tomlInt(assumedInputs), b.assume("files to score, which no Azure ML YAML gives: --inputs N"))
	}
	if b.opt.TimePerInput != "" {
		w.kv("time_per_input", b.opt.TimePerInput, "--time-per-input")
	} else {
		w.kv("time_per_input", assumedPerInput, b.assume("time to score one file, as in the heart-classifier built-in: --time-per-input DIST"))
	}
	if d == nil {
		w.comment("no deployment YAML: Azure ML's batch deployment defaults")
		return
	}
	src := func(key, def string) string {
		if path, ok := d.Paths[key]; ok {
			return fromYAML(d.File, d.Lines, path)
		}
		return fmt.Sprintf("not in %s: Azure ML's default, %s", d.File, def)
	}
	w.kv("mini_batch_size", tomlInt(d.MiniBatchSize), src("mini_batch_size", "10"))
	w.kv("instance_count", tomlInt(d.InstanceCount), src("instance_count", "1"))
	w.kv("max_concurrency_per_instance", tomlInt(d.MaxConcurrencyPerInstance), src("max_concurrency_per_instance", "1"))
	w.kv("error_threshold", tomlInt(d.ErrorThreshold), src("error_threshold", "-1"))
	w.kv("output_action", tomlString(d.OutputAction), src("output_action", "append_row"))
	w.kv("retry_settings", fmt.Sprintf("{ max_retries = %d, timeout = %s }", d.MaxRetries, tomlDuration(d.Timeout)),
		src("max_retries", "3")+"; "+src("timeout", "30 s"))
}
