package sim_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/spotsim/spotsim/sim"
)

type recorder struct {
	got []int64
	at  []sim.Time
}

func (r *recorder) Handle(now sim.Time, arg int64) {
	r.got = append(r.got, arg)
	r.at = append(r.at, now)
}

func TestEngineOrder(t *testing.T) {
	tests := []struct {
		name   string
		events []struct {
			at  sim.Time
			arg int64
		}
		want []int64
	}{
		{"by time", []struct {
			at  sim.Time
			arg int64
		}{{3, 3}, {1, 1}, {2, 2}}, []int64{1, 2, 3}},
		{"ties are FIFO", []struct {
			at  sim.Time
			arg int64
		}{{5, 1}, {5, 2}, {1, 0}, {5, 3}, {5, 4}, {5, 5}, {5, 6}}, []int64{0, 1, 2, 3, 4, 5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sim.New()
			r := &recorder{}
			for _, ev := range tt.events {
				e.At(ev.at, r, ev.arg)
			}
			e.Run()
			if len(r.got) != len(tt.want) {
				t.Fatalf("got %v, want %v", r.got, tt.want)
			}
			for i := range r.got {
				if r.got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", r.got, tt.want)
				}
			}
		})
	}
}

func TestEngineHeapAgainstSort(t *testing.T) {
	// Random times with many ties; the engine must fire in (time, seq) order.
	rng := rand.New(rand.NewPCG(1, 1))
	e := sim.New()
	r := &recorder{}
	const n = 5000
	for i := 0; i < n; i++ {
		e.At(sim.Time(rng.IntN(100)), r, int64(i))
	}
	e.Run()
	for i := 1; i < n; i++ {
		if r.at[i] < r.at[i-1] || (r.at[i] == r.at[i-1] && r.got[i] < r.got[i-1]) {
			t.Fatalf("event %d out of order: (%v,%d) after (%v,%d)", i, r.at[i], r.got[i], r.at[i-1], r.got[i-1])
		}
	}
	if e.Fired() != n {
		t.Fatalf("fired %d, want %d", e.Fired(), n)
	}
}

func TestEngineCancelAndPast(t *testing.T) {
	e := sim.New()
	r := &recorder{}
	e.At(10, r, 1)
	id := e.At(20, r, 2)
	e.At(30, sim.HandlerFunc(func(now sim.Time, _ int64) {
		e.At(5, r, 4) // in the past: fires now, not earlier
	}), 0)
	e.Cancel(id)
	e.Cancel(0)
	e.Cancel(999)
	e.Run()
	want := []int64{1, 4}
	if len(r.got) != 2 || r.got[0] != want[0] || r.got[1] != want[1] || r.at[1] != 30 {
		t.Fatalf("got %v at %v, want %v with the last at 30", r.got, r.at, want)
	}
}

func TestRunUntilAndStop(t *testing.T) {
	e := sim.New()
	r := &recorder{}
	for i := int64(1); i <= 5; i++ {
		e.At(sim.Time(i)*time.Second, r, i)
	}
	e.RunUntil(3 * time.Second)
	if len(r.got) != 3 || e.Now() != 3*time.Second {
		t.Fatalf("RunUntil(3s): got %v now %v", r.got, e.Now())
	}
	e.At(e.Now(), sim.HandlerFunc(func(sim.Time, int64) { e.Stop() }), 0)
	e.Run()
	if len(r.got) != 3 {
		t.Fatalf("Stop: handled %v", r.got)
	}
	e.Run()
	if len(r.got) != 5 {
		t.Fatalf("resume: handled %v", r.got)
	}
}

func TestUniformIsDeterministicAndUniform(t *testing.T) {
	s := sim.NewStreams(42)
	st := sim.StreamOf("duration/job")
	if s.Uniform(st, 3, 1) != s.Uniform(st, 3, 1) {
		t.Fatal("same key gave different draws")
	}
	if s.Uniform(st, 3, 1) == s.Uniform(st, 3, 2) || s.Uniform(st, 3, 1) == s.Uniform(sim.StreamOf("x"), 3, 1) {
		t.Fatal("different keys gave the same draw")
	}
	// Kolmogorov-Smirnov-like check on consecutive indices (the common case):
	// bucket counts of 100k draws must be within 5 sigma of uniform.
	const n, buckets = 100000, 20
	var count [buckets]int
	sum := 0.0
	for i := uint64(0); i < n; i++ {
		u := s.Uniform(st, i, 0)
		if u <= 0 || u >= 1 {
			t.Fatalf("draw %v outside (0,1)", u)
		}
		count[int(u*buckets)]++
		sum += u
	}
	exp := float64(n) / buckets
	sd := math.Sqrt(exp * (1 - 1.0/buckets))
	for b, c := range count {
		if math.Abs(float64(c)-exp) > 5*sd {
			t.Errorf("bucket %d: %d draws, want %.0f ± %.0f", b, c, exp, 5*sd)
		}
	}
	if m := sum / n; math.Abs(m-0.5) > 5*math.Sqrt(1.0/12/n) {
		t.Errorf("mean %v, want 0.5", m)
	}
}

// TestStreamsCountDraws: every number handed out counts, through any copy
// of the streams, and a stream never used counts nothing.
func TestStreamsCountDraws(t *testing.T) {
	s := sim.NewStreams(7)
	if s.Draws() != 0 {
		t.Fatalf("fresh streams: %d draws", s.Draws())
	}
	c := s // copies share the count
	c.Uniform(sim.StreamOf("a"), 1, 2)
	s.Uniform(sim.StreamOf("b"), 0, 0)
	_ = c.Rand("price/p").Float64()
	s.Note(3)
	if got := s.Draws(); got != 6 {
		t.Fatalf("Draws = %d, want 6 (2 uniforms, 1 generator, 3 noted)", got)
	}
	if (sim.Streams{}).Draws() != 0 {
		t.Fatal("the zero Streams counts draws")
	}
}

func TestReplicateGathersByIndex(t *testing.T) {
	for _, w := range []int{1, 2, 4, 16} {
		got, err := sim.Replicate(100, w, func(i int) (uint64, error) {
			return sim.ReplicationSeed(7, i), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range got {
			if v != sim.ReplicationSeed(7, i) {
				t.Fatalf("workers=%d: result %d out of place", w, i)
			}
		}
	}
}
