package runner_test

import (
	"reflect"
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/scenarios"
)

// TestPairIsEveryRun: whatever the workers, whether a side's runs are
// simulated or taken from a seed-free run (the reference scenario's
// baseline draws nothing; its scenario and a reference with low-priority
// nodes do), and whether a baseline reads its scenario's task durations
// (the default's are log-normal), each result is the one model.Run gives
// for that replication alone.
func TestPairIsEveryRun(t *testing.T) {
	for _, c := range []struct{ name, job string }{{"../../testdata/scenarios/reference.toml", "job"}, {"default", "render"}} {
		pairIsEveryRun(t, c.name, c.job)
	}
}

func pairIsEveryRun(t *testing.T, name, job string) {
	sc, err := scenarios.Load(name,
		scenarios.Set{Path: "simulation.replications", Value: "5"}, scenarios.Set{Path: "jobs." + job + ".tasks", Value: "300"})
	if err != nil {
		t.Fatal(err)
	}
	ref := *sc
	ref.Pools = append([]model.Pool(nil), sc.Pools...)
	ref.Pools[0].TargetDedicatedNodes, ref.Pools[0].TargetLowPriorityNodes = 6, 4
	sides := []*model.Scenario{sc, sc.Baseline(), &ref}
	// the cases cover both paths: a baseline that draws nothing (its runs
	// taken from one) and sides that draw
	for i, s := range sides {
		res, err := model.Run(s, 0, model.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if free := i == 1 && name != "default"; (res.Draws == 0) != free {
			t.Errorf("%s: %d draws", s.Name, res.Draws)
		}
	}
	for _, workers := range []int{1, 2, 3} {
		runs, err := runner.PairWith(sc, runner.Options{Workers: workers, Reference: &ref})
		if err != nil {
			t.Fatal(err)
		}
		for i, got := range []*runner.Side{runs.Scenario, runs.Baseline, runs.Reference} {
			want := runner.NewSide(sides[i], got.Len())
			for rep := range got.Records {
				res, err := model.Run(sides[i], rep, model.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if err := want.Put(rep, &res); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got.Records[rep], want.Records[rep]) || !reflect.DeepEqual(got.Job(rep), want.Job(rep)) {
					t.Errorf("%d workers, %s, replication %d:\n got %+v\nwant %+v", workers, sides[i].Name, rep, got.Records[rep], want.Records[rep])
				}
			}
			if !reflect.DeepEqual(got.Totals, want.Totals) {
				t.Errorf("%d workers, %s: totals\n got %+v\nwant %+v", workers, sides[i].Name, got.Totals, want.Totals)
			}
		}
	}
}

// TestReplicatorRefusesInvalid: a Replicator validates its sides once, not
// at every replication, and a side that fails returns model.Run's error.
func TestReplicatorRefusesInvalid(t *testing.T) {
	sc, err := scenarios.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	bad := *sc
	bad.Horizon = -1
	_, want := model.Run(&bad, 0, model.Options{})
	if want == nil {
		t.Fatal("a negative horizon passed Validate")
	}
	rp := runner.NewReplicator(sc, &bad)
	var put []int
	err = rp.Run(0, nil, func(side int, res *model.Result) error { put = append(put, side); return nil })
	if err == nil || err.Error() != want.Error() || !reflect.DeepEqual(put, []int{0}) {
		t.Errorf("Run = %v after sides %v, want %v after side 0", err, put, want)
	}
}
