package preempt

import (
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

var formatDuration = dist.FormatDuration

// Lifetime is the distribution of the time from a low-priority
// incarnation's allocation to its preemption. It is a dist.Dist, the one
// family spotsim draws every duration from (so a model fitted to observed
// lifetimes, or any task-duration distribution, can be a lifetime), drawn
// through its Sampler by inversion, with a uniform keyed by pool, node and
// incarnation. Lifetime-only ideas sit on top of the family: the bathtub
// shape is one of its kinds, a max_lifetime is its Cap, and a published
// eviction-rate band is an exponential given by its Rate, with the Band it
// came from kept for the outputs (it is only shown, never drawn from).
//
// A nil *Lifetime stands for "never preempted by a lifetime of its own".
type Lifetime struct {
	dist.Dist
	Band Bucket
}

// Of returns d as a lifetime.
func Of(d dist.Dist) *Lifetime { return &Lifetime{Dist: d} }

// Uniform is a source of counter-based uniform numbers in the open interval
// (0,1): the value for (i, j) must be a pure function of i and j. The
// processes of this package use uniform (k, j) for the j-th draw of their
// k-th spell or event. Wrap sim.Streams.Uniform:
//
//	u := func(i, j uint64) float64 { return streams.Uniform(st, i, j) }
type Uniform func(i, j uint64) float64

// hours converts a duration to float hours.
func hours(d time.Duration) float64 { return float64(d) / float64(time.Hour) }
