package model_test

import (
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
	"github.com/spotsim/spotsim/model/price"
	"github.com/spotsim/spotsim/sim"
	"gonum.org/v1/gonum/stat"
)

// lowWatch follows the low-priority nodes of one pool: how many hold a VM,
// for how long any did, and every allocation and preemption.
type lowWatch struct {
	allocated        int
	since, withAny   time.Duration
	allocs, preempts []time.Duration
	ids              map[int]bool
}

func isAllocated(s model.State) bool {
	return s == model.Creating || s == model.Starting || s == model.Idle || s == model.Running || s == model.Leaving
}

func (w *lowWatch) NodeState(now time.Duration, pool int, k model.Kind, from, to model.State) {
	if k != model.LowPriority {
		return
	}
	before := w.allocated
	if isAllocated(from) {
		w.allocated--
	}
	if isAllocated(to) {
		w.allocated++
	}
	if before > 0 && w.allocated == 0 {
		w.withAny += now - w.since
	}
	if before == 0 && w.allocated > 0 {
		w.since = now
	}
	if to == model.Creating || (to == model.Starting && from == model.Preempted) {
		w.allocs = append(w.allocs, now)
	}
	if to == model.Preempted && isAllocated(from) {
		w.preempts = append(w.preempts, now)
	}
}

func lowOnly(sc *model.Scenario, low int) *model.Pool {
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, low
	p.StartDelay, p.Lifetime = dist.Const(0), nil
	return p
}

// TestOnOffAvailableFraction: with instant allocation and no lifetime of
// their own, low-priority nodes hold VMs exactly during available spells,
// so the long-run share of time with any is mean_up / (mean_up + mean_down).
func TestOnOffAvailableFraction(t *testing.T) {
	up, down := 3*time.Hour, time.Hour
	var fr []float64
	for rep := 0; rep < 60; rep++ {
		sc := refScenario()
		sc.Horizon = 400 * time.Hour
		p := lowOnly(sc, 2)
		p.Capacity.Availability = &preempt.OnOff{Up: dist.Exp(up), Down: dist.Exp(down)}
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 1, dist.Const(10000*time.Hour) // never ends
		var w lowWatch
		res, err := model.Run(sc, rep, model.Options{Observer: &w})
		if err != nil {
			t.Fatal(err)
		}
		if w.allocated > 0 {
			w.withAny += res.Completion - w.since
		}
		fr = append(fr, float64(w.withAny)/float64(res.Completion))
	}
	mean, sd := stat.MeanStdDev(fr, nil)
	half := 2.66 * sd / math.Sqrt(float64(len(fr))) // 99 % t, 59 df
	want := up.Hours() / (up + down).Hours()
	if math.Abs(mean-want) > half {
		t.Fatalf("available fraction %.4f ± %.4f, want %.4f", mean, half, want)
	}
	t.Logf("available fraction %.4f ± %.4f, theory %.4f", mean, half, want)
}

// TestCrunchEvictsFractionAndBlocks: a crunch at 1 h evicting 25 % of 20
// running nodes evicts 5 at once; none is allocated during its 30 min
// blackout; the 5 come back when it ends.
func TestCrunchEvictsFractionAndBlocks(t *testing.T) {
	sc := refScenario()
	p := lowOnly(sc, 20)
	p.Capacity.Crunches = &preempt.Crunches{Every: dist.Const(time.Hour), Fraction: 0.25, Blackout: dist.Const(30 * time.Minute)}
	sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 20, dist.Const(90*time.Minute)
	var w lowWatch
	if _, err := model.Run(sc, 0, model.Options{Observer: &w}); err != nil {
		t.Fatal(err)
	}
	at1h := 0
	for _, at := range w.preempts {
		if at == time.Hour {
			at1h++
		}
	}
	if at1h != 5 {
		t.Fatalf("preemptions %v: want 5 at 1h", w.preempts)
	}
	back := 0
	for _, at := range w.allocs {
		if at > time.Hour && at < 90*time.Minute {
			t.Fatalf("allocation at %v inside the blackout", at)
		}
		if at == 90*time.Minute {
			back++
		}
	}
	if back != 5 {
		t.Fatalf("allocations %v: want 5 at 1h30m", w.allocs)
	}
}

// TestTraceReplay: recorded evictions happen at their times exactly.
func TestTraceReplay(t *testing.T) {
	sc := refScenario()
	p := lowOnly(sc, 4)
	p.Capacity.Trace = &preempt.Trace{Name: "t.csv", Rows: []preempt.Eviction{
		{At: 17 * time.Minute, Count: 1},
		{At: 2*time.Hour + 3*time.Second, Count: -1, Fraction: 0.5, Blackout: 10 * time.Minute},
		{At: 5 * time.Hour, Count: 4},
	}}
	sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 40, dist.Const(40*time.Minute)
	var w lowWatch
	if _, err := model.Run(sc, 0, model.Options{Observer: &w}); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{17 * time.Minute, 2*time.Hour + 3*time.Second, 2*time.Hour + 3*time.Second,
		5 * time.Hour, 5 * time.Hour, 5 * time.Hour, 5 * time.Hour}
	if len(w.preempts) != len(want) {
		t.Fatalf("preemptions %v, want %v", w.preempts, want)
	}
	for i := range want {
		if w.preempts[i] != want[i] {
			t.Fatalf("preemptions %v, want %v", w.preempts, want)
		}
	}
}

// TestPriceEviction: an OU spot price evicts every low-priority node when
// it rises above max_price and allocates none while it stays there; with
// max_price -1 it never evicts, and the cost integrates the price.
func TestPriceEviction(t *testing.T) {
	ou := &price.OU{Mean: 0.03, Sigma: 0.02, Reversion: time.Hour}
	for _, maxPrice := range []float64{-1, 0.035} {
		sc := refScenario()
		sc.Horizon = 48 * time.Hour
		p := lowOnly(sc, 5)
		p.Price.OU, p.MaxPrice = ou, maxPrice
		p.Service, p.RestoreTimeout = model.ScaleSet, model.MaxRestoreTimeout // max_price is a scale set's
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 200, dist.Const(20*time.Minute)
		var w lowWatch
		res, err := model.Run(sc, 4, model.Options{Observer: &w})
		if err != nil {
			t.Fatal(err)
		}
		// The same path the run used: stream "price/main" of replication 4.
		capped := *ou
		capped.Cap = p.Size.DedicatedPrice
		path, _ := capped.Path(sc.Horizon, sim.NewStreams(sim.ReplicationSeed(sc.Seed, 4)).Rand("price/main"))
		if maxPrice < 0 {
			if res.Preemptions != 0 {
				t.Fatalf("max_price -1: %d preemptions", res.Preemptions)
			}
			continue
		}
		if res.Preemptions == 0 {
			t.Fatal("no price eviction")
		}
		for _, at := range w.preempts {
			if path.At(at) <= maxPrice {
				t.Fatalf("evicted at %v with price %v <= %v", at, path.At(at), maxPrice)
			}
		}
		for _, at := range w.allocs {
			if path.At(at) > maxPrice {
				t.Fatalf("allocated at %v with price %v > %v", at, path.At(at), maxPrice)
			}
		}
	}
}

// TestDeallocateBillsDisk: a scale-set instance evicted at 1 h with 1.5 h
// of unavailability keeps its disk (billed 1.5 h) and is restored by Try &
// Restore under the same id with the shorter restart delay; with delete no
// disk is billed.
func TestDeallocateBillsDisk(t *testing.T) {
	for _, policy := range []model.EvictionPolicy{model.Deallocate, model.Delete} {
		sc := refScenario()
		p := lowOnly(sc, 1)
		p.AllocationDelay, p.StartDelay, p.RestartDelay = dist.Const(4*time.Minute), dist.Const(2*time.Minute), dist.Const(30*time.Second)
		p.Policy, p.Service, p.RestoreTimeout = policy, model.ScaleSet, 2*time.Hour
		if policy == model.Deallocate {
			p.DiskPrice = 0.01
		}
		p.Capacity.Trace = &preempt.Trace{Rows: []preempt.Eviction{{At: time.Hour, Count: 1, Blackout: 90 * time.Minute}}}
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 1, dist.Const(5*time.Hour)
		var w lowWatch
		res, err := model.Run(sc, 0, model.Options{Observer: &w})
		if err != nil {
			t.Fatal(err)
		}
		wantDisk, boot := 0.015, 30*time.Second
		if policy == model.Delete {
			wantDisk, boot = 0, 6*time.Minute
		}
		if math.Abs(res.CostDisk-wantDisk) > 1e-12 || len(w.allocs) != 2 || w.allocs[1] != 150*time.Minute {
			t.Fatalf("%v: disk $%v, allocations %v", policy, res.CostDisk, w.allocs)
		}
		if want := 150*time.Minute + boot + 5*time.Hour; res.Completion != want {
			t.Fatalf("%v: completion %v, want %v", policy, res.Completion, want)
		}
	}
}

func TestBillingMinimumAndBoot(t *testing.T) {
	tests := []struct {
		minimum  time.Duration
		skipBoot bool
		want     time.Duration
	}{
		{0, false, 5*time.Minute + 61*time.Second},
		{10 * time.Minute, false, 10 * time.Minute},
		{0, true, 61 * time.Second},
	}
	for _, tt := range tests {
		sc := refScenario()
		sc.Billing.Minimum, sc.Billing.SkipBoot = tt.minimum, tt.skipBoot
		p := &sc.Pools[0]
		p.Service = model.ScaleSet // Batch bills every boot
		p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 1, 0
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 1, dist.Const(61*time.Second)
		res, _ := model.Run(sc, 0, model.Options{})
		if want := tt.want.Hours() * p.Size.DedicatedPrice; math.Abs(res.Cost-want) > 1e-12 {
			t.Errorf("%+v: cost %v, want %v", tt, res.Cost, want)
		}
	}
}

// TestAllocationFailures: each request fails with probability f and is
// retried after a fixed delay, so a node waits delay·f/(1−f) per
// replacement on average.
func TestAllocationFailures(t *testing.T) {
	const f = 0.4
	delay := 10 * time.Minute
	var waits []float64
	for rep := 0; rep < 40; rep++ {
		sc := refScenario()
		sc.Horizon = 200 * time.Hour
		p := lowOnly(sc, 1)
		p.Lifetime = preempt.Of(dist.Dist{Kind: dist.Empirical, Samples: []time.Duration{time.Hour}})
		p.Capacity.AllocationFailure, p.Capacity.RetryDelay = f, dist.Const(delay)
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 1, dist.Const(10000*time.Hour)
		res, err := model.Run(sc, rep, model.Options{})
		if err != nil {
			t.Fatal(err)
		}
		requests := float64(res.Preemptions + 1)
		waits = append(waits, res.NodeHours[model.LowPriority][model.Preempted]/requests)
	}
	mean, sd := stat.MeanStdDev(waits, nil)
	half := 2.7 * sd / math.Sqrt(float64(len(waits)))
	want := delay.Hours() * f / (1 - f)
	if math.Abs(mean-want) > half {
		t.Fatalf("wait per request %.4f h ± %.4f, want %.4f h", mean, half, want)
	}
}

// billSum adds up the charges the model reports.
type billSum struct{ total float64 }

func (b *billSum) NodeState(time.Duration, int, model.Kind, model.State, model.State) {}
func (b *billSum) Billed(pool int, kind model.Kind, from, to time.Duration, cost float64) {
	if to < from || cost < 0 {
		panic("bad charge")
	}
	b.total += cost
}

// TestChargesAddUpToTheBill: the charges reported to a BillObserver are
// the whole bill, spot prices and deallocated disks included.
func TestChargesAddUpToTheBill(t *testing.T) {
	sc := refScenario()
	p := &sc.Pools[0]
	p.Price.OU = &price.OU{Mean: 0.03, Sigma: 0.01, Reversion: time.Hour}
	p.Policy, p.DiskPrice, p.ReplacementDelay = model.Deallocate, 0.01, dist.Const(10*time.Minute)
	p.Service, p.RestoreTimeout = model.ScaleSet, model.MaxRestoreTimeout
	sc.Billing.Granularity = time.Minute
	var b billSum
	res, err := model.Run(sc, 2, model.Options{Observer: &b})
	if err != nil {
		t.Fatal(err)
	}
	if res.CostDisk == 0 || math.Abs(b.total-res.Cost) > 1e-9*res.Cost {
		t.Fatalf("charges %v, bill %v (disk %v)", b.total, res.Cost, res.CostDisk)
	}
}

// billOnly is a billSum that wants no node states.
type billOnly struct {
	billSum
	states int
}

func (b *billOnly) NodeState(time.Duration, int, model.Kind, model.State, model.State) { b.states++ }
func (b *billOnly) OnlyBills()                                                         {}

// TestBillOnlyObserver: a BillOnlyObserver is told of every charge and of
// no node state, and the run is the same as with any other observer.
func TestBillOnlyObserver(t *testing.T) {
	sc := refScenario()
	var all billSum
	want, err := model.Run(sc, 1, model.Options{Observer: &all})
	if err != nil {
		t.Fatal(err)
	}
	var b billOnly
	res, err := model.Run(sc, 1, model.Options{Observer: &b})
	if err != nil {
		t.Fatal(err)
	}
	if b.states != 0 {
		t.Errorf("NodeState called %d times", b.states)
	}
	if b.total != all.total || res.Cost != want.Cost || res.Completion != want.Completion {
		t.Errorf("charges %v, bill %v, completion %v; want %v, %v, %v", b.total, res.Cost, res.Completion, all.total, want.Cost, want.Completion)
	}
}
