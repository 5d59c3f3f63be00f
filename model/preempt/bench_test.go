package preempt_test

import (
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/preempt"
)

func BenchmarkBathtubQuantile(b *testing.B) {
	bt := preempt.DefaultBathtub
	for i := 0; b.Loop(); i++ {
		bt.Quantile(float64(i%1000+1) / 1002)
	}
}

func BenchmarkWeibullQuantile(b *testing.B) {
	w := preempt.Weibull{Shape: 0.7, Scale: 20 * time.Hour}
	for i := 0; b.Loop(); i++ {
		w.Quantile(float64(i%1000+1) / 1002)
	}
}
