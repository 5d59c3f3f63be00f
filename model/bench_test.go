package model_test

import (
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/scenarios"
)

// Whole-scenario benchmarks: one op is one replication (model.Run), the
// scenario alone, without its baseline unless the name says so. events/s is
// engine events handled per second of wall time; events/op says how big a
// replication is. Profile with
//
//	go test -run '^$' -bench Reference -cpuprofile cpu.out ./model/
//	go tool pprof -top model.test cpu.out

func loadScenario(b *testing.B, file string, sets ...string) *model.Scenario {
	b.Helper()
	var ss []scenarios.Set
	for _, s := range sets {
		set, err := scenarios.ParseSet(s)
		if err != nil {
			b.Fatal(err)
		}
		ss = append(ss, set)
	}
	sc, err := scenarios.Load(file, ss...)
	if err != nil {
		b.Fatal(err)
	}
	return sc
}

func benchReplications(b *testing.B, sc *model.Scenario) {
	b.Helper()
	var events uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := model.Run(sc, i, model.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !res.Finished {
			b.Fatalf("replication %d did not finish within the horizon", i)
		}
		events += res.Events
	}
	b.StopTimer()
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}

// BenchmarkReference: the SimPy peer's reference scenario (2 dedicated + 20
// low-priority nodes, 2,000 ten-minute tasks, MTTP 4 h).
func BenchmarkReference(b *testing.B) {
	benchReplications(b, loadScenario(b, "../testdata/scenarios/reference.toml"))
}

// BenchmarkReferenceBaseline: the reference scenario's dedicated-only
// baseline, which spotsim runs alongside every replication.
func BenchmarkReferenceBaseline(b *testing.B) {
	benchReplications(b, loadScenario(b, "../testdata/scenarios/reference.toml").Baseline())
}

// BenchmarkReferenceLarge: the reference scenario at the peer's large size
// (simpy_pool.py --dedicated 100 --low 900 --tasks 200000), core quotas
// lifted as bench/reference.sh does: 3,600 low-priority cores are beyond
// Azure's default quota, which would otherwise cap the pool.
func BenchmarkReferenceLarge(b *testing.B) {
	benchReplications(b, loadScenario(b, "../testdata/scenarios/reference.toml", referenceLarge...))
}

var referenceLarge = []string{
	"pools.main.target_dedicated_nodes=100",
	"pools.main.target_low_priority_nodes=900",
	"jobs.job.tasks=200000",
	"quotas.dedicated_cores=0",
	"quotas.low_priority_cores=0",
}

// BenchmarkLarge: bench/large.toml at a tenth of its size, 100,000 tasks on
// 200 dedicated + 800 low-priority nodes (about 6.7 simulated days with
// preemption), so that it stays quick; bench/large.sh runs the full size.
func BenchmarkLarge(b *testing.B) {
	benchReplications(b, loadScenario(b, "../bench/large.toml",
		"pools.main.target_dedicated_nodes=200",
		"pools.main.target_low_priority_nodes=800",
		"jobs.work.tasks=100000"))
}

// BenchmarkBuiltin: the autoscaled built-ins, whose formulas read sampled
// metric histories (one sample of every metric every 30 s).
func BenchmarkBuiltin(b *testing.B) {
	for _, name := range []string{"dynamic-mix", "lowpri-only", "default"} {
		b.Run(name, func(b *testing.B) {
			sc, err := scenarios.Load(name)
			if err != nil {
				b.Fatal(err)
			}
			benchReplications(b, sc)
		})
	}
}
