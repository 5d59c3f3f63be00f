package main

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// referenceTable is a [reference] that keeps the small scenario's pool
// all dedicated: the setup "run today".
const referenceTable = `
[reference]
name = "today"
pools.main.target_dedicated_nodes = 4
pools.main.target_low_priority_nodes = 0
`

// withReference is small.toml with smallSweep and referenceTable.
func withReference(t *testing.T) string {
	t.Helper()
	return sweepFile(t, smallSweep+referenceTable)
}

// TestSweepReferenceIsRunsReference: the reference runs on the sweep's seed
// and every point's replication i is paired with its replication i, as
// spotsim run pairs them, so a one-point sweep and run print the same
// reference numbers, byte for byte, whether the reference comes from the
// file's [reference] or from --reference.
func TestSweepReferenceIsRunsReference(t *testing.T) {
	small := filepath.Join(repoRoot(t), "report", "testdata", "small.toml")
	for _, tc := range []struct {
		name string
		args []string // the scenario, its overrides and its reference
	}{
		{"--reference", []string{small, "--set", "pools.main.target_low_priority_nodes=6", "--reference", "pools.main.target_dedicated_nodes=4", "--reference", "pools.main.target_low_priority_nodes=0"}},
		{"[reference]", []string{sweepFile(t, referenceTable), "--set", "pools.main.target_low_priority_nodes=6"}},
		{"[reference] and --reference", []string{sweepFile(t, referenceTable), "--reference", "pools.main.target_dedicated_nodes=2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, sweepOut, stderr := cli(t, append([]string{"sweep", "--format", "json"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("sweep: exit %d: %s", code, stderr)
			}
			if strings.Contains(stderr, "not used by sweeps") {
				t.Errorf("sweep still says the reference is not used: %s", stderr)
			}
			code, runOut, stderr := cli(t, append([]string{"run", "--format", "json"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			var sw struct {
				Results   []map[string]json.RawMessage `json:"results"`
				Reference map[string]json.RawMessage   `json:"reference"`
			}
			var sum map[string]json.RawMessage
			if err := json.Unmarshal([]byte(sweepOut), &sw); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(runOut), &sum); err != nil {
				t.Fatal(err)
			}
			if len(sw.Results) != 1 || sw.Reference == nil {
				t.Fatalf("%d points, reference %v; want one point and a reference", len(sw.Results), sw.Reference != nil)
			}
			var ref map[string]json.RawMessage
			json.Unmarshal(sum["reference"], &ref)
			compact := func(m map[string]json.RawMessage) {
				for k, v := range m {
					var b bytes.Buffer
					json.Compact(&b, v)
					m[k] = b.Bytes()
				}
			}
			compact(sw.Reference)
			compact(sw.Results[0])
			compact(ref)
			compact(sum)
			for _, k := range []string{"name", "overrides", "configuration", "finished", "unfinished", "cost_usd", "completion_time_hours", "preemptions", "node_hours"} {
				if string(sw.Reference[k]) != string(ref[k]) || len(ref[k]) == 0 {
					t.Errorf("reference %s: sweep %s, run %s", k, sw.Reference[k], ref[k])
				}
			}
			for _, k := range []string{"savings_vs_reference_pct", "saved_vs_reference_usd", "slowdown_vs_reference_pct", "savings_pct", "slowdown_pct"} {
				if string(sw.Results[0][k]) != string(sum[k]) || len(sum[k]) == 0 {
					t.Errorf("%s: sweep %s, run %s", k, sw.Results[0][k], sum[k])
				}
			}
		})
	}
}

// TestSweepReferenceEverywhere: with a reference, every output of a sweep
// compares each point with it (the table's columns, sweep.csv's, the
// recommendation sentence, report.md and report.html), the same bytes for
// any worker count, and a sweep's shards merge into those bytes.
func TestSweepReferenceEverywhere(t *testing.T) {
	file := withReference(t)
	dirs := sameForWorkers(t, []string{"sweep", file}, `against your reference "today"`, sweepOutputs...)
	whole := dirs[0]
	csv, _ := os.ReadFile(filepath.Join(whole, "sweep.csv"))
	head, _, _ := strings.Cut(string(csv), "\n")
	for _, col := range []string{"savings_vs_reference_mean_pct", "savings_vs_reference_ci95_low_pct", "saved_vs_reference_mean_usd", "slowdown_vs_reference_ci95_high_pct", "reference_pairs_unfinished"} {
		if !strings.Contains(head, col) {
			t.Errorf("sweep.csv has no %s column: %s", col, head)
		}
	}
	for _, name := range []string{"report.md", "report.html"} {
		b, _ := os.ReadFile(filepath.Join(whole, name))
		b = []byte(html.UnescapeString(string(b)))
		for _, want := range []string{`Reference "today" (what you run today)`, "savings vs reference (95% CI)", `against your reference "today"`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	code, table, stderr := cli(t, "sweep", file)
	if code != 0 || !strings.Contains(table, "slowdown vs reference (%, 95% CI)") || !strings.Contains(table, `and the same reference "today"`) {
		t.Errorf("table: exit %d: %s\n%s", code, stderr, table)
	}
	shards := t.TempDir()
	for _, s := range []string{"0/3", "1/3", "2/3"} {
		if code, _, stderr := cli(t, "sweep", file, "--shard", s, "--workers", "1", "--out", shards); code != 0 {
			t.Fatalf("--shard %s: exit %d: %s", s, code, stderr)
		}
	}
	merged := t.TempDir()
	if code, _, stderr := cli(t, "merge", shards, "--out", merged); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	sameOutputs(t, "3 shards with a reference", whole, merged)
}

// TestSweepReferenceBindsJournalsAndShards: the reference is part of the
// sweep's fingerprint, so the journal of the same sweep without it, or
// with another, is refused, and so are shards with different references;
// a sweep over the seed cannot be paired with one reference.
func TestSweepReferenceBindsJournalsAndShards(t *testing.T) {
	file := sweepFile(t, smallSweep)
	for _, tc := range []struct {
		name         string
		first, again []string
	}{
		{"none, then one", nil, []string{"--reference", "pools.main.target_low_priority_nodes=0"}},
		{"one, then another", []string{"--reference", "pools.main.target_low_priority_nodes=0"}, []string{"--reference", "pools.main.target_low_priority_nodes=1"}},
		{"one, then another name", []string{"--reference", "pools.main.target_low_priority_nodes=0"}, []string{"--reference", "pools.main.target_low_priority_nodes=0", "--reference", "name=today"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			failFinalWrite(t, file, dir, tc.first...)
			code, _, stderr := cli(t, append([]string{"sweep", file, "--out", dir}, tc.again...)...)
			if code != 2 || !strings.Contains(stderr, "of a different sweep") {
				t.Errorf("journal: exit %d: %s; want 2, a different sweep", code, stderr)
			}
			shards := t.TempDir()
			for i, s := range []string{"0/2", "1/2"} {
				args := append([]string{"sweep", file, "--shard", s, "--out", shards}, [][]string{tc.first, tc.again}[i]...)
				if code, _, stderr := cli(t, args...); code != 0 {
					t.Fatalf("--shard %s: exit %d: %s", s, code, stderr)
				}
			}
			code, _, stderr = cli(t, "merge", shards, "--out", t.TempDir())
			if code != 2 || !strings.Contains(stderr, "different sweeps") {
				t.Errorf("merge: exit %d: %s; want 2, different sweeps", code, stderr)
			}
		})
	}
	code, _, stderr := cli(t, "sweep", file, "--set", "simulation.seed=1,2", "--reference", "pools.main.target_low_priority_nodes=0")
	if code != 2 || !strings.Contains(stderr, "cannot be used in a sweep over simulation.seed") {
		t.Errorf("a sweep over the seed with a reference: exit %d: %s", code, stderr)
	}
}
