package dist_test

import (
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

func BenchmarkBathtubQuantile(b *testing.B) {
	s := dist.DefaultBathtub.Sampler()
	for i := 0; b.Loop(); i++ {
		s.Quantile(float64(i%1000+1) / 1002)
	}
}

func BenchmarkWeibullQuantile(b *testing.B) {
	s := dist.Dist{Kind: dist.Weibull, Shape: 0.7, Scale: 20 * time.Hour}.Sampler()
	for i := 0; b.Loop(); i++ {
		s.Quantile(float64(i%1000+1) / 1002)
	}
}
