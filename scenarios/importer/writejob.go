package importer

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/spotsim/spotsim/model/fit"
)

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
