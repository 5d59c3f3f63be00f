package report

import (
	"math"
	"testing"
	"time"
)

// TestIntTicks: node counts get whole-number ticks only, whatever the range.
func TestIntTicks(t *testing.T) {
	for _, hi := range []float64{1, 2, 3, 5, 7, 12, 20, 25, 60, 150, 1000} {
		ts := intTicks{}.Ticks(0, hi)
		labelled := 0
		for _, tk := range ts {
			if tk.Value != math.Trunc(tk.Value) {
				t.Errorf("0..%v: tick at %v", hi, tk.Value)
			}
			if tk.Label != "" {
				labelled++
			}
		}
		if labelled < 2 {
			t.Errorf("0..%v: %d labelled ticks", hi, labelled)
		}
	}
}

// TestCompletionAxisStart: the completion axis starts at 0, or says where
// it starts when the runs are bunched far from 0.
func TestCompletionAxisStart(t *testing.T) {
	for _, c := range []struct {
		x0, x1, start float64
		broken        bool
	}{{0.5, 3, 0, false}, {1.1, 3, 0, false}, {35.6, 41.5, 35.6, true}} {
		if s, b := completionStart(c.x0, c.x1); s != c.start || b != c.broken {
			t.Errorf("completionStart(%v, %v) = %v, %v; want %v, %v", c.x0, c.x1, s, b, c.start, c.broken)
		}
	}
}

// TestNodeTraceWasted: a run whose work was lost counts as wasted nodes
// over the time it ran, and its core-hours add up.
func TestNodeTraceWasted(t *testing.T) {
	var n NodeTrace
	n.WorkLost(3*time.Hour, 0, 2*time.Hour, 1, 8) // ran 1h-3h on one node
	n.WorkLost(4*time.Hour, 0, time.Hour, 16, 64) // an MPI gang of 16 nodes, 3h-4h
	got := n.Wasted([]time.Duration{0, time.Hour, 2 * time.Hour, 3 * time.Hour, 210 * time.Minute, 4 * time.Hour})
	want := []float64{0, 1, 1, 16, 16, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("wasted %v, want %v", got, want)
		}
	}
	if n.LostCoreHours != 72 {
		t.Errorf("lost %v core-h, want 72", n.LostCoreHours)
	}
}
