package fit

import "time"

// Obs is one observed duration: a node's lifetime (from its start to its
// eviction) or one run of a task.
type Obs struct {
	Value time.Duration
	// Censored marks an observation cut short: the node was still alive
	// (or the task still running) when observation ended, so the true
	// value is at least Value.
	Censored bool
}
