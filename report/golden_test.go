package report_test

import (
	"bytes"
	"testing"

	"github.com/spotsim/spotsim/scenarios"
)

// TestGolden checks the text, Markdown, CSV and JSON reports of
// testdata/small.toml against testdata/small.*; go test ./report/ -update
// rewrites them. "censored" stops it at a horizon some runs do not reach
// (percentiles not reached, means flagged as lower bounds, the bill at the
// horizon); "nothing" at one no run reaches (no numbers, null and empty
// cells rather than 0); "overquota" asks for more than Azure's default
// quota without setting [quotas] (a warning), "capped" sets a quota that
// caps the pool (it and its baseline ran as fewer nodes, and say so).
func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []scenarios.Set
		refs []string
	}{
		{"small", nil, nil},
		{"censored", []scenarios.Set{{Path: "simulation.horizon", Value: `"2h10m"`}}, nil},
		{"nothing", []scenarios.Set{{Path: "simulation.horizon", Value: `"1h"`}}, nil},
		// 30 low-priority nodes of 4 cores, no [quotas]: run as asked, with a
		// warning that Azure's default quota (100 cores) would allow 25
		{"overquota", []scenarios.Set{{Path: "pools.main.target_low_priority_nodes", Value: "30"}}, nil},
		// the quota set: the pool and its baseline run as 2 + 2 nodes
		{"capped", []scenarios.Set{{Path: "quotas.low_priority_cores", Value: "8"}}, nil},
		// the setup run today, 4 dedicated nodes: its own rows and the
		// savings and slowdown against it, beside the baseline's
		{"reference", nil, []string{"pools.main.target_dedicated_nodes=4", "pools.main.target_low_priority_nodes=0", "name=today"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runWithReference(t, 2, c.refs, c.sets...)
			var text, md bytes.Buffer
			if err := r.sum.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if err := r.sum.WriteMarkdown(&md, r.charts); err != nil {
				t.Fatal(err)
			}
			csv, err := r.sum.CSV()
			if err != nil {
				t.Fatal(err)
			}
			js, err := r.sum.JSON()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.name+".txt", text.Bytes())
			golden(t, c.name+".md", md.Bytes())
			golden(t, c.name+".csv", csv)
			golden(t, c.name+".json", js)
		})
	}
}
