package price_test

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model/price"
)

func ExamplePath() {
	// 0.02 $/h, a spike to 0.08 $/h from 2h to 3h, then 0.03 $/h.
	p, _ := price.NewPath([]time.Duration{0, 2 * time.Hour, 3 * time.Hour}, []float64{0.02, 0.08, 0.03})
	fmt.Printf("cost of a node billed 0-4h: $%.2f\n", p.Integrate(0, 4*time.Hour))
	at, ok := p.NextAbove(30*time.Minute, 0.05)
	fmt.Println("max price 0.05: evicted at", at, ok)
	at, ok = p.NextAtOrBelow(at, 0.05)
	fmt.Println("allocatable again at", at, ok)
	_, ok = p.NextAbove(0, -1)
	fmt.Println("max price -1 evicted:", ok)
	// Output:
	// cost of a node billed 0-4h: $0.15
	// max price 0.05: evicted at 2h0m0s true
	// allocatable again at 3h0m0s true
	// max price -1 evicted: false
}
