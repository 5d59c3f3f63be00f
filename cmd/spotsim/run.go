package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/report/buildinfo"
	"github.com/spotsim/spotsim/report/outfile"
	"github.com/spotsim/spotsim/scenarios"
)

func init() {
	register(&command{
		name:  "run",
		usage: "[FILE|NAME] [--reps N] [--seed N] [--workers N] [--set PATH=VALUE]... [--reference PATH=VALUE]... [--format table|md|csv|json] [--out DIR]",
		short: "simulate a scenario and its dedicated-only baseline; print the comparison",
		long: `FILE is a TOML scenario (docs/scenario.md); NAME a built-in scenario (spotsim scenarios);
none runs the built-in "default". Each replication of the scenario is paired with a replication
of its dedicated-only baseline (every low-priority node made dedicated) on the same random
streams, so savings and slowdown are paired differences with tight intervals.

--set PATH=VALUE overrides any scenario key by its dotted path, pools and jobs by name:
  --set pools.main.target_low_priority_nodes=50 --set jobs.render.tasks=10000
It is validated like the file. --reps and --seed are shorthands for simulation.replications
and simulation.seed. On run, a --set value is one TOML value (--set x=[1,2] is an array);
comma lists that vary a key are for spotsim sweep.

--reference PATH=VALUE names the setup you run today as overrides of the scenario as run
(on top of the file's [reference] table), for example
  --reference pools.main.target_dedicated_nodes=10 --reference pools.main.target_low_priority_nodes=0
It runs on the same random streams too, and savings and slowdown are also reported against it.

--format picks stdout's format: an aligned table, Markdown, CSV or JSON. With --out DIR,
summary.json, summary.csv, report.md, report.html (self-contained: the charts are embedded)
and the charts nodes.png, cost.png, completion.png (and price.png when the spot price varies)
are written there (atomically, once the
whole run succeeded: a failed run writes nothing). Results are byte-identical for any --workers.`,
		run: runCmd,
	})
	register(&command{
		name:  "validate",
		usage: "FILE|NAME|- [--set PATH=VALUE]... [--reference PATH=VALUE]...",
		short: "check a scenario without running it",
		run:   validateCmd,
	})
	register(&command{
		name:  "scenarios",
		usage: "",
		short: "list the built-in scenarios, one a line: name, then what it is",
		run:   scenariosCmd,
	})
}

// scenarioFlags are the flags that select and override a scenario.
type scenarioFlags struct {
	sets multiFlag
	reps string
	seed string
	// stdin, when set, is read for the scenario "-" (data files are then
	// relative to the current folder).
	stdin io.Reader
	// refs are the --reference flags (registerReference); doc and parsed
	// are the document and overrides load read, for reference.
	refs   multiFlag
	doc    *scenarios.Doc
	parsed []scenarios.Set
}

// registerReference adds --reference, for the commands that compare with
// a reference (run, sweep) or check one (validate).
func (sf *scenarioFlags) registerReference(fs *flag.FlagSet) {
	fs.Var(&sf.refs, "reference", "override a key of the reference, the setup you run today: `PATH=VALUE` (repeatable; on top of [reference])")
}

// reference builds the reference of the scenario load read, from its
// [reference] table and the --reference flags: nil when there is neither.
func (sf *scenarioFlags) reference() (*scenarios.Reference, error) {
	if sf.doc == nil {
		return nil, nil
	}
	var refs []scenarios.Set
	for _, s := range sf.refs {
		set, err := scenarios.ParseReference(s)
		if err != nil {
			return nil, badInput(err)
		}
		refs = append(refs, set)
	}
	ref, err := sf.doc.Reference(sf.parsed, refs...)
	if err != nil {
		return nil, badInput(err)
	}
	return ref, nil
}

func (sf *scenarioFlags) register(fs *flag.FlagSet) {
	fs.Var(&sf.sets, "set", "override a scenario key: `PATH=VALUE` (repeatable)")
	fs.StringVar(&sf.reps, "reps", "", "replications `N` (overrides simulation.replications)")
	fs.StringVar(&sf.seed, "seed", "", "seed `N` (overrides simulation.seed)")
}

// overrides returns the flags that changed the scenario as PATH=VALUE, in
// order: every --set, then --reps and --seed as the keys they set.
func (sf *scenarioFlags) overrides() []string {
	out := append([]string(nil), sf.sets...)
	if sf.reps != "" {
		out = append(out, "simulation.replications="+sf.reps)
	}
	if sf.seed != "" {
		out = append(out, "simulation.seed="+sf.seed)
	}
	return out
}

// commandLine is the command as a shell would take it back: "spotsim run
// my.toml --set 'x=\"1h\"'".
func commandLine(cmd string, args []string) string {
	parts := []string{"spotsim", cmd}
	for _, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+@%") == "" {
			parts = append(parts, a)
			continue
		}
		parts = append(parts, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	return strings.Join(parts, " ")
}

// load reads the scenario named by the positional arguments, with overrides.
func (sf *scenarioFlags) load(cmd string, pos []string, required bool) (*model.Scenario, error) {
	if len(pos) > 1 {
		return nil, badInput(fmt.Errorf("spotsim %s: one scenario at a time, got %d (%v)", cmd, len(pos), pos))
	}
	if required && len(pos) == 0 {
		return nil, badInput(fmt.Errorf("spotsim %s: name a scenario file or built-in (see spotsim scenarios)", cmd))
	}
	arg := ""
	if len(pos) == 1 {
		arg = pos[0]
	}
	var sets []scenarios.Set
	for _, s := range sf.sets {
		set, err := scenarios.ParseSet(s)
		if err != nil {
			return nil, badInput(err)
		}
		sets = append(sets, set)
	}
	for _, o := range []struct{ flag, path, v string }{{"--reps", "simulation.replications", sf.reps}, {"--seed", "simulation.seed", sf.seed}} {
		if o.v == "" {
			continue
		}
		if _, err := strconv.ParseUint(o.v, 10, 64); err != nil {
			return nil, badInput(fmt.Errorf("%s %s: want a non-negative whole number", o.flag, o.v))
		}
		sets = append(sets, scenarios.Set{Path: o.path, Value: o.v})
	}
	if arg == "-" {
		return sf.loadStdin(sets)
	}
	d, err := scenarios.Open(arg)
	if err != nil {
		return nil, badInput(err)
	}
	return sf.scenario(d, sets)
}

// scenario decodes the document with the overrides and keeps both, for
// the reference.
func (sf *scenarioFlags) scenario(d *scenarios.Doc, sets []scenarios.Set) (*model.Scenario, error) {
	sc, err := d.Scenario(sets...)
	if err != nil {
		return nil, badInput(err)
	}
	sf.doc, sf.parsed = d, sets
	return sc, nil
}

// loadStdin reads the scenario "-" from standard input.
func (sf *scenarioFlags) loadStdin(sets []scenarios.Set) (*model.Scenario, error) {
	if sf.stdin == nil {
		return nil, badInput(fmt.Errorf("-: this command does not read a scenario from standard input"))
	}
	data, err := io.ReadAll(io.LimitReader(sf.stdin, scenarios.MaxScenarioBytes+1))
	if err != nil {
		return nil, badInput(fmt.Errorf("<stdin>: %v", err))
	}
	d, err := scenarios.ParseDoc("<stdin>", string(data), ".")
	if err != nil {
		return nil, badInput(err)
	}
	return sf.scenario(d, sets)
}

func runCmd(e *env, args []string) error {
	c := find("run")
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var sf scenarioFlags
	sf.register(fs)
	sf.registerReference(fs)
	workers := fs.Int("workers", 0, "goroutines running replications (0 = one per CPU); results do not depend on it")
	out := fs.String("out", "", "write summary.json, summary.csv, report.md, report.html and the charts to `DIR`")
	format := fs.String("format", "table", "stdout format: table, md, csv or json")
	pos, err := parse(e, c, fs, args)
	if err != nil {
		return err
	}
	switch *format {
	case "table", "md", "csv", "json":
	default:
		return badInput(fmt.Errorf("--format %s: want table, md, csv or json", *format))
	}
	if *workers < 0 {
		return badInput(fmt.Errorf("--workers %d: want 0 (one per CPU) or more", *workers))
	}
	sc, err := sf.load("run", pos, false)
	if err != nil {
		return err
	}
	ref, err := sf.reference()
	if err != nil {
		return err
	}
	var refScenario *model.Scenario
	if ref != nil {
		refScenario = ref.Scenario
	}
	est := runner.EstimateRunWith(sc, refScenario, *workers)
	if *out != "" {
		est = est.WithCharts(report.MaxCostTraces, report.CostTraceBytes, float64(report.NodeTraceBytes))
	}
	limit := runner.MemoryLimit()
	if err := runner.CheckMemory(est, limit); err != nil {
		return badInput(fmt.Errorf("spotsim run: %v", err))
	}
	runner.SetMemoryLimit(limit)
	prog := newProgress(e, sc.Name)
	prog.announce(est)
	opt := runner.Options{Workers: *workers, Progress: prog.update}
	if ref != nil {
		opt.Reference = ref.Scenario
	}
	var traces [2]*report.CostTraces
	if *out != "" {
		traces = [2]*report.CostTraces{report.NewCostTraces(sc), report.NewCostTraces(sc.Baseline())}
		opt.Observe = func(rep int, baseline bool) model.Observer {
			if baseline {
				return traces[1].Observer(rep)
			}
			return traces[0].Observer(rep)
		}
	}
	runs, err := runner.PairWith(sc, opt)
	prog.done()
	if err != nil {
		return fmt.Errorf("spotsim run: %v", err)
	}
	sum := report.SummarizeRuns(sc, runs)
	if fr, err := formulaRuns(sc, *workers); err != nil {
		return fmt.Errorf("spotsim run: %v", err)
	} else if fr != nil {
		sum.AddFormulaRuns(sc, runs.Scenario, fr)
	}
	sum.Overrides = sf.overrides()
	if ref != nil {
		sum.AddReference(sc, ref.Scenario, ref.Name, ref.Description, ref.Overrides, runs)
	}
	sum.Run = &report.RunInfo{Version: buildinfo.Read().String(), Date: e.now().UTC().Format(time.RFC3339),
		CommandLine: commandLine("run", args)}
	js, err := sum.JSON()
	if err != nil {
		return err
	}
	csv, err := sum.CSV()
	if err != nil {
		return err
	}
	var files []outfile.File
	if *out != "" {
		files, err = runFiles(sc, runs, sum, traces, js, csv)
		if err != nil {
			return fmt.Errorf("spotsim run: %v", err)
		}
		if err := outfile.Replace(*out, files); err != nil {
			return fmt.Errorf("spotsim run: %v", err)
		}
	}
	var b bytes.Buffer
	switch *format {
	case "json":
		b.Write(js)
	case "csv":
		b.Write(csv)
	case "md":
		sum.WriteMarkdown(&b, nil)
	default:
		sum.WriteText(&b)
		if *out != "" {
			var names []string
			for _, f := range files {
				names = append(names, f.Name)
			}
			fmt.Fprintf(&b, "\nwrote %s in %s\n", strings.Join(names, ", "), *out)
		}
	}
	if _, err := e.stdout.Write(b.Bytes()); err != nil {
		return err
	}
	if sum.NothingFinished() {
		return noComparison{fmt.Errorf("spotsim run: no replication of the scenario or of its baseline finished within simulation.horizon (%s): nothing to compare (exit status 3)", sc.Horizon)}
	}
	return nil
}

// runFiles computes every output file of a run: the summary, the charts and
// the Markdown and HTML reports. The node chart follows the scenario's
// replication nearest the median completion, replayed with an observer
// (replications are deterministic, so the replay is that replication).
func runFiles(sc *model.Scenario, runs *runner.Runs, sum *report.Summary, traces [2]*report.CostTraces, js, csv []byte) ([]outfile.File, error) {
	rep := report.Representative(runs.Scenario.Records)
	nodes := report.NewNodeTraces(runs.Scenario.Records[rep].Completion, runs.Baseline.Records[rep].Completion)
	var markets []model.MarketSeries
	// the two replays are independent: run them side by side
	var errs [2]error
	var wg sync.WaitGroup
	for i, s := range []*model.Scenario{sc, sc.Baseline()} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := runner.Replay(s, rep, model.Options{Observer: nodes[i], KeepSeries: i == 0})
			if err != nil {
				errs[i] = err
				return
			}
			nodes[i].Done(res.Completion)
			if i == 0 {
				markets = res.Markets
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	charts, err := report.RunCharts(&report.RunChartData{Runs: runs, ScenarioCost: traces[0], BaselineCost: traces[1], Horizon: sc.Horizon, Deadline: report.ChartDeadline(sc),
		Rep: rep, ScenarioNodes: nodes[0], BaselineNodes: nodes[1], Markets: markets})
	if err != nil {
		return nil, err
	}
	var md, html bytes.Buffer
	if err := sum.WriteMarkdown(&md, charts); err != nil {
		return nil, err
	}
	if err := sum.WriteHTML(&html, charts); err != nil {
		return nil, err
	}
	files := []outfile.File{{Name: "summary.json", Data: js}, {Name: "summary.csv", Data: csv},
		{Name: "report.md", Data: md.Bytes()}, {Name: "report.html", Data: html.Bytes()}}
	for _, c := range charts {
		files = append(files, outfile.File{Name: c.Name, Data: c.PNG})
	}
	return files, nil
}

func validateCmd(e *env, args []string) error {
	c := find("validate")
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	sf := scenarioFlags{stdin: e.stdin}
	sf.register(fs)
	sf.registerReference(fs)
	pos, err := parse(e, c, fs, args)
	if err != nil {
		return err
	}
	sc, err := sf.load("validate", pos, true)
	if err != nil {
		return err
	}
	ref, err := sf.reference()
	if err != nil {
		return err
	}
	tasks := 0
	for _, j := range sc.Jobs {
		tasks += j.Tasks
	}
	verdict := "ok"
	quota := report.QuotaNotes(sc)
	if len(quota) > 0 {
		// valid, but not the pool it asks for, or not on Azure's defaults
		verdict = fmt.Sprintf("ok, with %d quota note(s) below", len(quota))
	}
	fmt.Fprintf(e.stdout, "%s: %s: %d pool(s), %s, %d job(s), %d task(s), %d replications\n",
		pos[0], verdict, len(sc.Pools), nodeCount(sc), len(sc.Jobs), tasks, sc.Replications)
	for i, l := range report.Lifetimes(sc) {
		p := &sc.Pools[i]
		fmt.Fprintf(e.stdout, "  pool %s (%s): %s; lifetime %s\n", p.Name, p.Service.Describe(), p.DescribeSize(), l.Description)
		if p.Autoscale != nil {
			fmt.Fprintf(e.stdout, "  pool %s: its formula sets its targets as it runs, so they can only be checked against Azure's default quotas by running it: spotsim run's report does (the largest of any replication)\n", p.Name)
		}
		if l.Market != "" {
			fmt.Fprintf(e.stdout, "  pool %s: also evicted by %s\n", p.Name, l.Market)
		}
	}
	for _, n := range quota {
		fmt.Fprintf(e.stdout, "  %s\n", n)
	}
	if ref != nil {
		fmt.Fprintf(e.stdout, "  reference %q: %s\n", ref.Name, report.Configuration(ref.Scenario))
	}
	return nil
}

// nodeCount says how many nodes validate's scenario asks for: the most
// any fixed pool's targets reach, "up to" a cluster's max_instances, and
// the pools whose formula sets them, which only a run knows.
func nodeCount(sc *model.Scenario) string {
	nodes, formulas, upTo := 0, 0, false
	for i := range sc.Pools {
		p := &sc.Pools[i]
		switch {
		case p.Autoscale != nil:
			formulas++
		case p.Cluster != nil:
			nodes += p.Cluster.MaxInstances
			upTo = true
		case p.Sizing != nil:
			nodes += p.Sizing.Nodes
		default:
			nodes += p.MostNodes()
		}
	}
	text := fmt.Sprintf("%d node(s)", nodes)
	if upTo {
		text = "up to " + text
	}
	switch {
	case formulas > 0 && formulas == len(sc.Pools):
		return fmt.Sprintf("nodes set by %d autoscale formula(s)", formulas)
	case formulas > 0:
		return fmt.Sprintf("%s + those set by %d autoscale formula(s)", text, formulas)
	}
	return text
}

func scenariosCmd(e *env, args []string) error {
	c := find("scenarios")
	fs := flag.NewFlagSet("scenarios", flag.ContinueOnError)
	pos, err := parse(e, c, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInput(fmt.Errorf("spotsim scenarios: takes no arguments"))
	}
	list := scenarios.Builtins()
	width := 0
	for _, b := range list {
		width = max(width, len(b.Name))
	}
	for _, b := range list {
		fmt.Fprintf(e.stdout, "%-*s  %s\n", width, b.Name, b.Description)
	}
	return nil
}
