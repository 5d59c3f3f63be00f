package sweep

import (
	"context"
	"sync"
	"testing"
)

// TestRunCountsTheReference: the reference's runs are run once for the
// sweep and counted in the progress, before the points' runs.
func TestRunCountsTheReference(t *testing.T) {
	pts := points(t, 2)
	plan := &Plan{Percentile: 95, Reference: &Reference{Name: "today", Scenario: pts[0], Replications: 3}}
	for _, sc := range pts {
		plan.Points = append(plan.Points, Point{Values: []string{}, Scenario: sc})
	}
	var mu sync.Mutex
	last, most := 0, 0
	part, _, err := Run(context.Background(), plan, Options{Workers: 2, Progress: func(_, _, done, total int) {
		mu.Lock()
		defer mu.Unlock()
		last, most = total, max(most, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 + 2*2*3; last != want || most != want {
		t.Errorf("progress: %d of %d runs at the end, want %d of %d (the reference's 3 and the points' 12)", most, last, want, want)
	}
	if part.Reference == nil || part.Reference.Finished != 3 || part.Results[0].SavingsVsReferencePct == nil {
		t.Errorf("no reference record or comparison: %+v", part.Reference)
	}
}
