package sim_test

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/sim"
)

func ExampleEngine() {
	e := sim.New()
	say := sim.HandlerFunc(func(now sim.Time, arg int64) {
		fmt.Printf("%v: event %d\n", now, arg)
	})
	e.After(2*time.Minute, say, 2)
	e.After(time.Minute, say, 1)
	cancelled := e.After(90*time.Second, say, 99)
	e.Cancel(cancelled)
	e.Run()
	// Output:
	// 1m0s: event 1
	// 2m0s: event 2
}
