package fit_test

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model/fit"
)

// Fit node lifetimes, some of them censored (the node was still running
// when the observation ended), and print the model to paste into a
// scenario.
func ExampleFit() {
	hours := []float64{0.4, 1.2, 2.5, 3.1, 4.8, 5.5, 7.9, 9.6, 12.4, 15.0, 18.3, 26.0}
	var obs []fit.Obs
	for i, x := range hours {
		obs = append(obs, fit.Obs{Value: time.Duration(x * float64(time.Hour)), Censored: i%4 == 3})
	}
	r, err := fit.Fit(obs, fit.Options{AllowCensored: true, Bootstrap: 99, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d lifetimes, %d censored\n", r.N, r.Censored)
	for _, m := range r.Models {
		fmt.Printf("%-11s ΔAIC %4.1f  %v\n", m.Family, m.DeltaAIC, m.Params[0])
	}
	fmt.Println("lifetime =", r.Best().TOML())
	// Output:
	// 12 lifetimes, 3 censored
	// exponential ΔAIC  0.0  mean 11h51m [6h10m, 22h47m]
	// weibull     ΔAIC  2.0  shape 0.989 [0.5776, 1.693]
	// lognormal   ΔAIC  2.7  median 7h5m [3h6m, 16h10m]
	// lifetime = { dist = "exponential", mean = "11h51m" }
}
