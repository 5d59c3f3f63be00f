package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A pool of low-priority nodes only, preempted every minute on average:
// the 5-minute tasks get through in time, the 2-hour ones never do.
const cannotFinish = `[simulation]
replications = 3
horizon = "12h"

[[pools]]
name = "spot"
vm_size = "Standard_D4s_v5"
target_low_priority_nodes = 2

[pools.preemption]
mean_time_to_preemption = "1m"

[[jobs]]
name = "short"
pool = "spot"
tasks = 4
duration = "5m"

[[jobs]]
name = "long"
pool = "spot"
tasks = 4
duration = "2h"
`

// TestCannotFinishStopsAtHorizon: a scenario that cannot finish stops at
// simulation.horizon (a small one keeps the test short) and is reported as
// unfinished with the share of its work done, while its dedicated-only
// baseline finishes. No scenario run finished, so there is no comparison:
// exit status 3, the outputs written all the same.
func TestCannotFinishStopsAtHorizon(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "spot.toml")
	if err := os.WriteFile(file, []byte(cannotFinish), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, stdout, stderr := cli(t, "run", file, "--out", out)
	if code != 3 {
		t.Fatalf("exit %d, want 3: %s", code, stderr)
	}
	if want := "UNFINISHED: 3 of 3 scenario runs hit the 12.00 h horizon with 50.0 % of their tasks done on average"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	data, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	type side struct {
		Finished   int     `json:"finished"`
		Unfinished int     `json:"unfinished"`
		WorkDone   float64 `json:"work_done_share_unfinished"`
	}
	var sum struct{ Scenario, Baseline side }
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if s := sum.Scenario; s.Finished != 0 || s.Unfinished != 3 || s.WorkDone != 0.5 {
		t.Errorf("scenario: %+v, want 0 finished, 3 unfinished, half the work done", s)
	}
	if b := sum.Baseline; b.Finished != 3 || b.Unfinished != 0 {
		t.Errorf("baseline: %+v, want 3 finished", b)
	}
}
