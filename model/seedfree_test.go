package model_test

import (
	"reflect"
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/scenarios"
)

// TestSeedFreeRuns: a run that drew no random number (Result.Draws 0) has
// the same result in every replication and for every seed, which is what
// lets the runner simulate such a run once (ForReplication). Every built-in
// and the reference scenario, each with its baseline: the reference's
// baseline (fixed delays and durations, dedicated only) is seed-free; a run
// that is not must have drawn something.
func TestSeedFreeRuns(t *testing.T) {
	names := append(scenarios.BuiltinNames(), "../testdata/scenarios/reference.toml")
	free := map[string]bool{}
	for _, name := range names {
		sc, err := scenarios.Load(name, scenarios.Set{Path: "simulation.replications", Value: "3"})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []*model.Scenario{sc, sc.Baseline()} {
			run := func(s *model.Scenario, rep int) model.Result {
				res, err := model.Run(s, rep, model.Options{})
				if err != nil {
					t.Fatalf("%s: %v", s.Name, err)
				}
				return res
			}
			r0, r2 := run(s, 0), run(s, 2)
			reseeded := *s
			reseeded.Seed++
			other := run(&reseeded, 0)
			if r0.Draws != 0 {
				if r2.Draws == 0 || other.Draws == 0 {
					t.Errorf("%s: replication 0 drew %d numbers, replication 2 %d, another seed %d", s.Name, r0.Draws, r2.Draws, other.Draws)
				}
				continue
			}
			free[s.Name] = true
			if got := r0.ForReplication(2); !reflect.DeepEqual(got, r2) {
				t.Errorf("%s drew nothing, but replication 2 differs from replication 0:\n%+v\n%+v", s.Name, r2, got)
			}
			if !reflect.DeepEqual(other, r0) {
				t.Errorf("%s drew nothing, but another seed changed its result:\n%+v\n%+v", s.Name, other, r0)
			}
		}
	}
	if !free["reference (dedicated-only baseline)"] {
		t.Errorf("the reference's baseline (fixed delays and durations, dedicated only) drew numbers; seed-free runs: %v", free)
	}
	if free["reference"] {
		t.Error("the reference scenario (exponential lifetimes) counted no draws")
	}
}

// TestForReplicationCopies: the copy shares no slice with the original.
func TestForReplicationCopies(t *testing.T) {
	r := model.Result{Replication: 0, Jobs: []model.JobResult{{Name: "j", TasksDone: 3}}}
	c := r.ForReplication(4)
	c.Jobs[0].TasksDone = 9
	if c.Replication != 4 || r.Jobs[0].TasksDone != 3 {
		t.Fatalf("copy %+v, original %+v", c, r)
	}
	defer func() {
		if recover() == nil {
			t.Error("ForReplication of a result that drew numbers did not panic")
		}
	}()
	r.Draws = 1
	r.ForReplication(1)
}
