package model_test

import (
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/scenarios"
)

// TestUtilisationAtMostOne runs every built-in scenario and its baseline
// for a few replications: slot utilisation (busy slot time over the slot
// time of idle, running and leavingpool nodes) never exceeds 1. Before it
// counted leavingpool nodes' busy time but not their slots, and
// dynamic-mix, whose autoscale formula shrinks with taskcompletion,
// reported 1.007 on average.
func TestUtilisationAtMostOne(t *testing.T) {
	for _, name := range scenarios.BuiltinNames() {
		d, err := scenarios.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := d.Scenario()
		if err != nil {
			t.Fatal(err)
		}
		reps := 2
		if name == "dynamic-mix" {
			reps = 6
		}
		for _, s := range []*model.Scenario{sc, sc.Baseline()} {
			for rep := 0; rep < reps; rep++ {
				res, err := model.Run(s, rep, model.Options{})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !(res.Utilisation > 0 && res.Utilisation <= 1) {
					t.Errorf("%s (%s) replication %d: utilisation %v", name, s.Name, rep, res.Utilisation)
				}
			}
		}
	}
}
