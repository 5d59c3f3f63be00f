package dist_test

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

func ExampleNewBathtub() {
	b := dist.DefaultBathtub
	fmt.Printf("t* = %.6f h, mean %.2f h\n", b.End().Hours(), b.MeanDuration().Hours())
	for _, u := range []float64{0.25, 0.5, 0.75} {
		fmt.Printf("Quantile(%.2f) = %.3f h\n", u, b.Quantile(u).Hours())
	}
	c := b.Capped(20 * time.Hour)
	fmt.Printf("capped at 20h: mean %.2f h, Quantile(0.75) = %v\n", c.MeanDuration().Hours(), c.Quantile(0.75))
	// Output:
	// t* = 24.000000 h, mean 12.10 h
	// Quantile(0.25) = 0.693 h
	// Quantile(0.50) = 13.333 h
	// Quantile(0.75) = 23.445 h
	// capped at 20h: mean 10.50 h, Quantile(0.75) = 20h0m0s
}
