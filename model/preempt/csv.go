package preempt

import (
	"github.com/spotsim/spotsim/model/internal/csvtrace"
)

// ParseError is an error in a CSV trace, positioned at a line and, when it
// concerns one cell, at a column (1-based field number) with its header
// name. It prints as
//
//	name:LINE: column N (header): message
//
// or name:LINE: message for errors of a whole line.
type ParseError = csvtrace.ParseError

// Limits on trace files, applied when TraceOptions leaves them at 0.
const (
	DefaultMaxRows  = csvtrace.DefaultMaxRows
	DefaultMaxBytes = csvtrace.DefaultMaxBytes
)

// parseDuration parses a duration cell: seconds or a duration string.
var parseDuration = csvtrace.ParseDuration
