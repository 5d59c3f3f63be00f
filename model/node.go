package model

import "github.com/spotsim/spotsim/sim"

// State is a node's state, after Azure Batch's ComputeNodeState.
type State uint8

const (
	Creating  State = iota // VM being allocated (billed)
	Starting               // booting, start task running (billed)
	Idle                   // usable, no task running
	Running                // usable, at least one task running
	Preempted              // low-priority incarnation evicted; waiting for a replacement
	Leaving                // being removed by a resize; finishing its running tasks (Azure's leavingpool)
	Released               // out of the pool: removed, or the work is done, or the run stopped
	NumStates
)

var stateNames = [NumStates]string{"creating", "starting", "idle", "running", "preempted", "leavingpool", "released"}

func (s State) String() string {
	if s < NumStates {
		return stateNames[s]
	}
	return "unknown"
}

// Kind tells dedicated from low-priority nodes; it indexes per-kind tallies.
type Kind uint8

const (
	Dedicated   Kind = 0
	LowPriority Kind = 1
)

func (k Kind) String() string {
	if k == LowPriority {
		return "low-priority"
	}
	return "dedicated"
}

// slot is one task slot of a node. job < 0 means free.
type slot struct {
	job     int32
	task    int32 // index in the job; the job manager is index Tasks
	start   sim.Time
	ev      sim.EventID // the run's end (on a gang's leader slot only)
	work    sim.Time    // work left when the run started (its timeline's)
	outcome uint8       // what the end is: outcomeDone, outcomeFail, outcomeTimeout
	restore bool        // the run began by restoring a checkpoint
	gang    bool        // one instance of a multi-node task
	hist    bool        // the task had a history (an entry in jobRun.state) when the run began
}

// Outcomes of a task run that reaches its end event.
const (
	outcomeDone    = iota // succeeded
	outcomeFail           // the attempt failed (failure_probability)
	outcomeTimeout        // max_wall_clock elapsed
)

// node is one compute node. Its id is stable across incarnations: a
// preempted low-priority node is replaced under the same id.
type node struct {
	id    int32 // Azure node id within the pool
	gidx  int32 // index in run.nodes, carried by events
	pool  *poolRun
	kind  Kind
	state State
	inc   uint32   // incarnation, from 1
	since sim.Time // when the current state began
	alloc sim.Time // when the current incarnation was allocated (billing start)
	ev    sim.EventID
	evict sim.EventID // pending preemption of this incarnation
	// restoreEv ends Try & Restore's window for an evicted scale-set
	// instance; abandoned is set once the instance is given up.
	restoreEv sim.EventID
	abandoned bool
	lifeEnd   sim.Time // when that preemption is due
	busy      int      // running tasks
	slots     []slot

	billing      bool     // the current incarnation is being billed
	billFrom     sim.Time // since when
	tries        uint32   // low-priority allocation requests made
	waiting      bool     // in the market's waiting list
	deallocated  bool     // evicted with the deallocate policy: disk kept
	deallocSince sim.Time

	// membership of the free-slot bucket lists (see poolRun.free)
	bucket     int    // free slots while listed, 0 when not listed
	listed     uint64 // when it was listed (poolRun.seq), for ties across kinds
	prev, next *node
	picked     uint64 // the gang pick (poolRun.picks) that took it, if any
}

func (n *node) usable() bool { return n.state == Idle || n.state == Running }

// allocated reports whether n holds a VM now (and so can be evicted).
func (n *node) allocated() bool {
	switch n.state {
	case Creating, Starting, Idle, Running, Leaving:
		return true
	}
	return false
}

func (n *node) freeSlots() int { return len(n.slots) - n.busy }
