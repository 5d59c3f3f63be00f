package sim

import (
	"math"
	"time"
)

// Time is simulated time since the start of a replication. It is an integer
// (nanoseconds), so it is exact and orders the same way on every machine.
type Time = time.Duration

// Never is a time later than any event; RunUntil(Never) runs to exhaustion.
const Never Time = 1<<63 - 1

// Handler is what an event calls when it fires. arg is whatever the scheduler
// passed to At or After; it lets one long-lived Handler (a node, a pool) serve
// many events without allocating a closure for each.
type Handler interface {
	Handle(now Time, arg int64)
}

// Preloader is an optional interface of a Handler. The engine calls
// Preload(arg) for some events a little before it calls Handle(now, arg)
// for them, several events at a time, so that the memory Handle is going to
// read (a node of a large model, say) can be fetched for all of them at
// once rather than in turn, each a cache miss. Preload must only read: it
// may be called for an event that is then cancelled, and whether and when
// it is called never changes what the simulation does.
type Preloader interface {
	Preload(arg int64)
}

// HandlerFunc adapts a function to Handler. Converting a func to an interface
// does not allocate, so a HandlerFunc built once can be scheduled freely.
type HandlerFunc func(now Time, arg int64)

// Handle calls f(now, arg).
func (f HandlerFunc) Handle(now Time, arg int64) { f(now, arg) }

// EventID names a scheduled event so that it can be cancelled. The zero
// EventID names no event. An EventID may be kept after its event has fired
// or been cancelled: the engine reuses the event's storage, but a
// generation count in the EventID makes the old one name nothing rather than
// the storage's new occupant. (The count is 32 bits: a stale EventID could
// only alias after its slot has been reused 2^32 times.)
type EventID uint64

// Engine is a single-threaded event loop. The zero value is not usable; call
// New. An Engine is not safe for concurrent use: each replication owns one.
type Engine struct {
	now     Time
	q       queue
	stopped bool
	fired   uint64
}

// New returns an engine at time 0 with an empty queue.
func New() *Engine {
	return &Engine{q: newQueue()}
}

// Now returns the current simulated time.
func (e *Engine) Now() Time { return e.now }

// Fired returns how many events have been handled so far.
func (e *Engine) Fired() uint64 { return e.fired }

// Pending returns how many events are queued, cancelled ones included until
// they reach the head of the queue or the queue reclaims them (it does when
// they outnumber the live ones).
func (e *Engine) Pending() int { return e.q.n }

// At schedules h.Handle(t, arg) at absolute time t. A time in the past is
// treated as now: the engine never moves backwards. Events at the same time
// fire in the order they were scheduled. h must not be nil.
func (e *Engine) At(t Time, h Handler, arg int64) EventID {
	if h == nil {
		panic("sim: At with a nil Handler")
	}
	if t < e.now {
		t = e.now
	}
	q := &e.q
	if q.free == none || q.seq == math.MaxUint32 {
		q.reserve()
	}
	i := q.free
	s := &q.slots[i]
	q.free = s.next
	s.at, s.h, s.arg, s.seq = t, h, arg, q.seq
	q.seq++
	q.n++
	if at := uint64(t); at < q.topStart && q.depth > 0 && at >= q.rungs[0].curAt {
		// The common case, inlined: a bucket of the first rung.
		r := &q.rungs[0]
		b := &r.head[(at-r.start)>>r.shift]
		s.next = *b
		*b = i
	} else {
		q.place(s, i)
	}
	return EventID(uint64(s.gen)<<32 | uint64(i+1))
}

// After schedules h.Handle at now+d.
func (e *Engine) After(d Time, h Handler, arg int64) EventID {
	t := e.now + d
	if d > 0 && t < e.now { // overflow: saturate
		t = Never
	}
	return e.At(t, h, arg)
}

// Cancel stops a scheduled event from firing. Cancelling an event that has
// already fired or been cancelled, or the zero EventID, does nothing. It is
// O(1) amortised: the event stays queued, marked, and is dropped when it
// reaches the head of the queue, or with every other cancelled event once
// they outnumber the live ones, so cancelled events never hold more memory
// than live ones.
func (e *Engine) Cancel(id EventID) {
	i := uint64(uint32(id)) - 1 // the zero EventID gives 2^64-1: out of range
	if i >= uint64(len(e.q.slots)) {
		return
	}
	if s := &e.q.slots[i]; s.gen == uint32(id>>32) && s.h != nil {
		e.q.cancel(s)
	}
}

// Stop makes Run or RunUntil return after the event being handled.
func (e *Engine) Stop() { e.stopped = true }

// Reset makes e a new engine, as New returns, but keeps the memory its
// queue has grown, so that a caller running simulation after simulation
// (a runner's worker) allocates it once. Events still queued are dropped:
// their EventIDs must not be used again.
func (e *Engine) Reset() {
	q := e.q
	q.reset()
	*e = Engine{q: q}
}

// Run handles events until the queue is empty or Stop is called.
func (e *Engine) Run() { e.RunUntil(Never) }

// Step handles the next live event and reports whether there was one.
func (e *Engine) Step() bool {
	for e.q.n > 0 {
		if e.fire() {
			return true
		}
	}
	return false
}

// fire pops the head of the queue and handles it unless it was cancelled,
// reporting whether it was handled. The slot is freed before the handler
// runs, so an event the handler schedules reuses it while it is in cache,
// and cancelling the firing event's own EventID does nothing.
func (e *Engine) fire() bool {
	q := &e.q
	var x entry
	if n := len(q.run); n > 0 && q.late.n == 0 {
		x = q.run[n-1]
		q.run = q.run[:n-1]
		q.n--
	} else {
		x = q.pop()
	}
	i := x.slot()
	s := &q.slots[i]
	h, arg := s.h, s.arg
	s.h = nil
	s.gen++
	s.next = q.free
	q.free = i
	if h == nil {
		q.cancelled--
		return false
	}
	e.now = x.at
	e.fired++
	h.Handle(x.at, arg)
	return true
}

// RunUntil handles every event at or before t, in (time, sequence) order,
// until the queue is empty, Stop is called or the next event is later than
// t. The clock is then left at the time of the last event handled (it does
// not jump to t).
func (e *Engine) RunUntil(t Time) {
	e.stopped = false
	for e.q.n > 0 && !e.stopped {
		if e.q.min().at > t {
			return
		}
		e.fire()
	}
}
