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
//   - bottom: the events of the buckets being consumed, sorted latest first,
//     plus a small 4-ary heap (late) of the events scheduled since then that
//     fall before those buckets' end (an event scheduled for now, say).
//
// Popping usually takes the last element of the sorted run. When the bottom
// is empty the next non-empty buckets of the finest rung move into it, up to
// gather of them: in a large model every event's slot is a cache miss, and
// taken together their misses overlap (the handlers that are Preloaders are
// asked then to fetch what their events will read, for the same reason). A
// bucket of more than splitAt events is spread over finer rungs instead (see
// spread), and when every rung is used up the top is spread over a new first
// rung of a few buckets per event. When more than lateMax late arrivals pile
// up in the bottom, the bottom too is spread over finer rungs. Each event is
// thus moved a few times in all, however many are pending, instead of
// crossing log4(n) heap levels on every pop, and the bottom stays small
// enough for the L1 cache.
//
// Cancelling is O(1): the event is marked and dropped when it reaches the
// head. Marked events would otherwise pile up (a preempted task's end,
// scheduled days ahead, is cancelled long before it falls due), so when they
// outnumber the live ones the queue is compacted: the marked ones are freed
// and the live ones gathered into the top. That costs O(queued), after at
// least as many cancels, so memory stays within about twice the live events
// and cancelling stays O(1) amortised.
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
// bottom as is; a fuller bucket is spread over finer rungs first.
const splitAt = 48

// gather is how many non-empty buckets refill takes into the bottom at
// most, within gatherScan buckets of the first, when the queue is large
// (gatherMin) and the rung's buckets have not proved too full for it
// (rung.dense). In a large model every event's slot is a cache miss; taken a
// bucket at a time, those misses come one after the other.
const gather = 8

// gatherMin is the fewest slots (the most events ever pending at once) for
// which a new rung's buckets are gathered (rung.large): below it the slot
// table fits in a core's L2 cache (48 bytes a slot), there are no misses to
// overlap, and taking one bucket at a time is cheaper. (A variable, so that
// tests can gather in small queues.)
var gatherMin = 1 << 15

// gatherScan bounds how many buckets, empty ones included, one refill looks
// through from the first non-empty one.
const gatherScan = 64

// lateMax is how many late arrivals the bottom's heap takes before the
// whole bottom is spread over finer rungs. Late arrivals pile up when the
// bucket being consumed is wide for the events that fall in it: when a far
// event (the run's horizon, say) made the first rung coarse. Spreading keeps
// the heap small, so the queue stays O(1) rather than becoming a heap.
const lateMax = 16

// bucketsPerEventLog2: a new rung has about 1<<bucketsPerEventLog2 buckets
// per event it spreads. Pending events are densest near the front of their
// range (in the hold model they are exponentially distributed), and a few
// buckets per event keep the front buckets at one or two events.
const bucketsPerEventLog2 = 2

// maxRungs bounds the ladder's depth. A spread adds at most two rungs (see
// spread), and the events of a bucket it has to spread again lie within a
// range at least 2*splitAt times narrower, so 64-bit times never need more
// than about 20 rungs; the bound only guards against surprises.
const maxRungs = 32

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
	large bool     // the queue was large (gatherMin) when the rung was made
	dense bool     // its buckets proved too full to gather several (see gather)
}

// queue is the engine's event store and priority queue. The zero value is
// not ready; use newQueue.
type queue struct {
	slots []slot
	free  uint32 // first free slot, linked by next; the slot freed last is reused first, while in cache
	seq   uint32 // the next insertion sequence number
	n     int    // queued events, cancelled ones included
	// cancelled counts the queued events that were cancelled: they stay
	// where they are, marked, until they reach the head or compact drops
	// them all.
	cancelled int

	top            []entry
	topStart       uint64 // events at or after it go to top
	topMin, topMax uint64 // the range of the times in top
	rungs          []rung // rungs[:depth] are in use, coarse to fine
	depth          int
	run            []entry // the bottom's sorted run, latest first
	late           heap    // the bottom's later arrivals
	lateLimit      int     // late arrivals that trigger a respread; lateMax after each refill
	scratch        []entry
}

func newQueue() queue { return queue{free: none, topMin: math.MaxUint64, lateLimit: lateMax} }

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
	if q.late.n > q.lateLimit {
		q.respread()
	}
}

// respread moves the whole bottom, whose late heap has outgrown lateLimit,
// onto finer rungs. When it cannot (every event at one time, or the ladder
// at its deepest), it lets the heap grow to twice its size first.
func (q *queue) respread() {
	xs := append(q.scratch[:0], q.run...)
	xs = append(xs, q.late.entries()...)
	q.scratch = xs
	end := q.topStart // every event of the bottom is before the finest rung's curAt
	if q.depth > 0 {
		end = q.rungs[q.depth-1].curAt
	}
	if !q.spread(xs, end) {
		q.lateLimit = 2 * q.late.n
		return
	}
	q.run = q.run[:0]
	q.late.clear()
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

// endOf returns start + nb<<shift, saturated at the largest uint64.
func endOf(start uint64, nb int, shift uint) uint64 {
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
	r.large, r.dense = len(q.slots) >= gatherMin, false
	for len(r.head) < nb {
		r.head = append(r.head, none)
	}
	return r
}

// refill moves the next bucket into the empty bottom, sorted. The queue
// must not be empty.
func (q *queue) refill() {
	q.lateLimit = lateMax
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
		run, sorted := q.run[:0], false
		switch {
		case r.large && !r.dense:
			run, c = q.gather(r, c, run)
			sorted = true
		case r.large:
			run = q.walk(r, c, run)
			c++
		default:
			for i := r.head[c]; i != none; i = q.slots[i].next {
				run = append(run, q.entryOf(i))
			}
			r.head[c] = none
			c++
		}
		r.cur = c
		r.curAt = endOf(r.start, c, r.shift)
		q.run = run
		if len(run) > splitAt && q.spread(run, r.curAt) {
			q.run = run[:0]
			continue
		}
		if !sorted {
			sortLatestFirst(run)
		}
		return
	}
}

// gather appends the non-empty bucket c of r and the next ones to the
// empty run, up to gather of them within gatherScan buckets, sorted latest
// first, and returns the run and the bucket after the last one taken. Their
// first slots are known from the heads, and they are read in a loop whose
// branches do not depend on them, so the reads (a cache miss each in a
// large model) overlap instead of waiting for one another; the handlers
// that are Preloaders are asked to preload their events then, for the same
// reason; the rest of each bucket's list follows. The buckets' time ranges
// follow one another, so the run is each bucket sorted on its own, the last
// bucket first: a few events at a time, not all of them together. When the
// buckets hold more than 2*gather events in all, more than a short
// insertion sort orders, it takes bucket c alone (refill may spread it) and
// marks r dense, so that the rung's buckets are taken one at a time from
// then on (see walk), and a spread never covers several buckets only to
// gather them again.
func (q *queue) gather(r *rung, c int, run []entry) ([]entry, int) {
	var heads, nexts [gather]uint32
	var at [gather]int
	var first [gather]entry
	nh := 0
	for end := min(r.nb, c+gatherScan); c < end && nh < gather; c++ {
		if h := r.head[c]; h != none {
			heads[nh], at[nh] = h, c
			nh++
			r.head[c] = none
		}
	}
	for k := range nh {
		first[k] = q.entryOf(heads[k])
		nexts[k] = q.slots[heads[k]].next
	}
	for k := range nh {
		q.preload(heads[k])
	}
	from := 0 // where bucket k's events begin in the run
	for k := nh - 1; k >= 0; k-- {
		from = len(run)
		run = append(run, first[k])
		for i := nexts[k]; i != none; i = q.slots[i].next {
			run = append(run, q.entryOf(i))
		}
		if len(run)-from > 1 {
			sortLatestFirst(run[from:])
		}
	}
	if nh > 1 && len(run) > 2*gather {
		r.dense = true
		for k := 1; k < nh; k++ {
			r.head[at[k]] = heads[k]
		}
		return append(run[:0], run[from:]...), at[0] + 1
	}
	return run, c
}

// preload asks the handler of slot i's event, when it is a Preloader, to
// preload the event (see gather and walk).
func (q *queue) preload(i uint32) {
	if s := &q.slots[i]; s.h != nil {
		if p, ok := s.h.(Preloader); ok {
			p.Preload(s.arg)
		}
	}
}

// warm is how many of the next buckets walk reads along with the one it
// takes.
const warm = 3

// walk appends the events of the non-empty bucket c of a dense rung (see
// gather) to the empty run and empties the bucket. A bucket's list is a
// chain of cache misses, each waiting for the one before, in a large model;
// so walk follows the lists of the next warm non-empty buckets along with
// it, step for step, and when they come to be taken their slots are in the
// cache already. It asks the handlers that are Preloaders to preload the
// events it takes, as gather does.
func (q *queue) walk(r *rung, c int, run []entry) []entry {
	var w [warm]uint32
	nw := 0
	for d, end := c+1, min(r.nb, c+gatherScan); d < end && nw < warm; d++ {
		if h := r.head[d]; h != none {
			w[nw] = h
			nw++
		}
	}
	for i := r.head[c]; i != none; {
		run = append(run, q.entryOf(i))
		q.preload(i)
		i = q.slots[i].next
		for k := range nw {
			if w[k] != none {
				w[k] = q.slots[w[k]].next
			}
		}
	}
	r.head[c] = none
	return run
}

// size returns the bucket width (as a shift) and count of a rung spreading
// n events over [lo, hi]: about 1<<bucketsPerEventLog2 buckets per event.
func size(lo, hi uint64, n int) (shift uint, nb int) {
	if w := (hi - lo) / uint64(n); w > 0 {
		// Without the bias, 1<<shift > w, so nb <= n.
		shift = uint(max(0, bits.Len64(w)-bucketsPerEventLog2))
	}
	return shift, int((hi-lo)>>shift) + 1
}

// spread moves xs, whose times lie in [min, end), onto new rungs: a fine one
// over their actual range, sized by their number, and, when that range stops
// short of end, a one-bucket tail rung over the rest, for events scheduled
// there later. (The tail's bucket is nominally 2^63 wide; only its part
// before end is ever used, since coarser rungs take any later event.) Sizing
// by the events' range rather than by the bucket's keeps a few events far
// from the rest from making every bucket wide. spread reports false, and
// does nothing, when all of xs are at one time or the ladder is too deep.
func (q *queue) spread(xs []entry, end uint64) bool {
	// Used-up rungs would only deepen the stack: drop them. Their ranges
	// are behind us, and end is still an upper bound of xs.
	for q.depth > 0 && q.rungs[q.depth-1].cur == q.rungs[q.depth-1].nb {
		q.depth--
	}
	if q.depth+2 > maxRungs {
		return false
	}
	lo, hi := uint64(xs[0].at), uint64(xs[0].at)
	for _, x := range xs[1:] {
		lo, hi = min(lo, uint64(x.at)), max(hi, uint64(x.at))
	}
	if lo == hi {
		return false
	}
	shift, nb := size(lo, hi, len(xs))
	if fineEnd := endOf(lo, nb, shift); fineEnd < end {
		q.newRung(fineEnd, 63, 1)
	}
	f := q.newRung(lo, shift, nb)
	for k := range xs {
		q.link(f, &xs[k])
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
	lo := q.topMin
	shift, nb := size(lo, q.topMax, len(q.top))
	r := q.newRung(lo, shift, nb)
	for k := range q.top {
		q.link(r, &q.top[k])
	}
	q.top = q.top[:0]
	q.topStart = endOf(lo, nb, shift)
	q.topMin, q.topMax = math.MaxUint64, 0
}

// compactMin is the fewest cancelled events worth a compaction: below it a
// small queue is left alone.
const compactMin = 256

// cancel marks the queued event in slot s as cancelled and compacts the
// queue when cancelled events outnumber live ones.
func (q *queue) cancel(s *slot) {
	s.h = nil
	q.cancelled++
	if q.cancelled >= compactMin && q.cancelled > q.n-q.cancelled {
		q.compact()
	}
}

// compact frees the slots of the cancelled events and gathers the live ones
// into the top, from which the next pop rebuilds the ladder (as after
// renumber). Sequence numbers are kept, so the order is unchanged.
func (q *queue) compact() {
	keep := func(x entry) bool {
		i := x.slot()
		s := &q.slots[i]
		if s.h != nil {
			return true
		}
		s.gen++
		s.next = q.free
		q.free = i
		return false
	}
	top := q.top[:0]
	for _, x := range q.top {
		if keep(x) {
			top = append(top, x)
		}
	}
	for _, x := range q.run {
		if keep(x) {
			top = append(top, x)
		}
	}
	for _, x := range q.late.entries() {
		if keep(x) {
			top = append(top, x)
		}
	}
	q.run = q.run[:0]
	q.late.clear()
	for k := 0; k < q.depth; k++ {
		r := &q.rungs[k]
		for c := r.cur; c < r.nb; c++ {
			for i := r.head[c]; i != none; {
				x, next := q.entryOf(i), q.slots[i].next
				if keep(x) {
					top = append(top, x)
				}
				i = next
			}
			r.head[c] = none
		}
	}
	q.top, q.depth, q.n, q.cancelled = top, 0, len(top), 0
	q.topStart, q.topMin, q.topMax = 0, math.MaxUint64, 0
	for _, x := range top {
		q.topMin = min(q.topMin, uint64(x.at))
		q.topMax = max(q.topMax, uint64(x.at))
	}
}

// renumber gives the queued events the sequence numbers 0 .. n-1 in their
// (time, sequence) order, so that the 32-bit counter can go on without
// wrapping. Everything is gathered into the top, from which the next pop
// rebuilds the ladder. It runs once every 2^32 schedules.
func (q *queue) renumber() {
	q.top = append(q.top, q.run...)
	q.top = append(q.top, q.late.entries()...)
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

// reset empties the queue as newQueue makes it, keeping its buffers: slots
// cleared (they name handlers, which must not stay reachable), every
// bucket empty, the late heap empty.
func (q *queue) reset() {
	clear(q.slots)
	for i := range q.rungs {
		for j := range q.rungs[i].head {
			q.rungs[i].head[j] = none
		}
	}
	q.late.clear()
	slots, top, rungs, run, late, scratch := q.slots[:0], q.top[:0], q.rungs, q.run[:0], q.late, q.scratch[:0]
	*q = newQueue()
	q.slots, q.top, q.rungs, q.run, q.late, q.scratch = slots, top, rungs, run, late, scratch
}
