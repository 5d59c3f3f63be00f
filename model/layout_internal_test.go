package model

import (
	"math"
	"testing"
	"unsafe"

	"github.com/spotsim/spotsim/sim"
)

// TestNodeLayout checks what node's comment promises: nodes are a whole
// number of cache lines apart, so a node starts on a line in its arena's
// chunk (a chunk is a large allocation, page-aligned), and everything a
// task's start and end read, the inline slot included, lies in the first
// two lines.
func TestNodeLayout(t *testing.T) {
	const line = 64
	var n node
	if size := unsafe.Sizeof(n); size%line != 0 {
		t.Errorf("node is %d bytes, not a multiple of %d", size, line)
	}
	if end := unsafe.Offsetof(n.one) + unsafe.Sizeof(n.one); end > 2*line {
		t.Errorf("node's hot fields and inline slot end at byte %d, past its first two cache lines", end)
	}
	if size := unsafe.Sizeof([nodeChunk]node{}); size < 32<<10 {
		t.Errorf("a chunk of nodes is %d bytes: too small to be sure of page alignment", size)
	}
	t.Logf("node: %d bytes, hot part ends at %d; slot: %d bytes", unsafe.Sizeof(n), unsafe.Offsetof(n.one)+unsafe.Sizeof(n.one), unsafe.Sizeof(slot{}))
}

// TestGangPickAfterWrap: node.picked is 32 bits, so the gang pick counter
// wraps; a pick after the wrap still takes distinct nodes (a stale mark
// from the pick 2^32 before it does not hide a node, and a counter of 0,
// which means "none taken", is never used).
func TestGangPickAfterWrap(t *testing.T) {
	sc := &Scenario{Seed: 1, Replications: 1, Horizon: 3600e9,
		Pools: []Pool{{Name: "p", Size: VMSize{Name: "x", Cores: 1, DedicatedPrice: 1}, TaskSlotsPerNode: 1}},
	}
	r := &run{sc: sc, eng: sim.New(), streams: sim.NewStreams(1)}
	p := newPoolRun(r, 0, &sc.Pools[0])
	r.pools = []*poolRun{p}
	for i := 0; i < 3; i++ {
		n := r.nodes.add()
		n.pool, n.kind, n.state, n.slots = p, Dedicated, Idle, n.one[:]
		n.picked = 1 // as if taken by pick 1, 2^32 picks ago
		p.nodes = append(p.nodes, n)
		p.list(n)
	}
	for _, start := range []uint32{math.MaxUint32 - 1, math.MaxUint32} {
		p.picks = start
		nodes := p.pickNodes(3, false)
		if len(nodes) != 3 || nodes[0] == nodes[1] || nodes[1] == nodes[2] || nodes[0] == nodes[2] {
			t.Fatalf("picks from %d: got %d nodes %v, want 3 distinct", start, len(nodes), nodes)
		}
	}
}
