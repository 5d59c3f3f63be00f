package sweep_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/report/sweep"
	"github.com/spotsim/spotsim/scenarios"
)

// split deals the points of s into n shards, as spotsim sweep --shard does,
// each read back from its JSON.
func split(t *testing.T, s *report.Sweep, n int) []*sweep.Shard {
	t.Helper()
	var out []*sweep.Shard
	for i := 0; i < n; i++ {
		sh := &sweep.Shard{Format: sweep.ShardFormat, Fingerprint: "sha256:test", Shard: i, Shards: n,
			Name: s.Name, Seed: s.Seed, Axes: s.Axes, Points: s.Points, Percentile: s.Percentile, DeadlineHours: s.DeadlineHours,
			Results: []report.SweepPoint{}}
		for _, p := range s.Results {
			if sweep.InShard(p.Index, i, n) {
				p.OnFrontier = false // a shard knows no frontier
				sh.Results = append(sh.Results, p)
			}
		}
		data, err := sh.JSON()
		if err != nil {
			t.Fatal(err)
		}
		r, err := sweep.ParseShard(data, sweep.ShardFile(i, n))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestMergeRebuildsTheSweep: merged shards, in any order and any
// number (more shards than points too), give the sweep's JSON and CSV.
func TestMergeRebuildsTheSweep(t *testing.T) {
	s := synthetic(9, [3]float64{10, 100, 1}, [3]float64{6, 150, .97}, [3]float64{4, 300, .99}, [3]float64{12, 90, .9}, [3]float64{5, 400, 1})
	wantJS, _ := s.JSON()
	wantCSV, _ := s.CSV()
	for _, n := range []int{1, 2, 3, 5, 7} {
		shards := split(t, s, n)
		for i, j := 0, len(shards)-1; i < j; i, j = i+1, j-1 {
			shards[i], shards[j] = shards[j], shards[i]
		}
		m, err := sweep.Merge(shards)
		if err != nil {
			t.Fatalf("%d shards: %v", n, err)
		}
		js, _ := m.JSON()
		csv, _ := m.CSV()
		if !bytes.Equal(js, wantJS) || !bytes.Equal(csv, wantCSV) {
			t.Errorf("%d shards: merged sweep differs:\n%s", n, js)
		}
	}
}

// TestMergeRefuses: every way shards can fail to make one sweep is
// named.
func TestMergeRefuses(t *testing.T) {
	s := synthetic(9, [3]float64{10, 100, 1}, [3]float64{6, 150, .97}, [3]float64{4, 300, .99}, [3]float64{12, 90, .9}, [3]float64{5, 400, 1})
	for _, tc := range []struct {
		name   string
		mangle func(sh []*sweep.Shard) []*sweep.Shard
		want   string
	}{
		{"missing", func(sh []*sweep.Shard) []*sweep.Shard { return append(sh[:1], sh[2:]...) }, "shard 1/3 missing"},
		{"twice", func(sh []*sweep.Shard) []*sweep.Shard { return append(sh, sh[2]) }, "shard 2/3 twice: shard-2-of-3.json and shard-2-of-3.json"},
		{"other sweep", func(sh []*sweep.Shard) []*sweep.Shard {
			sh[1].Fingerprint = "sha256:other"
			return sh
		}, "shard-1-of-3.json and shard-0-of-3.json are shards of different sweeps"},
		{"other split", func(sh []*sweep.Shard) []*sweep.Shard {
			sh[2].Shards = 4
			return sh
		}, "shard-2-of-3.json is shard 2 of 4 but shard-0-of-3.json is of 3"},
		{"other seed", func(sh []*sweep.Shard) []*sweep.Shard {
			sh[1].Seed = 9
			return sh
		}, "describe the sweep differently"},
		{"point of another shard", func(sh []*sweep.Shard) []*sweep.Shard {
			sh[0].Results = append(sh[0].Results, sh[1].Results[0])
			return sh
		}, "shard-0-of-3.json: point 1 belongs to shard 1/3"},
		{"point lost", func(sh []*sweep.Shard) []*sweep.Shard {
			sh[1].Results = sh[1].Results[1:]
			return sh
		}, "point 1 (of shard 1/3) is in no shard"},
		{"point outside", func(sh []*sweep.Shard) []*sweep.Shard {
			sh[2].Results[0].Index = 8
			return sh
		}, "point 8 is outside the sweep's 5 points"},
	} {
		_, err := sweep.Merge(tc.mangle(split(t, s, 3)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := sweep.Merge(nil); err == nil {
		t.Error("no shards merged")
	}
}

func TestParseShard(t *testing.T) {
	for _, bad := range []string{``, `{`, `[]`, `{"format":"spotsim-sweep-shard/0"}`, `{"format":"spotsim-sweep-shard/1","extra":1}`,
		`{"format":"spotsim-sweep-shard/1"} {}`, `{"format":"spotsim-sweep-shard/1","shard":"x"}`} {
		if _, err := sweep.ParseShard([]byte(bad), "f"); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestFingerprint: the same sweep loaded twice has one fingerprint;
// any change to what decides its records changes it.
func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	csv := func(rows string) {
		if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte(rows), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	csv("1m\n2m\n7m\n")
	fp := func(src string, pct float64, sets ...scenarios.Set) string {
		t.Helper()
		d, err := scenarios.ParseDoc(filepath.Join(dir, "f.toml"), src, dir)
		if err != nil {
			t.Fatal(err)
		}
		sw, err := d.Sweep()
		if err != nil {
			t.Fatal(err)
		}
		pts, err := d.Scenarios(sw, sets...)
		if err != nil {
			t.Fatal(err)
		}
		p := &sweep.Plan{Percentile: pct, Deadline: sw.Deadline}
		for _, a := range sw.Axes {
			p.Axes = append(p.Axes, report.SweepAxis{Path: a.Path, Values: a.Values})
		}
		for _, sc := range pts {
			p.Points = append(p.Points, sweep.Point{Scenario: sc})
		}
		return p.Fingerprint()
	}
	base := `[simulation]
replications = 3
start = 2024-03-01T08:00:00+01:00
[[pools]]
name = "main"
vm_size = "Standard_D4s_v5"
[pools.preemption]
mean_time_to_preemption = "2h"
[pools.autoscale]
formula = "$TargetDedicatedNodes = 2; $TargetLowPriorityNodes = max(0, $PendingTasks.GetSample(1) / 4);"
[[jobs]]
name = "j"
pool = "main"
tasks = 10
duration = { dist = "empirical", file = "d.csv" }
[sweep]
jobs.j.tasks = [10, 20]
deadline = "2h"
`
	a := fp(base, 95)
	if !strings.HasPrefix(a, "sha256:") || len(a) != 7+64 {
		t.Fatalf("fingerprint %q", a)
	}
	if b := fp(base, 95); b != a {
		t.Fatalf("the same sweep: %s then %s", a, b)
	}
	seen := map[string]string{a: "base"}
	for _, tc := range []struct {
		what string
		fp   string
	}{
		{"percentile", fp(base, 90)},
		{"deadline", fp(strings.Replace(base, `"2h"`, `"3h"`, 1), 95)},
		{"axis value", fp(strings.Replace(base, "[10, 20]", "[10, 21]", 1), 95)},
		{"seed", fp(base, 95, scenarios.Set{Path: "simulation.seed", Value: "8"})},
		{"formula", fp(strings.Replace(base, "/ 4", "/ 5", 1), 95)},
		{"start", fp(strings.Replace(base, "+01:00", "+02:00", 1), 95)},
		{"data file", func() string { csv("1m\n2m\n8m\n"); return fp(base, 95) }()},
	} {
		if prev, ok := seen[tc.fp]; ok {
			t.Errorf("changing the %s keeps the fingerprint of %s", tc.what, prev)
		}
		seen[tc.fp] = tc.what
	}
}
