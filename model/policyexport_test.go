package model_test

import (
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/scenarios"
	"github.com/spotsim/spotsim/sim"
)

// exportShares runs reps replications of the built-in with the policy
// native and exported, returning each one's deadline share and mean cost.
func exportShares(t *testing.T, kind, deadline, overhead string, reps int) (native, formula [2]float64) {
	t.Helper()
	sc, err := scenarios.Load("deadline-fallback", scenarios.Set{Path: "pools.main.policy.kind", Value: kind},
		scenarios.Set{Path: "jobs.train.deadline", Value: deadline}, scenarios.Set{Path: "pools.main.start_delay", Value: overhead})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := sc.FormulaScenario()
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range []*model.Scenario{sc, fs} {
		rs, err := sim.Replicate(reps, 0, func(k int) (model.Result, error) { return model.Run(s, k, model.Options{}) })
		if err != nil {
			t.Fatal(err)
		}
		var out [2]float64
		for _, r := range rs {
			if r.Autoscale.Failures > 0 {
				t.Fatalf("%s: %s", kind, r.Autoscale.FirstError)
			}
			if sc.Jobs[0].Met(r.Jobs[0]) {
				out[0] += 1 / float64(reps)
			}
			out[1] += r.Cost / float64(reps)
		}
		if i == 0 {
			native = out
		} else {
			formula = out
		}
	}
	return native, formula
}

// exportDistance is the documented distance (docs/policies.md) allowed
// between the deadline shares of a native policy and its exported formula.
const exportDistance = 0.1

// TestExportedFormulas: every exported formula parses and checks, and its
// simulated deadline share is within exportDistance of the native
// policy's on the built-in at both deadlines and both overheads.
func TestExportedFormulas(t *testing.T) {
	for _, kind := range model.PolicyNames() {
		for _, deadline := range []string{"52h", "70h"} {
			sc, err := scenarios.Load("deadline-fallback", scenarios.Set{Path: "pools.main.policy.kind", Value: kind},
				scenarios.Set{Path: "jobs.train.deadline", Value: deadline})
			if err != nil {
				t.Fatal(err)
			}
			e, err := sc.ExportPolicy("main")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := autoscale.Parse(kind+".formula", e.Formula()); err != nil {
				t.Fatalf("%s: %v\n%s", kind, err, e.Formula())
			}
			if e.Policy.Kind < model.Greedy {
				continue // fixed targets: the same decisions, checked by their formula's targets
			}
			for _, overhead := range []string{"3m", "12m"} {
				native, formula := exportShares(t, kind, deadline, overhead, 6)
				if d := native[0] - formula[0]; d > exportDistance || d < -exportDistance {
					t.Errorf("%s %s %s: deadline share native %.2f, formula %.2f: more than %.2f apart", kind, deadline, overhead, native[0], formula[0], exportDistance)
				}
				t.Logf("%s %s %s: native met %.3f cost %.2f; formula met %.3f cost %.2f", kind, deadline, overhead, native[0], native[1], formula[0], formula[1])
			}
		}
	}
}
