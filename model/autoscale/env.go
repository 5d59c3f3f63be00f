package autoscale

import (
	"math/rand/v2"
	"time"
)

// ConstEnv returns an Env in which every variable is constant, for the CLI
// command `spotsim formula eval` and for tests. vars maps full or alias
// names ("$PendingTasks", "$TaskSlotsPerNode", "$TargetDedicated") to
// values. A sampled variable reads as a constant history of its value: one
// sample every 30 s from now back 24 h (MaxSamples samples, the newest at
// now), enough for any GetSample call to meet any sample percentage.
//
// Unspecified variables take the values of an empty, idle pool: 0, except
// $TaskSlotsPerNode which is 1. Rand draws from a PCG seeded (1, 1), so
// evaluations are reproducible. The Env is not safe for concurrent use.
func ConstEnv(now time.Time, vars map[string]float64) Env {
	e := &constEnv{
		now:   now,
		vals:  map[string]float64{"$TaskSlotsPerNode": 1},
		hists: map[string]*History{},
		rng:   rand.New(rand.NewPCG(1, 1)),
	}
	for name, v := range vars {
		if sv, ok := LookupVar(name); ok {
			name = sv.Canonical()
		}
		e.vals[name] = v
	}
	return e
}

type constEnv struct {
	now   time.Time
	vals  map[string]float64
	hists map[string]*History
	rng   *rand.Rand
}

func (e *constEnv) Now() time.Time            { return e.now }
func (e *constEnv) Value(name string) float64 { return e.vals[name] }
func (e *constEnv) Rand() float64             { return e.rng.Float64() }

// Metric builds (once) the constant history of name.
func (e *constEnv) Metric(name string) *History {
	if h, ok := e.hists[name]; ok {
		return h
	}
	h := ConstHistory(e.now, e.vals[name])
	e.hists[name] = h
	return h
}

// ConstHistory returns a full history (MaxSamples samples, one every
// DefaultPeriod, the newest at now) whose samples all have value v.
func ConstHistory(now time.Time, v float64) *History {
	h := &History{Period: DefaultPeriod}
	for i := MaxSamples - 1; i >= 0; i-- {
		h.Add(now.Add(-time.Duration(i)*DefaultPeriod), v)
	}
	return h
}
