package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/model"
)

// TestPolicyExportChecks: every policy's exported formula, at both of the
// built-in's deadlines, passes spotsim formula check.
func TestPolicyExportChecks(t *testing.T) {
	dir := t.TempDir()
	for _, kind := range model.PolicyNames() {
		for _, deadline := range []string{"52h", "70h"} {
			file := filepath.Join(dir, kind+deadline+".formula")
			code, _, stderr := cli(t, "policy", "export", "deadline-fallback", "--set", "pools.main.policy.kind="+kind,
				"--set", "jobs.train.deadline="+deadline, "--out", file)
			if code != 0 {
				t.Fatalf("%s %s: export exit %d: %s", kind, deadline, code, stderr)
			}
			if code, _, stderr := cli(t, "formula", "check", file); code != 0 {
				t.Errorf("%s %s: formula check exit %d: %s", kind, deadline, code, stderr)
			}
		}
	}
	code, out, _ := cli(t, "policy", "export", "deadline-fallback")
	if code != 0 || !strings.Contains(out, "$TargetDedicatedNodes = dedicated ? nodes : 0;") || !strings.Contains(out, "evaluate it every 5m") {
		t.Errorf("export to stdout: exit %d:\n%s", code, out)
	}
	if code, _, stderr := cli(t, "policy", "export", "default"); code != 2 || !strings.Contains(stderr, "no pool with a policy") {
		t.Errorf("a scenario without a policy: exit %d, %q", code, stderr)
	}
}

// TestAdviseCheckpoint: Daly's optimum for the exponential built-in, and
// the run report names it since the job's 30 min is more than 10 % off.
func TestAdviseCheckpoint(t *testing.T) {
	code, out, stderr := cli(t, "advise", "checkpoint", "checkpointed-training")
	if code != 0 || !strings.Contains(out, "job train: checkpoint every 36m38s of work (now every 30m)") || !strings.Contains(out, "Daly's exact expected time") {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
	code, out, _ = cli(t, "run", "checkpointed-training", "--reps", "5")
	if code != 0 || !strings.Contains(out, "CHECKPOINT: job train checkpoints every 30m; with these exponential lifetimes Daly's exact optimum is every 36m38s") {
		t.Errorf("run report: exit %d:\n%s", code, out)
	}
	code, out, _ = cli(t, "run", "checkpointed-training", "--reps", "5", "--set", "jobs.train.checkpoint.interval=37m")
	if code != 0 || strings.Contains(out, "CHECKPOINT:") {
		t.Errorf("within 10 %% of the optimum, the report says nothing: exit %d:\n%s", code, out)
	}
	code, out, _ = cli(t, "run", "checkpointed-training", "--reps", "5", "--set", "pools.gpu.preemption.max_lifetime=24h")
	if code != 0 || !strings.Contains(out, "for exponential lifetimes of the same mean Daly's optimum would be every") {
		t.Errorf("capped lifetimes: exit %d:\n%s", code, out)
	}
	if code, _, stderr := cli(t, "advise", "checkpoint", "default"); code != 2 || !strings.Contains(stderr, "no checkpointed job") {
		t.Errorf("no checkpointed job: exit %d, %q", code, stderr)
	}
	code, out, stderr = cli(t, "advise", "checkpoint", "checkpointed-training", "--reps", "8", "--steps", "5",
		"--set", "pools.gpu.capacity.availability={ fraction = 0.7, mean_spell = \"4h\" }")
	if code != 0 || !strings.Contains(out, "found by a simulated golden-section search") {
		t.Errorf("simulated search: exit %d: %s%s", code, out, stderr)
	}
}
