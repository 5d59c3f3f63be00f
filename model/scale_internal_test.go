package model

import (
	"testing"

	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/sim"
)

// TestSampleAllocatesNothing: in steady state, taking a sample and
// publishing the one that has waited out the lag allocate nothing: the
// histories and the samples in flight are rings sized from the formula.
func TestSampleAllocatesNothing(t *testing.T) {
	f, err := autoscale.Parse("", `$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
$tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1)) : max($PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));
$TargetLowPriorityNodes = min(20, $tasks + max($PreemptedNodeCount.GetSample(1)))`)
	if err != nil {
		t.Fatal(err)
	}
	sc := &Scenario{Seed: 1, Replications: 1, Horizon: 1000 * 3600e9,
		Pools: []Pool{{Name: "p", Size: VMSize{Name: "x", Cores: 1, DedicatedPrice: 1, LowPriorityPrice: 0.1}, TaskSlotsPerNode: 1,
			Autoscale: &Autoscale{Formula: f, Interval: MinAutoscaleInterval, SampleLag: DefaultSampleLag}}},
		Jobs: []Job{{Name: "j", Pool: "p", Tasks: 10}},
	}
	r := &run{sc: sc, eng: sim.New(), streams: sim.NewStreams(1)}
	p := newPoolRun(r, 0, &sc.Pools[0])
	r.pools = []*poolRun{p}
	r.jobs = []*jobRun{newJobRun(r, 0, &sc.Jobs[0], p)}
	s := newScaler(p)
	p.scaler = s
	r.eng.Cancel(s.evalEv) // sampling alone
	if len(s.series) != 2 {
		t.Fatalf("sampling %d metrics, want the 2 the formula queries", len(s.series))
	}
	step := func() {
		// what the event loop does every 30 s, without the loop
		r.eng.Cancel(s.sampleEv)
		r.eng.RunUntil(r.eng.Now() + SamplePeriod)
		s.sample()
	}
	for i := 0; i < 3000; i++ { // past the longest window, the lag and MaxSamples
		step()
	}
	if n := testing.AllocsPerRun(200, step); n != 0 {
		t.Errorf("%v allocations per sample, want 0", n)
	}
}
