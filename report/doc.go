// Package report turns replications into what a user reads: statistics
// with Student-t confidence intervals (gonum/stat), the comparison of a
// scenario with its dedicated-only baseline as paired differences, and the
// text, CSV, JSON, Markdown, HTML and PNG renderings of a run and of a
// sweep. Running a sweep (its plan, shards, journal and merge) is package
// report/sweep's; report only renders its outcome, a Sweep.
package report
