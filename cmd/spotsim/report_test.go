package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRunOutputsSameForAnyWorkers: spotsim run --out writes the summary,
// both reports and every chart, byte-identical for 1 and 4 workers.
func TestRunOutputsSameForAnyWorkers(t *testing.T) {
	small := filepath.Join(repoRoot(t), "report", "testdata", "small.toml")
	sameForWorkers(t, []string{"run", small}, "report.html",
		"summary.json", "summary.csv", "report.md", "report.html", "nodes.png", "cost.png", "completion.png")
}

// runInfoRe matches the line of report.md and report.html that names the
// build, the date and the command line.
var runInfoRe = regexp.MustCompile(`(?m)^(<p class="desc" id="run-info">)?Run by spotsim .*$`)

// sameForWorkers runs args with --workers 1 and 4, each into its own --out
// folder, checks that stdout contains wantStdout, that every named file is
// non-empty and byte-identical between the two, and returns the folders.
func sameForWorkers(t *testing.T, args []string, wantStdout string, files ...string) []string {
	t.Helper()
	var dirs []string
	for _, w := range []string{"1", "4"} {
		dir := t.TempDir()
		code, stdout, stderr := cli(t, append(append([]string(nil), args...), "--workers", w, "--out", dir)...)
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		if !strings.Contains(stdout, wantStdout) {
			t.Errorf("workers %s: stdout lacks %q:\n%s", w, wantStdout, stdout)
		}
		dirs = append(dirs, dir)
	}
	for _, name := range files {
		a, err := os.ReadFile(filepath.Join(dirs[0], name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dirs[1], name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".html") {
			// the human reports say which command ran, and when: all that
			// differs between the two
			ra, rb := runInfoRe.FindAll(a, -1), runInfoRe.FindAll(b, -1)
			if args[0] == "run" && (len(ra) != 1 || !bytes.Contains(ra[0], []byte("--workers 1")) || len(rb) != 1 || !bytes.Contains(rb[0], []byte("--workers 4"))) {
				t.Errorf("%s: no line naming the build, date and command (%q, %q)", name, ra, rb)
			}
			a, b = runInfoRe.ReplaceAll(a, nil), runInfoRe.ReplaceAll(b, nil)
		} else if bytes.Contains(a, []byte("--workers")) {
			t.Errorf("%s: names the command line", name)
		}
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: differs between 1 and 4 workers (or is empty)", name)
		}
	}
	return dirs
}

func TestRunFormatMarkdown(t *testing.T) {
	small := filepath.Join(repoRoot(t), "report", "testdata", "small.toml")
	code, stdout, stderr := cli(t, "run", small, "--reps", "3", "--format", "md")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "# spotsim: small\n") || !strings.Contains(stdout, "| cost (USD) | scenario |") {
		t.Errorf("--format md output:\n%s", stdout)
	}
	if strings.Contains(stdout, ".png") {
		t.Errorf("--format md on stdout links charts that were not written:\n%s", stdout)
	}
}

// TestRunNothingFinished: when no replication finishes there is no
// comparison: exit status 3, the outputs still written, no number in the
// table's statistics and null (never 0) in summary.json.
func TestRunNothingFinished(t *testing.T) {
	small := filepath.Join(repoRoot(t), "report", "testdata", "small.toml")
	dir := t.TempDir()
	code, stdout, stderr := cli(t, "run", small, "--set", `simulation.horizon="1h"`, "--out", dir)
	if code != 3 || !strings.Contains(stderr, "no replication") {
		t.Errorf("exit %d, stderr %q; want 3 and a message", code, stderr)
	}
	if !strings.Contains(stdout, "No comparison: no replication of the scenario finished") || strings.Contains(stdout, "0.000       0.000") {
		t.Errorf("table:\n%s", stdout)
	}
	js, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"mean": null`) {
		t.Errorf("summary.json has no null mean:\n%.1500s", js)
	}
}

// TestValidateQuota: validate names a target a quota will cap, and one over
// Azure's default quota when [quotas] does not set it; within quota it
// says a plain ok.
func TestValidateQuota(t *testing.T) {
	for _, c := range []struct {
		sets     []string
		want     string
		scenario string // default: default
	}{
		{nil, "default: ok: 1 pool(s)", ""},
		{[]string{"--set", "pools.main.target_low_priority_nodes=40"}, "QUOTA WARNING: pool main asks for 40 low-priority nodes (160 cores), more than Azure Batch's default low-priority quota per account, 100 cores, which would allow 25 nodes", ""},
		{[]string{"--set", "pools.main.target_low_priority_nodes=40", "--set", "quotas.low_priority_cores=100"}, "QUOTA: pool main will run as 25 low-priority nodes (capped by the low-priority quota)", ""},
		// pools whose size is not fixed: the most they may ask for
		{[]string{"--set", "pools.main.policy.nodes=30"}, "QUOTA WARNING: pool main may ask for up to 30 low-priority nodes (its policy's nodes, of either kind: 120 cores), more than Azure Batch's default low-priority quota per account, 100 cores, which would allow 25 nodes", "deadline-fallback"},
		{[]string{"--set", "pools.cpu-cluster.cluster.max_instances=30"}, "QUOTA WARNING: pool cpu-cluster may ask for up to 30 low-priority nodes (its cluster's max_instances: 120 cores), more than the lowest default regional Spot / low-priority vCPU quota", "heart-classifier"},
	} {
		name := "default"
		if c.scenario != "" {
			name = c.scenario
		}
		code, stdout, stderr := cli(t, append([]string{"validate", name}, c.sets...)...)
		if code != 0 || !strings.Contains(stdout, c.want) {
			t.Errorf("%v: exit %d, stdout %q (want %q), stderr %q", c.sets, code, stdout, c.want, stderr)
		}
		if len(c.sets) > 0 && !strings.Contains(stdout, "ok, with 1 quota note(s)") {
			t.Errorf("%v: the first line does not point at the quota note:\n%s", c.sets, stdout)
		}
	}
}

// TestRunSaysWhatRan: the header describes the pool after --set, not the
// file's description, and lists the overrides; report.md adds the build,
// the date and the command line, which summary.json never holds.
func TestRunSaysWhatRan(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := cli(t, "run", "default", "--reps", "3", "--set", "pools.main.target_low_priority_nodes=50", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Simulated: pool main (Azure Batch pool): 2 dedicated + 50 low-priority Standard_D4s_v5",
		"Overrides: --set pools.main.target_low_priority_nodes=50 --set simulation.replications=3.",
		"The file describes it, before the overrides, as:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !runInfoRe.Match(md) || !strings.Contains(string(md), "spotsim run default --reps 3 --set pools.main.target_low_priority_nodes=50 --out") {
		t.Errorf("report.md has no build, date and command line:\n%.800s", md)
	}
	js, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"configuration": "pool main (Azure Batch pool): 2 dedicated + 50 low-priority`) || strings.Contains(string(js), "Run by") || strings.Contains(string(js), "--out") {
		t.Errorf("summary.json: configuration missing, or run info present:\n%.600s", js)
	}
}

// TestValidateNodeCount: validate's first line counts the nodes a pool
// asks for as far as they are known before it runs: fixed targets, "up to"
// a cluster's max_instances, and, for a formula, that the formula sets them
// (it used to say "0 node(s)" for both), with a line saying that the run
// checks a formula's targets against the default quotas.
func TestValidateNodeCount(t *testing.T) {
	for _, c := range []struct{ scenario, want, line string }{
		{"default", "ok: 1 pool(s), 22 node(s), 1 job(s)", ""},
		{"heart-classifier", "ok: 1 pool(s), up to 2 node(s), 1 job(s)", ""},
		{"dynamic-mix", "ok: 1 pool(s), nodes set by 1 autoscale formula(s), 1 job(s)",
			"pool main: its formula sets its targets as it runs, so they can only be checked against Azure's default quotas by running it"},
	} {
		code, stdout, stderr := cli(t, "validate", c.scenario)
		if code != 0 || !strings.Contains(stdout, c.want) || !strings.Contains(stdout, c.line) || strings.Contains(stdout, " 0 node(s)") {
			t.Errorf("%s: exit %d, stdout %q (want %q and %q), stderr %q", c.scenario, code, stdout, c.want, c.line, stderr)
		}
	}
}

// TestAutoscaledQuotaWarning: an autoscaled pool's targets are known once
// it has run, so the run's report, summary.json and every sweep point
// check the largest its formula set against Azure's default quota:
// dynamic-mix asks for up to 25 low-priority nodes, 100 cores on
// Standard_D4s_v5 (within the default) and 200 on Standard_D8s_v5 (over
// it). Before, autoscaled pools were never checked.
func TestAutoscaledQuotaWarning(t *testing.T) {
	const warn = "QUOTA WARNING: pool main asked for up to 25 low-priority nodes (its autoscale formula's largest target in these runs: 200 cores), more than Azure Batch's default low-priority quota per account, 100 cores, which would allow 12 nodes"
	dir := t.TempDir()
	code, stdout, stderr := cli(t, "run", "dynamic-mix", "--reps", "2", "--set", "pools.main.vm_size=Standard_D8s_v5", "--out", dir)
	if code != 0 || !strings.Contains(stdout, warn) {
		t.Fatalf("exit %d, stderr %q; stdout lacks %q:\n%s", code, stderr, warn, stdout)
	}
	js, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"asked_nodes": 25`) || !strings.Contains(string(js), `"from_runs": true`) {
		t.Errorf("summary.json's quota fits lack the formula's 25 nodes from the runs:\n%s", js)
	}
	code, stdout, stderr = cli(t, "sweep", "dynamic-mix", "--reps", "2", "--set", "pools.main.vm_size=Standard_D4s_v5,Standard_D8s_v5")
	if code != 0 || !strings.Contains(stdout, "point 1: "+warn) || strings.Contains(stdout, "point 0: QUOTA") {
		t.Errorf("sweep: exit %d, stderr %q; want the warning on point 1 only:\n%s", code, stderr, stdout)
	}
}
