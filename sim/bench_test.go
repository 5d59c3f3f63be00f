package sim_test

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/spotsim/spotsim/sim"
)

// hold is the classic hold model (DESIGN.md §7): a queue of pending events;
// each event, when handled, schedules one new event at an exponential delay.
type hold struct {
	e    *sim.Engine
	rng  *rand.Rand
	mean float64
}

func (h *hold) Handle(now sim.Time, arg int64) {
	h.e.After(sim.Time(h.rng.ExpFloat64()*h.mean)+1, h, arg)
}

// BenchmarkHold reports events/s for the hold model with 10,000 pending
// events. Steady state must not allocate (0 allocs/op). One op is one event.
func BenchmarkHold(b *testing.B) {
	const pending = 10000
	e := sim.New()
	h := &hold{e: e, rng: rand.New(rand.NewPCG(1, 1)), mean: float64(time.Minute)}
	for i := 0; i < pending; i++ {
		e.After(sim.Time(h.rng.ExpFloat64()*h.mean), h, int64(i))
	}
	for i := 0; i < pending; i++ { // warm up to the steady state
		e.Step()
	}
	runtime.GC() // so that no collection the warm-up started runs in the timed loop
	defer lockThread()()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := threadCPU()
	for i := 0; i < b.N; i++ {
		e.Step()
	}
	cpu = threadCPU() - cpu
	b.StopTimer()
	reportRate(b, cpu)
}

// reportRate reports events/s over wall time and, where the OS tells a
// thread's CPU time, cpu-events/s over the CPU time the loop got: on a busy
// machine the second is the one to trust.
func reportRate(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "cpu-events/s")
	}
}

func BenchmarkUniform(b *testing.B) {
	s := sim.NewStreams(1)
	st := sim.StreamOf("bench")
	b.ReportAllocs()
	x := 0.0
	for i := 0; i < b.N; i++ {
		x += s.Uniform(st, uint64(i), 0)
	}
	_ = x
}

// preempter is the pattern of a preemption-heavy pool: every event (a node's
// eviction) cancels the far-future end of the task it was running and
// schedules both its next eviction and the end of the task it starts next.
type preempter struct {
	e    *sim.Engine
	rng  *rand.Rand
	mean float64
	ends []sim.EventID // by node
}

func (p *preempter) Handle(now sim.Time, arg int64) {
	if arg < 0 { // a task's end: not reached in a benchmark's run
		return
	}
	p.e.Cancel(p.ends[arg])
	p.ends[arg] = p.e.After(100*24*time.Hour, p, -1-arg)
	p.e.After(sim.Time(p.rng.ExpFloat64()*p.mean)+1, p, arg)
}

// BenchmarkHoldCancel is the hold model of 10,000 nodes in which every event
// also cancels one far-future event and schedules another: cancelled events
// outnumber live ones unless the queue reclaims them. One op is one event.
func BenchmarkHoldCancel(b *testing.B) {
	const nodes = 10000
	e := sim.New()
	p := &preempter{e: e, rng: rand.New(rand.NewPCG(1, 1)), mean: float64(time.Second), ends: make([]sim.EventID, nodes)}
	for i := 0; i < nodes; i++ {
		e.After(sim.Time(p.rng.ExpFloat64()*p.mean), p, int64(i))
	}
	for i := 0; i < 4*nodes; i++ { // warm up to the steady state
		e.Step()
	}
	runtime.GC()
	defer lockThread()()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := threadCPU()
	for i := 0; i < b.N; i++ {
		e.Step()
	}
	cpu = threadCPU() - cpu
	b.StopTimer()
	reportRate(b, cpu)
	b.ReportMetric(float64(e.Pending()), "pending")
}
