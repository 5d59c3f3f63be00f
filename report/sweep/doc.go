// Package sweep runs a sweep: a grid of variants of one scenario, each
// point run with the same replications (common random numbers) and paired
// with its own dedicated-only baseline.
//
// A Plan holds the points in index order (the first axis varying slowest)
// and what makes one good enough (a deadline at a percentile of completion
// time). Run runs the points of one shard of the plan (every point when
// unsharded: shard 0 of 1) under a context, journaling each finished point
// in the output folder so that an interrupted sweep resumes where it
// stopped, and returns the shard's records (a Shard). Merge checks that a
// set of shards is every shard of one sweep, each once, and builds the
// sweep's outcome (report.Sweep) with its Pareto front and recommendation
// (Analyse). The Fingerprint of a plan binds journals and shard files to
// the sweep that wrote them.
//
// The package computes; package report renders the outcome (table, CSV,
// JSON, charts) and the command line only parses flags.
package sweep
