package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/report/buildinfo"
	"github.com/spotsim/spotsim/report/outfile"
	"github.com/spotsim/spotsim/report/sweep"
	"github.com/spotsim/spotsim/scenarios"
)

func init() {
	register(&command{
		name:  "sweep",
		usage: "[FILE|NAME] [--set PATH=V1,V2,...]... [--reference PATH=VALUE]... [--deadline D] [--percentile P] [--reps N] [--seed N] [--workers N] [--format table|csv|json|md] [--out DIR] [--shard I/N] [--restart]",
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
are byte-identical for any worker count. With a reference, the setup you run today (the file's
[reference] table, --reference PATH=VALUE on top, as on spotsim run), every point is also
compared with the same reference: it runs once per sweep (once per shard), on the sweep's seed,
and every point's replication i is paired with its replication i, so the points compare with
each other as well as with it. --deadline and --percentile override [sweep]'s.
With --out DIR, sweep.csv and sweep.json (one record per point, in point order: the first axis
varies slowest), frontier.png (mean cost against completion time at the percentile, the
Pareto front drawn and labelled) and, when exactly two keys vary, heatmap.png of the mean cost
and the completion time at the percentile, with the cells meeting the deadline outlined, are
written there, with report.md and report.html (the recommendation, what ran, the notes, the
charts and the table; --format md prints report.md without its charts). The folder's outputs
are replaced as a unit, as spotsim run does.

With --out, each finished point is journaled in DIR/.spotsim-journal/ as soon as it is done.
SIGINT or SIGTERM (Ctrl-C, a node drained before a spot eviction, kubectl delete) lets the replications in
flight finish, journals their points and exits 1 ("interrupted: N of M points done"); a
second one exits at once. The same command run again takes the journaled points instead of
running them and writes the same bytes as an uninterrupted sweep; the journal of another
sweep (another scenario, data file, [sweep], [reference], --set, --reference, --reps, --seed,
--deadline or --percentile) is refused unless --restart discards it. A finished sweep removes its journal.

--shard I/N runs only the points K with K mod N = I and writes them, with what merge needs,
to DIR/shard-I-of-N.json (journaled as above, in DIR/.spotsim-journal-shard-I-of-N/). Run
shards 0 to N-1 anywhere, with the same scenario and flags, then spotsim merge DIR... --out
DIR writes the outputs of the whole sweep, byte-identical to a sweep run in one piece. See
deploy/README.md for a Kubernetes Indexed Job and an Azure Batch job.`,
		run: sweepCmd,
	})
}

func sweepCmd(e *env, args []string) error {
	c := find("sweep")
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	var sets, refFlags multiFlag
	fs.Var(&sets, "set", "sweep a scenario key over `PATH=V1,V2,...` (one value: fix it; repeatable)")
	fs.Var(&refFlags, "reference", "override a key of the reference every point is compared with, the setup you run today: `PATH=VALUE` (repeatable; on top of [reference])")
	reps := fs.String("reps", "", "replications per point (overrides simulation.replications)")
	seed := fs.String("seed", "", "seed of every point (overrides simulation.seed)")
	deadline := fs.String("deadline", "", "recommend the cheapest point meeting this `DURATION` (overrides [sweep] deadline)")
	percentile := fs.Float64("percentile", 0, "percentile of completion time the deadline applies to, in (0, 100] (default [sweep]'s, else 95)")
	workers := fs.Int("workers", 0, "goroutines running replications (0 = one per CPU); results do not depend on it")
	out := fs.String("out", "", "write sweep.csv, sweep.json, report.md, report.html, frontier.png (and heatmap.png) to `DIR`")
	format := fs.String("format", "table", "stdout format: table, csv, json or md (with --shard: table or json, the shard file)")
	shardFlag := fs.String("shard", "", "run only shard `I/N` of the points (point K is in shard K mod N) and write shard-I-of-N.json to --out, for spotsim merge")
	restart := fs.Bool("restart", false, "discard the journal of an interrupted sweep in --out (of this or another sweep) and start over")
	pos, err := parse(e, c, fs, args)
	if err != nil {
		return err
	}
	shard, shards := 0, 1
	if *shardFlag != "" {
		if shard, shards, err = parseShard(*shardFlag); err != nil {
			return badInput(err)
		}
		if *out == "" {
			return badInput(fmt.Errorf("--shard %s needs --out DIR: the shard's points go to DIR/%s for spotsim merge", *shardFlag, sweep.ShardFile(shard, shards)))
		}
		if *format == "csv" || *format == "md" {
			return badInput(fmt.Errorf("--format %s: a shard has no frontier or recommendation yet; spotsim merge writes the sweep's outputs from all the shards", *format))
		}
	}
	switch *format {
	case "table", "csv", "json", "md":
	default:
		return badInput(fmt.Errorf("--format %s: want table, csv, json or md", *format))
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
	p := plan(sw, points)
	if p.Reference, err = sweepReference(doc, base, refFlags, sw, points); err != nil {
		return err
	}
	return runSweep(e, p, sweepOptions{args: args, workers: *workers, format: *format, out: *out,
		shard: shard, shards: shards, sharded: *shardFlag != "", restart: *restart})
}

// sweepReference builds the sweep's reference from the document's
// [reference] table and the --reference flags, on top of the scenario
// with the sweep's fixed overrides (base) but none of its axes: nil when
// there is neither. Every point's replication i is paired with the
// reference's replication i, so the points must share the reference's
// seed; the reference runs as many replications as the point that runs
// the most.
func sweepReference(doc *scenarios.Doc, base []scenarios.Set, flags []string, sw *scenarios.Sweep, points []*model.Scenario) (*sweep.Reference, error) {
	var refs []scenarios.Set
	for _, s := range flags {
		set, err := scenarios.ParseReference(s)
		if err != nil {
			return nil, badInput(err)
		}
		refs = append(refs, set)
	}
	ref, err := doc.Reference(base, refs...)
	if err != nil {
		return nil, badInput(err)
	}
	if ref == nil {
		return nil, nil
	}
	r := &sweep.Reference{Name: ref.Name, Description: ref.Description, Overrides: ref.Overrides, Scenario: ref.Scenario}
	for _, pt := range points {
		if pt.Seed != ref.Scenario.Seed {
			return nil, badInput(fmt.Errorf("the reference pairs every point's replications with its own on the same seed: it cannot be used in a sweep over simulation.seed (point seed %d, reference seed %d); fix the seed (--seed) or drop the reference", pt.Seed, ref.Scenario.Seed))
		}
		r.Replications = max(r.Replications, pt.Replications)
	}
	return r, nil
}

// plan is the sweep of the [sweep] table sw over its points.
func plan(sw *scenarios.Sweep, points []*model.Scenario) *sweep.Plan {
	p := &sweep.Plan{Percentile: sw.Percentile, Deadline: sw.Deadline}
	for _, a := range sw.Axes {
		p.Axes = append(p.Axes, report.SweepAxis{Path: a.Path, Values: a.Values})
	}
	for k, sc := range points {
		values := []string{}
		for _, s := range sw.Point(k) {
			values = append(values, s.Value)
		}
		p.Points = append(p.Points, sweep.Point{Values: values, Scenario: sc})
	}
	return p
}

// sweepOptions are the flags that say how a sweep runs, not what it is.
type sweepOptions struct {
	args          []string // the command line, for the reports
	workers       int
	format, out   string
	shard, shards int // shard of shards (0 of 1 unsharded)
	sharded       bool
	restart       bool
}

// parseShard parses --shard I/N.
func parseShard(s string) (int, int, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(i)
	b, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || b < 1 || b > sweep.MaxShards || a < 0 || a >= b {
		return 0, 0, fmt.Errorf("--shard %s: want I/N with 0 <= I < N <= %d, for example 0/4 (the first of four shards)", s, sweep.MaxShards)
	}
	return a, b, nil
}

// runSweep runs the sweep (sweep.Run) with SIGINT and SIGTERM stopping it,
// then writes the shard file, or builds the outputs through the same merge
// as spotsim merge, so a sweep in one piece, resumed or not, and merged
// shards give the same bytes.
func runSweep(e *env, p *sweep.Plan, o sweepOptions) error {
	// The work and memory first, before anything is written: the journal
	// holds at most this shard's points, so they bound what is left.
	mine := p.Mine(o.shard, o.shards)
	est := p.Estimate(mine, o.workers)
	limit := runner.MemoryLimit()
	if err := sweep.CheckMemory(est, len(mine), limit); err != nil {
		return badInput(fmt.Errorf("spotsim sweep: %v", err))
	}
	runner.SetMemoryLimit(limit)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var writing sync.Mutex
	release := onInterrupt(e, cancel, &writing, o.out != "")
	prog := newProgress(e, p.Points[0].Scenario.Name)
	prog.reference = p.Reference != nil
	prog.announce(est)
	part, j, err := sweep.Run(ctx, p, sweep.Options{Workers: o.workers, Shard: o.shard, Shards: o.shards, Sharded: o.sharded,
		Out: o.out, Restart: o.restart, Progress: prog.sweep, Log: e.stderr, Writing: &writing})
	prog.done()
	release()
	if err != nil {
		var in *sweep.InputError
		if errors.As(err, &in) {
			return badInput(fmt.Errorf("spotsim sweep: %v", err))
		}
		return fmt.Errorf("spotsim sweep: %v", err)
	}
	if o.sharded {
		err = writeShard(e, part, o)
	} else {
		err = writeMerged(e, "sweep", o.args, []*sweep.Shard{part}, o.format, o.out)
	}
	if err != nil {
		return err
	}
	j.Remove()
	return nil
}

// onInterrupt makes SIGINT and SIGTERM stop the sweep: the first lets the
// replications in flight finish and, with a journal, journals the points
// they complete; a second exits at once, once a journal write in progress
// (writing) is through. release restores the default handling.
func onInterrupt(e *env, stop func(), writing sync.Locker, journaled bool) (release func()) {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	quit := make(chan struct{})
	go func() {
		for n := 1; ; n++ {
			select {
			case <-quit:
				return
			case s := <-ch:
				if n == 1 {
					msg := "finishing the replications in flight"
					if journaled {
						msg += " and journaling the points they complete"
					}
					if e.stderrIsTTY {
						fmt.Fprintln(e.stderr) // past the progress line
					}
					fmt.Fprintf(e.stderr, "spotsim sweep: %v: %s (interrupt again to exit at once)\n", s, msg)
					stop()
					continue
				}
				writing.Lock() // a point being written is written whole
				fmt.Fprintf(e.stderr, "spotsim sweep: %v again: exiting now; run the same command again to resume\n", s)
				os.Exit(1)
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(quit)
	}
}

// writeShard writes shard-I-of-N.json to the output folder and says so.
func writeShard(e *env, part *sweep.Shard, o sweepOptions) error {
	data, err := part.JSON()
	if err != nil {
		return fmt.Errorf("spotsim sweep: %v", err)
	}
	name := sweep.ShardFile(o.shard, o.shards)
	if err := outfile.WriteAll(o.out, []outfile.File{{Name: name, Data: data}}); err != nil {
		return fmt.Errorf("spotsim sweep: %v", err)
	}
	if o.format == "json" {
		_, err = e.stdout.Write(data)
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "spotsim sweep: %s, shard %d/%d: %d of the %d points (those whose index is %d mod %d)\n",
		part.Name, o.shard, o.shards, len(part.Results), part.Points, o.shard, o.shards)
	fmt.Fprintf(&b, "wrote %s in %s; once all %d shards are done, spotsim merge FOLDER... --out DIR combines them\n", name, o.out, o.shards)
	_, err = e.stdout.Write(b.Bytes())
	return err
}

// writeMerged merges shards (one, for a sweep run in one piece) as they
// would be read from their files, then writes the outputs and stdout.
func writeMerged(e *env, cmd string, args []string, shards []*sweep.Shard, format, out string) error {
	read := make([]*sweep.Shard, len(shards))
	for i, s := range shards {
		r, err := s.RoundTrip()
		if err != nil {
			return fmt.Errorf("spotsim %s: %v", cmd, err)
		}
		read[i] = r
	}
	res, err := sweep.Merge(read)
	if err != nil {
		return badInput(prefixLines("spotsim "+cmd+": ", err))
	}
	res.Run = &report.RunInfo{Version: buildinfo.Read().String(), Date: e.now().UTC().Format(time.RFC3339),
		CommandLine: commandLine(cmd, args)}
	return writeSweep(e, cmd, res, format, out)
}

// prefixLines puts prefix before each line of err's message.
func prefixLines(prefix string, err error) error {
	lines := strings.Split(err.Error(), "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return errors.New(strings.Join(lines, "\n"))
}

func writeSweep(e *env, cmd string, res *report.Sweep, format, out string) error {
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
			return fmt.Errorf("spotsim %s: %v", cmd, err)
		}
		var md, page bytes.Buffer
		if err := res.WriteMarkdown(&md, charts); err != nil {
			return fmt.Errorf("spotsim %s: %v", cmd, err)
		}
		if err := res.WriteHTML(&page, charts); err != nil {
			return fmt.Errorf("spotsim %s: %v", cmd, err)
		}
		files := []outfile.File{{Name: "sweep.csv", Data: csv}, {Name: "sweep.json", Data: js},
			{Name: "report.md", Data: md.Bytes()}, {Name: "report.html", Data: page.Bytes()}}
		for _, c := range charts {
			files = append(files, outfile.File{Name: c.Name, Data: c.PNG})
		}
		if err := outfile.Replace(out, files); err != nil {
			return fmt.Errorf("spotsim %s: %v", cmd, err)
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
	case "md":
		if err := res.WriteMarkdown(&b, nil); err != nil {
			return err
		}
	default:
		res.WriteText(&b)
		if out != "" {
			fmt.Fprintf(&b, "\nwrote %s in %s\n", strings.Join(names, ", "), out)
		}
	}
	_, err = e.stdout.Write(b.Bytes())
	return err
}
