// Package sim is spotsim's discrete-event engine: an integer clock, an event
// queue ordered by (time, insertion sequence) with lazy cancellation, named
// deterministic random streams built on math/rand/v2's PCG, and a replication
// runner that fans work out over goroutines and gathers results by index.
//
// It knows nothing about clouds; package model builds pools and jobs on it.
package sim
