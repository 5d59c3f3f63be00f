package sim

import "time"

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

// HandlerFunc adapts a function to Handler. Converting a func to an interface
// does not allocate, so a HandlerFunc built once can be scheduled freely.
type HandlerFunc func(now Time, arg int64)

// Handle calls f(now, arg).
func (f HandlerFunc) Handle(now Time, arg int64) { f(now, arg) }

// EventID names a scheduled event so that it can be cancelled. The zero
// EventID names no event.
type EventID uint64

// Engine is a single-threaded event loop. The zero value is not usable; call
// New. An Engine is not safe for concurrent use: each replication owns one.
type Engine struct {
	now       Time
	seq       uint64
	q         queue
	cancelled map[EventID]struct{}
	stopped   bool
	fired     uint64
}

// New returns an engine at time 0 with an empty queue.
func New() *Engine {
	return &Engine{cancelled: make(map[EventID]struct{})}
}

// Now returns the current simulated time.
func (e *Engine) Now() Time { return e.now }

// Fired returns how many events have been handled so far.
func (e *Engine) Fired() uint64 { return e.fired }

// Pending returns how many events are queued, cancelled ones included until
// they reach the head of the queue.
func (e *Engine) Pending() int { return len(e.q) }

// At schedules h.Handle(t, arg) at absolute time t. A time in the past is
// treated as now: the engine never moves backwards. Events at the same time
// fire in the order they were scheduled.
func (e *Engine) At(t Time, h Handler, arg int64) EventID {
	if t < e.now {
		t = e.now
	}
	e.seq++
	e.q.push(event{at: t, seq: e.seq, h: h, arg: arg})
	return EventID(e.seq)
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
// already fired, or the zero EventID, does nothing.
func (e *Engine) Cancel(id EventID) {
	if id == 0 || uint64(id) > e.seq {
		return
	}
	e.cancelled[id] = struct{}{}
}

// Stop makes Run or RunUntil return after the event being handled.
func (e *Engine) Stop() { e.stopped = true }

// Run handles events until the queue is empty or Stop is called.
func (e *Engine) Run() { e.RunUntil(Never) }

// Step handles the next live event and reports whether there was one.
func (e *Engine) Step() bool {
	for len(e.q) > 0 {
		ev := e.q.pop()
		if e.isCancelled(ev.seq) {
			continue
		}
		e.now = ev.at
		e.fired++
		ev.h.Handle(ev.at, ev.arg)
		return true
	}
	return false
}

func (e *Engine) isCancelled(seq uint64) bool {
	if len(e.cancelled) == 0 {
		return false
	}
	if _, ok := e.cancelled[EventID(seq)]; ok {
		delete(e.cancelled, EventID(seq))
		return true
	}
	return false
}

// RunUntil handles every event at or before t, in (time, sequence) order,
// until the queue is empty, Stop is called or the next event is later than
// t. The clock is then left at the time of the last event handled (it does
// not jump to t).
func (e *Engine) RunUntil(t Time) {
	e.stopped = false
	for len(e.q) > 0 && !e.stopped {
		if e.q[0].at > t {
			return
		}
		ev := e.q.pop()
		if e.isCancelled(ev.seq) {
			continue
		}
		e.now = ev.at
		e.fired++
		ev.h.Handle(ev.at, ev.arg)
	}
}
