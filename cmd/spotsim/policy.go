package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/advise"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/runner"
)

func init() {
	register(&command{
		name:  "policy",
		usage: "export [FILE|NAME] [--pool NAME] [--set PATH=VALUE]... [--out FILE]",
		short: "write a pool's deadline policy as an Azure Batch autoscale formula",
		long: `spotsim policy export writes the [pools.policy] of a scenario's pool (--pool, default the
only pool with a policy) as an Azure Batch autoscale formula for that pool, job size and
deadline: change them with --set (--set jobs.train.tasks=2000 --set jobs.train.deadline=70h).
The formula reads only what Azure exposes ($PendingTasks samples, $PreemptedNodeCount,
$TargetDedicatedNodes, time() and constants); docs/policies.md says where it differs from the
policy spotsim simulates. spotsim run on a scenario with a policy also runs the exported formula
and reports both. The formula goes to stdout, or to --out FILE; check it with
spotsim formula check.`,
		run: policyCmd,
	})
	register(&command{
		name:  "advise",
		usage: "checkpoint [FILE|NAME] [--job NAME] [--reps N] [--steps N] [--workers N] [--set PATH=VALUE]...",
		short: "find the checkpoint interval that minimises a checkpointed job's expected time",
		long: `spotsim advise checkpoint SCENARIO finds the best [jobs.checkpoint] interval for a job
(--job, default the only checkpointed one). With exponential lifetimes (and no capacity events or
varying price) it minimises Daly's exact expected time M·e^{R/M}·(e^{(τ+C)/M} − 1)·W/τ per task
run; otherwise it runs a short simulated search: a golden-section search over the interval, --steps
intervals (default 12) of --reps replications each (simulation.replications), on common random
numbers. It
prints the best interval, the job's, their expected times and the time saved.`,
		run: adviseCmd,
	})
}

// onlyOne returns name if set, else the only candidate, else an error.
func onlyOne(what, flagName, name string, cands []string) (string, error) {
	if name != "" {
		return name, nil
	}
	if len(cands) == 1 {
		return cands[0], nil
	}
	if len(cands) == 0 {
		return "", fmt.Errorf("no %s in the scenario", what)
	}
	return "", fmt.Errorf("several %ss (%v): name one with %s", what, cands, flagName)
}

func policyCmd(e *env, args []string) error {
	c := find("policy")
	if len(args) == 0 || args[0] != "export" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			printHelp(e.stdout, c, nil)
			return flag.ErrHelp
		}
		return badInput(errors.New("spotsim policy: want export (see spotsim policy --help)"))
	}
	fs := flag.NewFlagSet("policy export", flag.ContinueOnError)
	var sf scenarioFlags
	sf.register(fs)
	pool := fs.String("pool", "", "the pool whose policy to export (default: the only one with a policy)")
	out := fs.String("out", "", "write the formula to `FILE` instead of stdout")
	pos, err := parse(e, c, fs, args[1:])
	if err != nil {
		return err
	}
	sc, err := sf.load("policy export", pos, false)
	if err != nil {
		return err
	}
	var cands []string
	for _, p := range sc.Pools {
		if p.Sizing != nil {
			cands = append(cands, p.Name)
		}
	}
	name, err := onlyOne("pool with a policy", "--pool", *pool, cands)
	if err != nil {
		return badInput(fmt.Errorf("spotsim policy export: %v", err))
	}
	x, err := sc.ExportPolicy(name)
	if err != nil {
		return badInput(fmt.Errorf("spotsim policy export: %v", err))
	}
	if *out != "" {
		if err := os.WriteFile(*out, []byte(x.Formula()), 0o644); err != nil {
			return fmt.Errorf("spotsim policy export: %v", err)
		}
		return nil
	}
	_, err = fmt.Fprint(e.stdout, x.Formula())
	return err
}

func adviseCmd(e *env, args []string) error {
	c := find("advise")
	if len(args) == 0 || args[0] != "checkpoint" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			printHelp(e.stdout, c, nil)
			return flag.ErrHelp
		}
		return badInput(errors.New("spotsim advise: want checkpoint (see spotsim advise --help)"))
	}
	fs := flag.NewFlagSet("advise checkpoint", flag.ContinueOnError)
	var sf scenarioFlags
	sf.register(fs)
	job := fs.String("job", "", "the checkpointed job (default: the only one)")
	steps := fs.Int("steps", 12, "intervals a simulated search tries")
	workers := fs.Int("workers", 0, "goroutines (0 = one per CPU); results do not depend on it")
	pos, err := parse(e, c, fs, args[1:])
	if err != nil {
		return err
	}
	if *steps < 3 || *steps > 100 || *workers < 0 {
		return badInput(errors.New("spotsim advise checkpoint: want --steps 3 to 100 and --workers >= 0"))
	}
	sc, err := sf.load("advise checkpoint", pos, false)
	if err != nil {
		return err
	}
	var cands []string
	for _, j := range sc.Jobs {
		if j.Checkpoint != nil {
			cands = append(cands, j.Name)
		}
	}
	name, err := onlyOne("checkpointed job", "--job", *job, cands)
	if err != nil {
		return badInput(fmt.Errorf("spotsim advise checkpoint: %v", err))
	}
	a, exact, err := advise.Exact(sc, name)
	if err != nil {
		return badInput(fmt.Errorf("spotsim advise checkpoint: %v", err))
	}
	if !exact {
		a, err = advise.Simulated(sc, name, sc.Replications, *steps, *workers)
		if err != nil {
			return fmt.Errorf("spotsim advise checkpoint: %v", err)
		}
	}
	writeAdvice(e, a)
	return nil
}

func writeAdvice(e *env, a advise.Advice) {
	fd := dist.FormatDuration
	pct := 0.0
	if a.CurrentTime > 0 {
		pct = 100 * float64(a.Saved()) / float64(a.CurrentTime)
	}
	fmt.Fprintf(e.stdout, "job %s: checkpoint every %s of work (now every %s)\n", a.Job, fd(a.Best), fd(a.Current))
	fmt.Fprintf(e.stdout, "  expected time %s at the best interval, %s at the job's: %s saved (%.2f %%)",
		fd(a.BestTime.Round(time.Second)), fd(a.CurrentTime.Round(time.Second)), fd(a.Saved().Round(time.Second)), pct)
	if a.SavedCI95 > 0 {
		fmt.Fprintf(e.stdout, ", 95 %% CI ± %s", fd(a.SavedCI95.Round(time.Second)))
	}
	fmt.Fprintf(e.stdout, "\n  found by %s\n", a.Method)
}

// formulaRuns runs the scenario's policies as their exported formulas, for
// the report's side-by-side comparison (nil when it has no policy).
func formulaRuns(sc *model.Scenario, workers int) (*runner.Side, error) {
	has := false
	for _, p := range sc.Pools {
		has = has || p.Sizing != nil
	}
	if !has {
		return nil, nil
	}
	fs, err := sc.FormulaScenario()
	if err != nil {
		return nil, err
	}
	return runner.Records(fs, workers)
}
