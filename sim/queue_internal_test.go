package sim

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

type rec struct{ got []int64 }

func (r *rec) Handle(_ Time, arg int64) { r.got = append(r.got, arg) }

// TestRenumberKeepsOrder runs the 32-bit sequence counter through its wrap
// with many ties pending: the renumbering must keep FIFO order among events
// at the same time and (time, sequence) order overall.
func TestRenumberKeepsOrder(t *testing.T) {
	e := New()
	e.q.seq = math.MaxUint32 - 300
	r := &rec{}
	rng := rand.New(rand.NewPCG(1, 2))
	type ev struct {
		at  Time
		arg int64
	}
	var want []ev
	arg := int64(0)
	add := func() {
		at := e.Now() + Time(rng.IntN(5))
		e.At(at, r, arg)
		want = append(want, ev{at, arg})
		arg++
	}
	for range 200 {
		add()
	}
	for range 50 {
		e.Step()
	}
	for range 400 { // crosses the wrap
		add()
		if rng.IntN(3) == 0 {
			e.Step()
		}
	}
	if e.q.seq > 1000 {
		t.Fatalf("the counter did not wrap: seq = %d", e.q.seq)
	}
	e.Run()
	slices.SortStableFunc(want, func(a, b ev) int { return cmp.Compare(a.at, b.at) })
	// want is in (time, scheduling) order; the engine fired in its own.
	// Events scheduled after a Step at an earlier time than some already
	// fired cannot exist (times are >= now), so the orders must agree.
	if len(r.got) != len(want) {
		t.Fatalf("fired %d events, want %d", len(r.got), len(want))
	}
	for i := range want {
		if r.got[i] != want[i].arg {
			t.Fatalf("event %d: fired %d, want %d", i, r.got[i], want[i].arg)
		}
	}
}

// TestLadderShapes checks that simple workloads reach the ladder's parts
// (split rungs, the late heap, the top) and still fire in (time, sequence)
// order.
func TestLadderShapes(t *testing.T) {
	e := New()
	r := &rec{}
	type ev struct {
		at  Time
		arg int64
	}
	var want []ev
	at := func(t Time, arg int64) {
		e.At(t, r, arg)
		want = append(want, ev{t, arg})
	}
	// A dense cluster under a wide range: the first rung's front buckets
	// overflow and are split.
	for i := range 5000 {
		at(Time(i%100), int64(i))
	}
	at(Never, -1)
	at(1<<40, -2)
	e.Step()
	if e.q.depth < 2 {
		t.Errorf("a dense cluster under a wide range did not split a rung: depth %d", e.q.depth)
	}
	// An event before the end of the bucket being consumed goes to the
	// late heap.
	at(e.Now(), -3)
	if e.q.late.n != 1 {
		t.Errorf("an event at now did not go to the late heap: %d there", e.q.late.n)
	}
	e.Run()

	// Events beyond the first rung's range go to the top.
	e2 := New()
	for i := range 100 {
		e2.At(Time(i), r, 0)
	}
	e2.Step()
	e2.At(1000, r, 0)
	if len(e2.q.top) != 1 {
		t.Errorf("an event beyond the ladder did not go to the top")
	}

	slices.SortStableFunc(want, func(a, b ev) int { return cmp.Compare(a.at, b.at) })
	if len(r.got) < len(want) {
		t.Fatalf("fired %d events, want %d", len(r.got), len(want))
	}
	for i := range want {
		if r.got[i] != want[i].arg {
			t.Fatalf("event %d: fired %d, want %d", i, r.got[i], want[i].arg)
		}
	}
}

func TestHeapAgainstSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var h heap
	var all []entry
	for round := range 50 {
		for range rng.IntN(2000) {
			x := entry{at: Time(rng.IntN(300)), key: uint64(len(all)+round<<20) << seqShift}
			all = append(all, x)
			h.push(x)
		}
		slices.SortFunc(all, func(a, b entry) int { return lessBit(&b, &a) - lessBit(&a, &b) })
		for range rng.IntN(len(all) + 1) {
			if got := h.pop(); got != all[0] {
				t.Fatalf("pop = %v, want %v", got, all[0])
			}
			all = all[1:]
		}
	}
}

// periodic reschedules itself every period plus a little jitter, like a
// task slot finishing fixed-length tasks.
type periodic struct {
	e        *Engine
	rng      *rand.Rand
	period   Time
	maxLate  int
	maxDepth int
}

func (p *periodic) Handle(_ Time, arg int64) {
	p.e.After(p.period+Time(p.rng.IntN(1000)), p, arg)
	p.maxLate = max(p.maxLate, p.e.q.late.n)
	p.maxDepth = max(p.maxDepth, p.e.q.depth)
}

// TestLateArrivalsStaySmall: with a far event (a run's horizon) in the first
// spread, the first rung's buckets are hours wide, and every event of a few
// dozen periodic ones (the reference scenario's pattern) falls into the
// bucket being consumed. The bottom must then
// be spread over finer rungs rather than grow into a heap of everything.
func TestLateArrivalsStaySmall(t *testing.T) {
	e := New()
	p := &periodic{e: e, rng: rand.New(rand.NewPCG(7, 7)), period: 10 * 60 * 1e9}
	e.At(30*24*3600*1e9, HandlerFunc(func(Time, int64) { e.Stop() }), 0)
	for i := range 40 { // fewer than splitAt: the first bucket is not split
		e.At(Time(i), p, int64(i))
	}
	e.RunUntil(24 * 3600 * 1e9)
	// Without respreading the heap would hold all 40; the ladder must not
	// pile up used-up rungs either.
	if p.maxLate > 20 || p.maxDepth > 4 {
		t.Fatalf("the late heap grew to %d events of 40, the ladder to %d rungs", p.maxLate, p.maxDepth)
	}
}

// evictor cancels the far-future end of its node's task and schedules
// another, as every preemption of a low-priority node does, then schedules
// the node's next eviction.
type evictor struct {
	e    *Engine
	rng  *rand.Rand
	ends []EventID
	max  int // the most slots and queued events seen
}

func (p *evictor) Handle(_ Time, arg int64) {
	if arg < 0 {
		return
	}
	p.e.Cancel(p.ends[arg])
	p.ends[arg] = p.e.After(100*24*3600*1e9, p, -1-arg)
	p.e.After(Time(p.rng.ExpFloat64()*1e9)+1, p, arg)
	p.max = max(p.max, len(p.e.q.slots), p.e.q.n)
}

// TestCancelledAreReclaimed: cancelled events that would fall due only in
// 100 days must not pile up. 1,000 nodes evicted every second or so, for
// 500,000 evictions, keep about 2,000 live events; without reclaiming, the
// queue would hold every cancelled end.
func TestCancelledAreReclaimed(t *testing.T) {
	const nodes = 1000
	e := New()
	p := &evictor{e: e, rng: rand.New(rand.NewPCG(9, 9)), ends: make([]EventID, nodes)}
	for i := range nodes {
		e.After(Time(p.rng.ExpFloat64()*1e9), p, int64(i))
	}
	for range 500000 {
		e.Step()
	}
	// Live: one eviction and one task end per node. Cancelled: at most as
	// many as live (plus compactMin) before a compaction.
	if limit := 2*(2*nodes) + compactMin + 1; p.max > limit {
		t.Fatalf("the queue grew to %d slots or events; want at most %d", p.max, limit)
	}
	if live := e.q.n - e.q.cancelled; live != 2*nodes {
		t.Fatalf("%d live events, want %d", live, 2*nodes)
	}
}

// preloads records Preload and Handle calls.
type preloads struct {
	pending map[int64]bool // scheduled, not yet handled
	early   int            // Preload calls for a pending event
	late    []int64        // Preload calls for an event not pending
	e       *Engine
	rng     *rand.Rand
	left    int
}

func (p *preloads) Preload(arg int64) {
	if p.pending[arg] {
		p.early++
	} else {
		p.late = append(p.late, arg)
	}
}

func (p *preloads) Handle(_ Time, arg int64) {
	delete(p.pending, arg)
	if p.left > 0 {
		p.left--
		next := arg + 1000
		p.pending[next] = true
		p.e.After(Time(1+p.rng.IntN(1000000)), p, next)
	}
}

// TestPreload: a Preloader is asked to preload events before they are
// handled (in a sparse queue, where refill gathers several buckets), never
// after, and the events still fire in order (TestEngineAgainstBruteForce
// checks the order with gathering in general).
func TestPreload(t *testing.T) {
	defer SetGatherMin(0)()
	e := New()
	p := &preloads{pending: map[int64]bool{}, e: e, rng: rand.New(rand.NewPCG(3, 4)), left: 20000}
	for i := range int64(1000) {
		p.pending[i] = true
		e.At(Time(p.rng.IntN(1000000)), p, i)
	}
	last := Time(0)
	for e.Step() {
		if e.Now() < last {
			t.Fatalf("time went back from %d to %d", last, e.Now())
		}
		last = e.Now()
	}
	if len(p.late) > 0 {
		t.Errorf("%d Preload calls for events not pending, such as %d", len(p.late), p.late[0])
	}
	if p.early < 10000 {
		t.Errorf("%d of 21000 events preloaded, want most", p.early)
	}
	t.Logf("%d of 21000 events preloaded", p.early)
}
