package model_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/autoscale"
)

// TestQuotaFits: a quota the scenario set caps the target (pools sized in
// order, dedicated first, sharing the quota); one it did not set caps
// nothing but is checked against Azure's default; a quota set to 0 is no
// limit and no warning.
func TestQuotaFits(t *testing.T) {
	two := func(sc *model.Scenario) *model.Scenario {
		p := sc.Pools[0]
		p.Name = "second"
		p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, 10
		sc.Pools = append(sc.Pools, p)
		return sc
	}
	cases := []struct {
		name   string
		quotas model.Quotas
		lp     int
		edit   func(*model.Scenario) *model.Scenario
		want   []model.QuotaFit
	}{
		{"unset, within the default", model.Quotas{}, 20, nil, nil},
		{"unset, over the default: a warning", model.Quotas{}, 40, nil,
			[]model.QuotaFit{{Pool: "main", Kind: model.LowPriority, Asked: 40, Allowed: 25, CoresPerNode: 4, QuotaCores: 100}}},
		{"set: capped", model.Quotas{LowPriorityCores: 100, LowPrioritySet: true}, 40, nil,
			[]model.QuotaFit{{Pool: "main", Kind: model.LowPriority, Asked: 40, Allowed: 25, CoresPerNode: 4, QuotaCores: 100, Capped: true}}},
		{"set to 0: no limit", model.Quotas{LowPrioritySet: true}, 40, nil, nil},
		{"set high: fits", model.Quotas{LowPriorityCores: 1000, LowPrioritySet: true}, 40, nil, nil},
		{"dedicated set", model.Quotas{DedicatedCores: 4, DedicatedSet: true}, 20, nil,
			[]model.QuotaFit{{Pool: "main", Kind: model.Dedicated, Asked: 2, Allowed: 1, CoresPerNode: 4, QuotaCores: 4, Capped: true}}},
		// a scale set: the regional Spot quota's lowest default, and no
		// dedicated default to check 300 dedicated nodes against
		{"scale set", model.Quotas{}, 40, func(sc *model.Scenario) *model.Scenario {
			sc.Pools[0].Service, sc.Pools[0].TargetDedicatedNodes = model.ScaleSet, 300
			return sc
		}, []model.QuotaFit{{Pool: "main", Kind: model.LowPriority, Asked: 40, Allowed: 25, CoresPerNode: 4, QuotaCores: 100, Service: model.ScaleSet}}},
		{"shared by two pools", model.Quotas{LowPriorityCores: 100, LowPrioritySet: true}, 20, two,
			[]model.QuotaFit{{Pool: "second", Kind: model.LowPriority, Asked: 10, Allowed: 5, CoresPerNode: 4, QuotaCores: 100, Capped: true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := refScenario()
			sc.Quotas = c.quotas
			sc.Pools[0].TargetLowPriorityNodes = c.lp
			if c.edit != nil {
				sc = c.edit(sc)
			}
			if got := sc.QuotaFits(); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// TestBaselineCappedLikeScenario: the baseline of a capped pool runs the
// nodes the scenario ran, all dedicated (not the pool asked for), so
// savings and slowdown compare the same pool; unset quotas cap neither.
func TestBaselineCappedLikeScenario(t *testing.T) {
	for _, c := range []struct {
		name   string
		quotas model.Quotas
		want   int
	}{
		{"low-priority quota set", model.Quotas{DedicatedCores: 900, LowPriorityCores: 100, DedicatedSet: true, LowPrioritySet: true}, 2 + 25},
		{"no quotas", model.Quotas{}, 2 + 40},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := refScenario()
			sc.Pools[0].TargetLowPriorityNodes = 40
			sc.Quotas = c.quotas
			b := sc.Baseline()
			if got := b.Pools[0].TargetDedicatedNodes; got != c.want || b.Pools[0].TargetLowPriorityNodes != 0 {
				t.Errorf("baseline targets %d + %d, want %d + 0", got, b.Pools[0].TargetLowPriorityNodes, c.want)
			}
			res, err := model.Run(b, 0, model.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.QuotaCapped != 0 {
				t.Errorf("the baseline was capped again (%d resizes)", res.QuotaCapped)
			}
			scen, err := model.Run(sc, 0, model.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if capped := scen.QuotaCapped > 0; capped != c.quotas.LowPrioritySet {
				t.Errorf("scenario capped %d times, want capped %v", scen.QuotaCapped, c.quotas.LowPrioritySet)
			}
		})
	}
}

// TestQuotaFitsRan: an autoscaled pool's targets are known only once it
// has run. The run keeps the largest its formula set of each kind
// (AutoscaleResult.MostTargets, here a formula that grows to 30
// low-priority and 3 dedicated nodes), and QuotaFitsRan checks them
// against Azure's default quotas like fixed targets; before the run, or
// with a quota set (which caps the resizes as they happen), nothing.
func TestQuotaFitsRan(t *testing.T) {
	f, err := autoscale.Parse("test", `$TargetLowPriorityNodes = min(30, 10 * $TargetLowPriorityNodes + 10);
$TargetDedicatedNodes = min(3, $TargetDedicatedNodes + 1);`)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		quotas model.Quotas
		want   []model.QuotaFit
	}{
		{"no quota set: warned", model.Quotas{}, []model.QuotaFit{{Pool: "main", Kind: model.LowPriority, Asked: 30, Allowed: 25,
			CoresPerNode: 4, QuotaCores: 100, Most: "its autoscale formula's largest target in these runs", FromRuns: true}}},
		{"quota set: capped as it resizes, not warned", model.Quotas{LowPriorityCores: 100, LowPrioritySet: true}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := refScenario()
			sc.Quotas = c.quotas
			sc.Pools[0].TargetDedicatedNodes, sc.Pools[0].TargetLowPriorityNodes = 0, 0
			sc.Pools[0].Autoscale = &model.Autoscale{Formula: f, Interval: 15 * time.Minute, SampleLag: model.DefaultSampleLag}
			if fits := sc.QuotaFits(); fits != nil {
				t.Errorf("before running: %+v, want none (the formula's targets are not known)", fits)
			}
			res, err := model.Run(sc, 0, model.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := [][2]int{{3, 30}} // asked for, even where a quota capped it at 25
			if !reflect.DeepEqual(res.Autoscale.MostTargets, want) {
				t.Errorf("MostTargets %v, want %v", res.Autoscale.MostTargets, want)
			}
			if got := sc.QuotaFitsRan(res.Autoscale.MostTargets); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}
