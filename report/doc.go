// Package report turns replications into what a user reads: statistics
// with Student-t confidence intervals (gonum/stat), the comparison of a
// scenario with its dedicated-only baseline as paired differences, and the
// text, CSV and JSON renderings of it.
package report
