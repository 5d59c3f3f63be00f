package preempt

import (
	"github.com/spotsim/spotsim/model/internal/csvtrace"

	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// Trace is a replay of recorded evictions, in non-decreasing time order.
type Trace struct {
	Name string
	Rows []Eviction
}

// TraceOptions control LoadTrace.
type TraceOptions struct {
	// Start is the wall-clock time of simulated time 0, the origin of
	// RFC3339 timestamps. When zero, the first row's timestamp is the
	// origin (and the first row must then be a timestamp if any row is).
	Start time.Time
	// MaxRows and MaxBytes cap the file (DefaultMaxRows and DefaultMaxBytes
	// when 0).
	MaxRows  int
	MaxBytes int64
}

// LoadTrace reads an eviction trace in CSV. The header row names the
// columns, case-insensitively, in any order:
//
//	time             when the eviction happens: seconds since the start
//	                 ("5400", "5400.5"), a duration ("1h30m", "2d") or an
//	                 RFC3339 timestamp ("2025-03-01T12:00:00Z") measured
//	                 from opt.Start; "timestamp" is accepted as its name
//	count            how many low-priority nodes are evicted (an integer ≥ 0)
//	fraction         or which fraction of them (in [0, 1]; see EvictCount)
//	unavailable_for  optional: how long no low-priority node can be
//	                 allocated afterwards (seconds or a duration; empty is 0)
//
// Exactly one of count and fraction must be present. Times must be ≥ 0 and
// non-decreasing (equal times are separate evictions). Lines starting with
// '#' and blank lines are skipped. Errors name the file, the line and the
// column: "evictions.csv:4: column 2 (count): ...". A file with a header
// and no rows is an empty trace.
func LoadTrace(r io.Reader, name string, opt TraceOptions) (*Trace, error) {
	t := csvtrace.New(r, name, opt.MaxRows, opt.MaxBytes)
	cols, err := t.ReadHeader([]string{"time", "count", "fraction", "unavailable_for"}, map[string]string{"timestamp": "time"})
	if err != nil {
		return nil, err
	}
	if _, ok := cols["time"]; !ok {
		return nil, t.Errorf(t.Line, 0, "missing column time")
	}
	ic, hasCount := cols["count"]
	ifr, hasFrac := cols["fraction"]
	if hasCount == hasFrac {
		return nil, t.Errorf(t.Line, 0, "want exactly one of the columns count and fraction")
	}
	iu, hasUnavail := cols["unavailable_for"]
	it := cols["time"]
	clk := csvtrace.NewClock(opt.Start)
	tr := &Trace{Name: name}
	var last time.Duration
	for {
		rec, line, err := t.Next()
		if err == io.EOF {
			return tr, nil
		}
		if err != nil {
			return nil, err
		}
		e := Eviction{Count: -1}
		if e.At, err = clk.Offset(rec[it]); err != nil {
			return nil, t.Errorf(line, it+1, "%v", err)
		}
		if e.At < 0 {
			return nil, t.Errorf(line, it+1, "the time is before the start")
		}
		if len(tr.Rows) > 0 && e.At < last {
			return nil, t.Errorf(line, it+1, "the time is before the previous row's")
		}
		last = e.At
		if hasCount {
			n, err := strconv.Atoi(rec[ic])
			switch {
			case err != nil && errors.Is(err, strconv.ErrRange):
				return nil, t.Errorf(line, ic+1, "the count is out of range")
			case err != nil:
				return nil, t.Errorf(line, ic+1, "the count is not an integer")
			case n < 0:
				return nil, t.Errorf(line, ic+1, "the count is negative")
			}
			e.Count = n
		} else {
			f, err := strconv.ParseFloat(rec[ifr], 64)
			switch {
			case err != nil && !errors.Is(err, strconv.ErrRange):
				return nil, t.Errorf(line, ifr+1, "the fraction is not a number")
			case !(f >= 0 && f <= 1):
				return nil, t.Errorf(line, ifr+1, "the fraction is not in [0, 1]")
			}
			e.Fraction = f
		}
		if hasUnavail && rec[iu] != "" {
			d, err := parseDuration(rec[iu])
			switch {
			case err != nil:
				return nil, t.Errorf(line, iu+1, "%v", err)
			case d < 0:
				return nil, t.Errorf(line, iu+1, "the duration is negative")
			}
			e.Blackout = d
		}
		tr.Rows = append(tr.Rows, e)
	}
}

// WriteCSV writes the trace in the format LoadTrace reads, with times and
// durations as Go duration strings and fractions in shortest exact form, so
// that loading it back gives the same rows. All rows must use counts or all
// fractions.
func (tr *Trace) WriteCSV(w io.Writer) error {
	byCount := len(tr.Rows) == 0 || tr.Rows[0].Count >= 0
	cw := csv.NewWriter(w)
	head := []string{"time", "fraction", "unavailable_for"}
	if byCount {
		head[1] = "count"
	}
	_ = cw.Write(head)
	for i, e := range tr.Rows {
		if (e.Count >= 0) != byCount {
			return fmt.Errorf("trace %s: row %d mixes counts and fractions", tr.Name, i+1)
		}
		v := strconv.FormatFloat(e.Fraction, 'g', -1, 64)
		if byCount {
			v = strconv.Itoa(e.Count)
		}
		_ = cw.Write([]string{e.At.String(), v, e.Blackout.String()})
	}
	cw.Flush()
	return cw.Error()
}

// Events returns the trace's evictions as a stream.
func (tr *Trace) Events() Events { return &traceEvents{rows: tr.Rows} }

type traceEvents struct {
	rows []Eviction
	i    int
}

func (it *traceEvents) Next() (Eviction, bool) {
	if it.i >= len(it.rows) {
		return Eviction{}, false
	}
	it.i++
	return it.rows[it.i-1], true
}

// Validate reports whether the rows are in order with valid counts,
// fractions and blackouts (LoadTrace only returns valid traces).
func (tr *Trace) Validate() error {
	var last time.Duration
	for i, e := range tr.Rows {
		switch {
		case e.At < 0 || e.At < last:
			return fmt.Errorf("trace %s: row %d at %s is out of order", tr.Name, i+1, formatDuration(e.At))
		case e.Count < 0 && !(e.Fraction >= 0 && e.Fraction <= 1) || math.IsNaN(e.Fraction):
			return fmt.Errorf("trace %s: row %d fraction %v is not in [0, 1]", tr.Name, i+1, e.Fraction)
		case e.Blackout < 0:
			return fmt.Errorf("trace %s: row %d has a negative blackout", tr.Name, i+1)
		}
		last = e.At
	}
	return nil
}
