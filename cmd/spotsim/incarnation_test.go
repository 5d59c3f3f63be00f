package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestCrunchLifetimeScenario runs issue 11's reproduction from its scenario
// file (an empirical lifetime file holding 10h, crunches every 7 h): one
// preemption per crunch, 10 in all, in every replication (51 before the
// fix, when a crunch left the evicted incarnation's lifetime event
// pending).
func TestCrunchLifetimeScenario(t *testing.T) {
	file := filepath.Join(repoRoot(t), "testdata", "scenarios", "crunch-lifetime.toml")
	code, out, errs := cli(t, "run", file, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var s struct {
		Scenario struct {
			Preemptions struct{ Mean, SD float64 }
			Completion  struct{ Mean float64 } `json:"completion_time_hours"`
		}
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if p := s.Scenario.Preemptions; p.Mean != 10 || p.SD != 0 {
		t.Errorf("preemptions %+v, want 10 in every replication", p)
	}
	if c := s.Scenario.Completion.Mean; c < 71.666 || c > 71.667 {
		t.Errorf("completion %v h, want 71 h 40 min", c)
	}
}
