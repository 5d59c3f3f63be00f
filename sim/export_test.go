package sim

// SetGatherMin sets the fewest slots for which refill gathers buckets and
// returns a function that restores it, so that tests can gather in small
// queues.
func SetGatherMin(n int) (restore func()) {
	old := gatherMin
	gatherMin = n
	return func() { gatherMin = old }
}
