package autoscale

import (
	"slices"
	"testing"
)

// TestRingQueries: on a ring that has wrapped any number of times (and
// holds equal times), the window search and the newest-first copy agree
// with a plain slice of the samples kept.
func TestRingQueries(t *testing.T) {
	for _, c := range []int{1, 2, 7} {
		h := &History{Cap: c}
		var times []int64
		var vals []float64
		for k := 0; k < 4*c+3; k++ {
			ns := int64(k/2) * 30 // every time twice
			h.AddUnixNano(ns, float64(k))
			times, vals = append(times, ns), append(vals, float64(k))
			if len(times) > c {
				times, vals = times[1:], vals[1:]
			}
			for q := int64(-30); q <= ns+30; q += 15 {
				want, _ := slices.BinarySearchFunc(times, q, func(t, q int64) int {
					if t > q {
						return 1
					}
					return -1
				})
				if got := h.after(q); got != want {
					t.Fatalf("cap %d, %d added: after(%d) = %d, want %d", c, k+1, q, got, want)
				}
			}
			for i := 0; i <= len(vals); i++ {
				for j := i; j <= len(vals); j++ {
					ev := &evaluator{}
					want := slices.Clone(vals[i:j])
					slices.Reverse(want)
					if got := h.newestFirst(ev, i, j); !slices.Equal(got, want) {
						t.Fatalf("cap %d, %d added: newestFirst(%d, %d) = %v, want %v", c, k+1, i, j, got, want)
					}
				}
			}
		}
	}
}
