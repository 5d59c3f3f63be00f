package fit_test

import (
	"time"

	"github.com/spotsim/spotsim/model/preempt"
)

// lifetimeExp and lifetimeWeibull are spotsim's lifetime models.
func lifetimeExp(mean time.Duration) quantiler {
	e, err := preempt.NewExponential(mean)
	if err != nil {
		panic(err)
	}
	return e
}

func lifetimeWeibull(shape float64, scale time.Duration) quantiler {
	return preempt.Weibull{Shape: shape, Scale: scale}
}
