package scenarios_test

import (
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/scenarios"
)

// TestQuotasUnsetMeansNoCap: without [quotas] a scenario simulates the
// pool it asks for (no quota, unset); a key of [quotas] sets that quota
// only, and 0 is no limit, set on purpose.
func TestQuotasUnsetMeansNoCap(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []scenarios.Set
		want model.Quotas
	}{
		{"no [quotas]", nil, model.Quotas{}},
		{"low-priority set", []scenarios.Set{{Path: "quotas.low_priority_cores", Value: "100"}}, model.Quotas{LowPriorityCores: 100, LowPrioritySet: true}},
		{"dedicated set to no limit", []scenarios.Set{{Path: "quotas.dedicated_cores", Value: "0"}}, model.Quotas{DedicatedSet: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.Load("default", c.sets...)
			if err != nil {
				t.Fatal(err)
			}
			if sc.Quotas != c.want {
				t.Errorf("quotas %+v, want %+v", sc.Quotas, c.want)
			}
		})
	}
}
