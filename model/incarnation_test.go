package model_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/model/price"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

// TestCrunchEndsTheIncarnationsLifetime is issue 11's reproduction: one
// low-priority node whose every incarnation lives exactly 10 h (an empirical
// lifetime of the single value 10h), crunches every 7 h evicting every
// low-priority node with no blackout, no delays, and 70 h of 10-minute
// tasks. A fixed "7h" is a fixed gap (not the mean of random gaps), so the
// crunches come at 7 h, 14 h, 21 h, ... exactly. Each crunch evicts the
// incarnation allocated at the previous one, 3 h before its lifetime would
// have ended, and the replacement is allocated at once (no blackout, no
// replacement delay), so no lifetime ever runs out: one preemption per
// crunch and nothing else.
//
// The run's length follows: a crunch at 7k h coincides with the end of a
// task started 10 min before; the crunch's event was scheduled first (when
// the previous crunch fired), so at equal times it fires first and the task
// is requeued with its 10 minutes lost. Every 7 h span therefore completes
// 41 of the 420 tasks; ten spans complete 410 by 70 h (the tenth crunch,
// at 70 h), and the last 10 tasks end at 71 h 40 min, before an eleventh
// crunch. The code before the fix left each evicted incarnation's 10 h
// lifetime event pending, which then evicted its successor early: 51
// preemptions instead of 10.
func TestCrunchEndsTheIncarnationsLifetime(t *testing.T) {
	sc := refScenario()
	p := lowOnly(sc, 1)
	life, err := dist.NewEmpirical([]time.Duration{10 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	p.Lifetime = preempt.Of(life)
	p.Capacity.Crunches = &preempt.Crunches{Every: dist.Const(7 * time.Hour), Fraction: 1, Blackout: dist.Const(0)}
	sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 420, dist.Const(10*time.Minute)
	var w lowWatch
	res, err := model.Run(sc, 0, model.Options{Observer: &w, KeepSeries: true})
	if err != nil {
		t.Fatal(err)
	}
	var want []time.Duration
	for k := 1; k <= 10; k++ {
		want = append(want, time.Duration(k)*7*time.Hour)
	}
	if !equalTimes(w.preempts, want) || !equalTimes(res.Markets[0].Evictions, want) {
		t.Errorf("preemptions at %v (%d), want %v", w.preempts, res.Preemptions, want)
	}
	if res.Preemptions != 10 || res.Requeued != 10 {
		t.Errorf("%d preemptions, %d requeued tasks, want 10 and 10", res.Preemptions, res.Requeued)
	}
	if wantEnd := 71*time.Hour + 40*time.Minute; !res.Finished || res.Completion != wantEnd {
		t.Errorf("finished %v at %v, want at %v", res.Finished, res.Completion, wantEnd)
	}
}

func equalTimes(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// incKey names one incarnation of one node.
type incKey struct{ pool, node, inc int }

// incarnations records every incarnation's drawn lifetime and its end, and
// checks each end as it happens.
type incarnations struct {
	t       *testing.T
	name    string
	alloc   map[incKey]time.Duration
	life    map[incKey]time.Duration
	ended   map[incKey]model.EndCause
	current map[[2]int]int // (pool, node) -> its latest incarnation
	causes  map[model.EndCause]int
	bad     int
}

func newIncarnations(t *testing.T, name string) *incarnations {
	return &incarnations{t: t, name: name, alloc: map[incKey]time.Duration{}, life: map[incKey]time.Duration{},
		ended: map[incKey]model.EndCause{}, current: map[[2]int]int{}, causes: map[model.EndCause]int{}}
}

func (w *incarnations) NodeState(time.Duration, int, model.Kind, model.State, model.State) {}

func (w *incarnations) fail(format string, args ...any) {
	w.t.Helper()
	if w.bad++; w.bad <= 5 {
		w.t.Errorf(w.name+": "+format, args...)
	}
}

func (w *incarnations) Incarnated(pool, node, inc int, at, life time.Duration) {
	nk := [2]int{pool, node}
	prev := w.current[nk]
	if inc != prev+1 {
		w.fail("node %d/%d: incarnation %d after %d", pool, node, inc, prev)
	}
	if prev > 0 {
		if _, ok := w.ended[incKey{pool, node, prev}]; !ok {
			w.fail("node %d/%d: incarnation %d allocated at %v while %d is alive", pool, node, inc, at, prev)
		}
	}
	w.current[nk] = inc
	k := incKey{pool, node, inc}
	w.alloc[k], w.life[k] = at, life
}

func (w *incarnations) Ended(pool, node, inc int, at time.Duration, cause model.EndCause) {
	k := incKey{pool, node, inc}
	w.causes[cause]++
	if cur := w.current[[2]int{pool, node}]; inc != cur {
		w.fail("node %d/%d: incarnation %d ended (%v) at %v, but the node's incarnation is %d", pool, node, inc, cause, at, cur)
	}
	if c, ok := w.ended[k]; ok {
		w.fail("%v: ended twice, %v then %v at %v", k, c, cause, at)
	}
	w.ended[k] = cause
	start, life := w.alloc[k], w.life[k]
	switch {
	case at < start:
		w.fail("%v: ended at %v before its allocation at %v", k, at, start)
	case life >= 0 && at-start > life:
		w.fail("%v: allocated at %v with a lifetime of %v, ended (%v) %v later", k, start, life, cause, at-start)
	case cause == model.EndLifetime && (life < 0 || at-start != life):
		w.fail("%v: allocated at %v with a lifetime of %v, ended by a lifetime event %v later", k, start, life, at-start)
	}
}

// TestIncarnationsEndOnce runs random scenarios that mix every lifetime
// model with availability spells, crunches, traces, price evictions,
// resizes and deallocation, and checks every incarnation: allocated once,
// ended exactly once (by the end of the run) while it is its node's
// current incarnation, never after its drawn lifetime, and by a lifetime
// event only exactly at it.
func TestIncarnationsEndOnce(t *testing.T) {
	lives := []func(r *rand.Rand) *preempt.Lifetime{
		func(r *rand.Rand) *preempt.Lifetime { return expLife(time.Duration(1+r.IntN(12)) * time.Hour) },
		func(r *rand.Rand) *preempt.Lifetime {
			return preempt.Of(dist.Dist{Kind: dist.Weibull, Shape: 0.5 + r.Float64()*2, Scale: time.Duration(1+r.IntN(10)) * time.Hour})
		},
		func(r *rand.Rand) *preempt.Lifetime {
			s := make([]time.Duration, 1+r.IntN(4))
			for i := range s {
				s[i] = time.Duration(1+r.IntN(20)) * 30 * time.Minute // on the grid of the crunches and tasks
			}
			e, _ := dist.NewEmpirical(s)
			return preempt.Of(e)
		},
		func(r *rand.Rand) *preempt.Lifetime { return preempt.Of(dist.DefaultBathtub) },
		func(r *rand.Rand) *preempt.Lifetime {
			l := expLife(time.Duration(4+r.IntN(20)) * time.Hour)
			l.Cap = time.Duration(2+r.IntN(6)) * time.Hour
			return l
		},
		func(r *rand.Rand) *preempt.Lifetime { return nil },
	}
	causes := map[model.EndCause]int{}
	for c := 0; c < 60; c++ {
		r := rand.New(rand.NewPCG(uint64(c), 11))
		sc := refScenario()
		sc.Seed = uint64(c)
		sc.Horizon = 60 * time.Hour
		p := &sc.Pools[0]
		p.TargetDedicatedNodes, p.TargetLowPriorityNodes = r.IntN(3), 1+r.IntN(8)
		p.TaskSlotsPerNode = 1 + r.IntN(3)
		p.AllocationDelay = []dist.Dist{dist.Const(0), dist.Const(5 * time.Minute), dist.Exp(3 * time.Minute)}[r.IntN(3)]
		p.StartDelay = []dist.Dist{dist.Const(0), dist.Exp(4 * time.Minute)}[r.IntN(2)]
		p.ReplacementDelay = []dist.Dist{dist.Const(0), dist.Exp(10 * time.Minute)}[r.IntN(2)]
		p.Lifetime = lives[c%len(lives)](r)
		if r.IntN(2) == 0 {
			p.Capacity.Availability = &preempt.OnOff{Up: dist.Exp(time.Duration(2+r.IntN(6)) * time.Hour), Down: dist.Exp(time.Duration(10+r.IntN(60)) * time.Minute)}
		}
		switch r.IntN(3) {
		case 0:
			every := []dist.Dist{dist.Const(time.Duration(1+r.IntN(8)) * time.Hour), dist.Exp(time.Duration(2+r.IntN(8)) * time.Hour)}[r.IntN(2)]
			p.Capacity.Crunches = &preempt.Crunches{Every: every, Fraction: r.Float64(), Blackout: []dist.Dist{dist.Const(0), dist.Exp(20 * time.Minute)}[r.IntN(2)]}
		case 1:
			var rows []preempt.Eviction
			at := time.Duration(0)
			for i := 0; i < 1+r.IntN(12); i++ {
				at += time.Duration(1+r.IntN(8)) * 30 * time.Minute
				rows = append(rows, preempt.Eviction{At: at, Count: r.IntN(4) - 1, Fraction: r.Float64(), Blackout: time.Duration(r.IntN(3)) * 10 * time.Minute})
			}
			p.Capacity.Trace = &preempt.Trace{Name: "t.csv", Rows: rows}
		}
		if r.IntN(2) == 0 {
			p.Price.OU = &price.OU{Mean: 0.03, Sigma: 0.01 + 0.02*r.Float64(), Reversion: time.Hour}
			p.MaxPrice = 0.035 + 0.01*r.Float64()
		}
		if r.IntN(3) == 0 {
			p.Policy, p.DiskPrice, p.RestartDelay = model.Deallocate, 0.01, dist.Const(time.Minute)
		}
		if r.IntN(3) == 0 { // resizes: the low-priority target halves every other 3 h
			opt := []string{"requeue", "terminate", "taskcompletion"}[r.IntN(3)]
			lo, hi := p.TargetLowPriorityNodes/2, p.TargetLowPriorityNodes
			target := fmt.Sprint(hi) // the formula language has no modulo: one branch per 3 h
			for h := 57; h > 0; h -= 3 {
				target = fmt.Sprintf("e < %d * TimeInterval_Hour ? %d : (%s)", h, []int{hi, lo}[(h/3-1)%2], target)
			}
			f, err := autoscale.Parse("test", fmt.Sprintf(`e = time() - time("2025-01-06T00:00:00Z");
$TargetDedicatedNodes = %d;
$TargetLowPriorityNodes = %s;
$NodeDeallocationOption = %s;`, p.TargetDedicatedNodes, target, opt))
			if err != nil {
				t.Fatal(err)
			}
			sc.Start = monday
			p.Autoscale = &model.Autoscale{Formula: f, Interval: 15 * time.Minute, SampleLag: model.DefaultSampleLag}
			p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, 0
		}
		if p.MaxPrice != 0 || p.Policy != model.ServicePolicy { // what only scale sets choose
			p.Service = model.ScaleSet
			if p.Autoscale == nil { // Try & Restore keeps restoring evicted instances
				p.RestoreTimeout = model.MaxRestoreTimeout
			}
		}
		sc.Jobs[0].Tasks = 50 + r.IntN(300)
		sc.Jobs[0].Duration = []dist.Dist{dist.Const(10 * time.Minute), dist.Exp(25 * time.Minute)}[r.IntN(2)]
		for _, s := range []*model.Scenario{sc, sc.Baseline()} {
			w := newIncarnations(t, fmt.Sprintf("case %d (%v)", c, p.Lifetime))
			res, err := model.Run(s, 0, model.Options{Observer: w})
			if err != nil {
				t.Fatalf("case %d: %v", c, err)
			}
			if res.Utilisation > 1 {
				w.fail("utilisation %v", res.Utilisation)
			}
			for k := range w.alloc {
				if _, ok := w.ended[k]; !ok {
					w.fail("%v: never ended", k)
				}
			}
			for cause, n := range w.causes {
				causes[cause] += n
			}
			lifetimeEnds := w.causes[model.EndLifetime] + w.causes[model.EndCapacity] + w.causes[model.EndSpell] + w.causes[model.EndPrice]
			if lifetimeEnds != res.Preemptions {
				w.fail("%d preemptions, %d ends by lifetime or market", res.Preemptions, lifetimeEnds)
			}
		}
	}
	// The random scenarios must reach every way an incarnation ends.
	for c := model.EndLifetime; c <= model.EndReleased; c++ {
		if causes[c] == 0 {
			t.Errorf("no incarnation ended by %v: %v", c, causes)
		}
	}
	t.Logf("ends by cause: %v", causes)
}
