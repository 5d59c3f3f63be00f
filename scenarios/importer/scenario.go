package importer

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

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
