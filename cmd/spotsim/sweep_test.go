package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sweepFile writes report/testdata/small.toml with a [sweep] table into a
// temporary folder and returns its path.
func sweepFile(t *testing.T, sweep string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "report", "testdata", "small.toml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sweep.toml")
	if err := os.WriteFile(path, append(src, []byte("\n[sweep]\n"+sweep)...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const smallSweep = `pools.main.target_low_priority_nodes = [0, 4, 8]
pools.main.target_dedicated_nodes = [1, 3]
deadline = "3h"
percentile = 95
`

// sweepJSON is the part of sweep.json the tests read.
type sweepJSON struct {
	Points  int `json:"points"`
	Results []struct {
		Index  int      `json:"index"`
		Values []string `json:"values"`
		Cost   struct {
			Mean float64 `json:"mean"`
		} `json:"cost_usd"`
		Completion struct {
			Mean float64 `json:"mean"`
		} `json:"completion_time_hours"`
	} `json:"results"`
	Frontier       []int `json:"frontier"`
	Recommendation *struct {
		Index *int   `json:"index"`
		Text  string `json:"text"`
	} `json:"recommendation"`
}

func TestSweepSameForAnyWorkers(t *testing.T) {
	file := sweepFile(t, smallSweep)
	var dirs []string
	for _, w := range []string{"1", "4"} {
		dir := t.TempDir()
		code, stdout, stderr := cli(t, "sweep", file, "--workers", w, "--out", dir)
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		if !strings.Contains(stdout, "Cheapest point meeting the deadline of 3 h at p95") {
			t.Errorf("no recommendation on stdout:\n%s", stdout)
		}
		dirs = append(dirs, dir)
	}
	for _, name := range []string{"sweep.csv", "sweep.json", "frontier.png", "heatmap.png"} {
		a, err := os.ReadFile(filepath.Join(dirs[0], name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dirs[1], name))
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between 1 and 4 workers (or is empty)", name)
		}
	}
	var sw sweepJSON
	data, _ := os.ReadFile(filepath.Join(dirs[0], "sweep.json"))
	if err := json.Unmarshal(data, &sw); err != nil {
		t.Fatal(err)
	}
	if sw.Points != 6 || len(sw.Results) != 6 {
		t.Fatalf("%d points, %d results; want 6", sw.Points, len(sw.Results))
	}
	// the first axis varies slowest
	if got := sw.Results[3].Values; got[0] != "4" || got[1] != "3" {
		t.Errorf("point 3 values %v, want [4 3]", got)
	}
	csv, _ := os.ReadFile(filepath.Join(dirs[0], "sweep.csv"))
	if lines := strings.Count(string(csv), "\n"); lines != 7 {
		t.Errorf("sweep.csv has %d lines, want a header and 6 rows", lines)
	}
}

// TestSweepPointIsItsRun: every point runs on the scenario's seed, so a
// point's numbers are those of spotsim run with the same overrides.
func TestSweepPointIsItsRun(t *testing.T) {
	file := sweepFile(t, smallSweep)
	code, stdout, stderr := cli(t, "sweep", file, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sw sweepJSON
	if err := json.Unmarshal([]byte(stdout), &sw); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = cli(t, "run", file, "--set", "pools.main.target_low_priority_nodes=4",
		"--set", "pools.main.target_dedicated_nodes=3", "--format", "json")
	if code != 0 {
		t.Fatalf("run of a scenario with [sweep]: exit %d: %s", code, stderr)
	}
	var sum struct {
		Scenario struct {
			Cost struct {
				Mean float64 `json:"mean"`
			} `json:"cost_usd"`
			Completion struct {
				Mean float64 `json:"mean"`
			} `json:"completion_time_hours"`
		} `json:"scenario"`
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	p := sw.Results[3]
	if p.Cost.Mean != sum.Scenario.Cost.Mean || p.Completion.Mean != sum.Scenario.Completion.Mean {
		t.Errorf("point 3: cost %v, completion %v; run: %v, %v", p.Cost.Mean, p.Completion.Mean, sum.Scenario.Cost.Mean, sum.Scenario.Completion.Mean)
	}
}

// TestSweepDeadline: the recommendation moves to faster, dearer points as
// the deadline tightens, and says so when no point meets it. More dedicated
// nodes finish sooner and cost more (boot and idle tails), so every point
// is on the frontier.
func TestSweepDeadline(t *testing.T) {
	file := sweepFile(t, "pools.main.target_dedicated_nodes = [1, 2, 4, 8]\n")
	for _, tc := range []struct {
		deadline string
		want     int // recommended point, -1 for none
	}{{"100h", 0}, {"2.5h", 1}, {"2h", 2}, {"1.5h", 3}, {"1h", -1}} {
		code, stdout, stderr := cli(t, "sweep", file, "--deadline", tc.deadline, "--format", "json")
		if code != 0 {
			t.Fatalf("--deadline %s: exit %d: %s", tc.deadline, code, stderr)
		}
		var sw sweepJSON
		if err := json.Unmarshal([]byte(stdout), &sw); err != nil {
			t.Fatal(err)
		}
		if len(sw.Frontier) != 4 {
			t.Errorf("frontier %v, want all 4 points", sw.Frontier)
		}
		r := sw.Recommendation
		switch {
		case r == nil:
			t.Errorf("--deadline %s: no recommendation", tc.deadline)
		case tc.want < 0 && (r.Index != nil || !strings.HasPrefix(r.Text, "No point meets the deadline of 1 h at p95. The fastest at p95 is point 3")):
			t.Errorf("--deadline %s: %v %s", tc.deadline, r.Index, r.Text)
		case tc.want >= 0 && (r.Index == nil || *r.Index != tc.want):
			t.Errorf("--deadline %s: recommends %v, want %d: %s", tc.deadline, r.Index, tc.want, r.Text)
		}
	}
}
