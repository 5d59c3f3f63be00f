package sim

import (
	"math"
	"math/bits"
	"slices"
)

// The event queue is a ladder queue (Tang, Goh and Thng, "Ladder queue: an
// O(1) priority queue structure for large-scale discrete event simulation",
// ACM TOMACS 15(3), 2005), simplified and laid out for Go:
//
//   - top: an unsorted array of the events at or after topStart, the far
//     future. Scheduling there is an append.
//   - rungs: a stack of bucket arrays, coarse to fine. A rung splits a time
//     range into equal power-of-two buckets; a bucket is an unsorted singly
//     linked list threaded through the slot table, so scheduling into a rung
//     writes one 4-byte bucket head besides the event's own slot.
//   - bottom: the events of the bucket being consumed, sorted latest first,
//     plus a small 4-ary heap (late) of the events scheduled since then that
//     fall before that bucket's end (an event scheduled for now, say).
//
// Popping usually takes the last element of the sorted run. When the bottom
// is empty the next non-empty bucket of the finest rung moves into it; a
// bucket of more than splitAt events is spread over a new finer rung
// instead, and when every rung is used up the top is spread over a new first
// rung of a few buckets per event. Each event is thus moved a few times in
// all, however many are pending, instead of crossing log4(n) heap levels on
// every pop, and the bottom stays small enough for the L1 cache.
//
// The order is exact: every event in the bottom is earlier than every event
// outside it, and the bottom is ordered by (time, sequence), so events at the
// same time fire in the order they were scheduled.

// slot holds one scheduled event. The slot table is the queue's storage:
// buckets link slots; the run, the late heap and the top hold copies of
// (time, seq<<32|slot). A slot belongs to its event from At until the event
// is popped, then goes back to the free list.
type slot struct {
	at   Time
	h    Handler // nil once cancelled
	arg  int64
	seq  uint32
	gen  uint32 // bumped when the slot is freed: the high half of an EventID
	next uint32 // next slot in the same bucket or in the free list, or none
}

// none ends a bucket's list and marks an empty bucket; it is never a slot.
const none = math.MaxUint32

// splitAt is the most events a bucket may hold and still move into the
// bottom as is; a fuller bucket is spread over a finer rung first.
const splitAt = 48

// bucketsPerEvent is how many first-rung buckets spreadTop makes per event
// (a power of two, as log2). Pending events are densest near the front of
// the range (in the hold model they are exponentially distributed), and a
// few buckets per event keep the front buckets at one or two events.
const bucketsPerEventLog2 = 2

// maxRungs bounds the ladder's depth. Each rung's buckets are at least
// splitAt times narrower than its parent's, so 64-bit times never need more
// than about 11 rungs; the bound only guards against surprises.
const maxRungs = 16

// rung splits [start, start + nb<<shift) into nb buckets 1<<shift wide.
// Buckets before cur have been consumed and are empty; curAt is the start of
// bucket cur: an event before it belongs to a finer rung or to the bottom.
type rung struct {
	start uint64
	shift uint
	nb    int
	cur   int
	curAt uint64
	head  []uint32 // the buckets' first slots; len(head) >= nb, and head[nb:] are empty
}

// queue is the engine's event store and priority queue. The zero value is
// not ready; use newQueue.
type queue struct {
	slots []slot
	free  uint32 // first free slot, linked by next; the slot freed last is reused first, while in cache
	seq   uint32 // the next insertion sequence number
	n     int    // queued events, cancelled ones included

	top            []entry
	topStart       uint64 // events at or after it go to top
	topMin, topMax uint64 // the range of the times in top
	rungs          []rung // rungs[:depth] are in use, coarse to fine
	depth          int
	run            []entry // the bottom's sorted run, latest first
	late           heap    // the bottom's later arrivals
}

func newQueue() queue { return queue{free: none, topMin: math.MaxUint64} }

// reserve makes sure that a slot is free and that the sequence counter can
// be incremented: the rare path of Engine.At, kept out of line so that the
// common one stays short.
func (q *queue) reserve() {
	if q.free == none {
		if len(q.slots) >= none {
			panic("sim: too many pending events")
		}
		q.free = uint32(len(q.slots))
		q.slots = append(q.slots, slot{next: none})
	}
	if q.seq == math.MaxUint32 {
		q.renumber()
	}
}

func (q *queue) entryOf(i uint32) entry {
	s := &q.slots[i]
	return entry{at: s.at, key: uint64(s.seq)<<seqShift | uint64(i)}
}

// place queues slot i (s) where its time belongs: the top, a rung or the
// bottom's late heap.
func (q *queue) place(s *slot, i uint32) {
	at := uint64(s.at)
	if at >= q.topStart {
		q.top = append(q.top, entry{at: s.at, key: uint64(s.seq)<<seqShift | uint64(i)})
		q.topMin = min(q.topMin, at)
		q.topMax = max(q.topMax, at)
		return
	}
	for k := 0; k < q.depth; k++ {
		if r := &q.rungs[k]; at >= r.curAt {
			h := &r.head[(at-r.start)>>r.shift]
			s.next = *h
			*h = i
			return
		}
	}
	q.late.push(entry{at: s.at, key: uint64(s.seq)<<seqShift | uint64(i)})
}

// link adds the slot of x to its bucket of r.
func (q *queue) link(r *rung, x *entry) {
	h := &r.head[(uint64(x.at)-r.start)>>r.shift]
	q.slots[x.slot()].next = *h
	*h = x.slot()
}

// min returns the earliest queued entry. The queue must not be empty.
func (q *queue) min() *entry {
	n := len(q.run)
	if q.late.n == 0 {
		if n == 0 {
			q.refill()
			n = len(q.run)
		}
		return &q.run[n-1]
	}
	if n == 0 || lessBit(q.late.min(), &q.run[n-1]) == 1 {
		return q.late.min()
	}
	return &q.run[n-1]
}

// pop removes and returns the earliest queued entry. The queue must not be
// empty. Engine.fire inlines the common case, a non-empty run and no late
// arrivals.
func (q *queue) pop() entry {
	q.n--
	n := len(q.run)
	if q.late.n == 0 {
		if n == 0 {
			q.refill()
			n = len(q.run)
		}
	} else if n == 0 || lessBit(q.late.min(), &q.run[n-1]) == 1 {
		return q.late.pop()
	}
	x := q.run[n-1]
	q.run = q.run[:n-1]
	return x
}

// end returns start + nb<<shift, saturated at the largest uint64.
func end(start uint64, nb int, shift uint) uint64 {
	hi, lo := bits.Mul64(uint64(nb), 1<<shift)
	sum, carry := bits.Add64(start, lo, 0)
	if hi != 0 || carry != 0 {
		return math.MaxUint64
	}
	return sum
}

// newRung pushes a rung of nb empty buckets 1<<shift wide from start.
func (q *queue) newRung(start uint64, shift uint, nb int) *rung {
	if q.depth == len(q.rungs) {
		q.rungs = append(q.rungs, rung{})
	}
	r := &q.rungs[q.depth]
	q.depth++
	r.start, r.shift, r.nb, r.cur, r.curAt = start, shift, nb, 0, start
	for len(r.head) < nb {
		r.head = append(r.head, none)
	}
	return r
}

// refill moves the next bucket into the empty bottom, sorted. The queue
// must not be empty.
func (q *queue) refill() {
	for {
		if q.depth == 0 {
			q.spreadTop()
		}
		r := &q.rungs[q.depth-1]
		c := r.cur
		for c < r.nb && r.head[c] == none {
			c++
		}
		if c == r.nb {
			r.cur = c
			q.depth--
			continue
		}
		head := r.head[c]
		r.head[c] = none
		r.cur = c + 1
		bStart := r.start + uint64(c)<<r.shift
		r.curAt = bStart + 1<<r.shift
		if r.curAt < bStart {
			r.curAt = math.MaxUint64 // the end of time saturates
		}
		run := q.run[:0]
		for i := head; i != none; i = q.slots[i].next {
			run = append(run, q.entryOf(i))
		}
		q.run = run
		if len(run) > splitAt && r.shift > 0 && q.depth < maxRungs && !sameTime(run) {
			// Spread the bucket over a finer rung of about one event per
			// bucket, covering exactly the bucket's range.
			s := min(uint(bits.Len(uint(len(run)-1))), r.shift)
			f := q.newRung(bStart, r.shift-s, 1<<s)
			for k := range run {
				q.link(f, &run[k])
			}
			q.run = run[:0]
			continue
		}
		sortLatestFirst(run)
		return
	}
}

// sameTime reports whether all of xs are at one time: such a bucket cannot
// be split and goes to the bottom whole.
func sameTime(xs []entry) bool {
	for _, x := range xs[1:] {
		if x.at != xs[0].at {
			return false
		}
	}
	return true
}

// sortLatestFirst sorts xs by (at, key), latest first, so that the earliest
// pops off the end.
func sortLatestFirst(xs []entry) {
	if len(xs) > 16 {
		slices.SortFunc(xs, func(a, b entry) int { return lessBit(&a, &b) - lessBit(&b, &a) })
		return
	}
	for j := 1; j < len(xs); j++ {
		x := xs[j]
		k := j
		for ; k > 0 && lessBit(&xs[k-1], &x) == 1; k-- {
			xs[k] = xs[k-1]
		}
		xs[k] = x
	}
}

// spreadTop moves the top into a new first rung of about
// 1<<bucketsPerEventLog2 buckets per event. The top must not be empty.
func (q *queue) spreadTop() {
	lo, n := q.topMin, uint64(len(q.top))
	shift := 0
	if w := (q.topMax - lo) / n; w > 0 {
		// 1<<Len64(w) > w, so without the bias nb <= n.
		shift = max(0, bits.Len64(w)-bucketsPerEventLog2)
	}
	nb := int((q.topMax-lo)>>shift) + 1
	r := q.newRung(lo, uint(shift), nb)
	for k := range q.top {
		q.link(r, &q.top[k])
	}
	q.top = q.top[:0]
	q.topStart = end(lo, nb, uint(shift))
	q.topMin, q.topMax = math.MaxUint64, 0
}

// renumber gives the queued events the sequence numbers 0 .. n-1 in their
// (time, sequence) order, so that the 32-bit counter can go on without
// wrapping. Everything is gathered into the top, from which the next pop
// rebuilds the ladder. It runs once every 2^32 schedules.
func (q *queue) renumber() {
	q.top = append(q.top, q.run...)
	q.top = append(q.top, q.late.h[pad:pad+q.late.n]...)
	q.run = q.run[:0]
	q.late.clear()
	for k := 0; k < q.depth; k++ {
		r := &q.rungs[k]
		for c := r.cur; c < r.nb; c++ {
			for i := r.head[c]; i != none; i = q.slots[i].next {
				q.top = append(q.top, q.entryOf(i))
			}
			r.head[c] = none
		}
	}
	q.depth = 0
	slices.SortFunc(q.top, func(a, b entry) int { return lessBit(&b, &a) - lessBit(&a, &b) })
	q.topStart, q.topMin, q.topMax = 0, math.MaxUint64, 0
	for k := range q.top {
		x := &q.top[k]
		q.slots[x.slot()].seq = uint32(k)
		x.key = uint64(k)<<seqShift | uint64(x.slot())
		q.topMin = min(q.topMin, uint64(x.at))
		q.topMax = max(q.topMax, uint64(x.at))
	}
	q.seq = uint32(len(q.top))
}
