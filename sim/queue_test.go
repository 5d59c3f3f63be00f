package sim_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/spotsim/spotsim/sim"
)

// refEvent is an event of the brute-force reference: a flat list searched
// for the (time, sequence) minimum on every pop.
type refEvent struct {
	at   sim.Time
	seq  int
	arg  int64
	live bool
}

// delay draws from a mix meant to reach every part of the queue: zero and
// tiny delays (ties, and events before the bucket being consumed), bursts at
// one time (buckets that cannot be split), exponential delays at several
// scales (rung splits), very long ones and Never (the top, saturation).
func delay(rng *rand.Rand) sim.Time {
	switch k := rng.IntN(20); {
	case k < 3:
		return 0
	case k < 6:
		return sim.Time(rng.IntN(4))
	case k < 12:
		return sim.Time(rng.ExpFloat64() * 1e3)
	case k < 16:
		return sim.Time(rng.ExpFloat64() * 1e9)
	case k < 18:
		return sim.Time(rng.Int64N(int64(30 * 24 * time.Hour)))
	case k < 19:
		return -sim.Time(rng.IntN(100)) // in the past: fires now
	default:
		return sim.Never
	}
}

// checker drives an engine with random schedules and cancels from inside
// handlers and checks every firing against the reference.
type checker struct {
	t      *testing.T
	e      *sim.Engine
	rng    *rand.Rand
	ref    []refEvent
	ids    []sim.EventID // every EventID handed out, by argument
	seq    int
	budget int // schedules left
	fired  int
	// recent, when positive, makes cancel pick among the last recent
	// EventIDs handed out (mostly pending ones) and doubles the cancels: the
	// cancelled then outnumber the live and the queue compacts.
	recent int
}

func (c *checker) schedule(d sim.Time) {
	if c.budget == 0 {
		return
	}
	c.budget--
	now := c.e.Now()
	at := now + d
	if d > 0 && at < now {
		at = sim.Never // After saturates
	}
	arg := int64(len(c.ids))
	var id sim.EventID
	if c.rng.IntN(2) == 0 {
		id = c.e.After(d, c, arg)
	} else {
		id = c.e.At(at, c, arg)
	}
	c.ids = append(c.ids, id)
	c.ref = append(c.ref, refEvent{at: max(at, now), seq: c.seq, arg: arg, live: true}) // the past is now
	c.seq++
}

// cancel cancels a random EventID ever handed out: pending, fired or
// cancelled already, possibly naming a slot reused since.
func (c *checker) cancel() {
	if len(c.ids) == 0 {
		return
	}
	arg := c.rng.IntN(len(c.ids))
	if c.recent > 0 && len(c.ids) > c.recent {
		arg = len(c.ids) - 1 - c.rng.IntN(c.recent)
	}
	c.e.Cancel(c.ids[arg])
	for k := range c.ref {
		if c.ref[k].arg == int64(arg) {
			c.ref[k].live = false
		}
	}
}

// next removes and returns the reference's earliest live event; dead ones
// met on the way are dropped.
func (c *checker) next() (refEvent, bool) {
	best := -1
	for k := range c.ref {
		r := &c.ref[k]
		if r.live && (best < 0 || r.at < c.ref[best].at || r.at == c.ref[best].at && r.seq < c.ref[best].seq) {
			best = k
		}
	}
	if best < 0 {
		return refEvent{}, false
	}
	r := c.ref[best]
	c.ref[best] = c.ref[len(c.ref)-1]
	c.ref = c.ref[:len(c.ref)-1]
	return r, true
}

func (c *checker) Handle(now sim.Time, arg int64) {
	want, ok := c.next()
	if !ok {
		c.t.Fatalf("event %d fired at %v; the reference has none left", arg, now)
	}
	if now != want.at || arg != want.arg {
		c.t.Fatalf("firing %d: got event %d at %v, want %d at %v", c.fired, arg, now, want.arg, want.at)
	}
	c.fired++
	switch k := c.rng.IntN(10); {
	case k < 1: // a burst at one time: more than a bucket may hold
		d := delay(c.rng)
		for range 60 {
			c.schedule(d)
		}
	case k < 7:
		for range c.rng.IntN(3) {
			c.schedule(delay(c.rng))
		}
	default:
		c.cancel()
	}
	if c.rng.IntN(4) == 0 {
		c.cancel()
	}
	if c.recent > 0 {
		c.cancel()
		c.cancel()
	}
	c.e.Cancel(c.ids[arg]) // the firing event's own EventID: a no-op
}

func (c *checker) drain() {
	for _, r := range c.ref {
		if r.live {
			c.t.Fatalf("event %d at %v never fired", r.arg, r.at)
		}
	}
}

// TestEngineAgainstBruteForce checks, over random workloads with ties,
// bursts, cancels of pending, fired and reused events, and times from zero
// to Never, that the engine fires exactly the events a sorted list would, in
// (time, sequence) order.
//
// Seeds 7 to 10 cancel mostly pending events, so that the cancelled
// outnumber the live and the queue compacts, again and again, between and
// during runs. It runs twice: with the queue's defaults, and gathering
// buckets whatever the queue's size (gather=true), as large queues do.
func TestEngineAgainstBruteForce(t *testing.T) {
	for _, gather := range []bool{false, true} {
		t.Run(fmt.Sprintf("gather=%v", gather), func(t *testing.T) {
			if gather {
				defer sim.SetGatherMin(0)()
			}
			engineAgainstBruteForce(t)
		})
	}
}

func engineAgainstBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		c := &checker{t: t, e: sim.New(), rng: rng, budget: 20000}
		if seed > 6 {
			c.recent = 500
		}
		for range 1 + rng.IntN(1000) {
			c.schedule(delay(rng))
		}
		// Alternate RunUntil, Step and Run.
		for c.e.Pending() > 0 {
			switch rng.IntN(3) {
			case 0:
				until := c.e.Now() + sim.Time(rng.ExpFloat64()*1e9)
				c.e.RunUntil(until)
				if c.e.Now() > until {
					t.Fatalf("RunUntil(%v) left the clock at %v", until, c.e.Now())
				}
				if c.e.Pending() > 0 && c.rng.IntN(2) == 0 {
					c.schedule(delay(rng)) // between runs, from outside a handler
				}
			case 1:
				for range 100 {
					c.e.Step()
				}
			default:
				c.e.Run()
			}
		}
		c.drain()
		if c.e.Fired() != uint64(c.fired) {
			t.Fatalf("seed %d: Fired() = %d, handled %d", seed, c.e.Fired(), c.fired)
		}
		if c.fired < 5000 {
			t.Fatalf("seed %d: only %d events fired; the workload is too small to test much", seed, c.fired)
		}
	}
}

// TestCancelAfterReuse: an EventID kept after its event fired or was
// cancelled must not cancel the event that now occupies the same storage.
func TestCancelAfterReuse(t *testing.T) {
	e := sim.New()
	r := &recorder{}
	fired := e.At(1, r, 1)
	e.Run()
	reused := e.At(2, r, 2) // reuses the first event's slot
	e.Cancel(fired)
	cancelled := e.At(3, r, 3)
	e.Cancel(cancelled)
	e.Run()                   // pops the cancelled event: its slot is free again
	again := e.At(4, r, 4)    // and reused
	e.Cancel(cancelled)       // stale: must not touch event 4
	e.Cancel(cancelled)       // twice
	e.Cancel(fired)           // still stale
	e.Cancel(sim.EventID(0))  // names nothing
	e.Cancel(^sim.EventID(0)) // out of range
	e.Run()
	if len(r.got) != 3 || r.got[0] != 1 || r.got[1] != 2 || r.got[2] != 4 {
		t.Fatalf("fired %v, want [1 2 4]", r.got)
	}
	if fired == reused || cancelled == again {
		t.Fatalf("a reused slot kept its EventID: %x %x %x %x", fired, reused, cancelled, again)
	}
}

// TestPendingCountsCancelled: Pending counts a cancelled event until it
// reaches the head of the queue, as documented.
func TestPendingCountsCancelled(t *testing.T) {
	e := sim.New()
	r := &recorder{}
	id := e.At(5, r, 1)
	e.At(10, r, 2)
	e.Cancel(id)
	if e.Pending() != 2 {
		t.Fatalf("Pending() = %d after a cancel, want 2", e.Pending())
	}
	if !e.Step() || e.Pending() != 0 || len(r.got) != 1 || r.got[0] != 2 {
		t.Fatalf("Step: fired %v, %d pending", r.got, e.Pending())
	}
	if e.Step() {
		t.Fatal("Step on an empty queue reported an event")
	}
}

func TestAtNilHandlerPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("At with a nil Handler did not panic")
		}
	}()
	sim.New().At(1, nil, 0)
}

// TestHoldDoesNotAllocate: the steady state of the hold model (a pop, then a
// schedule) allocates nothing once the queue has grown. This counts
// allocations, not time.
func TestHoldDoesNotAllocate(t *testing.T) {
	e := sim.New()
	h := &hold{e: e, rng: rand.New(rand.NewPCG(3, 3)), mean: float64(time.Minute)}
	for i := range 10000 {
		e.After(sim.Time(h.rng.ExpFloat64()*h.mean), h, int64(i))
	}
	for range 50000 {
		e.Step()
	}
	if a := testing.AllocsPerRun(100000, func() { e.Step() }); a != 0 {
		t.Fatalf("%v allocations per event, want 0", a)
	}
}

// TestDeterministic: the same schedule gives the same firing sequence.
func TestDeterministic(t *testing.T) {
	run := func() []int64 {
		e := sim.New()
		r := &recorder{}
		rng := rand.New(rand.NewPCG(5, 5))
		for i := range 20000 {
			e.At(sim.Time(rng.IntN(1000))*sim.Time(rng.IntN(1000)), r, int64(i))
		}
		e.Run()
		return r.got
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("runs differ at %d", i)
		}
	}
}

// orderChecker records the events it handles.
type orderChecker struct{ got []int64 }

func (o *orderChecker) Handle(now sim.Time, arg int64) { o.got = append(o.got, arg) }

// TestCompactBeforeAnyPop: cancelling most events of a queue that has
// never popped (its late heap never used) compacts it without a hitch, and
// the rest fire in order. bench/large.toml's baseline did exactly this when
// its pool released thousands of nodes at the end.
func TestCompactBeforeAnyPop(t *testing.T) {
	e := sim.New()
	o := &orderChecker{}
	var ids []sim.EventID
	for i := range 1000 {
		ids = append(ids, e.At(sim.Time(1e9+int64(i)*1e6), o, int64(i)))
	}
	for i := range 700 {
		e.Cancel(ids[i])
	}
	e.Run()
	if len(o.got) != 300 {
		t.Fatalf("%d events fired, want 300", len(o.got))
	}
	for k, arg := range o.got {
		if arg != int64(700+k) {
			t.Fatalf("event %d fired %d-th; want event %d", arg, k, 700+k)
		}
	}
}

// TestResetIsNew: an engine Reset after a run left unfinished (events
// pending in every part of the queue, cancelled ones too) runs the next
// workload exactly as a new one would, again and again.
func TestResetIsNew(t *testing.T) {
	e := sim.New()
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 5))
		c := &checker{t: t, e: e, rng: rng, budget: 3000}
		if seed%2 == 0 {
			c.recent = 200
		}
		for range 1 + rng.IntN(500) {
			c.schedule(delay(rng))
		}
		e.RunUntil(sim.Time(rng.ExpFloat64() * 1e9))
		for range 20 { // due at once: into the bottom's late arrivals
			c.schedule(sim.Time(rng.IntN(4)))
		}
		e.Step()
		if e.Pending() == 0 {
			t.Fatalf("seed %d: the first run left nothing pending", seed)
		}
		e.Reset()
		if e.Now() != 0 || e.Pending() != 0 || e.Fired() != 0 {
			t.Fatalf("seed %d: after Reset, now %v, %d pending, %d fired", seed, e.Now(), e.Pending(), e.Fired())
		}
		c = &checker{t: t, e: e, rng: rand.New(rand.NewPCG(seed, 6)), budget: 10000}
		for range 1 + c.rng.IntN(1000) {
			c.schedule(delay(c.rng))
		}
		e.Run()
		c.drain()
		if e.Fired() != uint64(c.fired) || c.fired < 2000 {
			t.Fatalf("seed %d: Fired() = %d, handled %d", seed, e.Fired(), c.fired)
		}
		e.Stop()
		e.Reset() // a stopped engine runs again too
	}
}
