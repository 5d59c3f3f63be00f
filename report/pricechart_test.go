package report_test

import (
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/scenarios"
)

// TestPriceEvictionsApart: the market series keeps the evictions the price
// caused (above max_price) apart from the others, so price.png marks them
// apart; together they are every preemption.
func TestPriceEvictionsApart(t *testing.T) {
	sc, err := scenarios.Load("spot-market", scenarios.Set{Path: "simulation.replications", Value: "1"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := runner.Replay(sc, 9, model.Options{KeepSeries: true}) // replication 9 crosses max_price
	if err != nil {
		t.Fatal(err)
	}
	m := res.Markets[0]
	if len(m.PriceEvictions) == 0 || len(m.Evictions) == 0 {
		t.Fatalf("price evictions %d, others %d: want both", len(m.PriceEvictions), len(m.Evictions))
	}
	if n := len(m.PriceEvictions) + len(m.Evictions); n != res.Preemptions {
		t.Errorf("%d evictions in the series, %d preemptions", n, res.Preemptions)
	}
}
