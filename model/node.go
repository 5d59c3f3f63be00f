package model

import (
	"sync"

	"github.com/spotsim/spotsim/sim"
)

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
//
// Its layout is for large pools, where every task end lands on a node at
// random and what it touches is a cache miss: the fields a task's start and
// end use come first, with the slot of a one-slot node inline after them, so
// that they fill the first two cache lines of a node (nodes live in a run's
// nodeArena, 192 bytes apart); the rest, for incarnations and billing,
// follow. TestNodeLayout checks it.
type node struct {
	// hot: a task's start and end, dispatch
	slots       []slot // one[:] for a one-slot node
	pool        *poolRun
	prev, next  *node    // membership of the free-slot bucket lists (see poolRun.free)
	listed      uint64   // when it was listed (poolRun.seq), for ties across kinds
	since       sim.Time // when the current state began
	gidx        int32    // index in the run's nodes, carried by events
	busy        int16    // running tasks (a node has at most Limits.SlotsPerNode slots)
	bucket      int16    // free slots while listed, 0 when not listed
	kind        Kind
	state       State
	abandoned   bool    // a scale-set instance given up (see restoreEv)
	billing     bool    // the current incarnation is being billed
	waiting     bool    // in the market's waiting list
	deallocated bool    // evicted with the deallocate policy: disk kept
	one         [1]slot // the slot of a one-slot node

	id    int32  // Azure node id within the pool
	inc   uint32 // incarnation, from 1
	alloc sim.Time
	ev    sim.EventID
	evict sim.EventID // pending preemption of this incarnation
	// restoreEv ends Try & Restore's window for an evicted scale-set
	// instance; abandoned is set once the instance is given up.
	restoreEv    sim.EventID
	lifeEnd      sim.Time // when that preemption is due
	billFrom     sim.Time // since when the current incarnation is billed
	deallocSince sim.Time
	tries        uint32 // low-priority allocation requests made
	picked       uint32 // the gang pick (poolRun.picks) that took it, if any
}

// nodeChunk is how many nodes a nodeArena allocates at a time.
const nodeChunk = 256

// nodeArena holds a run's nodes in allocation order, in chunks that never
// move, indexed by node.gidx. Next to a slice of pointers to nodes
// allocated one by one, it saves a dependent load (and a cache miss in a
// large pool) on every event that names a node, and keeps the nodes of a
// pool, which a resize or a release walks in order, adjacent.
type nodeArena struct {
	chunks []*[nodeChunk]node
	n      int
}

// nodeChunks recycles arena chunks from one run to the next (release): a
// replication of a small pool would otherwise allocate a whole chunk (48
// kB) for a few nodes, most of what it allocates.
var nodeChunks = sync.Pool{New: func() any { return new([nodeChunk]node) }}

// at returns the node with gidx i.
func (a *nodeArena) at(i int32) *node { return &a.chunks[i/nodeChunk][i%nodeChunk] }

// add returns a new zero node, whose gidx is the number of nodes before it.
func (a *nodeArena) add() *node {
	if a.n%nodeChunk == 0 {
		a.chunks = append(a.chunks, nodeChunks.Get().(*[nodeChunk]node))
	}
	n := a.at(int32(a.n))
	n.gidx = int32(a.n)
	a.n++
	return n
}

// release zeroes the nodes and gives the chunks back for other runs: the
// run is over and nothing may use its nodes any more.
func (a *nodeArena) release() {
	for i, c := range a.chunks {
		clear(c[:min(nodeChunk, a.n-i*nodeChunk)])
		nodeChunks.Put(c)
	}
	a.chunks, a.n = nil, 0
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

func (n *node) freeSlots() int { return len(n.slots) - int(n.busy) }
