// Package sim is spotsim's discrete-event engine: an integer clock, an event
// queue ordered by (time, insertion sequence) with O(1) lazy cancellation,
// named deterministic random streams built on math/rand/v2's PCG, and a
// replication runner that fans work out over goroutines and gathers results
// by index.
//
// The queue is a ladder queue (see queue.go): scheduling and popping cost
// O(1) amortized however many events are pending, and the steady state
// allocates nothing. Events live in a slot table that is reused through a
// free list; an EventID carries its slot's generation, so cancelling a
// stale EventID never touches the slot's new occupant.
//
// It knows nothing about clouds; package model builds pools and jobs on it.
package sim
