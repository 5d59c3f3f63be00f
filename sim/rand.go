package sim

import "math/rand/v2"

// Streams derives independent, reproducible random numbers from one seed.
// Each consumer names its stream ("preempt/main", "duration/job1"); the
// name is hashed into the PCG's second seed word, so adding a consumer never
// shifts the numbers another consumer sees.
//
// Two flavours are offered. Rand returns a sequential generator for
// consumers that draw in a fixed order (a price path). Uniform is
// counter-based: the draw is a pure function of (seed, stream, i, j), so a
// task's duration can depend on (job, task, attempt) only and never on the
// order in which tasks happen to run. That is what makes common random
// numbers between a scenario and its baseline work.
//
// Streams counts what it hands out (Draws), across its copies: a
// replication that drew nothing did not depend on its seed.
type Streams struct {
	seed  uint64
	draws *uint64
}

// NewStreams returns the streams of one replication seed.
func NewStreams(seed uint64) Streams { return Streams{seed: seed, draws: new(uint64)} }

// Draws returns how many numbers s and its copies have handed out so far:
// every Uniform, and every Rand (a sequential generator counts once, when
// it is made). Zero means that nothing drawn from s depended on the seed.
func (s Streams) Draws() uint64 {
	if s.draws == nil {
		return 0
	}
	return *s.draws
}

// Note counts n numbers a consumer of s obtained without drawing them from
// s: copies of numbers s handed out earlier, or to another user of the same
// seed (a scenario reading the task durations its baseline drew), so that
// Draws still says whether the seed mattered.
func (s Streams) Note(n uint64) {
	if s.draws != nil {
		*s.draws += n
	}
}

// Seed returns the replication seed.
func (s Streams) Seed() uint64 { return s.seed }

// ReplicationSeed derives the seed of replication rep from a scenario seed.
func ReplicationSeed(seed uint64, rep int) uint64 {
	return mix(seed ^ mix(uint64(rep)+0x9e3779b97f4a7c15))
}

// Stream is the hashed name of a random stream.
type Stream uint64

// StreamOf hashes a stream name (FNV-1a, then mixed).
func StreamOf(name string) Stream {
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return Stream(mix(h))
}

// Rand returns a sequential generator for the named stream.
func (s Streams) Rand(name string) *rand.Rand {
	s.Note(1)
	return rand.New(rand.NewPCG(s.seed, uint64(StreamOf(name))))
}

// Uniform returns a number in the open interval (0, 1) that depends only on
// the seed, the stream and the indices i and j. It does not allocate.
func (s Streams) Uniform(st Stream, i, j uint64) float64 {
	s.Note(1)
	var p rand.PCG
	p.Seed(mix(s.seed^uint64(st)), mix(i*0xbf58476d1ce4e5b9^mix(j+0x94d049bb133111eb)))
	// 53 random bits, shifted by half a step so neither 0 nor 1 is returned:
	// quantile functions of unbounded distributions stay finite.
	return (float64(p.Uint64()>>11) + 0.5) * (1.0 / (1 << 53))
}

// mix is SplitMix64's finaliser: a bijection that spreads every input bit
// over the whole output word.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
