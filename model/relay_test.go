package model_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/scenarios"
)

// callLog records every observer call of a run, in order.
type callLog struct{ strings.Builder }

func (l *callLog) NodeState(now time.Duration, pool int, k model.Kind, from, to model.State) {
	fmt.Fprintln(l, "state", now, pool, k, from, to)
}
func (l *callLog) Billed(pool int, k model.Kind, from, to time.Duration, cost float64) {
	fmt.Fprintln(l, "billed", pool, k, from, to, cost)
}
func (l *callLog) Incarnated(pool, node, inc int, at, life time.Duration) {
	fmt.Fprintln(l, "incarnated", pool, node, inc, at, life)
}
func (l *callLog) Ended(pool, node, inc int, at time.Duration, cause model.EndCause) {
	fmt.Fprintln(l, "ended", pool, node, inc, at, cause)
}
func (l *callLog) WorkLost(now time.Duration, pool int, lost time.Duration, nodes, coreHours float64) {
	fmt.Fprintln(l, "lost", now, pool, lost, nodes, coreHours)
}

// relayScenario mixes what dispatch decides on: jobs of several
// priorities, dedicated-only ones, job managers kept off low-priority nodes
// or not, gangs, failures with retries, timeouts, checkpoints, one or more
// slots a node with spread or pack, preemption and a shrink that leaves
// nodes finishing their tasks.
func relayScenario(c int) *model.Scenario {
	r := rand.New(rand.NewPCG(uint64(c), 16))
	sc := refScenario()
	sc.Seed = uint64(c)
	sc.Horizon = 40 * time.Hour
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 1+r.IntN(3), r.IntN(8)
	p.TaskSlotsPerNode = 1 + r.IntN(3)
	p.Scheduling = model.FillType(r.IntN(2))
	p.StartDelay = []dist.Dist{dist.Const(0), dist.Exp(4 * time.Minute)}[r.IntN(2)]
	p.Lifetime = expLife(time.Duration(1+r.IntN(6)) * time.Hour)
	if r.IntN(3) == 0 {
		p.Resizes = []model.Resize{{At: time.Duration(1+r.IntN(4)) * time.Hour, TargetDedicatedNodes: 1,
			TargetLowPriorityNodes: p.TargetLowPriorityNodes / 2, Option: []string{"requeue", "terminate", "taskcompletion"}[r.IntN(3)],
			Timeout: model.DefaultResizeTimeout}}
	}
	sc.Jobs = nil
	for i := 0; i < 1+r.IntN(3); i++ {
		j := model.Job{Name: fmt.Sprint("job", i), Pool: "main", Tasks: 20 + r.IntN(150), Priority: r.IntN(3),
			Duration: []dist.Dist{dist.Const(10 * time.Minute), dist.Exp(25 * time.Minute)}[r.IntN(2)], MaxTaskRetries: 3}
		j.Submit = time.Duration(r.IntN(3)) * 20 * time.Minute
		j.DedicatedOnly = r.IntN(4) == 0
		if r.IntN(4) == 0 {
			j.NodesPerTask = 2
		}
		if r.IntN(3) == 0 {
			j.Manager = &model.Manager{Duration: dist.Const(time.Duration(1+r.IntN(3)) * time.Hour), AllowLowPriority: r.IntN(2) == 0}
		}
		if r.IntN(3) == 0 {
			j.FailureProbability = 0.2
		}
		if r.IntN(4) == 0 {
			j.MaxWallClock = 40 * time.Minute
		}
		if r.IntN(3) == 0 {
			j.Checkpoint = &model.Checkpoint{Interval: 7 * time.Minute, Cost: time.Minute, Restore: 2 * time.Minute}
		}
		sc.Jobs = append(sc.Jobs, j)
	}
	return sc
}

// TestRelayIsDispatch: a slot handed on by relay goes to the task, and
// through the states, that vacate and dispatch would give it: every
// built-in, the reference scenario and random mixes of what dispatch
// decides on get the same results and the same observer calls, in the
// same order, with relay and without.
func TestRelayIsDispatch(t *testing.T) {
	type side struct {
		name string
		sc   *model.Scenario
	}
	var sides []side
	for _, name := range append(scenarios.BuiltinNames(), "../testdata/scenarios/reference.toml") {
		sc, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		sides = append(sides, side{name, sc})
	}
	for c := 0; c < 40; c++ {
		sc := relayScenario(c)
		if err := sc.Validate(); err != nil {
			t.Fatalf("case %d: %v", c, err)
		}
		sides = append(sides, side{fmt.Sprint("case ", c), sc})
	}
	defer func(old bool) { *model.RelayOff = old }(*model.RelayOff)
	for _, s := range sides {
		for _, sc := range []*model.Scenario{s.sc, s.sc.Baseline()} {
			for rep := 0; rep < 2; rep++ {
				var got [2]model.Result
				var logs [2]callLog
				for i, off := range []bool{false, true} {
					*model.RelayOff = off
					for _, opt := range []model.Options{{}, {Observer: &logs[i]}} {
						res, err := model.Run(sc, rep, opt)
						if err != nil {
							t.Fatalf("%s: %v", s.name, err)
						}
						if opt.Observer != nil && !reflect.DeepEqual(res, got[i]) {
							t.Fatalf("%s (%s), replication %d: the observer changed the result", s.name, sc.Name, rep)
						}
						got[i] = res
					}
				}
				if !reflect.DeepEqual(got[0], got[1]) {
					t.Errorf("%s (%s), replication %d: with relay\n%+v\nwithout\n%+v", s.name, sc.Name, rep, got[0], got[1])
				}
				if a, b := logs[0].String(), logs[1].String(); a != b {
					t.Errorf("%s (%s), replication %d: observer calls differ (%d and %d bytes)", s.name, sc.Name, rep, len(a), len(b))
				}
			}
		}
	}
}
