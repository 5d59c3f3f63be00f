package fit_test

import (
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

// lifetimeExp and lifetimeWeibull are spotsim's lifetime models, as a
// scenario's [pools.preemption] builds them.
func lifetimeExp(mean time.Duration) quantiler {
	e, err := preempt.NewExponential(mean)
	if err != nil {
		panic(err)
	}
	return e
}

func lifetimeWeibull(shape float64, scale time.Duration) quantiler {
	return preempt.Of(dist.Dist{Kind: dist.Weibull, Shape: shape, Scale: scale})
}
