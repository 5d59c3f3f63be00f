package preempt_test

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

func ExampleAzureEvictionRate() {
	e, _ := preempt.AzureEvictionRate("5-10") // per hour
	fmt.Printf("λ = %.4g per hour, mean %.1f h\n", e.Rate, e.MeanDuration().Hours())
	fmt.Printf("preempted within an hour: %.3f\n", e.CDF(time.Hour))
	fmt.Println(preempt.Describe(e).Text)
	// Output:
	// λ = 0.07796 per hour, mean 12.8 h
	// preempted within an hour: 0.075
	// exponential from Azure eviction-rate band "5-10" (7.5 % of VMs evicted per hour): hazard 0.07796 per hour, mean time to preemption 12.8 h
}

func ExampleAWSInterruptionFrequency() {
	e, _ := preempt.AWSInterruptionFrequency("5-10%") // per month
	fmt.Printf("λ = %.4g per hour, mean %.0f h\n", e.Rate, e.MeanDuration().Hours())
	fmt.Printf("preempted within 30 days: %.3f\n", e.CDF(720*time.Hour))
	// Output:
	// λ = 0.0001083 per hour, mean 9235 h
	// preempted within 30 days: 0.075
}

func ExampleDescribe() {
	for _, l := range []*preempt.Lifetime{
		preempt.Of(dist.Dist{Kind: dist.Weibull, Shape: 0.7, Scale: 20 * time.Hour}),
		preempt.Of(dist.DefaultBathtub.Capped(20 * time.Hour)),
		nil,
	} {
		fmt.Println(preempt.Describe(l).Text)
	}
	// Output:
	// weibull (shape 0.7, scale 20h; a hazard falling with age: young incarnations are preempted most): mean time to preemption 25.3 h, median 11.8 h
	// bathtub (A 0.5, tau1 1h, tau2 48m, b 1d; many preempted in their first hours, the rest by 24 h), capped at 20 h (max_lifetime): mean time to preemption 10.5 h, median 13.3 h
	// none: no lifetime of its own (never preempted but by the market)
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
