// Package importer reads what Azure writes about a pool and its work (a
// Batch pool's JSON, an Azure ML compute and batch deployment YAML, Retail
// Prices API pages, Resource Graph SpotResources rows, task history and
// eviction history) and turns it into a spotsim scenario in TOML, every
// imported value commented with the file and item it came from.
//
// One file per input kind: pool.go (az batch pool show and ARM/Bicep
// pools), aml.go, prices.go, spot.go, tasks.go (az batch task list and
// Batch diagnostic logs), evictions.go (activity logs and lifetime CSVs),
// account.go (a Batch account's quotas). scenario.go gathers and checks the
// inputs and writes the header, writepool.go the sizes, pools, lifetimes and
// prices, writejob.go the job, toml.go the TOML syntax; export.go writes a
// model pool back as Batch pool JSON.
//
// Bad input is an *Error naming the file and the JSON path
// ($.properties.scaleSettings.fixedScale.targetDedicatedNodes) or the line;
// a file of another kind says what it looks like. Unknown fields are
// ignored, as Azure adds fields over time.
package importer
