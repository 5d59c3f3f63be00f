package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestRunReferenceSameForAnyWorkers: a run with a reference writes the
// same summary, reports and charts for 1 and 4 workers, and summary.json
// carries the reference and the comparison with it.
func TestRunReferenceSameForAnyWorkers(t *testing.T) {
	small := filepath.Join(repoRoot(t), "report", "testdata", "small.toml")
	dirs := sameForWorkers(t, []string{"run", small, "--reference", "pools.main.target_dedicated_nodes=4", "--reference", "pools.main.target_low_priority_nodes=0"},
		`Against the reference "reference"`, "summary.json", "summary.csv", "report.md", "report.html")
	var sum struct {
		Reference *struct {
			Overrides     []string `json:"overrides"`
			Configuration string   `json:"configuration"`
			Finished      int      `json:"finished"`
		} `json:"reference"`
		Savings *struct{ N int } `json:"savings_vs_reference_pct"`
	}
	readJSON(t, filepath.Join(dirs[0], "summary.json"), &sum)
	if sum.Reference == nil || sum.Savings == nil || sum.Savings.N == 0 || sum.Reference.Finished == 0 {
		t.Fatalf("summary.json: no reference or no comparison with it: %+v", sum)
	}
	if want := []string{"pools.main.target_dedicated_nodes=4", "pools.main.target_low_priority_nodes=0"}; !reflect.DeepEqual(sum.Reference.Overrides, want) {
		t.Errorf("reference overrides %q, want %q", sum.Reference.Overrides, want)
	}
	if !strings.Contains(sum.Reference.Configuration, "4 dedicated + 0 low-priority") {
		t.Errorf("reference configuration %q", sum.Reference.Configuration)
	}
}

// TestReferenceThatIsTheBaseline: a reference that makes every node
// dedicated is the dedicated-only baseline, so the savings and slowdown
// against it are those against the baseline, to the last bit.
func TestReferenceThatIsTheBaseline(t *testing.T) {
	code, stdout, stderr := cli(t, "run", "default", "--reps", "30", "--format", "json",
		"--reference", "pools.main.target_dedicated_nodes=22", "--reference", "pools.main.target_low_priority_nodes=0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sum map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	for _, k := range [][2]string{{"savings_pct", "savings_vs_reference_pct"}, {"saved_usd", "saved_vs_reference_usd"}, {"slowdown_pct", "slowdown_vs_reference_pct"}} {
		if string(sum[k[0]]) != string(sum[k[1]]) {
			t.Errorf("%s %s, but %s %s", k[0], sum[k[0]], k[1], sum[k[1]])
		}
	}
	var base, ref map[string]json.RawMessage
	json.Unmarshal(sum["baseline"], &base)
	json.Unmarshal(sum["reference"], &ref)
	for _, k := range []string{"cost_usd", "completion_time_hours", "finished"} {
		if string(base[k]) != string(ref[k]) {
			t.Errorf("%s: baseline %s, reference %s", k, base[k], ref[k])
		}
	}
}

// TestReferenceErrorsNamePlace: a bad reference is refused (exit 2) with
// the --reference flag or the [reference] key's place in the file.
func TestReferenceErrorsNamePlace(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "default", "--reference", "pools.main.target_low_priorty_nodes=0"},
			`--reference pools.main.target_low_priorty_nodes=0: pools.main.target_low_priorty_nodes: unknown key (did you mean "target_low_priority_nodes"?)`},
		{[]string{"run", "default", "--reference", "pools.main.vm_size=nope"}, `--reference pools.main.vm_size=nope: pools.main.vm_size: unknown VM size "nope"`},
		{[]string{"run", "default", "--reference", "simulation.replications=3"}, `--reference simulation.replications=3: simulation.replications: a reference runs on the scenario's random streams`},
		{[]string{"validate", "default", "--reference", "pools.main.target_dedicated_nodes=-1"}, `--reference pools.main.target_dedicated_nodes=-1: pools.main.target_dedicated_nodes:`},
	} {
		code, stdout, stderr := cli(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", tc.args, code, stderr, tc.want)
		}
		if strings.Contains(stdout, "Against") {
			t.Errorf("%q: printed a report on error", tc.args)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
