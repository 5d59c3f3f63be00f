package sweep

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/report"
)

// Plan is a sweep ready to run: every point, in index order, and what
// makes one good enough.
type Plan struct {
	Axes   []report.SweepAxis
	Points []Point
	// Percentile of completion time, in (0, 100], that the frontier and the
	// recommendation use.
	Percentile float64
	// Deadline, when positive, asks for the cheapest point whose completion
	// time at Percentile is at most Deadline.
	Deadline time.Duration
	// Reference, when set, is run once and every point compared with it.
	Reference *Reference
}

// Point is one point of a plan: its swept values (TOML text, one per axis)
// and the scenario they make.
type Point struct {
	Values   []string
	Scenario *model.Scenario
}

// MaxShards bounds the number of shards of a sweep.
const MaxShards = 10000

// InShard reports whether point index belongs to shard (of shards): points
// are dealt round-robin, point k to shard k mod shards, so neighbouring
// points (often of similar cost) land on different shards.
func InShard(index, shard, shards int) bool { return index%shards == shard }

// ShardFile is the name of shard i of n's file: shard-I-of-N.json.
func ShardFile(shard, shards int) string { return fmt.Sprintf("shard-%d-of-%d.json", shard, shards) }

// Mine returns the indices of the points of shard (of shards), in order.
func (p *Plan) Mine(shard, shards int) []int {
	var mine []int
	for k := range p.Points {
		if InShard(k, shard, shards) {
			mine = append(mine, k)
		}
	}
	return mine
}

// runs counts the runs of the points of todo (indices into the plan):
// each replication and its baseline.
func (p *Plan) runs(todo []int) int {
	n := 0
	for _, k := range todo {
		n += 2 * p.Points[k].Scenario.Replications
	}
	return n
}

// scenarios returns the points' scenarios.
func (p *Plan) scenarios() []*model.Scenario {
	out := make([]*model.Scenario, len(p.Points))
	for i, pt := range p.Points {
		out[i] = pt.Scenario
	}
	return out
}

// Header is the file of shard (of shards) before its points are in: the
// sweep's settings and fingerprint.
func (p *Plan) Header(shard, shards int) *Shard {
	first := p.Points[0].Scenario
	h := &Shard{Format: ShardFormat, Shard: shard, Shards: shards,
		Name: first.Name, Description: first.Description, Seed: first.Seed, Replications: first.Replications,
		Axes: p.Axes, Points: len(p.Points), Percentile: p.Percentile, DeadlineHours: p.Deadline.Hours(),
		Results: []report.SweepPoint{}}
	for _, pt := range p.Points {
		if pt.Scenario.Replications != h.Replications {
			h.Replications = 0 // swept
		}
	}
	h.Fingerprint = p.Fingerprint()
	return h
}
