package preempt_test

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

func ExampleExponentialBucket() {
	e, _ := preempt.ExponentialBucket("5-10%")
	fmt.Printf("λ = %.4g per hour, mean %.0f h\n", e.Rate, e.Mean().Hours())
	fmt.Printf("preempted within 30 days: %.3f\n", e.CDF(720*time.Hour))
	// Output:
	// λ = 0.0001083 per hour, mean 9235 h
	// preempted within 30 days: 0.075
}

func ExampleBathtub() {
	b := preempt.DefaultBathtub
	fmt.Printf("t* = %.6f h, mean %.2f h\n", b.End().Hours(), b.Mean().Hours())
	for _, u := range []float64{0.25, 0.5, 0.75} {
		fmt.Printf("Quantile(%.2f) = %.3f h\n", u, b.Quantile(u).Hours())
	}
	c := preempt.Capped{Lifetime: b, Max: 20 * time.Hour}
	fmt.Printf("capped at 20h: mean %.2f h, Quantile(0.75) = %v\n", c.Mean().Hours(), c.Quantile(0.75))
	// Output:
	// t* = 24.000000 h, mean 12.10 h
	// Quantile(0.25) = 0.693 h
	// Quantile(0.50) = 13.333 h
	// Quantile(0.75) = 23.445 h
	// capped at 20h: mean 10.50 h, Quantile(0.75) = 20h0m0s
}

func ExampleCrunches() {
	c := preempt.Crunches{Every: dist.Const(48 * time.Hour), Fraction: 0.3, Blackout: dist.Const(2 * time.Hour)}
	u := func(i, j uint64) float64 { return 0.5 } // the pool passes sim.Streams.Uniform
	it := c.Events(u)
	for range 2 {
		e, _ := it.Next()
		fmt.Printf("at %v evict %d of 10, no allocation for %v\n", e.At, e.Nodes(10), e.Blackout)
	}
	// Output:
	// at 48h0m0s evict 3 of 10, no allocation for 2h0m0s
	// at 96h0m0s evict 3 of 10, no allocation for 2h0m0s
}
