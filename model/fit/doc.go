// Package fit fits duration models (node lifetimes, task run times) to
// observed data by maximum likelihood, with right-censoring, and ranks
// them by AIC with a goodness-of-fit test.
package fit
