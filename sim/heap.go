package sim

import (
	"math"
	"math/bits"
)

// entry is what the heap orders: 16 bytes, so four siblings share one
// 64-byte cache line. key is seq<<32 | slot: comparing keys compares
// insertion sequences (they are unique, so ties in time fire FIFO), and the
// low half names the slot that holds the event.
type entry struct {
	at  Time
	key uint64
}

const (
	seqShift = 32
	slotMask = 1<<seqShift - 1
)

func (x entry) slot() uint32 { return uint32(x.key) }

// sentinel fills every position past the end of the heap. It orders after
// any real entry, so sift-down can always look at four children without
// asking how many exist.
var sentinel = entry{at: math.MaxInt64, key: math.MaxUint64}

// lessBit is 1 if a orders before b by (at, key), else 0. It is a 128-bit
// unsigned comparison done with a subtract-with-borrow chain: no branch, so
// nothing to mispredict on random keys. at is never negative.
func lessBit(a, b *entry) int {
	_, borrow := bits.Sub64(a.key, b.key, 0)
	_, borrow = bits.Sub64(uint64(a.at), uint64(b.at), borrow)
	return int(borrow)
}

// Storage layout of the 4-ary heap. The root is stored at index pad, so the
// children of the node stored at p, at 4p-8 .. 4p-5, start on a multiple of
// 4 entries: one 64-byte cache line once the backing array is 64-byte
// aligned, which Go's allocator does for the power-of-two sizes grow uses.
const (
	pad     = 3
	heapMin = 64 // entries: 1 KiB
)

func parent(p int) int     { return p>>2 + 2 }
func firstChild(p int) int { return 4*p - 8 }

// heap is a 4-ary min-heap of entries ordered by (at, key).
//
// Every position of h at or past pad+n holds the sentinel, and len(h) is
// always at least pad+n+4, so the four children of any inner node can be
// read without asking how many there are.
type heap struct {
	h []entry
	n int
}

// entries returns the heap's entries, in no particular order.
func (q *heap) entries() []entry {
	if q.n == 0 {
		return nil // h may not be allocated yet
	}
	return q.h[pad : pad+q.n]
}

// min returns the smallest entry. The heap must not be empty.
func (q *heap) min() *entry { return &q.h[pad] }

func (q *heap) grow() {
	c := max(heapMin, 2*len(q.h))
	h := make([]entry, c)
	copy(h, q.h)
	for i := pad + q.n; i < c; i++ {
		h[i] = sentinel
	}
	q.h = h
}

func (q *heap) push(x entry) {
	if pad+q.n+5 > len(q.h) {
		q.grow()
	}
	h := q.h
	p := pad + q.n
	q.n++
	for p > pad {
		par := parent(p)
		if lessBit(&x, &h[par]) == 0 {
			break
		}
		h[p] = h[par]
		p = par
	}
	h[p] = x
}

// pop removes and returns the smallest entry. The heap must not be empty.
//
// It moves the hole left by the root down to a leaf, always promoting the
// smallest child (chosen without branches), then sifts the former last
// entry up from there. The last entry usually belongs near the bottom, so
// this saves a comparison per level over the textbook sift-down, and the
// descent's only branch (is there a child?) is predictable.
func (q *heap) pop() entry {
	h := q.h
	top := h[pad]
	q.n--
	end := pad + q.n
	last := h[end]
	h[end] = sentinel
	if q.n == 0 {
		return top
	}
	p := pad
	for {
		c := firstChild(p)
		if c >= end {
			break
		}
		ch := h[c : c+4 : c+4]
		m0 := lessBit(&ch[1], &ch[0])
		m1 := 2 + lessBit(&ch[3], &ch[2])
		b := lessBit(&ch[m1], &ch[m0])
		m := m0 ^ (m0^m1)&-b
		h[p] = ch[m]
		p = c + m
	}
	for p > pad {
		par := parent(p)
		if lessBit(&last, &h[par]) == 0 {
			break
		}
		h[p] = h[par]
		p = par
	}
	h[p] = last
	return top
}

// clear empties the heap, keeping its storage.
func (q *heap) clear() {
	for q.n > 0 {
		q.n--
		q.h[pad+q.n] = sentinel
	}
}
