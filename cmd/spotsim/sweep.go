package main

import (
	"bytes"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/report/outfile"
	"github.com/spotsim/spotsim/scenarios"
)

func init() {
	register(&command{
		name:  "sweep",
		usage: "[FILE|NAME] [--set PATH=V1,V2,...]... [--deadline D] [--percentile P] [--reps N] [--seed N] [--workers N] [--format table|csv|json] [--out DIR]",
		short: "run every point of a grid of scenario variants; print the cost/time frontier and the cheapest point meeting a deadline",
		long: `The grid is the scenario's [sweep] table, one array of values per key, keys by dotted path
as --set takes them (pools and jobs by name):

  [sweep]
  pools.main.target_low_priority_nodes = [0, 5, 10, 20]
  pools.main.task_scheduling = ["spread", "pack"]
  deadline = "6h"     # recommend the cheapest point meeting it...
  percentile = 95     # ...at this percentile of completion time

and --set flags. On sweep, commas outside brackets, braces and quotes separate the values of
an axis: --set pools.main.target_low_priority_nodes=0,10,20 sweeps three values (it replaces
an axis of the same key from the file), while --set x=5 fixes a key for every point and
--set x=[1,2] gives it one array value, as on spotsim run.

Every point runs the same replications with the same seed (common random numbers), paired
with its own dedicated-only baseline; points and replications share --workers and the results
are byte-identical for any worker count. --deadline and --percentile override [sweep]'s.
With --out DIR, sweep.csv and sweep.json (one record per point, in point order: the first axis
varies slowest), frontier.png (mean cost against completion time at the percentile, the
Pareto front drawn and labelled) and, when exactly two keys vary, heatmap.png of the savings
are written there.`,
		run: sweepCmd,
	})
}

func sweepCmd(e *env, args []string) error {
	c := find("sweep")
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	var sets multiFlag
	fs.Var(&sets, "set", "sweep a scenario key over `PATH=V1,V2,...` (one value: fix it; repeatable)")
	reps := fs.String("reps", "", "replications per point (overrides simulation.replications)")
	seed := fs.String("seed", "", "seed of every point (overrides simulation.seed)")
	deadline := fs.String("deadline", "", "recommend the cheapest point meeting this `DURATION` (overrides [sweep] deadline)")
	percentile := fs.Float64("percentile", 0, "percentile of completion time the deadline applies to, in (0, 100] (default [sweep]'s, else 95)")
	workers := fs.Int("workers", 0, "goroutines running replications (0 = one per CPU); results do not depend on it")
	out := fs.String("out", "", "write sweep.csv, sweep.json, frontier.png (and heatmap.png) to `DIR`")
	format := fs.String("format", "table", "stdout format: table, csv or json")
	pos, err := parse(e, c, fs, args)
	if err != nil {
		return err
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return badInput(fmt.Errorf("--format %s: want table, csv or json", *format))
	}
	if *workers < 0 {
		return badInput(fmt.Errorf("--workers %d: want 0 (one per CPU) or more", *workers))
	}
	if len(pos) > 1 {
		return badInput(fmt.Errorf("spotsim sweep: one scenario at a time, got %d (%v)", len(pos), pos))
	}
	arg := ""
	if len(pos) == 1 {
		arg = pos[0]
	}
	doc, err := scenarios.Open(arg)
	if err != nil {
		return badInput(err)
	}
	sw, err := doc.Sweep()
	if err != nil {
		return badInput(err)
	}
	var base []scenarios.Set
	for _, s := range sets {
		a, err := scenarios.ParseAxis(s)
		if err != nil {
			return badInput(err)
		}
		if len(a.Values) == 1 {
			sw.Remove(a.Path)
			base = append(base, scenarios.Set{Path: a.Path, Value: a.Values[0]})
			continue
		}
		sw.Set(a)
	}
	for _, o := range []struct{ flag, path, v string }{{"--reps", "simulation.replications", *reps}, {"--seed", "simulation.seed", *seed}} {
		if o.v == "" {
			continue
		}
		if _, err := strconv.ParseUint(o.v, 10, 64); err != nil {
			return badInput(fmt.Errorf("%s %s: want a non-negative whole number", o.flag, o.v))
		}
		base = append(base, scenarios.Set{Path: o.path, Value: o.v})
	}
	if *deadline != "" {
		d, err := dist.ParseDuration(*deadline)
		if err != nil || d <= 0 {
			return badInput(fmt.Errorf("--deadline %s: want a positive duration such as 6h or 1d12h", *deadline))
		}
		sw.Deadline = d
	}
	if *percentile != 0 {
		if !(*percentile > 0 && *percentile <= 100) {
			return badInput(fmt.Errorf("--percentile %v: want a number above 0 and at most 100", *percentile))
		}
		sw.Percentile = *percentile
	}
	points, err := doc.Scenarios(sw, base...)
	if err != nil {
		return badInput(err)
	}
	res, err := runSweep(e, sw, points, *workers)
	if err != nil {
		return fmt.Errorf("spotsim sweep: %v", err)
	}
	return writeSweep(e, res, *format, *out)
}

// runSweep runs every point and gathers one record per point, in order.
func runSweep(e *env, sw *scenarios.Sweep, points []*model.Scenario, workers int) (*report.Sweep, error) {
	first := points[0]
	res := &report.Sweep{Name: first.Name, Description: first.Description, Seed: first.Seed,
		Points: len(points), Percentile: sw.Percentile, DeadlineHours: sw.Deadline.Hours(),
		Results: make([]report.SweepPoint, len(points))}
	for _, a := range sw.Axes {
		res.Axes = append(res.Axes, report.SweepAxis{Path: a.Path, Values: a.Values})
	}
	prog := newProgress(e, first.Name)
	var mu sync.Mutex
	err := runner.Sweep(points, workers, prog.sweep, func(i int, runs *runner.Runs) {
		var values []string
		for _, s := range sw.Point(i) {
			values = append(values, s.Value)
		}
		if values == nil {
			values = []string{}
		}
		p := report.NewSweepPoint(i, values, points[i], runs, sw.Percentile, sw.Deadline)
		mu.Lock()
		res.Results[i] = p
		mu.Unlock()
	})
	prog.done()
	if err != nil {
		return nil, err
	}
	res.Analyse()
	return res, nil
}

func writeSweep(e *env, res *report.Sweep, format, out string) error {
	js, err := res.JSON()
	if err != nil {
		return err
	}
	csv, err := res.CSV()
	if err != nil {
		return err
	}
	var names []string
	if out != "" {
		charts, err := report.SweepCharts(res)
		if err != nil {
			return fmt.Errorf("spotsim sweep: %v", err)
		}
		files := []outfile.File{{Name: "sweep.csv", Data: csv}, {Name: "sweep.json", Data: js}}
		for _, c := range charts {
			files = append(files, outfile.File{Name: c.Name, Data: c.PNG})
		}
		if err := outfile.WriteAll(out, files); err != nil {
			return fmt.Errorf("spotsim sweep: %v", err)
		}
		for _, f := range files {
			names = append(names, f.Name)
		}
	}
	var b bytes.Buffer
	switch format {
	case "json":
		b.Write(js)
	case "csv":
		b.Write(csv)
	default:
		res.WriteText(&b)
		if out != "" {
			fmt.Fprintf(&b, "\nwrote %s in %s\n", strings.Join(names, ", "), out)
		}
	}
	_, err = e.stdout.Write(b.Bytes())
	return err
}
