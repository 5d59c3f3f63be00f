// Package model is spotsim's domain: VM sizes and prices, pools of dedicated
// and low-priority nodes with their lifecycle, preemption and replacement,
// jobs of tasks, FIFO scheduling over task slots, and billing. A Scenario is
// the validated configuration; Run simulates one replication of it on a
// sim.Engine and returns its Result. Baseline derives the dedicated-only
// counterfactual of a scenario.
//
// See model/README.md for the node lifecycle and the vocabulary.
package model
